"""Says what a received message is (personalised reply, acknowledgement…) and why."""

from __future__ import annotations

import re

from replyaudit.campaign import Campaign, Inquiry
from replyaudit.config import default_rules_dir
from replyaudit.message.cues import Cues, load_cues
from replyaudit.models import Classification, Kind, ParsedMessage


def _default_cues() -> Cues:
    """The cue families of the shipped rules folder, for callers without settings."""
    return load_cues(default_rules_dir())


def _local(addr: str) -> str:
    return addr.split("@", 1)[0] if "@" in addr else addr


def _header_cues(msg: ParsedMessage, cues: Cues) -> list[str]:
    """Reasons the headers give for an automatic message (empty when they say nothing)."""
    h = msg.headers
    reasons: list[str] = []
    auto = h.get("auto-submitted", "").strip().lower()
    if auto and not auto.startswith("no"):
        reasons.append(f"Auto-Submitted: {auto} (RFC 3834)")
    for name in ("x-autoreply", "x-autorespond"):
        if h.get(name, "").strip():
            reasons.append(f"{name} header present")
    precedence = h.get("precedence", "").strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply", "auto-reply"):
        reasons.append(f"Precedence: {precedence}")
    for name, value in h.items():
        if name.startswith("x-ms-exchange") and "autoreply" in name.replace("-", ""):
            reasons.append(f"{name}: {value[:40]}")
        if name == "x-ms-exchange-generated-message-source" and value:
            reasons.append(f"Exchange generated it ({value[:40]})")
    if h.get("x-auto-response-suppress") and reasons:
        reasons.append("X-Auto-Response-Suppress set")
    if cues.no_reply_sender.match(_local(msg.from_addr)):
        reasons.append(f"no-reply sender {msg.from_addr}")
    return reasons


def _is_bounce(msg: ParsedMessage, cues: Cues) -> list[str]:
    reasons: list[str] = []
    ctype = msg.headers.get("content-type", "").lower()
    if "multipart/report" in ctype and "delivery-status" in ctype:
        reasons.append("multipart/report; report-type=delivery-status (RFC 3464)")
    if (
        cues.daemon_sender.match(_local(msg.from_addr))
        or "mail delivery" in msg.from_name.lower()
    ):
        reasons.append(f"sent by the mail system ({msg.from_addr or msg.from_name})")
    if cues.bounce_subject.search(msg.subject):
        reasons.append(f"subject of a delivery failure: {msg.subject[:60]!r}")
    if msg.headers.get("x-failed-recipients"):
        reasons.append("X-Failed-Recipients header")
    if any(
        a.content_type in ("message/delivery-status", "text/rfc822-headers")
        for a in msg.attachments
    ):
        reasons.append("carries a delivery-status report")
    return (
        reasons
        if len(reasons) >= 2 or (reasons and reasons[0].startswith("multipart/report"))
        else []
    )


def _is_shopper(
    msg: ParsedMessage, campaign: Campaign, inquiry: Inquiry | None
) -> str | None:
    addr = msg.from_addr.lower()
    if inquiry is not None and addr == inquiry.shopper:
        return f"sent by the inquiry's shopper address {addr}"
    if any(addr == q.shopper for q in campaign.inquiries):
        return f"sent by a campaign shopper address {addr}"
    return None


