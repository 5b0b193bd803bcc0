"""Small inline SVG charts for the pages (no plotting library; no inline styles, so the CSP stays strict).

Horizontal bars read well on a phone too: every category keeps its full label on its own line above
its bars, numbers stand at the end of each bar, and the unit is in the caption.
"""
from __future__ import annotations

from html import escape

WIDTH = 400
BAR = 14
GAP = 6
LABEL_LINE = 18
LEFT = 8
RIGHT_ROOM = 64


def _bar_width(value: float, top: float, room: float) -> float:
    return 0 if top <= 0 else max(1.5 if value else 0, room * value / top)


def bar_chart(title: str, rows: list[dict], series: list[tuple[str, str]], unit: str = "gevallen",
              caption: str = "", chart_id: str = "grafiek") -> str:
    """rows: [{'label': text, <series key>: number, ...}]; series: [(key, legend text)], at most two.

    Returns an accessible SVG (role img, a title and a description listing every number)."""
    keys = [k for k, _ in series]
    top = max([float(r.get(k) or 0) for r in rows for k in keys] or [0])
    room = WIDTH - LEFT - RIGHT_ROOM
    block = LABEL_LINE + len(keys) * (BAR + 2) + GAP
    legend_h = 26 if len(series) > 1 else 4
    css = ["reeks-1"] if len(series) == 1 else ["reeks-0", "reeks-1"]
    height = legend_h + max(1, len(rows)) * block + 8
    desc = "; ".join(f"{r['label']}: " + ", ".join(f"{legend} {r.get(k) or 0}" for k, legend in series)
                     for r in rows)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="grafiek" viewBox="0 0 {WIDTH} {height}" '
           f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" id="{chart_id}">',
           f'<title id="{chart_id}-t">{escape(title)} ({escape(unit)})</title>',
           f'<desc id="{chart_id}-d">{escape(desc)}</desc>']
    x = LEFT
    for i, (key, legend) in enumerate(series if len(series) > 1 else []):
        out.append(f'<rect x="{x}" y="6" width="14" height="14" class="{css[i]}"/>')
        out.append(f'<text x="{x + 20}" y="18" class="legenda">{escape(legend)}</text>')
        x += 28 + 7 * len(legend)
    y = legend_h
    for r in rows:
        out.append(f'<text x="{LEFT}" y="{y + 13}" class="categorie">{escape(str(r["label"]))}</text>')
        yy = y + LABEL_LINE
        for i, key in enumerate(keys):
            value = float(r.get(key) or 0)
            w = _bar_width(value, top, room)
            shown = r.get(key + "_text") or _count(r.get(key) or 0)
            out.append(f'<rect x="{LEFT}" y="{yy}" width="{w:.1f}" height="{BAR}" class="{css[i]}"/>')
            out.append(f'<text x="{LEFT + w + 5:.1f}" y="{yy + BAR - 3}" class="getal">{escape(shown)}</text>')
            yy += BAR + 2
        y += block
    out.append("</svg>")
    return "\n".join(out)


def _count(value) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number == int(number):
        return f"{int(number):,}".replace(",", ".")
    return f"{number:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")
