"""Evidence quoted from a message part as whole lines that index the part exactly."""

from __future__ import annotations

from collections.abc import Callable

from replyaudit.models import Evidence, ParsedMessage

# Longest evidence quoted from a signature: its name, role, company and address lines
# fit; a legal footer below them is left out (the span says where the excerpt is).
MAX_EXCERPT_CHARS = 300


def line_excerpt(
    text: str, wanted: Callable[[str], bool] | None = None
) -> tuple[str, int, int]:
    """(excerpt, start, end) with text[start:end] == excerpt, made of whole lines.

    The whole text (stripped) when it fits in MAX_EXCERPT_CHARS; else its first lines
    that fit, extended to the first line for which `wanted` holds when the first lines
    miss it; a single line over the cap is kept whole rather than cut mid-word.
    """
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    if end - start <= MAX_EXCERPT_CHARS:
        return text[start:end], start, end
    lines: list[tuple[int, int]] = []
    position = start
    while position < end:
        newline = text.find("\n", position, end)
        stop = end if newline < 0 else newline
        lines.append((position, stop))
        position = stop + 1
    cut = lines[0][1]
    for _, stop in lines[1:]:
        if stop - start > MAX_EXCERPT_CHARS:
            break
        cut = stop
    if wanted is not None and not wanted(text[start:cut]):
        hit = next(((a, b) for a, b in lines if wanted(text[a:b])), None)
        if hit is not None:
            start, cut = hit
    excerpt = text[start:cut].rstrip()
    return excerpt, start, start + len(excerpt)


def line_evidence(
    msg: ParsedMessage, role: str, part: str, text: str, start: int, end: int
) -> Evidence:
    """The line(s) of `text` holding text[start:end], as evidence from that part."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return Evidence(
        message=msg.sha256,
        role=role,  # type: ignore[arg-type]
        part=part,  # type: ignore[arg-type]
        sentence=text[line_start:line_end].strip(),
        start=line_start,
        end=line_end,
    )