def classify_message(
    msg: ParsedMessage,
    campaign: Campaign,
    inquiry: Inquiry | None = None,
    cues: Cues | None = None,
) -> Classification:
    """Classify one message: inquiry, personalised, auto_ack, out_of_office, bounce, other.

    `cues` come from the run's rules folder (its messages.toml); the shipped ones otherwise.
    """
    shopper = _is_shopper(msg, campaign, inquiry)
    if shopper:
        return Classification(kind=Kind.INQUIRY, reasons=[shopper], confidence=1.0)

    cues = cues or _default_cues()
    bounce = _is_bounce(msg, cues)
    if bounce:
        return Classification(kind=Kind.BOUNCE, reasons=bounce, confidence=0.98)

    headers = _header_cues(msg, cues)
    own = msg.new_text or msg.text
    subject = msg.subject
    content: list[str] = []
    ack = cues.acknowledgement_body.search(own)
    if ack:
        content.append(f"acknowledgement phrasing: {ack.group(0)!r}")
    recap = cues.form_recap_line.findall(msg.body)
    if len(recap) >= 2:
        content.append(f"recap of the form's fields ({len(recap)} lines)")
    placeholder = cues.placeholder.search(own)
    if placeholder:
        content.append(f"unfilled placeholder {placeholder.group(0)!r}")

    survey = cues.survey_body.search(own)
    newsletter = cues.newsletter_body.search(own)
    bulk = bool(msg.headers.get("list-unsubscribe") or msg.headers.get("list-id"))
    automatic = bool(headers) or bulk
    if survey and (automatic or cues.survey_sender.match(_local(msg.from_addr))):
        return Classification(
            kind=Kind.OTHER,
            reasons=[f"satisfaction survey: {survey.group(0)!r}", *headers],
            confidence=0.9,
        )
    if (
        newsletter
        and (bulk or automatic or cues.survey_sender.match(_local(msg.from_addr)))
        and not content
    ):
        reasons = [f"newsletter or marketing: {newsletter.group(0)!r}", *headers]
        if bulk:
            reasons.append("List-Unsubscribe/List-Id headers")
        return Classification(kind=Kind.OTHER, reasons=reasons, confidence=0.9)

    ooo_subject = cues.out_of_office_subject.search(subject)
    ooo_body = cues.out_of_office_body.search(own)
    auto_replied = "auto-replied" in msg.headers.get("auto-submitted", "").lower()
    if ooo_body and (headers or ooo_subject):
        reasons = [f"absence phrasing: {ooo_body.group(0)!r}", *headers]
        if ooo_subject:
            reasons.append(f"subject {subject[:60]!r}")
        return Classification(kind=Kind.OUT_OF_OFFICE, reasons=reasons, confidence=0.9)
    if ooo_subject and ack:
        # "Réponse automatique" over "nous avons bien reçu": an acknowledgement, whoever signs.
        return Classification(
            kind=Kind.AUTO_ACK,
            reasons=[
                f"subject of an automatic reply {subject[:60]!r}",
                f"acknowledgement phrasing: {ack.group(0)!r}",
                *headers,
            ],
            confidence=0.9,
        )
    if auto_replied and ooo_subject and not content:
        return Classification(
            kind=Kind.OUT_OF_OFFICE,
            reasons=[*headers, f"subject {subject[:60]!r}"],
            confidence=0.8,
        )

    # A no-reply sender alone is weak: CRM platforms send advisors' own answers from one.
    no_reply = [r for r in headers if r.startswith("no-reply sender")]
    protocol = [r for r in headers if r not in no_reply]
    if protocol:
        return Classification(
            kind=Kind.AUTO_ACK, reasons=headers + content, confidence=0.95
        )
    content += no_reply

    # Headers say nothing: decide on content, but a named advisor's individual answer stays
    # personalised even when it comes from a CRM template.
    signed = msg.signature_status == "present" and _personally_signed(msg, campaign)
    if (
        no_reply
        and signed
        and not any("acknowledgement" in c or "placeholder" in c for c in content)
    ):
        return Classification(
            kind=Kind.PERSONALISED,
            reasons=[
                *no_reply,
                "signed by a named person with no acknowledgement phrasing (CRM template)",
            ],
            confidence=0.6,
        )
    strong = [c for c in content if "placeholder" in c or "acknowledgement" in c]
    if content and (not signed or len(content) >= 2 and strong and len(msg.body) < 600):
        reasons = content + ([] if signed else ["no individual signature"])
        return Classification(kind=Kind.AUTO_ACK, reasons=reasons, confidence=0.7)
    if not own.strip():
        # Nothing to read: an image-only or empty message cannot be judged from its text.
        what = (
            f"{msg.inline_images} inline image(s)"
            if msg.inline_images
            else "an empty body"
        )
        return Classification(
            kind=Kind.PERSONALISED,
            reasons=[f"no readable text, only {what}: read it as an image"],
            confidence=0.5,
        )
    reasons = ["no automatic header or content cue"]
    if signed:
        reasons.append("signed by a named person")
    return Classification(
        kind=Kind.PERSONALISED, reasons=reasons, confidence=0.85 if signed else 0.7
    )


# A signature or sender name that is a team's, not a person's: "L'équipe Lexus X",
# "Le service commercial", "Toute l'équipe", "L'accueil", "Votre concession".
_TEAM = re.compile(
    r"^\s*(toute\s+)?((l['’]|le|la|les|votre|vos|notre)\s*)?([ée]quipe|service|accueil|"
    r"secr[ée]tariat|direction|p[ôo]le|agence|concession|showroom)\b",
    re.IGNORECASE,
)


# "Votre conseillère : Sophie Lemarchand": a CRM template naming the advisor who answers.
_ADVISOR_NAMED = re.compile(
    r"^\s*(?i:(votre|notre)?\s*(conseill\w*|interlocut\w*|vendeu\w*|commercia\w*)"
    r"(\s+\w+)?)\s*[:\-–—]\s*[A-ZÀ-Ý][\w'’\-]+(\s+[A-ZÀ-Ý][\w'’\-]+){1,2}\s*$"
)


def _personally_signed(msg: ParsedMessage, campaign: Campaign) -> bool:
    """Whether a person, not a team or the dealership, signs the message or sends it."""
    from replyaudit.message.signature import _NAME

    if any(
        _NAME.match(line) and not _TEAM.match(line)
        for line in msg.signature.split("\n")
    ) or any(_ADVISOR_NAMED.match(line) for line in msg.new_text.split("\n")):
        return True
    words = msg.from_name.split()
    brand = campaign.brand.name.casefold()
    return (
        len(words) >= 2
        and words[0][:1].isupper()
        and not _TEAM.match(msg.from_name)
        and not (brand and any(w.casefold() == brand for w in words))
    )
