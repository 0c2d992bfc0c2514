"""Bar charts as inline SVG rendered on the server: no script, no style attribute, CSP-safe."""

from __future__ import annotations

from markupsafe import Markup, escape


def bar_chart(
    title: str, bars: list[tuple[str, float]], unit: str = "", width: int = 560
) -> Markup:
    """Horizontal bars, one per (label, value), scaled to the largest value."""
    row, label_width, top = 26, 170, 30
    height = top + row * max(len(bars), 1) + 10
    largest = max((value for _, value in bars), default=0) or 1
    span = width - label_width - 70
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}"'
            f' height="{height}" viewBox="0 0 {width} {height}" class="chart">'
            f"<title>{escape(title)}</title>"
        ),
        f'<text x="0" y="18" font-weight="bold" font-size="14" fill="#222">{escape(title)}</text>',
    ]
    if not bars:
        parts.append(
            f'<text x="0" y="{top + 16}" font-size="13" fill="#555">Aucune donnée</text>'
        )
    for index, (label, value) in enumerate(bars):
        y = top + index * row
        length = max(span * value / largest, 0)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" font-size="13" fill="#222">'
            f"{escape(label)}</text>"
            f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" fill="#3b6ea5">'
            f"<title>{escape(label)} : {value:g}{escape(unit)}</title></rect>"
            f'<text x="{label_width + length + 6:.1f}" y="{y + 16}" font-size="12" fill="#222">'
            f"{value:g}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
