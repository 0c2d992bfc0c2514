"""Safe display of a received message: evidence marked in its text, its HTML sanitised with nh3.

Nothing remote is ever loaded: images, styles, fonts, scripts and frames are dropped and
links lose their target, so a tracking pixel or a tracked link never reaches the dealer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import nh3
from markupsafe import Markup, escape

# Text-only HTML: no img, no style, no form, no media. Links keep their text, not their URL.
_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
_ATTRIBUTES = {
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "abbr": {"title"},
}
_DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "title",
    "head",
    "noscript",
    "template",
    "svg",
    "math",
}


def sanitise_html(html: str) -> Markup:
    """The HTML part of a message reduced to text structure; safe to insert in the page."""
    cleaned = nh3.clean(
        html,
        tags=_TAGS,
        clean_content_tags=_DROPPED_WITH_CONTENT,
        attributes=_ATTRIBUTES,
        url_schemes=set(),
        link_rel=None,
        strip_comments=True,
    )
    return Markup(cleaned)


@dataclass
class Span:
    """A stretch of a message part that is the evidence of one or more answers."""

    start: int
    end: int
    labels: list[str] = field(default_factory=list)
    anchor: str = ""
    sentence: str = ""


def locate(text: str, start: int, end: int, sentence: str) -> tuple[int, int] | None:
    """The evidence span in `text`: the stored one when it holds the sentence, else a search."""
    if 0 <= start < end <= len(text):
        found = text[start:end]
        if (
            not sentence
            or found.strip() == sentence.strip()
            or sentence.strip() in found
        ):
            return start, end
    wanted = sentence.strip()
    if wanted:
        at = text.find(wanted)
        if at >= 0:
            return at, at + len(wanted)
    if 0 <= start < end <= len(text):
        return start, end
    return None


def merge_spans(spans: list[Span]) -> list[Span]:
    """Overlapping spans become one mark carrying every label."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            last.end = max(last.end, span.end)
            last.labels += [label for label in span.labels if label not in last.labels]
            continue
        merged.append(Span(span.start, span.end, list(span.labels), span.anchor))
    return merged


def mark_text(text: str, spans: list[Span]) -> Markup:
    """`text` escaped, with each evidence span wrapped in <mark id=... title=...>."""
    out: list[str] = []
    cursor = 0
    for span in merge_spans(spans):
        out.append(str(escape(text[cursor : span.start])))
        title = escape(", ".join(span.labels))
        anchor = f' id="{escape(span.anchor)}"' if span.anchor else ""
        out.append(
            f'<mark{anchor} title="{title}">{escape(text[span.start : span.end])}</mark>'
        )
        cursor = span.end
    out.append(str(escape(text[cursor:])))
    return Markup("".join(out))
