"""Turns MIME part payloads into text: transfer decoding, charset repair, HTML to lines."""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from email.message import Message

from bs4 import BeautifulSoup, CData, NavigableString, Tag
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
# Bytes a decoder could not read, kept as lone surrogates by errors="surrogateescape".
_ESCAPED = re.compile("[\udc80-\udcff]")
QUOTE_MARK = "\u2063\u2063QUOTE\u2063\u2063"
SIGNATURE_MARK = "\u2063\u2063SIGNATURE\u2063\u2063"
# HTML read for analysis (html.parser builds about 1 MB of tree per second); a
# dealer's reply, inline styles included, stays far below. The part itself is kept.
MAX_HTML_CHARS = 500_000
# Of those, the last characters of the part (where the signature and the quote are).
HTML_TAIL_CHARS = 100_000
# Shown where the middle of an over-long part was left out of the analysis.
OMITTED = "[…]"
# Bytes given to charset detection: its cost grows with the input, its answer does not.
CHARSET_SAMPLE_BYTES = 20_000
# charset-normalizer's names of the charsets that windows-1252 gives way to: Western
# ones it stands for, and others mail really uses (a guess outside both, such as
# cp1006, a DOS or Mac code page, loses to windows-1252 when that reads the bytes).
_WESTERN = frozenset({"cp1252", "latin_1", "iso8859_15"})
_USUAL_GUESSES = frozenset(
    {
        *("cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257"),
        *("iso8859_2", "iso8859_5", "iso8859_7", "iso8859_8", "iso8859_9"),
        *("koi8_r", "koi8_u", "tis_620", "cp874"),
        *("big5", "big5hkscs", "gb2312", "gbk", "gb18030", "hz"),
        *("shift_jis", "cp932", "euc_jp", "iso2022_jp", "euc_kr", "cp949"),
    }
)


def codec_for(charset: str) -> str:
    """The Python codec for a declared charset: the superset mailers mean by it.
    Raises LookupError if Python has no such codec."""
    name = charset.strip().strip('"').lower()
    return codecs.lookup(_SUPERSETS.get(name, name)).name


def decode_declared(data: bytes, charset: str) -> str | None:
    """`data` in the declared `charset`, read as the superset mailers mean by it; None
    if the bytes are not valid in it. Raises LookupError for an unknown charset."""
    name = codec_for(charset)
    try:
        return data.decode(name)
    except UnicodeDecodeError:
        return _windows_1252(data) if name == "cp1252" else None


def decode_bytes(data: bytes, charset: str | None, defects: list[str]) -> str:
    """Decode bytes with the declared charset, repairing the usual lies and omissions;
    where the declared charset fails, one defect says what was declared and what used."""
    if not data:
        return ""
    name = (charset or "").strip().strip('"').lower()
    if not name or name in ("unknown-8bit", "x-unknown", "8bit", "default"):
        if data.isascii():
            return data.decode("ascii")
        text, used = _repair(data)
        if used != "utf-8":
            defects.append(
                f"no charset declared and the bytes are not UTF-8; decoded as {used}"
            )
        return text
    try:
        declared = decode_declared(data, name)
    except LookupError:
        text, used = _repair(data)
        defects.append(f"unknown charset {charset!r}; decoded as {used}")
        return text
    if declared is not None:
        return declared
    text, used = _repair(data)
    defects.append(
        f"declared charset {charset!r} but the bytes are not valid in it; "
        f"decoded as {used}"
    )
    return text


def _windows_1252(data: bytes) -> str:
    """windows-1252, with latin-1 for its five undefined bytes (as browsers do)."""
    text = data.decode("cp1252", errors="surrogateescape")
    if not text.isascii():
        text = _ESCAPED.sub(lambda m: chr(ord(m.group()) - 0xDC00), text)
    return text


def utf8_or_windows_1252(data: bytes) -> tuple[str, str | None]:
    """Raw 8-bit bytes without a declared charset, as in headers (RFC 6532): UTF-8;
    else windows-1252, the usual charset of old Western mailers; or, when most of the
    non-ASCII characters are UTF-8, UTF-8 with each stray byte read as windows-1252.
    Returns the text and, when it was not all UTF-8, how it was read (for a defect)."""
    text = data.decode("utf-8", errors="surrogateescape")
    invalid = len(_ESCAPED.findall(text))
    if not invalid:
        return text, None
    valid = len(text) - len(text.encode("ascii", "ignore")) - invalid
    if valid <= invalid:
        return _windows_1252(data), "windows-1252"
    text = _ESCAPED.sub(lambda m: _windows_1252(bytes([ord(m.group()) - 0xDC00])), text)
    return text, f"utf-8, with {invalid} byte(s) read as windows-1252"


def _repair(data: bytes) -> tuple[str, str]:
    """Bytes whose charset is missing, unknown or wrong: UTF-8 if they mostly are,
    else the charset detected; returns the text and the charset used."""
    text, used = utf8_or_windows_1252(data)
    if used == "windows-1252":
        return _detect(data)
    return text, used or "utf-8"


