"""The review page's routes: case list, case page, reviewer actions, unmatched queue, exports."""

from __future__ import annotations

import io
import json
import logging
from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)

from replyaudit.campaign import Campaign
from replyaudit.export import (
    FLAG_LABELS,
    STATUS_LABELS,
    ExportError,
    ExportRow,
    dealer_summary,
    export_rows,
    score_distribution,
)
from replyaudit.export_files import csv_text, write_xlsx
from replyaudit.pipeline import load_parsed
from replyaudit.review import (
    ReviewError,
    approve,
    assign_message,
    change_answer,
    mark_irrelevant,
    parse_value,
    reopen,
)
from replyaudit.web.app import (
    COMMENT_MAX_CHARS,
    french_count,
    login_gate,
    open_store,
    reviewer_name,
)
from replyaudit.web.caseview import build_case
from replyaudit.web.charts import bar_chart

views = Blueprint("views", __name__)
log = logging.getLogger(__name__)


def _refused(prefix: str, error: ReviewError) -> None:
    """Show a refusal in French on the page; log the core's English message."""
    log.info("refused on the review page: %s", error)
    flash(f"{prefix} : {error.message_fr}", "error")


def _form_text(name: str) -> str:
    """A comment or reason as written, trimmed, with the browser's CRLF line breaks as LF."""
    return request.form.get(name, "").replace("\r\n", "\n").strip()


def _too_long(label: str, text: str) -> bool:
    """Flash a French refusal and return True when `text` is over COMMENT_MAX_CHARS."""
    if len(text) <= COMMENT_MAX_CHARS:
        return False
    log.info("refused on the review page: %s of %d characters", label, len(text))
    flash(
        f"{label} trop long : {french_count(len(text))} caractères, "
        f"{french_count(COMMENT_MAX_CHARS)} au plus. Raccourcissez-le, puis renvoyez "
        "le formulaire.",
        "error",
    )
    return True


SORT_KEYS = {
    "demande": lambda r: r["inquiry_id"],
    "concession": lambda r: (r["dealer"], r["inquiry_id"]),
    "statut": lambda r: (r["status"], r["inquiry_id"]),
    "total": lambda r: (r["total"], r["inquiry_id"]),
    "vague": lambda r: (r["wave"] or "", r["inquiry_id"]),
    "signalements": lambda r: (len(r["flags"]), r["inquiry_id"]),
    "campagne": lambda r: (r["campaign"], r["inquiry_id"]),
}


def _list_rows() -> list[dict[str, Any]]:
    store = open_store()
    dealer_names: dict[tuple[str, str], str] = {}
    for name in store.campaigns():
        data = store.get_campaign(name)
        if data:
            for dealer in Campaign.model_validate_json(data).dealers:
                dealer_names[(name, dealer.id)] = dealer.name
    rows = []
    for case in store.all_cases():
        inquiry = json.loads(case["inquiry"])
        rows.append(
            {
                "campaign": case["campaign"],
                "inquiry_id": case["inquiry_id"],
                "dealer": case["dealer_id"],
                "dealer_name": dealer_names.get(
                    (case["campaign"], case["dealer_id"]), case["dealer_id"]
                ),
                "wave": inquiry.get("wave"),
                "status": case["status"],
                "status_label": STATUS_LABELS.get(case["status"], case["status"]),
                "total": case["total"],
                "flags": [
                    (f, FLAG_LABELS.get(f, f)) for f in json.loads(case["flags"])
                ],
            }
        )
    return rows


@views.route("/favicon.ico")
def favicon() -> Response:
    """The tab icon browsers ask for by themselves (no login: it reveals nothing)."""
    static = current_app.static_folder
    assert static is not None
    return send_from_directory(static, "favicon.ico", mimetype="image/x-icon")


