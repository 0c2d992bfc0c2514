"""Reviewer actions on the store: change an answer, approve, reopen, file unmatched mail, users.

Every action is checked first (a comment for a change, a reason for a reopening, a locked
approved case, a valid option), then written with one row of audit trail saying who did
what, when, from what to what.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from replyaudit.errors import ReplyAuditError
from replyaudit.models import Answer, AnswerValue, CaseResult, MatchResult
from replyaudit.scorecard import Scorecard
from replyaudit.store import Store

log = logging.getLogger(__name__)

_hasher = PasswordHasher()
# Verifying against this keeps the time of a login with an unknown name the same.
_DUMMY_HASH = _hasher.hash("replyaudit-no-such-user")


class ReviewError(ReplyAuditError):
    """A reviewer's action that cannot be done as asked (locked case, missing comment...).

    str() is the English message for logs and the CLI; `message_fr` says the same to a
    reviewer on the (French) review page, without ids or option codes.
    """

    exit_code = 2

    def __init__(self, message: str, message_fr: str) -> None:
        super().__init__(message)
        self.message_fr = message_fr


def _question_fr(scorecard: Scorecard, key: str) -> str:
    if key not in scorecard.keys:
        return f"la question « {key} »"
    return f"Q{scorecard.question(key).number}"


def _case(store: Store, campaign: str, inquiry_id: str) -> Any:
    row = store.get_case(campaign, inquiry_id)
    if row is None:
        raise ReviewError(
            f"case {campaign}/{inquiry_id}: expected a case analysed in the store, found none. "
            "Fix: run replay or scan first, or check the inquiry id",
            f"la demande {inquiry_id} n'a pas encore été analysée (ou n'existe pas) : "
            "lancez replay ou scan, ou vérifiez l'identifiant.",
        )
    return row


def _bad_option_fr(scorecard: Scorecard, key: str, value: object) -> str:
    if key not in scorecard.keys:
        return f"la question « {key} » ne fait pas partie de la grille."
    question = scorecard.question(key)
    labels = ", ".join(f"« {o.label} »" for o in question.options)
    how = "une ou plusieurs réponses parmi" if question.kind == "multi" else "parmi"
    return f"Q{question.number} : cette réponse n'est pas prévue ; choisissez {how} {labels}."


def case_result(store: Store, campaign: str, inquiry_id: str) -> CaseResult:
    """The latest analysis of a case, as the pipeline stored it."""
    return CaseResult.model_validate_json(_case(store, campaign, inquiry_id)["result"])


def current_answers(
    store: Store, campaign: str, inquiry_id: str
) -> dict[str, tuple[Answer, str]]:
    """Each answer as it stands (auto or reviewed) with its source."""
    return {
        key: (Answer.model_validate_json(row["answer"]), row["source"])
        for key, row in store.answers(campaign, inquiry_id).items()
    }


def parse_value(scorecard: Scorecard, key: str, values: list[str]) -> AnswerValue:
    """A form's values as an answer: one option id, or a list for a multi question.

    A single-choice question given several different values is refused rather than
    silently keeping the first (a crafted or replayed form).
    """
    question = scorecard.question(key)
    if question.kind == "single":
        distinct = list(dict.fromkeys(values))
        if len(distinct) > 1:
            raise ReviewError(
                f"question {key}: expected one value for a single-choice question, "
                f"found {distinct}. Fix: send one option",
                f"Q{question.number} : une seule réponse est possible pour cette "
                f"question ; {len(distinct)} ont été envoyées. Choisissez-en une.",
            )
        return distinct[0] if distinct else ""
    order = question.option_ids()
    return sorted(
        dict.fromkeys(values),
        key=lambda v: order.index(v) if v in order else len(order),
    )


def change_answer(
    store: Store,
    scorecard: Scorecard,
    campaign: str,
    inquiry_id: str,
    key: str,
    value: AnswerValue,
    comment: str,
    reviewer: str,
) -> int:
    """Override one answer with a comment; returns the case's new total."""
    case = _case(store, campaign, inquiry_id)
    where = f"case {campaign}/{inquiry_id}, question {key}"
    if case["status"] == "approved":
        raise ReviewError(
            f"{where}: expected a case under review, found it approved. Fix: reopen it with a reason first",
            "la grille est approuvée et verrouillée ; rouvrez-la avec un motif "
            "avant de modifier une réponse.",
        )
    if not comment.strip():
        raise ReviewError(
            f"{where}: expected a comment saying why the answer changes, found none. Fix: write the reason",
            f"{_question_fr(scorecard, key)} : un commentaire est obligatoire pour "
            "modifier une réponse.",
        )
    problem = scorecard.check_value(key, value)
    if problem is not None:
        raise ReviewError(
            f"{where}: expected {problem}. Fix: choose one of the listed options",
            _bad_option_fr(scorecard, key, value),
        )
    rows = store.answers(campaign, inquiry_id)
    old = rows.get(key)
    old_value = json.loads(old["value"]) if old is not None else None
    if old_value == value:
        raise ReviewError(
            f"{where}: expected a different answer, found the same {value!r}. Fix: pick another option",
            f"{_question_fr(scorecard, key)} : la réponse est déjà « "
            f"{scorecard.question(key).label_for(value)} » ; choisissez-en une autre.",
        )

    points = scorecard.question(key).points_for(value)
    if old is not None:
        answer = Answer.model_validate_json(old["answer"])
        answer = answer.model_copy(
            update={
                "value": value,
                "points": points,
                "confidence": 1.0,
                "needs_review": False,
                "note": f"modifiée par {reviewer} : {comment.strip()}",
            }
        )
    else:
        answer = Answer(
            key=key,
            value=value,
            points=points,
            rule="review",
            confidence=1.0,
            note=f"fixée par {reviewer} : {comment.strip()}",
        )
    total = store.set_reviewed_answer(
        campaign, inquiry_id, key, value, points, answer.model_dump_json()
    )
    store.audit(
        campaign,
        inquiry_id,
        "change",
        reviewer,
        key=key,
        old_value=json.dumps(old_value),
        new_value=json.dumps(value),
        comment=comment.strip(),
    )
    log.info(
        "case %s/%s: %s changed %s from %r to %r, total %d",
        campaign,
        inquiry_id,
        reviewer,
        key,
        old_value,
        value,
        total,
    )
    return total