def _detect(data: bytes) -> tuple[str, str]:
    """charset-normalizer's guess, except that windows-1252 wins when the detector finds
    it plausible (French text also reads as windows-1250: "très" as "trčs"), or when the
    guess is a code page mail does not use (cp1006, mac_cyrillic, ...) and windows-1252
    reads every byte."""
    matches = from_bytes(data[:CHARSET_SAMPLE_BYTES])
    best = matches.best()
    encoding = best.encoding if best is not None else "cp1252"
    if encoding.startswith("utf"):
        try:
            return data.decode(encoding), _label(encoding)
        except UnicodeDecodeError:
            encoding = "cp1252"
    western = any(_WESTERN.intersection(m.could_be_from_charset) for m in matches)
    if western or encoding not in _USUAL_GUESSES and _is_windows_1252(data):
        encoding = "cp1252"
    if encoding == "cp1252":
        return _windows_1252(data), _label(encoding)
    try:
        return data.decode(encoding, errors="replace"), _label(encoding)
    except LookupError:
        return _windows_1252(data), _label("cp1252")


def _is_windows_1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _label(encoding: str) -> str:
    """A charset-normalizer (Python codec) name as mail names it: cp1252 -> windows-1252."""
    name = encoding.replace("_", "-")
    return f"windows-{name[2:]}" if re.fullmatch(r"cp125\d", name) else name


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


class _Emit(str):
    """Text queued on the walk's stack, emitted when popped (not a node of the tree)."""


# Only these string types are visible text (get_text()'s default): comments,
# doctypes and processing instructions are not.
_TEXT_TYPES = (NavigableString, CData)


def _walk_text(soup: BeautifulSoup) -> tuple[list[str], bool]:
    """Pieces of text in document order, with marks and layout breaks; one pass.

    Iterative (a stack, not recursion) so deep nesting cannot overflow, and no tree
    edits: inserting strings beside each of n siblings costs O(n) each in bs4
    (parent.contents.index), which made a 1 MB <table> take minutes.
    """
    pieces: list[str] = []
    quote_found = False
    signature_found = False
    image_outside = False
    stack: list[object] = [soup]
    while stack:
        node = stack.pop()
        if isinstance(node, _Emit):
            pieces.append(str(node))
            continue
        if isinstance(node, NavigableString):
            if type(node) in _TEXT_TYPES:
                pieces.append(str(node))
            continue
        if not isinstance(node, Tag):
            continue
        name = node.name
        if name in _DROP:
            continue
        if node is not soup:
            if not quote_found and _is_quote_start(node):
                pieces.append(f"\n{QUOTE_MARK}\n")
                quote_found = True
            elif not signature_found and not quote_found and _is_signature_start(node):
                pieces.append(f"\n{SIGNATURE_MARK}\n")
                signature_found = True
        if name == "br":
            pieces.append("\n")
            continue
        if name == "img":
            image_outside = image_outside or not quote_found
            alt = str(node.get("alt") or "").strip()
            if alt:
                pieces.append(f"[{alt}]")
                continue
        if name in _BLOCKS:
            pieces.append("\n")
            stack.append(_Emit("\n"))
        elif name in ("td", "th"):
            stack.append(_Emit(" "))
        stack.extend(reversed(node.contents))
    return pieces, image_outside


def bounded_html(html: str, defects: list[str]) -> str:
    """`html` if short; else its start and its last HTML_TAIL_CHARS (the signature and
    the quote container), both cut before a tag, with a defect. html.parser mends the
    tags left open at the seam."""
    if len(html) <= MAX_HTML_CHARS:
        return html
    head_end = html.rfind("<", 0, MAX_HTML_CHARS - HTML_TAIL_CHARS)
    head_end = head_end if head_end > 0 else MAX_HTML_CHARS - HTML_TAIL_CHARS
    tail_start = html.find("<", len(html) - HTML_TAIL_CHARS)
    tail_start = tail_start if tail_start >= 0 else len(html) - HTML_TAIL_CHARS
    defects.append(
        f"html truncated for analysis after {head_end} characters (of {len(html)}); "
        f"its last {len(html) - tail_start} characters were kept for the signature"
    )
    return f"{html[:head_end]}<p>{OMITTED}</p>{html[tail_start:]}"


def html_to_text(html: str) -> tuple[str, bool]:
    """Text of an HTML body, one line per block, <br> and table row.

    Returns the text (with QUOTE_MARK / SIGNATURE_MARK lines where the HTML shows a quote
    container or a signature container) and whether an <img> appears outside any quote.
    Callers bound the input first (bounded_html): parsing costs about 1 s per MB.
    """
    soup = BeautifulSoup(html, "html.parser")
    pieces, image_outside = _walk_text(soup)
    text = "".join(pieces)
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    return "\n".join(out).strip(), image_outside
