"""Explanations for analysts: how a delay was counted, how one message was understood."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from replyaudit.campaign import Campaign, load_campaign
from replyaudit.errors import (
    MessageError,
    UsageError,
)
from replyaudit.models import CaseResult, Policy
from replyaudit.store import Store


def parse_instant(text: str | None, option: str) -> datetime:
    """The aware instant an option gives, within the clock's years; else UsageError naming it."""
    from replyaudit.clock import SUPPORTED, is_supported

    if not text:
        raise UsageError(
            f"{option}: expected an ISO instant with offset, found nothing. Fix: give {option} 2026-06-08T11:30:00+02:00"
        )
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"{option}: expected an ISO instant such as 2026-06-08T11:30:00+02:00, found {text!r}. Fix: write it in that form"
        ) from None
    if value.tzinfo is None:
        raise UsageError(
            f"{option}: expected an instant with its UTC offset, found {text!r}. Fix: add the offset, e.g. +02:00"
        )
    if not is_supported(value):
        raise UsageError(
            f"{option}: expected an instant {SUPPORTED}, found {text!r}. Fix: check the year"
        )
    return value


def explain_instants(
    campaign_path: Path | None,
    dealer_id: str | None,
    start: str | None,
    end: str | None,
    policy: Policy,
) -> dict[str, Any]:
    """The delay between two instants in one dealer's opening hours, with its timeline."""
    from replyaudit.clock import explain_delay

    if campaign_path is None:
        raise UsageError(
            "--campaign: expected a campaign file, found none. Fix: give --campaign FILE or set `campaign` in the settings"
        )
    campaign = load_campaign(campaign_path)
    if not dealer_id:
        raise UsageError(
            f"--dealer: expected one of {[d.id for d in campaign.dealers]}, found nothing. Fix: give --dealer ID"
        )
    try:
        dealer = campaign.dealer(dealer_id)
    except KeyError:
        raise UsageError(
            f"--dealer: expected one of {[d.id for d in campaign.dealers]}, found {dealer_id!r}. Fix: use a dealer id of {campaign_path}"
        ) from None
    payload = explain_delay(
        dealer, parse_instant(start, "--from"), parse_instant(end, "--to"), policy
    )
    return dict(payload, dealer=dealer.id)


def explain_case(store: Store, case_id: str, policy: str) -> dict[str, Any]:
    """Questions 1 and 8 of a stored case, as they were counted."""
    rows = store.db.execute(
        "SELECT * FROM cases WHERE inquiry_id = ?", (case_id,)
    ).fetchall()
    if not rows:
        raise UsageError(
            f"--case: expected a case of the store {store.path}, found no case {case_id!r}. Fix: run replay or scan first, or check the id"
        )
    result = CaseResult.model_validate_json(rows[-1]["result"])
    delays = []
    for label, timing, key in (
        (
            "question 1 (first personalised reply)",
            result.response_timing,
            "response_time",
        ),
        ("question 8 (follow-up)", result.follow_up_timing, "follow_up"),
    ):
        answer = result.answers[key]
        if timing is None:
            delays.append(
                {
                    "label": label,
                    "explanation": f"{answer.note}: {answer.value}",
                    "bucket": None,
                    "open_minutes": None,
                    "policy": policy,
                }
            )
            continue
        item = json.loads(timing.model_dump_json())
        item["label"] = label
        item["answer"] = answer.value
        delays.append(item)
    return {
        "case": case_id,
        "dealer": result.dealer_id,
        "campaign": rows[-1]["campaign"],
        "delays": delays,
    }


def _case_campaign(case_dir: Path, rules_dir: Path) -> tuple[Campaign, str]:
    """The campaign of the corpus holding `case_dir`, with that case's inquiry; its id.

    Only this case is read: a problem of its case.toml is named, not hidden behind
    the case being skipped.
    """
    from replyaudit.corpus import read_case
    from replyaudit.scorecard import load_scorecard

    folder = Path(case_dir)
    if not folder.is_dir():
        found = "a file" if folder.exists() else "no such folder"
        raise UsageError(
            f"--case {folder}: expected a case folder of a corpus (CORPUS/cases/<id>/ holding "
            f"case.toml), found {found}. Fix: give the folder of one case, e.g. "
            "fixtures/corpus/cases/c01-montverac-prix-nx"
        )
    inner = sorted(folder.glob("*/case.toml")) + sorted(
        folder.glob("cases/*/case.toml")
    )
    if not (folder / "case.toml").is_file() and inner:
        raise UsageError(
            f"--case {folder}: expected one case folder (holding case.toml), found a folder "
            f"of {len(inner)} case(s). Fix: give one of them, e.g. {inner[0].parent}"
        )
    campaign_path = folder.parent.parent / "campaign.toml"
    if folder.parent.name != "cases" or not campaign_path.is_file():
        raise UsageError(
            f"--case {folder}: expected a case folder inside a corpus (CORPUS/cases/<id>/ beside "
            f"CORPUS/campaign.toml), found no {campaign_path}. Fix: give a case folder of a "
            "corpus, or --campaign FILE to see the match without the checks"
        )
    campaign = load_campaign(campaign_path)
    case = read_case(folder, campaign, load_scorecard(rules_dir))
    full = campaign.model_copy(
        update={"inquiries": list(campaign.inquiries) + [case.inquiry]}
    )
    return full, case.inquiry.id