def approve(
    store: Store, campaign: str, inquiry_id: str, reviewer: str, comment: str = ""
) -> None:
    """Lock a case's scorecard: later analyses keep its answers and only raise flags."""
    case = _case(store, campaign, inquiry_id)
    if case["status"] == "approved":
        raise ReviewError(
            f"case {campaign}/{inquiry_id}: expected a case to approve, found it approved already",
            "cette grille est déjà approuvée (peut-être depuis un autre onglet).",
        )
    store.set_case_status(campaign, inquiry_id, "approved", reviewer=reviewer)
    store.audit(
        campaign,
        inquiry_id,
        "approve",
        reviewer,
        old_value=case["status"],
        new_value="approved",
        comment=comment.strip() or None,
    )
    log.info(
        "case %s/%s approved by %s, total %d",
        campaign,
        inquiry_id,
        reviewer,
        case["total"],
    )


def reopen(
    store: Store, campaign: str, inquiry_id: str, reviewer: str, reason: str
) -> None:
    """Unlock an approved case for changes; a reason is required and recorded."""
    case = _case(store, campaign, inquiry_id)
    if case["status"] != "approved":
        raise ReviewError(
            f"case {campaign}/{inquiry_id}: expected an approved case to reopen, found {case['status']}",
            "seule une grille approuvée peut être rouverte ; celle-ci est déjà "
            "modifiable.",
        )
    if not reason.strip():
        raise ReviewError(
            f"case {campaign}/{inquiry_id}: expected a reason to reopen, found none. Fix: write it",
            "un motif est obligatoire pour rouvrir une grille approuvée.",
        )
    store.set_case_status(campaign, inquiry_id, "to_review")
    store.audit(
        campaign,
        inquiry_id,
        "reopen",
        reviewer,
        old_value="approved",
        new_value="to_review",
        comment=reason.strip(),
    )
    log.info(
        "case %s/%s reopened by %s: %s", campaign, inquiry_id, reviewer, reason.strip()
    )


def _unmatched_row(store: Store, campaign: str, digest: str) -> Any:
    row = store.get_match(campaign, digest)
    if row is None:
        raise ReviewError(
            f"message {digest[:12]} of campaign {campaign}: expected a message of the store, found none. "
            "Fix: check the campaign and the message id",
            "ce courriel est introuvable dans la base (déjà traité, ou lien périmé) ; "
            "rechargez la liste.",
        )
    return row


def assign_message(
    store: Store,
    campaign: str,
    digest: str,
    inquiry_id: str,
    reviewer: str,
    rules_dir: Path,
    comment: str = "",
    policy: str = "open-hours",
) -> None:
    """File an unmatched message under an inquiry by hand, then analyse the campaign again."""
    from replyaudit.pipeline import reanalyse

    row = _unmatched_row(store, campaign, digest)
    _case(store, campaign, inquiry_id)
    match = MatchResult(
        inquiry_id=inquiry_id,
        basis="manual",
        confidence=1.0,
        reasons=[
            f"assigned by {reviewer}"
            + (f": {comment.strip()}" if comment.strip() else "")
        ],
    )
    store.put_match(
        campaign,
        digest,
        inquiry_id,
        "manual",
        1.0,
        match.model_dump_json(),
        manual=True,
    )
    store.audit(
        campaign,
        inquiry_id,
        "assign",
        reviewer,
        key=digest,
        old_value=row["inquiry_id"],
        new_value=inquiry_id,
        comment=comment.strip() or None,
    )
    reanalyse(store, campaign, rules_dir, policy=policy)
    log.info(
        "message %s of %s assigned to %s by %s",
        digest[:12],
        campaign,
        inquiry_id,
        reviewer,
    )


