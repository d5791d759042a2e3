"""Static SVG bar charts for the reliability page, drawn at build time.

No script and no external file: each chart is inline SVG with ``role="img"``,
a ``<title>`` and a ``<desc>``, and every bar carries its number as text.
Stacked layers differ by pattern as well as colour, so nothing is told by
colour alone; the page puts a table with the same numbers beside each chart.
Built with :mod:`xml.etree.ElementTree`, so text is always escaped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

BAND = 72  # width of one category
BAR = 44
PLOT = 160  # height of the tallest bar
TOP = 28  # room for the value above a bar
BOTTOM = 28  # room for the category below
LEGEND = 28
INK = "currentColor"


@dataclass(frozen=True)
class Bar:
    """One category: its name, its value (None: no data) and the value as shown."""

    category: str
    value: float | None
    text: str


@dataclass(frozen=True)
class Layer:
    """One series of a stacked chart, e.g. the major incidents of each month."""

    key: str  # used in ids and class names
    name: str
    values: Sequence[int]
    colour: str
    pattern: str  # one of PATTERNS


PATTERNS = ("solid", "hatch", "dots", "cross")


def bar_chart(
    chart_id: str, title: str, desc: str, bars: Sequence[Bar], *, top: float | None = None
) -> str:
    """Bars with their value written above; ``top`` fixes the scale (e.g. 100 for %)."""
    highest = top or max((b.value for b in bars if b.value), default=0.0) or 1.0
    svg = _svg(chart_id, title, desc, len(bars), legend=False)
    _baseline(svg, len(bars), 0)
    for index, bar in enumerate(bars):
        x = index * BAND + (BAND - BAR) / 2
        height = 0.0 if bar.value is None else PLOT * bar.value / highest
        if height:
            _rect(svg, x, TOP + PLOT - height, BAR, height, fill="#3f51b5", cls="sp-chart-bar")
        _text(svg, x + BAR / 2, TOP + PLOT - height - 6, bar.text, cls="sp-chart-value")
        _text(svg, index * BAND + BAND / 2, TOP + PLOT + 18, bar.category, cls="sp-chart-axis")
    return _serialise(svg)


def stacked_chart(
    chart_id: str, title: str, desc: str, categories: Sequence[str], layers: Sequence[Layer]
) -> str:
    """Bars stacked by layer, first layer at the bottom; each part labelled with its count."""
    totals = [sum(layer.values[i] for layer in layers) for i in range(len(categories))]
    highest = max(totals, default=0) or 1
    svg = _svg(chart_id, title, desc, len(categories), legend=True)
    _patterns(svg, chart_id, layers)
    _legend(svg, chart_id, layers)
    _baseline(svg, len(categories), LEGEND)
    floor = LEGEND + TOP + PLOT
    for index, category in enumerate(categories):
        x = index * BAND + (BAND - BAR) / 2
        y = float(floor)
        for layer in layers:
            count = layer.values[index]
            if not count:
                continue
            height = PLOT * count / highest
            y -= height
            fill = f"url(#{chart_id}-{layer.key})"
            _rect(svg, x, y, BAR, height, fill=fill, cls=f"sp-chart-{layer.key}")
            if height >= 16:  # thinner parts: the legend and the table carry the number
                _badge(svg, x + BAR / 2, y + height / 2, str(count))
        _text(svg, x + BAR / 2, y - 6, str(totals[index]), cls="sp-chart-value")
        _text(svg, index * BAND + BAND / 2, floor + 18, category, cls="sp-chart-axis")
    return _serialise(svg)


def _svg(chart_id: str, title: str, desc: str, count: int, *, legend: bool) -> ET.Element:
    width = max(count, 1) * BAND
    height = TOP + PLOT + BOTTOM + (LEGEND if legend else 0)
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "class": "sp-chart",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "viewBox": f"0 0 {width} {height}",
            "width": str(width),
            "height": str(height),
            "font-size": "12",
        },
    )
    ET.SubElement(svg, "title", {"id": f"{chart_id}-title"}).text = title
    ET.SubElement(svg, "desc", {"id": f"{chart_id}-desc"}).text = desc
    return svg


def _patterns(svg: ET.Element, chart_id: str, layers: Sequence[Layer]) -> None:
    defs = ET.SubElement(svg, "defs")
    for layer in layers:
        pattern = ET.SubElement(
            defs,
            "pattern",
            {
                "id": f"{chart_id}-{layer.key}",
                "patternUnits": "userSpaceOnUse",
                "width": "8",
                "height": "8",
            },
        )
        _rect(pattern, 0, 0, 8, 8, fill=layer.colour)
        marks = {
            "hatch": [("path", {"d": "M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4"})],
            "dots": [("circle", {"cx": "4", "cy": "4", "r": "1.6"})],
            "cross": [("path", {"d": "M0,0 l8,8 M8,0 l-8,8"})],
        }.get(layer.pattern, [])
        for tag, attributes in marks:
            ET.SubElement(
                pattern,
                tag,
                {**attributes, "stroke": "#fff", "fill": "#fff", "stroke-width": "1.2"},
            )


def _legend(svg: ET.Element, chart_id: str, layers: Sequence[Layer]) -> None:
    x = 0.0
    for layer in layers:
        _rect(svg, x, 6, 16, 16, fill=f"url(#{chart_id}-{layer.key})")
        label = _text(svg, x + 22, 19, layer.name, cls="sp-chart-legend")
        label.set("text-anchor", "start")
        x += 30 + 8 * len(layer.name)


def _baseline(svg: ET.Element, count: int, offset: int) -> None:
    y = str(offset + TOP + PLOT)
    ET.SubElement(
        svg,
        "line",
        {"x1": "0", "x2": str(max(count, 1) * BAND), "y1": y, "y2": y, "stroke": INK},
    )


def _badge(svg: ET.Element, cx: float, cy: float, text: str) -> None:
    """A count on a white chip, readable on any pattern."""
    _rect(svg, cx - 10, cy - 8, 20, 16, fill="#fff", cls="sp-chart-chip")
    label = _text(svg, cx, cy + 4, text, cls="sp-chart-count")
    label.set("fill", "#000")


def _rect(
    parent: ET.Element, x: float, y: float, width: float, height: float, *, fill: str, cls: str = ""
) -> ET.Element:
    attributes = {
        "x": _num(x),
        "y": _num(y),
        "width": _num(width),
        "height": _num(height),
        "fill": fill,
    }
    if cls:
        attributes["class"] = cls
    return ET.SubElement(parent, "rect", attributes)


def _text(parent: ET.Element, x: float, y: float, text: str, *, cls: str) -> ET.Element:
    element = ET.SubElement(
        parent,
        "text",
        {"x": _num(x), "y": _num(y), "text-anchor": "middle", "fill": INK, "class": cls},
    )
    element.text = text
    return element


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _serialise(svg: ET.Element) -> str:
    return ET.tostring(svg, encoding="unicode", short_empty_elements=True)
