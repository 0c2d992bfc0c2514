"""Finds where the quoted history starts in a message's text (French and English mailers)."""

from __future__ import annotations

import re

from replyaudit.message.text import QUOTE_MARK

_S = r"[ \t\u00a0\u202f]"  # spaces, including the no-break and narrow no-break spaces
_COLON = rf"{_S}*[:：]"
# "… a écrit :" / "… wrote:" closing an attribution (Gmail, Apple Mail, Thunderbird).
_WROTE = re.compile(
    rf"(\ba{_S}+[ée]crit|\bwrote|\bschrieb|\bescribi[oó]|\bha{_S}+scritto){_COLON}\s*$",
    re.IGNORECASE,
)
# A separator line that always opens a quoted or forwarded message.
_SEPARATOR = re.compile(
    r"^\s*-{2,}\s*(message\s+d.origine|original\s+message|mail\s+original|"
    r"message\s+original|forwarded\s+message|message\s+transf[ée]r[ée]|"
    r"courriel\s+original|e-mail\s+d.origine)\s*-{2,}\s*$"
    r"|^\s*(d[ée]but\s+du\s+message\s+r[ée]exp[ée]di[ée]|begin\s+forwarded\s+message)"
    rf"{_COLON}?\s*$",
    re.IGNORECASE,
)
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
_FIELD = re.compile(
    rf"^\s*\*?(?P<name>[A-Za-zÀ-ÿ.]+(?:{_S}[A-Za-zÀ-ÿ]+)?)\*?{_COLON}\*?", re.IGNORECASE
)
_FROM_NAMES = {"de", "from", "von", "expéditeur", "expediteur"}
_SENT_NAMES = {"envoyé", "envoye", "sent", "gesendet", "envoyé le", "date d'envoi"}
_TO_NAMES = {"à", "a", "to", "an", "destinataire", "pour"}
_SUBJECT_NAMES = {"objet", "subject", "betreff"}
_DATE_NAMES = {"date"}
_OPENER = re.compile(r"^\s*>?\s*(le|on|am|el|il)\b", re.IGNORECASE)
_ADDRESSISH = re.compile(r"@|<[^>]*>|\[mailto:", re.IGNORECASE)


def _field(line: str) -> str | None:
    match = _FIELD.match(line)
    return match.group("name").lower() if match else None


def _is_header_block(lines: list[str], i: int) -> bool:
    """A mail header block (Outlook, forwarded) starting at line i with a From field."""
    if _field(lines[i]) not in _FROM_NAMES:
        return False
    names: set[str] = set()
    for line in lines[i + 1 : i + 8]:
        if not line.strip():
            if names:
                break
            continue
        name = _field(line)
        if name is None:
            if names:
                break
            continue
        names.add(name)
    has_sent = bool(names & _SENT_NAMES)
    has_to = bool(names & _TO_NAMES)
    has_subject = bool(names & _SUBJECT_NAMES)
    has_date = bool(names & _DATE_NAMES)
    if has_sent and (has_to or has_subject):
        return True
    # "De :/Date :/À :/Objet :" with an address: a forwarded or quoted header, not an
    # appointment block (whose "De :" is a time or a person without an address).
    return bool(_ADDRESSISH.search(lines[i])) and has_to and (has_date or has_subject)


def _attribution_start(lines: list[str], i: int) -> int | None:
    """If an attribution ending '… a écrit :' finishes at line i, its first line."""
    if not _WROTE.search(lines[i]):
        return None
    first = i
    for back in (i - 1, i - 2):
        if _OPENER.match(lines[first]) or back < 0 or not lines[back].strip():
            break
        if not (_OPENER.match(lines[back]) or len(lines[back].strip()) > 50):
            break
        first = back
    window = " ".join(line.strip() for line in lines[first : i + 1])
    if not re.search(r"@|\d", window):
        return None
    return first


# A cheap first look at each line: every line where the history can start matches
# this, or precedes a line that does ('Le … a' / 'écrit :'); the rest are skipped,
# which makes a text of millions of lines one regex call per line.
_CANDIDATE = re.compile(
    r"^\s*(?:>|-{2}|_{10}|d[ée]but|begin|\*?(?:de|from|von|exp))"
    r"|crit|wrote|schrieb|escribi|\u2063",
    re.IGNORECASE,
)


