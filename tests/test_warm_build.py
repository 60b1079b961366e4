"""The author's loop (orchestration/warm_*.py, watch.py): a warm builder per language, in its
own process, rebuilds what changed and publishes a good build into the served site, file by
file; a broken edit is reported with its file and line and the site keeps its last good build.

On tests/roots/warm (two pages, no Run buttons): a worker's first build is a cold one, so each
test here takes a couple of seconds.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from quickstart_site.orchestration.warm.builder import Outcome
from quickstart_site.orchestration.warm.publish import Publisher
from quickstart_site.orchestration.warm.speedups import memoized_highlight
from quickstart_site.orchestration.warm.watch import languages_for, rebuild_on_change
from quickstart_site.orchestration.warm.workers import WarmSite
from quickstart_site.project import Project
from tests.helpers import PROJECT, ROOTS, sphinx

ROOT = ROOTS / "warm"
PARAGRAPH = "The original words of this paragraph."


@pytest.fixture
def author(tmp_path: Path) -> Iterator[tuple[Path, Path, WarmSite]]:
    """A copy of the root (with a conf.py of its own, to edit) and a warm English builder."""
    source = tmp_path / "docs"
    shutil.copytree(ROOT, source)
    # The test roots' configuration, pointed at the project's conf.py from here.
    conf = (ROOTS / "conf.py").read_text(encoding="utf-8")
    conf = conf.replace("Path(__file__).resolve().parents[2]", f"Path({str(PROJECT.root)!r})")
    (tmp_path / "conf.py").write_text(conf, encoding="utf-8")
    site = tmp_path / "site"
    warm = WarmSite.for_project(
        PROJECT,
        ("en",),
        site=site,
        state=tmp_path / "warm",
        runtime_folder=None,
        source=source,
        confdir=tmp_path,
    )
    try:
        yield source, site, warm
    finally:
        warm.stop()


def build(warm: WarmSite) -> Outcome:
    [outcome] = warm.build()
    return outcome


def edit(page: Path, old: str, new: str) -> None:
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edited_paragraph_is_published_and_nothing_else(
    author: tuple[Path, Path, WarmSite],
) -> None:
    source, site, warm = author
    first = build(warm)
    assert first.status == 0, first.warnings
    assert first.fresh  # the worker's first build
    assert PARAGRAPH in (site / "en" / "page.html").read_text(encoding="utf-8")
    index = (site / "en" / "index.html").stat().st_mtime_ns
    rendered_index = source.parent / "warm" / "en" / "html" / "index.html"
    rendered = rendered_index.stat().st_mtime_ns

    edit(source / "page.md", "original words", "edited words")
    second = build(warm)
    assert second.status == 0, second.warnings
    assert not second.fresh  # the same, warm application
    assert "edited words" in (site / "en" / "page.html").read_text(encoding="utf-8")
    # The page, its source and the search index (a new word): not the index page that lists
    # it (its title did not change), not the theme's files Sphinx copies on every build.
    assert sorted(second.published) == ["en/_sources/page.md", "en/page.html", "en/searchindex.js"]
    assert (site / "en" / "index.html").stat().st_mtime_ns == index
    assert rendered_index.stat().st_mtime_ns == rendered  # not even rendered again

    # A new title shows in the index's toctree (and every page's navigation).
    edit(source / "page.md", "# A page", "# A renamed page")
    third = build(warm)
    assert third.status == 0, third.warnings
    assert "en/index.html" in third.published
    assert "A renamed page" in (site / "en" / "index.html").read_text(encoding="utf-8")


def test_a_broken_edit_is_reported_and_the_last_good_page_kept(
    author: tuple[Path, Path, WarmSite],
) -> None:
    source, site, warm = author
    assert build(warm).status == 0
    good = (site / "en" / "page.html").read_bytes()

    edit(source / "page.md", PARAGRAPH, "Words that see {ref}`a-label-nowhere`.")
    broken = build(warm)
    assert broken.status == 1
    # Sphinx's warning, with the page and the line.
    assert re.search(r"page\.md:5: WARNING: undefined label: 'a-label-nowhere'", broken.warnings)
    assert broken.published == []
    assert (site / "en" / "page.html").read_bytes() == good
    assert not [path for path in site.rglob("*") if path.name.endswith(".partial")]
    assert "FAILED" in broken.summary()

    # Saved again, unchanged: still broken (a warm application would have read it already).
    again = build(warm)
    assert again.status == 1 and "a-label-nowhere" in again.warnings
    assert "the last build failed" in again.fresh

    edit(source / "page.md", "Words that see {ref}`a-label-nowhere`.", "Fixed words.")
    fixed = build(warm)
    assert fixed.status == 0, fixed.warnings
    assert "the last build failed" in fixed.fresh
    assert "Fixed words." in (site / "en" / "page.html").read_text(encoding="utf-8")


def test_a_changed_conf_py_starts_a_fresh_application(
    author: tuple[Path, Path, WarmSite],
) -> None:
    source, site, warm = author
    assert build(warm).status == 0
    conf = source.parent / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + '\nhtml_title = "Renamed"\n', "utf-8")
    outcome = build(warm)
    assert outcome.status == 0, outcome.warnings
    assert "conf.py" in outcome.fresh
    assert "Renamed" in (site / "en" / "page.html").read_text(encoding="utf-8")


def test_warm_pages_are_the_pages_a_fresh_build_makes(
    author: tuple[Path, Path, WarmSite], tmp_path: Path
) -> None:
    """Nothing leaks from one build into the next (a page's scripts into every page, a
    sitemap of only the changed page): after three edits, every file equals a fresh build's."""
    source, site, warm = author
    for number in range(3):
        edit(source / "page.md", "left alone", f"left alone {number}")
        assert build(warm).status == 0
    fresh = sphinx("html", source, tmp_path / "fresh", "language=en")
    assert fresh.returncode == 0, fresh.output
    for path in sorted(fresh.outdir.rglob("*")):
        relative = path.relative_to(fresh.outdir)
        if path.is_dir() or relative.parts[0].startswith(".") or path.suffix == ".map":
            continue
        published = site / "en" / relative
        if path.name == "searchindex.js":
            # Sphinx's incremental index keeps a replaced word with no pages; the same terms.
            assert search_terms(published) == search_terms(path)
        else:
            assert published.read_bytes() == path.read_bytes(), relative


