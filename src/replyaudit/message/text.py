"""Turns MIME part payloads into text: transfer decoding, charset repair, HTML to lines."""

from __future__ import annotations

import base64
import binascii
import re
from email.message import Message

from bs4 import BeautifulSoup, NavigableString, Tag
from charset_normalizer import from_bytes

# Declared charsets that real mailers use for Windows code pages: decode as the superset.
_SUPERSETS = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-15": "cp1252",
    "ks_c_5601-1987": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "utf8": "utf-8",
    "unicode-1-1-utf-7": "utf-7",
}
_BASE64_CHARS = re.compile(r"[^A-Za-z0-9+/=]")
QUOTE_MARK = "\u2063\u2063QUOTE\u2063\u2063"
SIGNATURE_MARK = "\u2063\u2063SIGNATURE\u2063\u2063"


def decode_bytes(data: bytes, charset: str | None, defects: list[str]) -> str:
    """Decode bytes with the declared charset, repairing the usual lies and omissions."""
    if not data:
        return ""
    name = (charset or "").strip().strip('"').lower()
    if not name or name in ("unknown-8bit", "x-unknown", "8bit", "default"):
        try:
            return data.decode("ascii")
        except UnicodeDecodeError:
            return _guess(data, defects, "no charset declared")
    name = _SUPERSETS.get(name, name)
    try:
        return data.decode(name)
    except LookupError:
        defects.append(f"unknown charset {charset!r}; guessed")
        return _guess(data, defects, "")
    except UnicodeDecodeError:
        if name == "cp1252":
            return data.decode("latin-1")
        defects.append(f"bytes not valid in declared charset {charset!r}; guessed")
        return _guess(data, defects, "")


def _guess(data: bytes, defects: list[str], why: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(data[:20000]).best()
        encoding = best.encoding if best is not None else "cp1252"
        if why:
            defects.append(f"{why}; detected {encoding}")
        try:
            return data.decode(encoding, errors="replace")
        except LookupError:
            return data.decode("cp1252", errors="replace")
    return text


def decode_base64(text: str) -> bytes:
    """Decode base64 that may hold several separately padded chunks, whole."""
    cleaned = _BASE64_CHARS.sub("", text)
    out = bytearray()
    for chunk in re.split(r"(?<==)(?=[^=])", cleaned):
        chunk = chunk.rstrip("=")
        if len(chunk) % 4 == 1:
            chunk = chunk[:-1]
        if not chunk:
            continue
        chunk += "=" * (-len(chunk) % 4)
        try:
            out += base64.b64decode(chunk)
        except (binascii.Error, ValueError):
            continue
    return bytes(out)


def part_bytes(part: Message, defects: list[str]) -> bytes:
    """The decoded payload of a leaf part, whatever its transfer encoding says."""
    payload = part.get_payload(decode=False)
    if isinstance(payload, list):
        return b""
    if not isinstance(payload, str):
        payload = str(payload or "")
    cte = str(part.get("content-transfer-encoding", "")).strip().lower()
    if cte == "base64":
        return decode_base64(payload)
    try:
        data = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - the email package raises many kinds here
        defects.append(f"payload with transfer encoding {cte!r} could not be decoded")
        data = None
    if isinstance(data, bytes):
        return data
    return payload.encode("utf-8", "surrogateescape")


def part_text(part: Message, defects: list[str]) -> str:
    """The text of a text/* part, decoded with its (repaired) charset."""
    charset = part.get_param("charset")
    if isinstance(charset, tuple):
        charset = charset[2]
    text = decode_bytes(
        part_bytes(part, defects), str(charset) if charset else None, defects
    )
    return text.replace("\r\n", "\n").replace("\r", "\n")


_BLOCKS = {
    "p",
    "div",
    "tr",
    "li",
    "ul",
    "ol",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "address",
    "section",
    "article",
    "header",
    "footer",
    "hr",
    "dl",
    "dt",
    "dd",
    "center",
    "form",
    "fieldset",
    "tbody",
    "thead",
}
_DROP = ("script", "style", "head", "title", "meta", "xml", "o:p")
_BORDER_TOP = re.compile(r"border-top\s*:\s*(solid|1(\.0)?pt|1px)", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u202f\u2007\u200b]+")


def _is_quote_start(tag: Tag) -> bool:
    classes: list[str] = list(tag.get("class") or [])
    ident = str(tag.get("id") or "")
    if tag.name == "blockquote":
        return True
    if any(
        c in ("gmail_quote", "gmail_quote_container", "moz-cite-prefix")
        for c in classes
    ):
        return True
    if ident in (
        "divRplyFwdMsg",
        "appendonsend",
        "x_divRplyFwdMsg",
    ) or ident.startswith("mail-editor-reference-message"):
        return True
    if tag.name == "hr" and ident in ("stopSpelling",):
        return True
    if tag.name == "div":
        style = str(tag.get("style") or "")
        if _BORDER_TOP.search(style) and "padding" in style.replace(" ", "").lower():
            return True
    return False


def _is_signature_start(tag: Tag) -> bool:
    classes: list[str] = list(tag.get("class") or [])
    ident = str(tag.get("id") or "")
    return (
        "gmail_signature" in classes
        or "moz-signature" in classes
        or ident in ("Signature", "signature", "x_Signature")
    )


def html_to_text(html: str) -> tuple[str, bool]:
    """Text of an HTML body, one line per block, <br> and table row.

    Returns the text (with QUOTE_MARK / SIGNATURE_MARK lines where the HTML shows a quote
    container or a signature container) and whether an <img> appears outside any quote.
    """
    soup = BeautifulSoup(html, "html.parser")
    for name in _DROP:
        for tag in soup.find_all(name):
            tag.decompose()
    quote_found = False
    signature_found = False
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag) or tag.decomposed:
            continue
        if not quote_found and _is_quote_start(tag):
            tag.insert_before(NavigableString(f"\n{QUOTE_MARK}\n"))
            quote_found = True
        elif not signature_found and not quote_found and _is_signature_start(tag):
            tag.insert_before(NavigableString(f"\n{SIGNATURE_MARK}\n"))
            signature_found = True
    image_outside = False
    seen_quote = False
    for node in soup.descendants:
        if isinstance(node, NavigableString) and QUOTE_MARK in node:
            seen_quote = True
        elif isinstance(node, Tag) and node.name == "img" and not seen_quote:
            image_outside = True
    for br in soup.find_all("br"):
        br.replace_with(NavigableString("\n"))
    for tag in soup.find_all(True):
        if tag.name in _BLOCKS:
            tag.insert_before(NavigableString("\n"))
            tag.insert_after(NavigableString("\n"))
        elif tag.name in ("td", "th"):
            tag.insert_after(NavigableString(" "))
        elif tag.name == "img":
            alt = str(tag.get("alt") or "").strip()
            if alt:
                tag.replace_with(NavigableString(f"[{alt}]"))
    text = soup.get_text()
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    return "\n".join(out).strip(), image_outside
