"""Badges parsed with xml.etree: words for every state, accessible names, contrast."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from outputs_support import build, errors, load, make_config, make_status

from generator.core.model import ComponentStatus, Impact
from generator.core.status import INDICATOR_DESCRIPTION
from generator.outputs.badges import COMPONENT_COLOUR, IMPACT_COLOUR, LABEL_COLOUR, badge_files, svg

SVG = "{http://www.w3.org/2000/svg}"


def parse(data: bytes) -> ET.Element:
    root = ET.fromstring(data)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def luminance(colour: str) -> float:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(colour: str) -> float:
    return 1.05 / (luminance(colour) + 0.05)


@pytest.fixture(scope="module")
def outputs() -> dict[str, bytes]:
    return build()


def test_site_badge_says_the_status_in_words(outputs: dict[str, bytes]):
    root = parse(outputs["badge.svg"])
    assert root.get("role") == "img"
    assert root.get("aria-label") == "status: Partial System Outage"
    assert root.findtext(f"{SVG}title") == "status: Partial System Outage"
    assert texts(root) == ["status", "Partial System Outage"]
    fills = [r.get("fill") for r in root.iter(f"{SVG}rect")]
    assert fills == [LABEL_COLOUR, IMPACT_COLOUR[Impact.MAJOR]]


def test_every_state_has_its_own_words_and_readable_colours():
    assert len(set(INDICATOR_DESCRIPTION.values())) == len(Impact)
    assert len({s.label for s in ComponentStatus}) == len(ComponentStatus)
    for colour in [LABEL_COLOUR, *IMPACT_COLOUR.values(), *COMPONENT_COLOUR.values()]:
        assert contrast_with_white(colour) >= 4.5, colour


def test_component_badges(outputs: dict[str, bytes]):
    config = make_config()
    expected = {
        "api": "Partial outage",
        "dashboard": "Partial outage",
        "webhooks": "Under maintenance",
        "db": "Operational",
    }
    for component in config.components:
        root = parse(outputs[f"components/{component.id}/badge.svg"])
        message = expected.get(component.id, "Operational")
        assert texts(root) == [component.name, message]
        assert root.get("aria-label") == f"{component.name}: {message}"
    webhooks = parse(outputs["components/webhooks/badge.svg"])
    assert texts(webhooks)[0] == "Webhooks & events"  # escaped in the file, read back intact
    assert b"Webhooks &amp; events" in outputs["components/webhooks/badge.svg"]


def test_markup_in_names_is_escaped_not_interpreted():
    data = svg('<b>"R&D"</b>', "データ <script>", "#555")
    root = parse(data)
    assert texts(root) == ['<b>"R&D"</b>', "データ <script>"]
    assert root.get("aria-label") == '<b>"R&D"</b>: データ <script>'
    assert [el.tag for el in root.iter()].count(f"{SVG}script") == 0


def test_width_grows_with_the_text():
    narrow = int(parse(svg("status", "ok", "#555")).get("width") or 0)
    wide = int(parse(svg("status", "Partial System Outage", "#555")).get("width") or 0)
    cjk = int(parse(svg("status", "データパイプライン", "#555")).get("width") or 0)
    assert narrow < wide and cjk > 9 * 7


def test_shields_endpoint_json(outputs: dict[str, bytes]):
    body = json.loads(outputs["badge.json"])
    assert errors("shields-endpoint.json", body) == []
    assert body == {
        "schemaVersion": 1,
        "label": "status",
        "message": "Partial System Outage",
        "color": IMPACT_COLOUR[Impact.MAJOR],
        "labelColor": LABEL_COLOUR,
        "cacheSeconds": 300,
    }
    assert errors("shields-endpoint.json", {**body, "message": ""})
    assert errors("shields-endpoint.json", {**body, "schemaVersion": 2})
    assert errors("shields-endpoint.json", {**body, "cacheSeconds": 60})
    assert errors("shields-endpoint.json", {**body, "color": "#1A7F3"})


def _svg_colours(data: bytes) -> list[str | None]:
    return [r.get("fill") for r in parse(data).iter(f"{SVG}rect")]


def test_every_json_badge_has_the_words_and_colours_of_its_svg_twin(outputs: dict[str, bytes]):
    config = make_config()
    folders = ["", *(f"components/{c.id}/" for c in config.components)]
    for folder in folders:
        body = json.loads(outputs[folder + "badge.json"])
        root = parse(outputs[folder + "badge.svg"])
        assert errors("shields-endpoint.json", body) == [], folder
        assert [body["label"], body["message"]] == texts(root)
        assert [body["labelColor"], body["color"]] == _svg_colours(outputs[folder + "badge.svg"])
        assert body["cacheSeconds"] == 300
    webhooks = json.loads(outputs["components/webhooks/badge.json"])
    assert (webhooks["message"], webhooks["color"]) == ("Under maintenance", "#0969da")


def test_all_clear_badge():
    config = make_config()
    files = badge_files(config, make_status(config, incidents=[]))
    root = parse(files["badge.svg"])
    assert texts(root) == ["status", "All Systems Operational"]
    assert json.loads(files["badge.json"])["color"] == "#1a7f37"
    maintenance = [i for i in load(config) if i.is_maintenance]
    files = badge_files(config, make_status(config, maintenance))
    assert texts(parse(files["badge.svg"]))[1] == "Service Under Maintenance"
    assert json.loads(files["badge.json"])["color"] == "#0969da"


def test_badges_are_deterministic(outputs: dict[str, bytes]):
    again = build()
    assert {k: v for k, v in again.items() if "badge" in k} == {
        k: v for k, v in outputs.items() if "badge" in k
    }
