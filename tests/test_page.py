"""The inspector's web page in a real headless browser: the system's Chromium, driven by Playwright.

The browser is a test dependency like any other: `.ci/run` installs Debian's chromium, and if
it is missing these tests fail (they are never skipped). Set MISCOMPILE_UPDATE_DOCS=1 to write
the README's screenshot (docs/inspect-broken-flag-pso.png) from this run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT

from miscompile.app.inspector import Inspector, inspect_program
from miscompile.app.subject import study
from miscompile.views.page import SCHEMA, inspector_page
from miscompile.views.page import outcome_text as text_of_outcome

BROWSER_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOT = ROOT / "docs" / "inspect-broken-flag-pso.png"


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("the browser tests need the system's Chromium (Debian: apt-get install chromium); "
                    ".ci/run installs it")
    return found


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=BROWSER_FLAGS)
        yield launched
        launched.close()


def broken_flag(model: str = "pso") -> Inspector:
    return inspect_program(study("examples/broken_flag.py", (EXAMPLES / "broken_flag.py").read_text()), model)


def open_page(browser, tmp_path: Path, inspector: Inspector, size=(1280, 800), **options):
    page_file = tmp_path / "inspect.html"
    page_file.write_text(inspector_page(inspector, **options), encoding="utf-8")
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_file.as_uri())
    return page, errors


def memory_text(page) -> list[str]:
    return page.get_by_role("region", name="Memory").locator("#memory-list li").all_inner_texts()


def follow(page, inspector: Inspector, outcome_text: str) -> list[list[str]]:
    """Click the outcome, then Step until it ends; after each step the memory region must show what
    the Python model shows at the same state. Returns the memory seen at each step."""
    page.get_by_role("region", name="Outcomes").get_by_role("button", name=re.compile(re.escape(outcome_text))).click()
    index = next(i for i, o in enumerate(inspector.space.outcomes) if text_of_outcome(o).endswith(outcome_text))
    seen = [memory_text(page)]
    for _, state in inspector.space.route(0, index):
        page.get_by_role("button", name="Step", exact=True).click()
        seen.append(memory_text(page))
        assert seen[-1] == [text for _, text in inspector.standing_at(state).memory()]
    return seen


def test_clicking_through_the_reader_printing_0_under_pso(browser, tmp_path):
    inspector = broken_flag()
    page, errors = open_page(browser, tmp_path, inspector)
    assert memory_text(page) == ["data=0", "ready=False"]
    seen = follow(page, inspector, "reader: 0")
    # the reader can print 0 only if ready=True reached memory while data=0 had not been replaced
    assert ["data=0", "ready=True"] in seen
    assert seen[-1] == ["data=42", "ready=True"]
    assert "ended" in page.get_by_role("status").inner_text()
    reader = page.get_by_role("region", name="reader", exact=True)
    assert "printed: 0" in reader.inner_text()
    assert page.get_by_role("button", name="Step", exact=True).is_disabled()
    page.get_by_role("button", name="Undo").click()
    assert memory_text(page) == seen[-2]
    assert len(page.locator("#log-list li").all()) == len(seen) - 2
    page.get_by_role("button", name="Reset").click()
    assert memory_text(page) == ["data=0", "ready=False"]
    if os.environ.get("MISCOMPILE_UPDATE_DOCS"):
        for _ in range(5):
            page.get_by_role("button", name="Step", exact=True).click()
        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))
    assert errors == []


def test_play_runs_the_outcome_to_its_end_and_the_buffers_show_in_the_thread_regions(browser, tmp_path):
    inspector = broken_flag()
    page, errors = open_page(browser, tmp_path, inspector)
    for _ in range(3):  # t2.start(), t1.start(), then the first choice: the writer's data = 42
        page.locator("#choice-list button").first.click()
    writer = page.get_by_role("region", name="writer", exact=True)
    assert "buffers: data=42" in writer.inner_text()
    assert memory_text(page) == ["data=0", "ready=False"]
    page.get_by_role("region", name="Outcomes").get_by_role("button", name=re.compile("reader: 42")).click()
    page.get_by_role("button", name="Play").click()
    assert memory_text(page) == ["data=42", "ready=True"]
    assert "printed: 42" in page.get_by_role("region", name="reader", exact=True).inner_text()
    assert errors == []


def test_the_page_is_usable_at_1280x800_and_at_phone_width(browser, tmp_path):
    for size in ((1280, 800), (390, 844)):
        page, errors = open_page(browser, tmp_path, broken_flag(), size=size)
        assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
        for name in ("Step", "Play", "Undo", "Reset"):
            assert page.get_by_role("button", name=name, exact=True).is_visible()
        for region in ("main", "writer", "reader", "Memory", "Outcomes"):
            assert page.get_by_role("region", name=region, exact=True).count() == 1
        assert errors == []


def test_past_the_limit_the_page_holds_the_witnesses_and_says_so(browser, tmp_path):
    inspector = broken_flag()
    page, errors = open_page(browser, tmp_path, inspector, graph_limit=5)
    assert "shortest witness of each outcome" in page.locator("#mode").inner_text()
    seen = follow(page, inspector, "reader: 0")
    assert seen[-1] == ["data=42", "ready=True"]
    assert errors == []


def test_the_embedded_json_carries_its_schema_and_needs_no_network(tmp_path):
    text = inspector_page(broken_flag())
    data = json.loads(re.search(r'id="inspector-data">(.*?)</script>', text, re.S).group(1))
    assert data["schema"] == SCHEMA == "miscompile-inspect/1"
    assert data["mode"] == "graph" and len(data["states"]) == data["explored"]
    assert [t["name"] for t in data["threads"]] == ["main", "writer", "reader"]
    assert [o["added"] for o in data["outcomes"]] == [True, False]
    assert not re.search(r'(src|href)="(https?:)?//', text)  # nothing fetched when it opens


def test_keys_drive_the_page_as_they_drive_the_terminal(browser, tmp_path):
    inspector = broken_flag()
    page, errors = open_page(browser, tmp_path, inspector)
    for key in ("1", "1", "1"):  # t2.start(), t1.start(), then the writer's data = 42
        page.keyboard.press(key)
    assert "buffers: data=42" in page.get_by_role("region", name="writer", exact=True).inner_text()
    page.keyboard.press("u")
    assert "buffers: empty" in page.get_by_role("region", name="writer", exact=True).inner_text()
    page.keyboard.press("r")
    assert page.locator("#log-list li").count() == 0
    assert errors == []
