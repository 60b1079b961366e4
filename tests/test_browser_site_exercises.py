"""The real site's exercises in Debian's Chromium, in every language: the starter fails with
the page's own messages, the reference solution entered in the editor passes every check, and
the exercise stays solved after a reload. (tests/test_browser_exercises.py tests the
workbench itself in depth, on a small page.)"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from benchmarks.chromium import chromium_page

from quickstart_site.languages import CODES
from tests import test_browser_runner
from tests.test_browser_exercises import checked, checks_ended, click_check, replace_code

pytestmark = [pytest.mark.site, pytest.mark.browser]

EXERCISE = "exercise-routes"
site = test_browser_runner.site  # the fixture: the real site, built once, served by ours


def page_data(outdir: Path, language: str) -> dict:
    return json.loads((outdir / language / "_examples" / "quickstart.json").read_text())


@pytest.mark.parametrize("language", CODES)
def test_an_exercise_is_solved_in_the_editor_and_stays_solved(site, language: str) -> None:
    outdir, base = site
    data = page_data(outdir, language)
    labels, exercise = data["labels"], data["exercises"][EXERCISE]
    total = len(data["exercises"])
    aborted: list[str] = []
    requested: list[str] = []
    with chromium_page(aborted) as page:
        page.context.on("request", lambda request: requested.append(request.url))
        page.goto(f"{base}{language}/quickstart.html")
        workbench = page.locator(f'.exercise-workbench[data-exercise="{EXERCISE}"]')
        workbench.scroll_into_view_if_needed()  # the editor loads as a workbench nears the screen
        workbench.locator(".cm-content").wait_for()

        # The starter fails, and each failed check says so in the page's language: the
        # message's words up to its first placeholder, as the page's JSON has them.
        shown = click_check(workbench)
        assert shown["state"] == "done", shown
        assert "false" in shown["passed"], shown
        for passed, text, check in zip(
            shown["passed"], shown["results"], exercise["checks"], strict=True
        ):
            if passed == "false":
                assert check["message"].split("{")[0].strip() in text, (text, check)
        assert shown["status"] != labels["all_passed"]

        # The reference solution, entered in the editor; Ctrl+Enter checks it.
        replace_code(page, workbench, exercise["solution"])
        before = checks_ended(workbench)
        page.keyboard.press("Control+Enter")
        shown = checked(workbench, before)
        assert shown["passed"] == ["true"] * len(exercise["checks"]), shown
        assert shown["status"] == labels["all_passed"]
        progress = labels["progress"].format(done=1, total=total)
        assert page.locator("p.exercise-progress").text_content() == progress

        # Kept in the browser: after a reload the exercise is still solved.
        page.reload()
        page.locator(
            f'.exercise-workbench[data-exercise="{EXERCISE}"]'
        ).scroll_into_view_if_needed()
        mark = page.locator(f"#{EXERCISE} .exercise-solved-mark")
        mark.wait_for()
        assert labels["solved"] in mark.text_content()
        assert page.locator("p.exercise-progress").text_content() == progress
    assert aborted == []
    assert [url for url in requested if urlsplit(url).hostname != "127.0.0.1"] == []
