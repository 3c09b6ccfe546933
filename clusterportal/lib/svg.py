"""Small server-side SVG charts: bubbles, lines and bars, no JavaScript.

Every chart is an `<svg role="img">` with a <title> and a <desc>, colours as
presentation attributes (a strict CSP forbids inline styles) and every text
escaped here. Pages put a data table beside each chart: the chart is the
picture, the table the text alternative.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")
INK = "#1b1f24"
MUTED = "#555d66"
GRID = "#d5dbe1"
HIGHLIGHT = "#b3261e"
NORMAL = "#0b5cad"
FONT = 'font-family="system-ui, sans-serif"'
LQ_FLOOR = 1 / 16


@dataclass(frozen=True)
class Bubble:
    label: str
    x: float | None
    y: float | None
    size: float
    highlight: bool = False
    show_label: bool = False


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[float, float | None]]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _cut(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _svg(width: int, height: int, title: str, desc: str, body: list[str], ident: str) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="chart" role="img" aria-labelledby="{ident}-title {ident}-desc" {FONT} font-size="12">'
        f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(desc)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every text is escaped above


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (1, 2, 2.5 or 5 times a power of ten)."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 10))
    return ticks


def log_ticks(low: float, high: float) -> list[float]:
    """Powers of two from below `low` to above `high` (location quotients: 0.25, 0.5, 1, 2 …)."""
    first = math.floor(math.log2(low))
    last = math.ceil(math.log2(high))
    if first == last:
        last += 1
    return [2.0**k for k in range(first, last + 1)]


def bubble_chart(
    bubbles: Sequence[Bubble],
    *,
    title: str,
    desc: str,
    x_label: str,
    y_label: str,
    x_percent: bool = True,
    ident: str = "bubbles",
    width: int = 760,
    height: int = 460,
    decimal: str = ".",
) -> SafeString:
    """x linear (a growth rate or a share), y a location quotient on a log2 scale,
    bubble area proportional to `size`; the lines x = 0 and y = 1 are drawn."""
    shown = [b for b in bubbles if b.x is not None and b.y is not None and b.y > 0]
    left, right, top, bottom = 64, 20, 16, 52
    plot_w, plot_h = width - left - right, height - top - bottom
    # The axes cover the bubbles that carry weight: a group of 9 employees growing by 60 %
    # a year stretched the axis so far that every real cluster sat in one corner.
    weighty = _weighty(shown)
    xs = [b.x for b in weighty if b.x is not None] or [0.0]
    ys = [b.y for b in weighty if b.y is not None] or [1.0]
    x_ticks = nice_ticks(min(min(xs), 0.0), max(max(xs), 0.0))
    # Quotients near 0 (a cluster a region barely has) would stretch the axis to
    # 1/256; they sit on the floor instead, and the description says so.
    floor = max(min(min(ys), 1.0), LQ_FLOOR)
    y_ticks = log_ticks(floor, max(max(ys), 1.0))
    x0, x1 = x_ticks[0], x_ticks[-1]
    ly0, ly1 = math.log2(y_ticks[0]), math.log2(y_ticks[-1])
    outside = [b for b in shown if _outside(b, (x0, x1), (y_ticks[0], y_ticks[-1]))]
    if outside:
        desc = f"{desc} {_outside_note(outside, x_percent, decimal)}"

    def px(x: float) -> float:
        return left + (min(max(x, x0), x1) - x0) / (x1 - x0) * plot_w

    def py(y: float) -> float:
        y = min(max(y, y_ticks[0]), y_ticks[-1])
        return top + plot_h - (math.log2(y) - ly0) / (ly1 - ly0) * plot_h

    body = [
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#ffffff" stroke="{GRID}"/>'
    ]
    for tick in x_ticks:
        text = f"{_num(tick * 100)} %" if x_percent else _num(tick)
        text = text.replace(".", decimal)
        body.append(
            f'<line x1="{px(tick):.1f}" y1="{top}" x2="{px(tick):.1f}" y2="{top + plot_h}" stroke="{GRID}"/>'
            f'<text x="{px(tick):.1f}" y="{top + plot_h + 16}" text-anchor="middle" fill="{MUTED}">{escape(text)}</text>'
        )
    for tick in y_ticks:
        body.append(
            f'<line x1="{left}" y1="{py(tick):.1f}" x2="{left + plot_w}" y2="{py(tick):.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{py(tick) + 4:.1f}" text-anchor="end" fill="{MUTED}">{(_num(tick) if tick >= 1 else f"{tick:g}").replace(".", decimal)}</text>'
        )
    body.append(
        f'<line x1="{left}" y1="{py(1):.1f}" x2="{left + plot_w}" y2="{py(1):.1f}" stroke="{INK}" stroke-dasharray="4 3"/>'
    )
    if x0 < 0 < x1:
        body.append(
            f'<line x1="{px(0):.1f}" y1="{top}" x2="{px(0):.1f}" y2="{top + plot_h}" stroke="{INK}" stroke-dasharray="4 3"/>'
        )
    body.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 8}" text-anchor="middle" fill="{INK}">{escape(x_label)}</text>'
        f'<text transform="translate(16 {top + plot_h / 2:.1f}) rotate(-90)" text-anchor="middle" fill="{INK}">{escape(y_label)}</text>'
    )
    largest = max((b.size for b in shown), default=0.0) or 1.0
    # Largest first, so small bubbles stay on top and visible.
    for bubble in sorted(shown, key=lambda b: -b.size):
        assert bubble.x is not None and bubble.y is not None
        radius = 4 + 26 * math.sqrt(max(bubble.size, 0.0) / largest)
        colour = HIGHLIGHT if bubble.highlight else NORMAL
        # A bubble off the scale sits on the edge, hollow and dashed.
        fill = "none" if bubble in outside else colour
        dashed = ' stroke-dasharray="3 2"' if bubble in outside else ""
        body.append(
            f'<circle cx="{px(bubble.x):.1f}" cy="{py(bubble.y):.1f}" r="{radius:.1f}" fill="{fill}" '
            f'fill-opacity="{0.55 if bubble.highlight else 0.3}" stroke="{colour}" stroke-width="1.2"{dashed}>'
            f"<title>{escape(bubble.label)}</title></circle>"
        )
    # Labels of the highlighted bubbles first, then the others asked for; a label that
    # would overlap one already placed is left out (each bubble names itself on hover,
    # and the table beside the chart has them all).
    placed: list[tuple[float, float, float, float]] = []
    wanted = [b for b in shown if b.highlight] + [
        b for b in shown if b.show_label and not b.highlight
    ]
    for bubble in wanted:
        assert bubble.x is not None and bubble.y is not None
        radius = 4 + 26 * math.sqrt(max(bubble.size, 0.0) / largest)
        text = bubble.label[:40]
        x = px(bubble.x) + radius * 0.7 + 3
        y = py(bubble.y) - radius * 0.7
        box = (x, y - 11, x + 6.6 * len(text), y + 3)
        if x + 6.6 * len(text) > width:
            box = (
                px(bubble.x) - radius * 0.7 - 3 - 6.6 * len(text),
                y - 11,
                px(bubble.x) - radius * 0.7 - 3,
                y + 3,
            )
        if any(
            not (box[2] < b[0] or b[2] < box[0] or box[3] < b[1] or b[3] < box[1]) for b in placed
        ):
            continue
        placed.append(box)
        body.append(
            f'<text x="{box[0]:.1f}" y="{y:.1f}" '
            f'fill="{INK}" font-weight="{600 if bubble.highlight else 400}">{escape(text)}</text>'
        )
    return _svg(width, height, title, desc, body, ident)


# A bubble smaller than this share of all bubbles' size does not set the axes.
WEIGHT = 0.01


def _weighty(shown: Sequence[Bubble]) -> list[Bubble]:
    total = sum(max(b.size, 0.0) for b in shown)
    weighty = [b for b in shown if total and b.size >= WEIGHT * total]
    return weighty or list(shown)


def _outside(bubble: Bubble, x_range: tuple[float, float], y_range: tuple[float, float]) -> bool:
    assert bubble.x is not None and bubble.y is not None
    x_off = not x_range[0] <= bubble.x <= x_range[1]
    # Below the floor is said in the chart's own description (LQ_FLOOR).
    return x_off or bubble.y > y_range[1] or (bubble.y < y_range[0] and y_range[0] > LQ_FLOOR)


def _outside_note(outside: Sequence[Bubble], x_percent: bool, decimal: str) -> str:
    def x_text(x: float) -> str:
        return (f"{x * 100:.1f} %" if x_percent else f"{x:.2f}").replace(".", decimal)

    listed = "; ".join(
        f"{b.label} ({x_text(b.x)}, {f'{b.y:.2f}'.replace('.', decimal)})"
        for b in outside
        if b.x is not None and b.y is not None
    )
    return _(
        "Außerhalb der Skala und hohl am Rand gezeichnet (weniger als %(share)s %% des "
        "Gesamten): %(bubbles)s."
    ) % {"share": _number(WEIGHT * 100, decimal), "bubbles": listed}


def _number(value: float, decimal: str) -> str:
    return _num(value).replace(".", decimal)


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    desc: str,
    y_label: str,
    ident: str = "lines",
    width: int = 760,
    height: int = 340,
    zero: bool = True,
    decimal: str = ".",
) -> SafeString:
    """One line per series over whole-number x values (years), with a legend below."""
    legend_rows = math.ceil(len(series) / 2)
    left, right, top, bottom = 78, 20, 16, 40 + 18 * legend_rows
    plot_w, plot_h = width - left - right, height - top - bottom
    xs = sorted({x for s in series for x, y in s.points if y is not None}) or [0.0, 1.0]
    ys = [y for s in series for _x, y in s.points if y is not None] or [0.0, 1.0]
    y_ticks = nice_ticks(0.0 if zero else min(ys), max(ys))
    x0, x1 = xs[0], xs[-1] if xs[-1] > xs[0] else xs[0] + 1
    y0, y1 = y_ticks[0], y_ticks[-1]

    def px(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * plot_w

    def py(y: float) -> float:
        return top + plot_h - (y - y0) / (y1 - y0) * plot_h

    body = [
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#ffffff" stroke="{GRID}"/>'
    ]
    for tick in y_ticks:
        if y1 >= 100:  # whole numbers, grouped with the other separator
            label = f"{tick:,.0f}".replace(",", "." if decimal == "," else ",")
        else:
            label = _num(tick).replace(".", decimal)
        body.append(
            f'<line x1="{left}" y1="{py(tick):.1f}" x2="{left + plot_w}" y2="{py(tick):.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{py(tick) + 4:.1f}" text-anchor="end" fill="{MUTED}">{escape(label)}</text>'
        )
    for x in xs:
        body.append(
            f'<text x="{px(x):.1f}" y="{top + plot_h + 16}" text-anchor="middle" fill="{MUTED}">{x:g}</text>'
        )
    body.append(
        f'<text transform="translate(14 {top + plot_h / 2:.1f}) rotate(-90)" text-anchor="middle" fill="{INK}">{escape(y_label)}</text>'
    )
    for index, line in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        dash = "" if index < len(PALETTE) else ' stroke-dasharray="5 3"'
        points = [(px(x), py(y)) for x, y in line.points if y is not None]
        if points:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.2"{dash}/>'
            )
            body += [
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in points
            ]
        row, column = divmod(index, 2)
        lx = left + column * (plot_w / 2)
        ly = top + plot_h + 36 + row * 18
        body.append(
            f'<line x1="{lx:.1f}" y1="{ly - 4}" x2="{lx + 22:.1f}" y2="{ly - 4}" stroke="{colour}" stroke-width="3"{dash}/>'
            f'<text x="{lx + 28:.1f}" y="{ly}" fill="{INK}">{escape(line.label[:55])}</text>'
        )
    return _svg(width, height, title, desc, body, ident)


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    desc: str,
    reference: float | None = None,
    highlight: Sequence[bool] = (),
    ident: str = "bars",
    width: int = 360,
    decimal: str = ".",
) -> SafeString:
    """Horizontal bars with their labels and values; an optional reference line (LQ 1)."""
    row = 20
    label_w, value_w = 176, 44
    height = 8 + row * len(bars) + 8
    plot_w = width - label_w - value_w - 8
    values = [b.value for b in bars if b.value is not None]
    top_value = max(values + [reference or 0.0, 1e-9])

    def px(value: float) -> float:
        return label_w + value / top_value * plot_w

    body = []
    for index, bar in enumerate(bars):
        y = 8 + index * row
        strong = index < len(highlight) and highlight[index]
        body.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" fill="{INK}" font-size="11">{escape(_cut(bar.label, 25))}</text>'
        )
        if bar.value is None:
            body.append(f'<text x="{label_w + 4}" y="{y + 14}" fill="{MUTED}">–</text>')
            continue
        body.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{max(px(bar.value) - label_w, 1):.1f}" height="{row - 6}" '
            f'fill="{HIGHLIGHT if strong else NORMAL}" fill-opacity="{0.85 if strong else 0.6}"/>'
            f'<text x="{px(bar.value) + 4:.1f}" y="{y + 14}" fill="{INK}">{f"{bar.value:.2f}".replace(".", decimal)}</text>'
        )
    if reference is not None:
        body.append(
            f'<line x1="{px(reference):.1f}" y1="4" x2="{px(reference):.1f}" y2="{height - 4}" stroke="{INK}" stroke-dasharray="3 3"/>'
        )
    return _svg(width, height, title, desc, body, ident)