@views.route("/")
@login_gate
def cases() -> str:
    rows = _list_rows()
    choices = {
        "campagne": sorted({r["campaign"] for r in rows}),
        "concession": sorted({(r["dealer"], r["dealer_name"]) for r in rows}),
        "vague": sorted({r["wave"] for r in rows if r["wave"]}),
    }
    wanted = {
        key: request.args.get(key, "")
        for key in ("campagne", "concession", "statut", "vague")
    }
    if wanted["campagne"]:
        rows = [r for r in rows if r["campaign"] == wanted["campagne"]]
    if wanted["concession"]:
        rows = [r for r in rows if r["dealer"] == wanted["concession"]]
    if wanted["statut"]:
        rows = [r for r in rows if r["status"] == wanted["statut"]]
    if wanted["vague"]:
        rows = [
            r
            for r in rows
            if (r["wave"] or "") == ("" if wanted["vague"] == "-" else wanted["vague"])
        ]
    sort = request.args.get("tri", "demande")
    descending = request.args.get("ordre") == "desc"
    rows.sort(key=SORT_KEYS.get(sort, SORT_KEYS["demande"]), reverse=descending)
    counts = {
        status: sum(1 for r in rows if r["status"] == status)
        for status in STATUS_LABELS
    }
    return render_template(
        "cases.html",
        title="Demandes",
        rows=rows,
        choices=choices,
        wanted=wanted,
        sort=sort,
        descending=descending,
        statuses=STATUS_LABELS,
        counts=counts,
        unmatched=len(open_store().unmatched()),
    )


@views.route("/cas/<campaign>/<inquiry_id>")
@login_gate
def case(campaign: str, inquiry_id: str) -> str:
    context = build_case(
        open_store(), g.scorecard, campaign, inquiry_id, g.settings.timing.policy
    )
    if context is None:
        abort(404)
    return render_template("case.html", title=f"Demande {inquiry_id}", **context)


def _back(campaign: str, inquiry_id: str, anchor: str = "") -> Response:
    return redirect(
        url_for("views.case", campaign=campaign, inquiry_id=inquiry_id) + anchor
    )  # type: ignore[return-value]


@views.route("/cas/<campaign>/<inquiry_id>/reponse/<key>", methods=["POST"])
@login_gate
def change(campaign: str, inquiry_id: str, key: str) -> Response:
    if key not in g.scorecard.keys:
        abort(404)
    comment = _form_text("commentaire")
    if not comment:
        flash(
            f"Q{g.scorecard.question(key).number} : un commentaire est obligatoire pour modifier une réponse.",
            "error",
        )
        return _back(campaign, inquiry_id, f"#q-{key}")
    if _too_long("Commentaire", comment):
        return _back(campaign, inquiry_id, f"#q-{key}")
    try:
        value = parse_value(g.scorecard, key, request.form.getlist("valeur"))
        total = change_answer(
            open_store(),
            g.scorecard,
            campaign,
            inquiry_id,
            key,
            value,
            comment,
            reviewer_name(),
        )
    except ReviewError as exc:
        _refused("Modification refusée", exc)
        return _back(campaign, inquiry_id, f"#q-{key}")
    flash(
        f"Q{g.scorecard.question(key).number} modifiée. Nouveau total : {total}/{g.scorecard.max_points}.",
        "ok",
    )
    return _back(campaign, inquiry_id, f"#q-{key}")


@views.route("/cas/<campaign>/<inquiry_id>/approuver", methods=["POST"])
@login_gate
def approve_case(campaign: str, inquiry_id: str) -> Response:
    comment = _form_text("commentaire")
    if _too_long("Commentaire", comment):
        return _back(campaign, inquiry_id)
    try:
        approve(open_store(), campaign, inquiry_id, reviewer_name(), comment)
    except ReviewError as exc:
        _refused("Approbation refusée", exc)
        return _back(campaign, inquiry_id)
    flash("Grille approuvée et verrouillée.", "ok")
    return _back(campaign, inquiry_id)


@views.route("/cas/<campaign>/<inquiry_id>/rouvrir", methods=["POST"])
@login_gate
def reopen_case(campaign: str, inquiry_id: str) -> Response:
    reason = _form_text("motif")
    if not reason:
        flash("Un motif est obligatoire pour rouvrir une grille approuvée.", "error")
        return _back(campaign, inquiry_id)
    if _too_long("Motif", reason):
        return _back(campaign, inquiry_id)
    try:
        reopen(open_store(), campaign, inquiry_id, reviewer_name(), reason)
    except ReviewError as exc:
        _refused("Réouverture refusée", exc)
        return _back(campaign, inquiry_id)
    flash("Grille rouverte.", "ok")
    return _back(campaign, inquiry_id)


