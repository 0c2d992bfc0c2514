"""The review page through Flask's test client: list, case page, actions, security, exports."""

from __future__ import annotations

import csv
import io
import json
import os
import stat

import pytest
from openpyxl import load_workbook

from conftest import CORPUS, RULES
from test_web_support import (
    CAMPAIGN,
    CASE,
    case_url,
    ingest_fixture,
    make_settings,
    post_form,
)

# The shared fixtures (replayed database, settings, client) live in test_web_support.
pytest_plugins = ["test_web_support"]


def _rows(html: str) -> list[str]:
    return [line for line in html.split('<tr class="status-')[1:]]


def test_web_list_shows_every_case_with_french_status(client):
    """Every inquiry of the corpus is listed with its dealer and French status label."""
    html = client.get("/").get_data(as_text=True)
    assert len(_rows(html)) == 24
    assert "à revoir" in html
    assert "Lexus Montvérac" in html


def test_web_list_filters_by_dealer_and_status(client):
    """Filtering by dealer keeps only that dealer's inquiries; an empty status shows none."""
    html = client.get("/?concession=montverac").get_data(as_text=True)
    rows = _rows(html)
    assert rows and all("montverac" in row for row in rows)
    assert len(rows) < 24
    html = client.get("/?statut=approved").get_data(as_text=True)
    assert _rows(html) == []


def test_web_list_sorts_by_total(client):
    """Sorting by total descending puts the highest total first."""
    html = client.get("/?tri=total&ordre=desc").get_data(as_text=True)
    totals = [
        int(row.split('<td class="num">')[1].split("<")[0]) for row in _rows(html)
    ]
    assert totals == sorted(totals, reverse=True)


@pytest.mark.parametrize(
    "path", ["/", case_url(), "/non-rattaches", "/statistiques", "/nowhere"]
)
def test_web_every_response_has_strict_csp(client, path):
    """Every response, errors included, carries the strict Content-Security-Policy."""
    policy = client.get(path).headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "img-src 'self' data:" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_web_post_without_csrf_token_is_refused(client, db):
    """A form posted without its CSRF token is refused with 400 and changes nothing."""
    response = client.post(case_url() + "/approuver", data={"commentaire": "ok"})
    assert response.status_code == 400
    from replyaudit.store import Store

    with Store(db) as store:
        assert store.get_case(CAMPAIGN, CASE)["status"] == "to_review"


def test_web_change_requires_a_comment(client, db):
    """An answer change without comment is refused and the answer stays."""
    html = post_form(
        client,
        case_url(),
        case_url() + "/reponse/brand_address",
        {"valeur": "no", "commentaire": "  "},
    ).get_data(as_text=True)
    assert "commentaire est obligatoire" in html
    from replyaudit.store import Store

    with Store(db) as store:
        assert store.answers(CAMPAIGN, CASE)["brand_address"]["source"] == "auto"


def test_web_change_updates_total_and_audit(client, db):
    """Changing an answer with a comment updates the total and records who, what and why."""
    from replyaudit.store import Store

    with Store(db) as store:
        before = store.get_case(CAMPAIGN, CASE)["total"]
        old = json.loads(store.answers(CAMPAIGN, CASE)["brand_address"]["value"])
    new = "no" if old == "yes" else "yes"
    html = post_form(
        client,
        case_url(),
        case_url() + "/reponse/brand_address",
        {"valeur": new, "commentaire": "adresse du groupe, pas Lexus"},
    ).get_data(as_text=True)
    expected = before - 1 if new == "no" else before + 1
    assert f'<span id="total">{expected}</span>' in html
    assert "adresse du groupe, pas Lexus" in html
    with Store(db) as store:
        trail = store.audit_trail(CAMPAIGN, CASE)
        assert [
            (
                r["action"],
                r["key"],
                json.loads(r["old_value"]),
                json.loads(r["new_value"]),
            )
            for r in trail
        ] == [("change", "brand_address", old, new)]
        assert trail[0]["reviewer"]


def test_web_approved_answers_survive_a_second_replay(client, db):
    """After approval through the page, replaying the corpus leaves answers and status untouched."""
    from replyaudit.replay import replay
    from replyaudit.store import Store

    post_form(
        client,
        case_url(),
        case_url() + "/reponse/test_drive",
        {
            "valeur": ["dealer_initial", "dealer_follow_up"],
            "commentaire": "essai proposé deux fois",
        },
    )
    post_form(client, case_url(), case_url() + "/approuver", {"commentaire": ""})
    with Store(db) as store:
        answers = {
            k: (r["value"], r["points"], r["source"])
            for k, r in store.answers(CAMPAIGN, CASE).items()
        }
        total = store.get_case(CAMPAIGN, CASE)["total"]
        replay(CORPUS, store, RULES)
        assert store.get_case(CAMPAIGN, CASE)["status"] == "approved"
        assert store.get_case(CAMPAIGN, CASE)["total"] == total
        again = {
            k: (r["value"], r["points"], r["source"])
            for k, r in store.answers(CAMPAIGN, CASE).items()
        }
    assert again == answers
    html = client.get(case_url()).get_data(as_text=True)
    assert "verrouillée" in html and "Enregistrer la modification" not in html