def _candidates(lines: list[str]) -> list[int]:
    """Indexes of the lines find_quote_start must look at, in order."""
    hits = [bool(_CANDIDATE.search(line)) for line in lines]
    return [
        i for i in range(len(lines)) if hits[i] or (i + 1 < len(lines) and hits[i + 1])
    ]


def find_quote_start(lines: list[str]) -> int | None:
    """Index of the first line of quoted history, or None when the text quotes nothing."""
    for i in _candidates(lines):
        line = lines[i]
        if QUOTE_MARK in line:
            return i
        stripped = line.strip()
        if not stripped:
            continue
        if _SEPARATOR.match(line):
            return i
        if _UNDERSCORES.match(line) and i + 1 < len(lines):
            nxt = next(
                (j for j in range(i + 1, min(i + 4, len(lines))) if lines[j].strip()),
                None,
            )
            if nxt is not None and _field(lines[nxt]) in _FROM_NAMES:
                return i
        if _is_header_block(lines, i):
            return i
        # "Le … a" on one line and "écrit :" on the next (Gmail wraps there).
        if i + 1 < len(lines) and re.match(
            rf"^\s*[ée]crit{_COLON}\s*$", lines[i + 1], re.IGNORECASE
        ):
            joined = line.rstrip() + " " + lines[i + 1].strip()
            if _WROTE.search(joined) and re.search(r"@|\d", joined):
                start = _attribution_start(lines[: i + 1] + [joined], i + 1)
                return i if start is None or start > i else start
        start = _attribution_start(lines, i)
        if start is not None:
            return start
        if stripped.startswith(">"):
            return i
    return None


def _is_quoted(line: str) -> bool:
    return line.lstrip().startswith(">")


def _answers_around_quote(lines: list[str], start: int) -> list[int] | None:
    """Lines the author wrote between or below the "> " lines of the history at `start`.

    Only for plain-text quoting ("> " lines, under an attribution 'Le … a écrit :' or
    not), where answering point by point or below the quote is common. An unquoted line that
    opens an older history (separator, header block, another attribution) ends the
    search: from there on everything is history. None when the author wrote nothing
    there, and for any other form of history.
    """
    first_quoted = next(
        (i for i in range(start, min(start + 4, len(lines))) if _is_quoted(lines[i])),
        None,
    )
    if first_quoted is None:
        return None
    attribution = " ".join(lines[start:first_quoted])
    if first_quoted > start and (
        not _WROTE.search(attribution) or QUOTE_MARK in attribution
    ):
        return None
    answers: list[int] = []
    for i in range(first_quoted + 1, len(lines)):
        line = lines[i]
        if _is_quoted(line) or not line.strip():
            continue
        if QUOTE_MARK in line or find_quote_start(lines[i : i + 4]) == 0:
            break
        answers.append(i)
    return answers or None


def split_quote(text: str) -> tuple[str, str]:
    """(new text, quoted history) of a message text.

    Answers written between the quoted lines, or below them, belong to the new text
    (see _answers_around_quote); a blank line separates them from what precedes.
    """
    lines = text.split("\n")
    start = find_quote_start(lines)
    if start is None:
        return text.strip("\n"), ""
    answers = set(_answers_around_quote(lines, start) or ())
    if not answers:
        quoted = "\n".join(lines[start:]).replace(QUOTE_MARK, "").strip("\n")
        return "\n".join(lines[:start]).rstrip(), quoted
    new = lines[:start]
    history: list[str] = []
    for i in range(start, len(lines)):
        if i in answers:
            if i - 1 not in answers and new and new[-1].strip():
                new.append("")
            new.append(lines[i])
        elif i - 1 in answers and not lines[i].strip() and i + 1 in answers:
            new.append(lines[i])  # a blank line inside the author's answer
        else:
            history.append(lines[i])
    quoted = "\n".join(history).replace(QUOTE_MARK, "").strip("\n")
    return "\n".join(new).strip("\n").rstrip(), quoted