@views.route("/non-rattaches")
@login_gate
def unmatched() -> str:
    store = open_store()
    items = []
    for row in store.unmatched():
        parsed = load_parsed(store, row["sha256"])
        items.append(
            {
                "campaign": row["campaign"],
                "sha256": row["sha256"],
                "from_addr": parsed.from_addr if parsed else "",
                "subject": parsed.subject if parsed else "",
                "arrival": parsed.arrival.strftime("%d/%m/%Y %H:%M %Z")
                if parsed and parsed.arrival
                else "inconnue",
                "excerpt": (parsed.body[:400] if parsed else ""),
                "candidates": json.loads(row["detail"]).get("candidates", []),
                "inquiries": [r["id"] for r in store.inquiries(row["campaign"])],
            }
        )
    return render_template(
        "unmatched.html", title="Courriels non rattachés", items=items
    )


@views.route("/non-rattaches/<campaign>/<sha256>", methods=["POST"])
@login_gate
def file_unmatched(campaign: str, sha256: str) -> Response:
    store = open_store()
    comment = _form_text("commentaire")
    if _too_long("Commentaire", comment):
        return redirect(url_for("views.unmatched"))  # type: ignore[return-value]
    settings = g.settings
    try:
        if request.form.get("action") == "ignorer":
            mark_irrelevant(
                store,
                campaign,
                sha256,
                reviewer_name(),
                settings.rules_dir,
                comment,
                policy=settings.timing.policy,
            )
            flash(
                "Message écarté comme non pertinent ; la campagne a été ré-analysée.",
                "ok",
            )
        else:
            inquiry_id = request.form.get("demande", "")
            assign_message(
                store,
                campaign,
                sha256,
                inquiry_id,
                reviewer_name(),
                settings.rules_dir,
                comment,
                policy=settings.timing.policy,
            )
            flash(f"Message rattaché à {inquiry_id} ; le cas a été ré-analysé.", "ok")
            return _back(campaign, inquiry_id)
    except ReviewError as exc:
        _refused("Action refusée", exc)
    return redirect(url_for("views.unmatched"))  # type: ignore[return-value]


def _export_params() -> tuple[str | None, bool]:
    return request.args.get("campagne") or None, request.args.get("tout") == "1"


def _selected_rows() -> list[ExportRow] | Response:
    """The rows the query asks for, or a redirect to the statistics page saying why not.

    A campaign the store does not know (a stale link, a hand-typed address) is explained
    in French there rather than failing the request.
    """
    campaign, include_all = _export_params()
    try:
        return export_rows(open_store(), g.scorecard, campaign, include_all)
    except ExportError as exc:
        log.info("export refused on the review page: %s", exc)
        flash(exc.message_fr, "error")
        back = url_for("views.statistics", tout="1" if include_all else None)
        return redirect(back)  # type: ignore[return-value]


@views.route("/export.csv")
@login_gate
def export_csv() -> Response:
    rows = _selected_rows()
    if isinstance(rows, Response):
        return rows
    # Same as the export command: BOM and ';' so French Excel opens it in columns.
    body = "\ufeff" + csv_text(rows, g.scorecard)
    return Response(
        body,
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_filename("csv")}"'},
    )


@views.route("/export.xlsx")
@login_gate
def export_xlsx() -> Response:
    rows = _selected_rows()
    if isinstance(rows, Response):
        return rows
    buffer = io.BytesIO()
    write_xlsx(rows, g.scorecard, buffer)
    return Response(
        buffer.getvalue(),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{_filename("xlsx")}"'},
    )


def _filename(extension: str) -> str:
    return (
        f"replyaudit-{datetime.now().astimezone().strftime('%Y%m%d-%H%M')}.{extension}"
    )


@views.route("/statistiques")
@login_gate
def statistics() -> str | Response:
    campaign, include_all = _export_params()
    rows = _selected_rows()
    if isinstance(rows, Response):
        return rows
    summary = dealer_summary(rows)
    delays = bar_chart(
        "Délai moyen de première réponse par concession",
        [
            (item.dealer_name, item.mean_delay)
            for item in summary
            if item.mean_delay is not None
        ],
        " min",
    )
    scores = bar_chart(
        f"Répartition des scores (/{g.scorecard.max_points})",
        [
            (label, float(count))
            for label, count in score_distribution(rows, g.scorecard.max_points)
        ],
    )
    return render_template(
        "stats.html",
        title="Statistiques",
        delays=delays,
        scores=scores,
        summary=summary,
        rows=rows,
        include_all=include_all,
        campaign=campaign,
        campaigns=open_store().campaigns(),
    )