def inspect_file(
    path: Path,
    campaign_path: Path | None,
    case_dir: Path | None,
    rules_dir: Path | None = None,
) -> dict[str, Any]:
    """How one .eml was understood; with a campaign, its match; with a case, what each check found.

    The classifier's cues and the checks come from `rules_dir` (the shipped rules if None).
    """
    from replyaudit.config import default_rules_dir
    from replyaudit.message import inspect_message
    from replyaudit.message.cues import load_cues

    raw = _read_eml(path)
    rules_dir = rules_dir or default_rules_dir()
    cues = load_cues(rules_dir)
    campaign = None
    inquiry_id = None
    if case_dir is not None:
        campaign, inquiry_id = _case_campaign(case_dir, rules_dir)
    elif campaign_path is not None:
        campaign = load_campaign(campaign_path)
    try:
        payload = inspect_message(raw, source=str(path), campaign=campaign, cues=cues)
    except MessageError as exc:
        raise MessageError(
            f"{path}: {exc}. The file is not changed; check it is a saved e-mail (.eml)"
        ) from None
    if campaign is not None and inquiry_id is not None:
        payload["checks"] = _checks_for(raw, path, campaign, inquiry_id, rules_dir)
    return payload


# A field every saved e-mail has at least one of, at the start of a header line.
_MAIL_HEADER = re.compile(
    rb"^(?:from|to|cc|subject|date|message-id|received|return-path|mime-version"
    rb"|content-type|delivered-to|reply-to|sender|in-reply-to|references"
    rb"|x-[!-9;-~]+)[ \t]*:",
    re.IGNORECASE | re.MULTILINE,
)


def has_mail_header(raw: bytes) -> bool:
    """Whether the header block (before the first blank line) holds an e-mail header field."""
    end = re.search(rb"\r?\n[ \t]*\r?\n", raw)
    head = raw[: end.start()] if end else raw
    return _MAIL_HEADER.search(head[:65536]) is not None


def _read_eml(path: Path) -> bytes:
    """The bytes of a saved e-mail; a missing path, a folder or a headerless file is a usage error."""
    if path.is_dir():
        raise UsageError(
            f"{path}: expected a saved e-mail (.eml) file, found a folder. "
            "Fix: give one .eml file of it (a case folder goes to --case)"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        found = "no such file" if isinstance(exc, FileNotFoundError) else exc.strerror
        raise UsageError(
            f"{path}: expected a saved e-mail (.eml) file, found {found or exc}. "
            "Fix: check the path"
        ) from None
    if not has_mail_header(raw):
        raise UsageError(
            f"{path}: expected a saved e-mail (.eml) with header lines (From:, Date:, "
            "Subject: ...) before a blank line, found no header. Fix: give the message "
            "saved from the mail program as .eml, headers included"
        )
    return raw


def _checks_for(
    raw: bytes, path: Path, campaign: Campaign, inquiry_id: str, rules_dir: Path
) -> dict[str, Any]:
    from replyaudit.checks import load_rules, run_checks
    from replyaudit.context import CaseContext
    from replyaudit.message import parse_message
    from replyaudit.scorecard import load_scorecard

    inquiry = campaign.inquiry(inquiry_id)  # _case_campaign added it
    message = parse_message(raw, source=str(path))
    ctx = CaseContext(
        campaign=campaign,
        inquiry=inquiry,
        dealer=campaign.dealer(inquiry.dealer),
        inquiry_message=None,
        replies=[message],
    )
    answers = run_checks(ctx, load_scorecard(rules_dir), load_rules(rules_dir))
    return {
        key: json.loads(answer.model_dump_json()) for key, answer in answers.items()
    }


def inspect_lines(payload: dict[str, Any]) -> Iterator[str]:
    """A readable rendering of inspect_file's payload."""
    for key, value in payload.items():
        if key == "checks":
            yield "checks (as if this were the first personalised reply):"
            for qkey, answer in value.items():
                evidence = (
                    answer["evidence"][0]["sentence"] if answer["evidence"] else ""
                )
                review = " needs review" if answer["needs_review"] else ""
                yield f"  {qkey}: {answer['value']!r} ({answer['points']} pt, {answer['rule']}, conf {answer['confidence']:.2f}{review})"
                if evidence:
                    yield f"      « {evidence} »"
            continue
        if isinstance(value, str) and "\n" in value:
            yield f"{key}:"
            for line in value.splitlines():
                yield f"  | {line}"
        elif isinstance(value, (dict, list)):
            yield f"{key}: {json.dumps(value, ensure_ascii=False, default=str)}"
        else:
            yield f"{key}: {value}"
