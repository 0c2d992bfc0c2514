"""Finds the signature block at the end of the author's new text (sign-off or layout)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from replyaudit.message.text import SIGNATURE_MARK

_SIGN_OFF = re.compile(
    r"^\s*(?:(?:bien|tr[eè]s|tr[eè]s\s+bien|avec\s+mes|mes\s+plus)\s+)?"
    r"(?:cordialement|cordiales\s+salutations|sinc[eè]res\s+salutations|salutations"
    r"(?:\s+distingu[ée]es)?|bien\s+[àa]\s+(?:vous|toi)|cdlt|cdt|bonne\s+(?:journ[ée]e|"
    r"soir[ée]e|fin\s+de\s+journ[ée]e|semaine|fin\s+de\s+semaine|continuation)|"
    r"[àa]\s+(?:tr[eè]s\s+)?bient[ôo]t|amicalement|best\s+regards|kind\s+regards|"
    r"regards|best|sincerely|merci(?:\s+(?:beaucoup|encore|[àa]\s+vous))?|"
    r"respectueusement|salutations\s+distingu[ée]es)"
    r"(?:\s+[àa]\s+vous)?\s*[,.!]*\s*$"
    r"|^\s*(?:je\s+vous\s+prie\s+d.agr[ée]er|veuillez\s+agr[ée]er|recevez,?\s).{0,200}"
    r"(?:salutations|sentiments|consid[ée]ration)[^\n]*$",
    re.IGNORECASE,
)
_DEVICE = re.compile(
    r"^\s*(envoy[ée]\s+(de|depuis)\s+(mon|un)\s+\S+.*|sent\s+from\s+my\s+\S+.*|"
    r"(obtenir|get)\s+outlook\s+(pour|for)\s+\S+.*|envoy[ée]\s+avec\s+\S+.*)$",
    re.IGNORECASE,
)
_DASHES = re.compile(r"^\s*--\s*$")
_PHONE = re.compile(r"(?:\+33\s?\(?0?\)?|\b0)[1-9](?:[\s.\-]?\d{2}){4}\b")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(\.[\w\-]+)+")
_URL = re.compile(r"\bwww\.|https?://", re.IGNORECASE)
_TITLE = re.compile(
    r"\b(conseill[eè]re?|commercia(l|le|ux)|directeur|directrice|responsable|vendeu(r|se)|"
    r"chef\s+des\s+ventes|manager|assistante?|h[ôo]tesse|secr[ée]taire|g[ée]rante?|"
    r"charg[ée]e?\s+d|service\s+client|sales|advisor|consultant|concession|"
    r"[ée]quipe|showroom)\b",
    re.IGNORECASE,
)
_ADDRESS = re.compile(
    r"\b\d{1,4}\s*(bis|ter)?,?\s+(rue|avenue|av\.|bd|boulevard|route|chemin|place|"
    r"all[ée]e|impasse|quai|cours|zone|za|zac|zi|rond-point)\b|\b\d{5}\s+[A-ZÀ-Ý]",
    re.IGNORECASE,
)
_NAME = re.compile(r"^\s*([A-ZÀ-Ý][\w'’\-]+\.?\s+){1,3}[A-ZÀ-Ý][\w'’\-]+\s*$")
# "Firstname Lastname - Lexus Town", "Firstname Lastname | Conseiller": a name, then a
# separator and a title or company on the same line (short replies sent from phones).
_NAME_LEAD = re.compile(
    r"^\s*[A-ZÀ-Ý][a-zà-ÿ'’\-]+\s+[A-ZÀ-Ý][\w'’\-]+(\s+[A-ZÀ-Ý][\w'’\-]+)?"
    r"\s*[-–—|,/]\s+\S.{0,60}$"
)
_NOT_FIRST_NAME = {
    "le",
    "la",
    "les",
    "un",
    "une",
    "je",
    "nous",
    "vous",
    "votre",
    "notre",
    "ce",
    "cette",
    "merci",
    "bonjour",
    "madame",
    "monsieur",
    "pour",
}
# A line of one to five capitalised words (joined by de, du, sur, -, &): a company's name.
_COMPANY_LINE = re.compile(
    r"^\s*[A-ZÀ-Ý][\w'’.&\-]*(\s+((de|du|des|la|le|sur|en|et|&)\s+)?[A-ZÀ-Ý0-9][\w'’.&\-]*){0,4}\s*$"
)
_IMAGE_REF = re.compile(
    r"^\s*\[(cid:|image:|image\d*\.|logo)[^\]]*\]\s*$", re.IGNORECASE
)
_DISCLAIMER = re.compile(
    r"\b(rgpd|gdpr|confidenti|donn[ée]es\s+personnelles|destinataire|pensez\s+[àa]\s+"
    r"l.environnement|imprimer|disclaimer|intended\s+recipient|d[ée]sinscri|"
    r"protection\s+des\s+donn[ée]es)",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"^\s*[-•*–]\s+\S")
_LIST_FOOTER = re.compile(r"^\s*-{5,}\s*\w+(\s+\w+)*\s*-{5,}\s*$|^\s*_{10,}\s*$")


@dataclass(frozen=True)
class SignatureSplit:
    body: str
    signature: str
    status: str  # "present", "absent" or "image_only"


def _evidence(line: str) -> int:
    score = 0
    for pattern in (_PHONE, _EMAIL, _URL, _TITLE, _ADDRESS):
        if pattern.search(line):
            score += 1
    return score


def _is_name(line: str) -> bool:
    """A line that is a name, or starts with one before a title or company."""
    if _NAME.match(line):
        return True
    lead = _NAME_LEAD.match(line)
    return bool(lead) and line.split()[0].lower() not in _NOT_FIRST_NAME


def _is_sig_line(line: str) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > 90 or _LIST_ITEM.match(stripped):
        return False
    if _LIST_FOOTER.match(stripped):
        return False
    return not (
        stripped.endswith("?") or (stripped.endswith(".") and len(stripped) > 60)
    )


def _substantive(lines: list[str]) -> tuple[bool, bool]:
    """(has identifying text, has only image references) for lines after a sign-off."""
    text_lines = [ln for ln in lines if ln.strip()]
    images = [ln for ln in text_lines if _IMAGE_REF.match(ln)]
    real = [ln for ln in text_lines if not _IMAGE_REF.match(ln)]
    return bool(real), bool(images) and not real


def _layout_start(lines: list[str]) -> int | None:
    """First line of a trailing block laid out like a signature (name, title, phone…)."""
    end = len(lines)
    while end > 0 and not lines[end - 1].strip():
        end -= 1
    real_end = end
    # Skip a trailing legal or unsubscribe paragraph: it belongs to the signature block.
    while end > 0:
        top = end
        while top > 0 and lines[top - 1].strip():
            top -= 1
        paragraph = " ".join(lines[top:end])
        if top == end or not _DISCLAIMER.search(paragraph) or top == 0:
            break
        end = top
        while end > 0 and not lines[end - 1].strip():
            end -= 1
    start = end
    blanks = 0
    while start > 0:
        line = lines[start - 1]
        if not line.strip():
            blanks += 1
            if blanks > 1:
                break
            start -= 1
            continue
        blanks = 0
        if not _is_sig_line(line):
            break
        start -= 1
    while start < end and not lines[start].strip():
        start += 1
    while start < end and not (
        _is_name(lines[start])
        or _evidence(lines[start])
        or _IMAGE_REF.match(lines[start])
    ):
        start += 1
    block = lines[start:end]
    nonempty = [ln for ln in block if ln.strip()]
    end = real_end
    if not nonempty or len(nonempty) > 14:
        return None
    score = sum(1 for ln in nonempty if _evidence(ln))
    named = any(_is_name(ln) for ln in nonempty)
    if score >= 2 or (score >= 1 and named):
        return start
    # "Julien Marchal" then "Lexus Montvérac": a name over the company's name, nothing else.
    if (
        2 <= len(nonempty) <= 3
        and _is_name(nonempty[0])
        and all(_COMPANY_LINE.match(ln) for ln in nonempty[1:])
    ):
        return start
    return None


def split_signature(text: str, *, html_image: bool = False) -> SignatureSplit:
    """Split new text into body and signature; 'image_only' when only a picture signs."""
    lines = [ln for ln in text.split("\n") if not _DEVICE.match(ln)]
    while lines and not lines[-1].strip():
        lines.pop()
    marker = next((i for i, ln in enumerate(lines) if SIGNATURE_MARK in ln), None)
    dashes = next((i for i, ln in enumerate(lines) if _DASHES.match(ln)), None)
    sign_offs = [i for i, ln in enumerate(lines) if _SIGN_OFF.match(ln)]
    sign_off = None
    for i in reversed(sign_offs):
        if sum(1 for ln in lines[i + 1 :] if ln.strip()) <= 14:
            sign_off = i
            break
    while sign_off is not None and sign_off > 0:
        prev = next((j for j in range(sign_off - 1, -1, -1) if lines[j].strip()), None)
        if prev is not None and prev in sign_offs and sign_off - prev <= 2:
            sign_off = prev
        else:
            break

    start: int | None = None
    for candidate in (marker, dashes):
        if candidate is not None:
            start = candidate
            break
    if sign_off is not None and (start is None or sign_off < start):
        start = sign_off
    if start is None:
        start = _layout_start(lines)
        if start is None:
            body = "\n".join(ln for ln in lines if SIGNATURE_MARK not in ln).strip("\n")
            return SignatureSplit(body, "", "image_only" if html_image else "absent")

    block = [ln for ln in lines[start:] if SIGNATURE_MARK not in ln]
    after = (
        [ln for ln in block[1:]]
        if _SIGN_OFF.match(block[0] if block else "")
        else block
    )
    after = [ln for ln in after if not _DASHES.match(ln) and not _SIGN_OFF.match(ln)]
    real, images_only = _substantive(after)
    body = "\n".join(ln for ln in lines[:start] if SIGNATURE_MARK not in ln).rstrip()
    if real:
        return SignatureSplit(body, "\n".join(block).strip("\n"), "present")
    status = "image_only" if images_only or html_image else "absent"
    return SignatureSplit(body, "\n".join(block).strip("\n"), status)