def test_web_new_mail_after_approval_raises_a_flag(client, db):
    """Mail arriving after approval is flagged on the list, answers unchanged."""
    import time

    post_form(client, case_url(), case_url() + "/approuver", {})
    time.sleep(
        1.1
    )  # the store stamps instants to the second: arrive strictly after approval
    ingest_fixture(db, "hostile-reply.eml")
    html = client.get("/").get_data(as_text=True)
    assert "courriel reçu après approbation" in html


def test_web_reopen_requires_a_reason(client, db):
    """Reopening an approved case needs a reason; with one, the case is under review again."""
    from replyaudit.store import Store

    post_form(client, case_url(), case_url() + "/approuver", {})
    html = post_form(
        client, case_url(), case_url() + "/rouvrir", {"motif": ""}
    ).get_data(as_text=True)
    assert "motif est obligatoire" in html
    post_form(
        client,
        case_url(),
        case_url() + "/rouvrir",
        {"motif": "nouvelle pièce du client"},
    )
    with Store(db) as store:
        assert store.get_case(CAMPAIGN, CASE)["status"] == "to_review"
        assert [r["action"] for r in store.audit_trail(CAMPAIGN, CASE)] == [
            "approve",
            "reopen",
        ]


def test_web_case_page_marks_evidence_in_the_message(client, db):
    """Each body or signature evidence span is wrapped in <mark> in the displayed message."""
    from replyaudit.models import Answer
    from replyaudit.store import Store

    with Store(db) as store:
        evidence = [
            e
            for row in store.answers(CAMPAIGN, CASE).values()
            for e in Answer.model_validate_json(row["answer"]).evidence
            if e.part in ("body", "signature")
        ]
    assert evidence, "the corpus case should cite text evidence"
    html = client.get(case_url()).get_data(as_text=True)
    assert html.count("<mark ") >= 1
    assert 'href="#ev-' in html


def test_web_hostile_html_is_sanitised(client, db):
    """A message full of remote resources and scripts is shown with none of them left."""
    ingest_fixture(db, "hostile-reply.eml")
    html = client.get(case_url()).get_data(as_text=True)
    assert "disponible en stock" in html
    lowered = html.lower()
    for needle in (
        "<img",
        "<iframe",
        "<object",
        "<video",
        "<base",
        "http-equiv",
        "onload",
        "javascript:",
        '<link rel="preload',
        "@font-face",
        "https://tracker",
        "https://fonts",
        "https://cdn",
    ):
        if needle.startswith("https://"):
            assert f'src="{needle}' not in lowered and f'href="{needle}' not in lowered
        else:
            assert needle not in lowered, needle
    assert lowered.count("<script") == 1  # only our own /static/app.js


def test_web_unmatched_message_assigned_is_reanalysed(client, db):
    """Assigning an unmatched message files it under the case and empties the queue."""
    digest = ingest_fixture(db, "unmatched-reply.eml")
    queue = client.get("/non-rattaches").get_data(as_text=True)
    assert "Votre projet automobile" in queue
    target = "c02-montverac-dispo-rx"
    html = post_form(
        client,
        "/non-rattaches",
        f"/non-rattaches/{CAMPAIGN}/{digest}",
        {"demande": target, "action": "rattacher", "commentaire": "même client"},
    ).get_data(as_text=True)
    assert "Votre projet automobile" in html  # now on the case page's timeline
    assert "Aucun courriel" in client.get("/non-rattaches").get_data(as_text=True)
    from replyaudit.store import Store

    with Store(db) as store:
        assert store.get_match(CAMPAIGN, digest)["inquiry_id"] == target
        assert "unmatched_mail" not in json.loads(
            store.get_case(CAMPAIGN, CASE)["flags"]
        )


def test_web_unmatched_message_marked_irrelevant(client, db):
    """Setting a message aside removes it from the queue and clears the unmatched flag."""
    digest = ingest_fixture(db, "unmatched-reply.eml")
    from replyaudit.store import Store

    with Store(db) as store:
        # From a sender of no dealer and to no shopper address: queued, but it concerns no
        # case, so no case carries the unmatched flag (it used to flag every case).
        assert [row["sha256"] for row in store.unmatched()] == [digest]
        assert "unmatched_mail" not in json.loads(store.get_case(CAMPAIGN, CASE)["flags"])
    post_form(
        client,
        "/non-rattaches",
        f"/non-rattaches/{CAMPAIGN}/{digest}",
        {"action": "ignorer"},
    )
    with Store(db) as store:
        assert store.unmatched() == []
        assert [r["action"] for r in store.audit_trail(CAMPAIGN, "")] == ["irrelevant"]