def mark_irrelevant(
    store: Store,
    campaign: str,
    digest: str,
    reviewer: str,
    rules_dir: Path,
    comment: str = "",
    policy: str = "open-hours",
) -> None:
    """Set an unmatched message aside for good, then analyse the campaign again (flags)."""
    from replyaudit.pipeline import reanalyse

    row = _unmatched_row(store, campaign, digest)
    match = MatchResult(
        inquiry_id=None,
        basis="manual",
        confidence=1.0,
        reasons=[f"marked irrelevant by {reviewer}"],
    )
    store.put_match(
        campaign,
        digest,
        None,
        "manual",
        1.0,
        match.model_dump_json(),
        manual=True,
        irrelevant=True,
    )
    # The audit trail is per case; a message set aside belongs to none, hence the empty id.
    store.audit(
        campaign,
        "",
        "irrelevant",
        reviewer,
        key=digest,
        old_value=row["inquiry_id"],
        comment=comment.strip() or None,
    )
    reanalyse(store, campaign, rules_dir, policy=policy)
    log.info(
        "message %s of %s marked irrelevant by %s", digest[:12], campaign, reviewer
    )


# Reviewer names appear in the audit trail, the page header and the exports.
MAX_NAME_LENGTH = 64


def check_user_name(store: Store, name: str, replace: bool = False) -> str:
    """The stripped `name` if it can be added (with `replace`, changed); else ReviewError.

    A name is one printable word of at most MAX_NAME_LENGTH characters, unique ignoring
    case (camille and Camille would be two accounts for one person); `replace` needs the
    account to exist under that exact name.
    """
    name = name.strip()
    if len(name) > MAX_NAME_LENGTH:
        raise ReviewError(
            f"user name: expected at most {MAX_NAME_LENGTH} characters, found {len(name)}. "
            "Fix: a shorter name, e.g. 'camille'",
            f"le nom du relecteur doit compter au plus {MAX_NAME_LENGTH} caractères.",
        )
    if not name or any(c.isspace() for c in name):
        raise ReviewError(
            f"user name: expected a name without spaces, found {name!r}. Fix: e.g. 'camille'",
            "le nom du relecteur doit être un mot sans espace, par exemple « camille ».",
        )
    if not name.isprintable():
        raise ReviewError(
            f"user name: expected printable characters only, found {name!r}. Fix: e.g. 'camille'",
            "le nom du relecteur ne doit contenir que des caractères visibles.",
        )
    existing = next(
        (
            str(row["name"])
            for row in store.users()
            if str(row["name"]).casefold() == name.casefold()
        ),
        None,
    )
    if replace and existing is None:
        raise ReviewError(
            f"user {name}: expected an existing reviewer to change the password of, found none. "
            f"Fix: add {name} without --replace, or check the name with replyaudit users list",
            f"le relecteur « {name} » n'existe pas ; ajoutez-le sans --replace.",
        )
    if existing is not None and existing != name:
        raise ReviewError(
            f"user {name}: expected a name no other reviewer has, found the account "
            f"{existing!r} (names are compared ignoring case). Fix: choose another name, or "
            f"replyaudit users add {existing} --replace to change that account's password",
            f"le relecteur « {existing} » existe déjà (les majuscules ne comptent pas).",
        )
    if existing is not None and not replace:
        raise ReviewError(
            f"user {name}: expected a new reviewer name, found an existing account. "
            "Fix: pass --replace to change their password, or choose another name",
            f"le relecteur « {name} » existe déjà ; utilisez --replace pour changer "
            "son mot de passe.",
        )
    return name


def add_user(store: Store, name: str, password: str, replace: bool = False) -> None:
    """Add a named reviewer, or with `replace` change an existing one's password (argon2).

    The name is checked by check_user_name. The password is hashed as given; only its
    length is judged without the whitespace around it, so eight spaces, or a short word
    padded with spaces, are refused.
    """
    name = check_user_name(store, name, replace)
    meaningful = len(password.strip())
    if meaningful < 8:
        raise ReviewError(
            f"password of {name}: expected at least 8 characters besides surrounding whitespace, "
            f"found {meaningful}. Fix: a longer one",
            "le mot de passe doit compter au moins 8 caractères, espaces autour exclus.",
        )
    store.put_user(name, _hasher.hash(password))
    log.info("reviewer %s %s", name, "password replaced" if replace else "saved")


def check_password(store: Store, name: str, password: str) -> bool:
    """True when `name` is a reviewer whose password is `password`."""
    row = store.get_user(name.strip())
    try:
        _hasher.verify(row["password_hash"] if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return row is not None
