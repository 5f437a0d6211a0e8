"""Screenshots (`save_screenshot`, the palette's "Save screenshot") keep their spaces."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from reader_helpers import SIZE

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
SVG_TEXT = "{http://www.w3.org/2000/svg}text"


async def test_a_saved_screenshot_keeps_the_spaces_that_start_a_run(
    make_app, tmp_path: Path
) -> None:
    """Rich writes each run of text apart; the space after an entity's name starts the next
    run, and librsvg (GNOME's image viewer, rsvg-convert) drops such spaces unless the SVG says
    to preserve them: "Putin sought" showed as "Putinsought"."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        saved = app.save_screenshot(filename="reader.svg", path=str(tmp_path))
    root = ET.fromstring(Path(saved).read_text(encoding="utf-8"))
    runs = [element.text or "" for element in root.iter(SVG_TEXT)]
    assert any(run.startswith("\N{NO-BREAK SPACE}") and run.strip() for run in runs)
    assert root.get(XML_SPACE) == "preserve"