def test_web_irrelevant_message_clears_the_unmatched_flag(client, db):
    """Once the only unmatched message is set aside, no case keeps the unmatched flag."""
    from replyaudit.store import Store

    digest = ingest_fixture(db, "unmatched-reply.eml")
    post_form(
        client,
        "/non-rattaches",
        f"/non-rattaches/{CAMPAIGN}/{digest}",
        {"action": "ignorer"},
    )
    with Store(db) as store:
        assert "unmatched_mail" not in json.loads(
            store.get_case(CAMPAIGN, CASE)["flags"]
        )


def test_web_export_csv_has_only_approved_rows(client):
    """The CSV export holds approved scorecards only, unless every one is asked for."""
    post_form(client, case_url(), case_url() + "/approuver", {})
    text = client.get("/export.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [r["Demande"] for r in rows] == [CASE]
    assert "Q1 points" in rows[0] and rows[0]["Total /29"]
    everything = (
        client.get("/export.csv?tout=1").get_data(as_text=True).lstrip("\ufeff")
    )
    assert len(list(csv.DictReader(io.StringIO(everything), delimiter=";"))) == 24


def test_web_export_xlsx_has_summary_and_charts(client):
    """The workbook has the scorecards, a per-dealer sheet and two charts."""
    response = client.get("/export.xlsx?tout=1")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Scorecards", "Concessions", "Graphiques"]
    assert book["Scorecards"].max_row == 25
    assert len(book["Graphiques"]._charts) == 2


def test_web_statistics_draw_inline_svg(client):
    """The statistics page draws its charts as inline SVG, with no script."""
    html = client.get("/statistiques?tout=1").get_data(as_text=True)
    assert html.count("<svg") == 2
    assert "<rect" in html


def test_web_login_mandatory_off_loopback(db, tmp_path):
    """Bound to a public address, the page refuses to start without users and asks for a login."""
    from replyaudit.review import add_user
    from replyaudit.store import Store
    from replyaudit.web.app import ServeError, create_app
    from replyaudit.web.commands import check_can_serve

    settings = make_settings(db, tmp_path, host="0.0.0.0")
    with pytest.raises(ServeError, match="users add"):
        check_can_serve(settings)
    with Store(db) as store:
        add_user(store, "camille", "correct horse battery")
    check_can_serve(settings)
    client = create_app(settings).test_client()
    assert client.get("/").status_code == 302
    html = post_form(
        client, "/login", "/login", {"name": "camille", "password": "wrong password"}
    ).get_data(as_text=True)
    assert "incorrect" in html
    post_form(
        client,
        "/login",
        "/login",
        {"name": "camille", "password": "correct horse battery"},
    )
    assert client.get("/").status_code == 200
    post_form(client, case_url(), case_url() + "/approuver", {})
    with Store(db) as store:
        assert store.get_case(CAMPAIGN, CASE)["approved_by"] == "camille"


def test_web_without_login_records_the_os_user(client, db):
    """On loopback without require_login, the reviewer recorded is the OS user name."""
    import getpass

    from replyaudit.store import Store

    post_form(client, case_url(), case_url() + "/approuver", {})
    with Store(db) as store:
        assert store.audit_trail(CAMPAIGN, CASE)[0]["reviewer"] == getpass.getuser()


def test_web_secret_key_file_is_private(settings):
    """The session key is created once, readable by its owner only, and reused."""
    from replyaudit.web.app import secret_key

    first = secret_key(settings)
    path = settings.storage.data_dir / "review-secret.key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert secret_key(settings) == first


@pytest.mark.parametrize(
    "command", [["serve"], ["users", "add"], ["users", "list"], ["export"]]
)
def test_web_commands_help_has_an_example(cli, command):
    """Every command of the review page documents an example."""
    code, out, _ = cli(*command, "--help")
    assert code == 0
    assert "Example:" in out


def test_web_cli_users_add_and_export(cli, db, tmp_path, monkeypatch):
    """users add reads the password from stdin; export writes an xlsx read back by openpyxl."""
    import sys

    from replyaudit.review import check_password
    from replyaudit.store import Store

    monkeypatch.setattr(sys, "stdin", io.StringIO("un mot de passe long\n"))
    code, _, err = cli(
        "users", "add", "dominique", "--password-stdin", "--database", db
    )
    assert code == 0, err
    with Store(db) as store:
        assert check_password(store, "dominique", "un mot de passe long")
        assert not check_password(store, "dominique", "autre chose")
    target = tmp_path / "out.xlsx"
    code, _, err = cli(
        "export", "--format", "xlsx", "--output", target, "--all", "--database", db
    )
    assert code == 0, err
    assert load_workbook(target)["Scorecards"].max_row == 25
