"""Bounds the text the analysis reads, so a huge message costs seconds, not minutes.

Dealer replies are a few hundred words; a reply of megabytes holds a pasted log or an
inlined attachment. The raw message is always stored whole; only what the quote,
signature and scorecard checks read is bounded here, and each cut is recorded as a
defect of the message so its answers are flagged for review.
"""

from __future__ import annotations

from replyaudit.message.text import OMITTED as OMITTED_LINE

# Characters of the decoded text searched for the start of the quoted history (about
# 0.05 s per million characters): past a log pasted in the reply, to its signature.
MAX_TEXT_CHARS = 16_000_000
# Characters of the author's new text the analysis reads: its start as the body, and
# its last SIGNATURE_TAIL_CHARS where the sign-off and the signature are.
MAX_NEW_TEXT_CHARS = 20_000
SIGNATURE_TAIL_CHARS = 4_000
TRUNCATION_DEFECT = "body truncated for analysis after"


def bound_text(text: str, defects: list[str]) -> str:
    """The first MAX_TEXT_CHARS of `text`, cut at a line end, with a defect if cut."""
    if len(text) <= MAX_TEXT_CHARS:
        return text
    cut = text.rfind("\n", 0, MAX_TEXT_CHARS)
    cut = cut if cut > 0 else MAX_TEXT_CHARS
    defects.append(
        f"text truncated for analysis after {cut} characters (of {len(text)}): "
        "quoted history further down is not looked for"
    )
    return text[:cut]


def bound_new_text(text: str, defects: list[str]) -> str:
    """`text` if short; else its start and its end around an OMITTED_LINE, at line ends.

    The result is at most MAX_NEW_TEXT_CHARS plus the omitted line; a defect starting
    with TRUNCATION_DEFECT records the cut.
    """
    if len(text) <= MAX_NEW_TEXT_CHARS:
        return text
    head_size = MAX_NEW_TEXT_CHARS - SIGNATURE_TAIL_CHARS
    head_end = text.rfind("\n", 0, head_size)
    head_end = head_end if head_end > 0 else head_size
    tail_from = len(text) - SIGNATURE_TAIL_CHARS
    newline = text.find("\n", tail_from)
    tail_start = newline + 1 if 0 <= newline < len(text) - 1 else tail_from
    defects.append(
        f"{TRUNCATION_DEFECT} {head_end} characters (of {len(text)}); "
        f"its last {len(text) - tail_start} characters were kept for the signature"
    )
    return f"{text[:head_end]}\n\n{OMITTED_LINE}\n\n{text[tail_start:]}"