def search_terms(index: Path) -> dict[str, object]:
    text = index.read_text(encoding="utf-8")
    data = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    return {term: pages for term, pages in data["terms"].items() if pages != []}


def test_the_publisher_replaces_only_changed_bytes(tmp_path: Path) -> None:
    staging, target = tmp_path / "staging", tmp_path / "site"
    for name, text in {"a.html": "a", "b.html": "b", "_static/x.css.map": "m"}.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_text(text)
    publisher = Publisher(staging, target)
    assert sorted(publisher.publish()) == ["a.html", "b.html"]  # no source map
    kept = (target / "b.html").stat().st_mtime_ns
    (staging / "a.html").write_text("a, edited")
    (staging / "b.html").write_text("b")  # written again, same bytes
    os.utime(staging / "b.html", ns=(1, 1))
    assert publisher.publish() == ["a.html"]
    assert (target / "a.html").read_text() == "a, edited"
    assert (target / "b.html").stat().st_mtime_ns == kept


def test_a_change_rebuilds_the_languages_it_is_a_source_of() -> None:
    project = Project(Path("/p"))
    languages = ("en", "kk", "ru")
    assert languages_for([Path("/p/docs/quickstart.md")], project, languages) == languages
    assert languages_for([Path("/p/conf.py")], project, languages) == languages
    page_catalog = Path("/p/locales/ru/LC_MESSAGES/quickstart.po")
    assert languages_for([page_catalog], project, languages) == ("ru",)
    # Sphinx's own .mo next to it, written by the build: no rebuild loop.
    assert languages_for([page_catalog.with_suffix(".mo")], project, languages) == ()
    assert languages_for([Path("/p/README.md")], project, languages) == ()


def test_a_page_written_again_without_reading_gets_its_current_doctree(
    author: tuple[Path, Path, WarmSite],
) -> None:
    """Sphinx keeps each doctree's bytes in memory once read (``get_doctree``) and does not
    drop them when the page is read again: a page written again without being re-read (here,
    its output removed; in serve, an edit saved during a build) would get the page as the
    first build read it. Sphinx's own test application clears that cache before each build."""
    source, site, warm = author
    assert build(warm).status == 0
    edit(source / "page.md", "original words", "edited words")
    assert build(warm).status == 0
    (source.parent / "warm" / "en" / "html" / "page.html").unlink()
    rewritten = build(warm)
    assert rewritten.status == 0, rewritten.warnings
    assert "edited words" in (site / "en" / "page.html").read_text(encoding="utf-8")


class CountingApp:
    """What memoized_highlight reads of the application: its warning count."""

    def __init__(self) -> None:
        self._warncount = 0


