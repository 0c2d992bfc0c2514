"""Question 2: the advisor's own name, phone line and e-mail address in the replies."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from replyaudit.checks.answer import make_answer
from replyaudit.checks.excerpt import line_evidence
from replyaudit.checks.nlp import fold, has_term
from replyaudit.checks.phrases import PartAnalysis, hits_for
from replyaudit.checks.rules import RuleSet
from replyaudit.context import CaseContext
from replyaudit.models import Answer, Evidence, ParsedMessage
from replyaudit.scorecard import Scorecard

_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_NAME_WORD = re.compile(r"^[A-ZÀ-ÖØ-Þ][\wÀ-ÿ'’\-]*\.?$")
_PARTICLES = {
    "de",
    "du",
    "des",
    "le",
    "la",
    "van",
    "von",
    "der",
    "di",
    "da",
    "d'",
    "dos",
    "del",
}
_MAX_SIGNATURE_NAME_LINES = 4
# A name given with its role, as CRM templates and short replies write it:
# "Votre conseillère : Prénom Nom", "Interlocuteur – Prénom Nom", "Prénom Nom - Lexus X".
_LABELLED_NAME = re.compile(
    r"^\s*(?:votre|ton|notre|mon)?\s*(?:conseill\w*|interlocut\w*|contact|"
    r"commercia\w*|vendeu\w*|charg[ée]e?\s+de\s+client\w*)(?:\s+\w+)?\s*[:\-–—]\s*"
    r"(?P<name>[^:|/,–—]{3,60}?)\s*$",
    re.IGNORECASE,
)
_NAME_THEN_ROLE = re.compile(r"^\s*(?P<name>[^|/,–—\-:]{3,60}?)\s+[|/,–—\-]\s+\S")


@dataclass(frozen=True)
class Found:
    kind: str
    evidence: Evidence
    confidence: float
    why: str


def _is_person_name(line: str, rules: RuleSet, ctx: CaseContext) -> bool:
    words = line.replace("\u00a0", " ").split()
    if not 2 <= len(words) <= 4 or any(ch.isdigit() or ch in "@:|/" for ch in line):
        return False
    banned = {fold(t) for t in rules.terms("contact.not_a_name")}
    banned |= {fold(k) for k in ctx.brand.keywords} | {fold(ctx.brand.name)}
    banned |= {fold(w) for w in re.split(r"[\s\-]+", ctx.dealer.name)}
    for index, word in enumerate(words):
        folded = fold(word.strip(",."))
        if index and folded in _PARTICLES:
            continue
        if folded in banned or not _NAME_WORD.match(word):
            return False
    return True


def _names(ctx: CaseContext, rules: RuleSet) -> list[Found]:
    found: list[Found] = []
    for index, msg in enumerate(ctx.replies):
        role = "initial" if index == 0 else "follow_up"
        lines = [
            ln for ln in msg.signature.splitlines() if ln.strip() and ln.strip() != "--"
        ]
        position = 0
        for line in lines[:_MAX_SIGNATURE_NAME_LINES]:
            start = msg.signature.find(line, position)
            position = start + len(line)
            if _is_person_name(line.strip(), rules, ctx):
                from_match = fold(line.strip()) in fold(msg.from_name)
                confidence = 0.95 if from_match else 0.8
                why = "a person's name in the signature" + (
                    " (also the From name)" if from_match else ""
                )
                found.append(
                    Found(
                        "name",
                        line_evidence(
                            msg, role, "signature", msg.signature, start, position
                        ),
                        confidence,
                        why,
                    )
                )
                break
        if not any(f.kind == "name" for f in found):
            found += _labelled_names(msg, role, rules, ctx)
    return found


def _labelled_names(
    msg: ParsedMessage, role: str, rules: RuleSet, ctx: CaseContext
) -> list[Found]:
    """A name with its role on one line ('Votre conseillère : Prénom Nom') in the
    body or signature, or a signature line 'Prénom Nom - Company'."""
    for part, text in (("signature", msg.signature), ("body", msg.body)):
        position = 0
        for line in text.splitlines():
            start = text.find(line, position)
            position = start + len(line)
            labelled = _LABELLED_NAME.match(line)
            lead = _NAME_THEN_ROLE.match(line) if part == "signature" else None
            for match, why in (
                (labelled, "a person's name given with the role"),
                (lead, "a person's name before a title or company"),
            ):
                if match and _is_person_name(match.group("name").strip(), rules, ctx):
                    return [
                        Found(
                            "name",
                            line_evidence(msg, role, part, text, start, position),
                            0.8,
                            why,
                        )
                    ]
    return []


def _phone_kind(
    before: str, after: str, rules: RuleSet, number: phonenumbers.PhoneNumber
) -> tuple[bool, float, str]:
    shared = rules.terms("contact.phone_shared_labels")
    advisor = rules.terms("contact.phone_advisor_labels")
    for context in (before, after):
        if label := has_term(context, shared):
            return False, 0.9, f"labelled '{label}' (shared line)"
        if label := has_term(context, advisor):
            return True, 0.95, f"labelled '{label}'"
    national = str(number.national_number)
    if number.country_code == 33 and national[:1] in ("6", "7"):
        return True, 0.85, "an unlabelled mobile number"
    return True, 0.6, "an unlabelled landline, maybe a switchboard"


def _phones(ctx: CaseContext, rules: RuleSet, parts: list[PartAnalysis]) -> list[Found]:
    found: list[Found] = []
    own_phone = {
        h.message.sha256
        for h in hits_for(parts, "advisor_contact")
        if h.rule.label == "own_phone"
    }
    for index, msg in enumerate(ctx.replies):
        role = "initial" if index == 0 else "follow_up"
        for part, text in (("signature", msg.signature), ("body", msg.body)):
            matches = list(
                phonenumbers.PhoneNumberMatcher(
                    text, "FR", leniency=phonenumbers.Leniency.POSSIBLE
                )
            )
            for number_index, match in enumerate(matches):
                line_start = text.rfind("\n", 0, match.start) + 1
                previous_end = matches[number_index - 1].end if number_index else 0
                before = text[max(line_start, previous_end) : match.start]
                line_end = text.find("\n", match.end)
                next_start = (
                    matches[number_index + 1].start
                    if number_index + 1 < len(matches)
                    else len(text)
                )
                after = text[
                    match.end : min(next_start, len(text) if line_end < 0 else line_end)
                ]
                own, confidence, why = _phone_kind(
                    before, after[:40], rules, match.number
                )
                if part == "body" and own and msg.sha256 in own_phone:
                    confidence = max(confidence, 0.9)
                if own:
                    found.append(
                        Found(
                            "phone",
                            line_evidence(
                                msg, role, part, text, match.start, match.end
                            ),
                            confidence,
                            why,
                        )
                    )
    return found


def is_shared_mailbox(address: str, rules: RuleSet) -> bool:
    local = fold(address.split("@", 1)[0])
    shared = {fold(t) for t in rules.terms("contact.shared_mailboxes")}
    tokens = [re.sub(r"\d+", "", t) for t in re.split(r"[.\-_+]", local)]
    return (
        local in shared or re.sub(r"\d+", "", local) in shared or (tokens[0] in shared)
    )


def _emails(ctx: CaseContext, rules: RuleSet, parts: list[PartAnalysis]) -> list[Found]:
    found: list[Found] = []
    own_address = {
        h.message.sha256: h
        for h in hits_for(parts, "advisor_contact")
        if h.rule.label == "own_address"
    }
    for index, msg in enumerate(ctx.replies):
        role = "initial" if index == 0 else "follow_up"
        sender = msg.from_addr.lower()
        for part, text in (("signature", msg.signature), ("body", msg.body)):
            for match in _EMAIL.finditer(text):
                address = match.group(0).lower()
                if not is_shared_mailbox(address, rules):
                    found.append(
                        Found(
                            "email",
                            line_evidence(
                                msg, role, part, text, match.start(), match.end()
                            ),
                            0.95,
                            f"the personal address {address} in the {part}",
                        )
                    )
                elif address == sender and msg.sha256 in own_address:
                    found.append(
                        Found(
                            "email",
                            own_address[msg.sha256].evidence(),
                            0.9,
                            "the advisor says this address is their own",
                        )
                    )
        if sender and not is_shared_mailbox(sender, rules):
            header = Evidence(
                message=msg.sha256,
                role=role,  # type: ignore[arg-type]
                part="headers",
                sentence=f"From: {msg.from_name} <{sender}>".strip(),
            )
            found.append(
                Found("email", header, 0.85, f"the personal From address {sender}")
            )
        elif sender and msg.sha256 in own_address:
            found.append(
                Found(
                    "email",
                    own_address[msg.sha256].evidence(),
                    0.9,
                    "the advisor says the From address is their own",
                )
            )
    return found


def check_advisor_contact(
    ctx: CaseContext, scorecard: Scorecard, rules: RuleSet, parts: list[PartAnalysis]
) -> Answer:
    """Q2: the advisor's name, own phone line and own e-mail address."""
    found = _names(ctx, rules) + _phones(ctx, rules, parts) + _emails(ctx, rules, parts)
    value: list[str] = []
    evidence: list[Evidence] = []
    notes: list[str] = []
    confidences: list[float] = []
    for kind in ("name", "phone", "email"):
        items = sorted(
            (f for f in found if f.kind == kind), key=lambda f: -f.confidence
        )
        if items:
            value.append(kind)
            evidence.append(items[0].evidence)
            notes.append(f"{kind}: {items[0].why}")
            confidences.append(items[0].confidence)
    if not value:
        return make_answer(
            scorecard,
            "advisor_contact",
            [],
            "q2.none_found",
            0.8,
            "no personal name, direct line or own address found",
        )
    return make_answer(
        scorecard,
        "advisor_contact",
        value,
        "q2.details_found",
        min(confidences),
        "; ".join(notes),
        evidence,
    )