def test_highlighting_is_remembered_unless_it_warned() -> None:
    app = CountingApp()
    calls: list[str] = []

    def highlight(source: str, lang: str, opts: object, force: bool, location: object) -> str:
        calls.append(source)
        if "bad" in source:
            app._warncount += 1  # Sphinx's "could not lex literal_block" warning
        return f"<pre>{source}</pre>"

    cached = memoized_highlight(app, highlight)
    assert cached("x = 1", "python", {}, False, "page.md:3") == "<pre>x = 1</pre>"
    assert cached("x = 1", "python", {}, False, "page.md:9") == "<pre>x = 1</pre>"
    assert cached("x = 1", "pycon", {}, False, "page.md:3") == "<pre>x = 1</pre>"
    assert cached("bad", "python", {}, False, "page.md:5") == "<pre>bad</pre>"
    assert cached("bad", "python", {}, False, "page.md:5") == "<pre>bad</pre>"
    # Once per text and language; a block that warned, every time (its warning must repeat).
    assert calls == ["x = 1", "x = 1", "bad", "bad"]


def test_a_saved_edit_is_rebuilt_by_the_watcher(tmp_path: Path) -> None:
    """serve's loop (watch.rebuild_on_change): the first build, then a save in docs/ rebuilds
    and publishes without anything else asked."""
    project = Project(tmp_path)
    shutil.copytree(ROOT, project.docs)
    project.locales.mkdir()
    conf = (ROOTS / "conf.py").read_text(encoding="utf-8")
    conf = conf.replace("Path(__file__).resolve().parents[2]", f"Path({str(PROJECT.root)!r})")
    (tmp_path / "conf.py").write_text(conf, encoding="utf-8")
    warm = WarmSite.for_project(
        project, ("en",), site=project.site, state=tmp_path / "warm", runtime_folder=None
    )
    outcomes: list[Outcome] = []
    stop = threading.Event()

    def show(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if len(outcomes) == 1:  # the first build is done, the watcher about to start
            threading.Thread(target=save_until, args=(project.docs / "page.md", stop)).start()
        else:
            stop.set()

    loop = threading.Thread(
        target=rebuild_on_change, args=(project, warm, ("en",)), kwargs={"stop": stop, "show": show}
    )
    try:
        loop.start()
        loop.join(timeout=60)
    finally:
        stop.set()
        warm.stop()
    assert not loop.is_alive()
    assert len(outcomes) == 2 and outcomes[1].status == 0, outcomes
    assert "saved words" in (project.site / "en" / "page.html").read_text(encoding="utf-8")


def save_until(page: Path, stop: threading.Event) -> None:
    """The author's save, then the same text saved again each second (a busy machine may
    start the watcher after the first save) until the rebuild is seen."""
    edit(page, "original", "saved")
    while not stop.wait(1):
        page.write_text(page.read_text(encoding="utf-8"), encoding="utf-8")


class FirstBuildOnly:
    """A stand-in for WarmSite: records the languages of each build; ``during_first`` runs
    inside the first one (an author's save while the builders start)."""

    def __init__(self, during_first: Callable[[], None], stop: threading.Event) -> None:
        self.builds: list[tuple[str, ...]] = []
        self.during_first, self.stop = during_first, stop

    def build(self, languages: tuple[str, ...], done: Callable[[Outcome], None]) -> None:
        self.builds.append(languages)
        if len(self.builds) == 1:
            self.during_first()
            threading.Timer(1.0, self.stop.set).start()  # the watcher's turn, briefly
        else:
            self.stop.set()


@pytest.mark.parametrize("saved", [True, False], ids=["saved-meanwhile", "nothing-saved"])
def test_a_save_during_the_first_build_is_built_before_watching(
    tmp_path: Path, saved: bool
) -> None:
    """The watcher hears only saves made once it runs: one made while the builders' first
    build ran is built right after it, and nothing else is."""
    project = Project(tmp_path)
    (project.docs / "page.md").parent.mkdir(parents=True)
    (project.docs / "page.md").write_text("original\n", encoding="utf-8")
    (project.locales / "kk").mkdir(parents=True)
    (tmp_path / "conf.py").write_text("", encoding="utf-8")
    old = time.time() - 60
    for path in (project.docs / "page.md", tmp_path / "conf.py"):
        os.utime(path, (old, old))

    def save() -> None:
        if saved:
            (project.docs / "page.md").write_text("saved meanwhile\n", encoding="utf-8")

    stop = threading.Event()
    warm = FirstBuildOnly(save, stop)
    rebuild_on_change(project, warm, ("en", "kk"), stop=stop, show=lambda outcome: None)
    assert warm.builds == [("en", "kk")] * (2 if saved else 1)
