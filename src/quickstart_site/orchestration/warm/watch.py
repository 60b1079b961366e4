"""The author's loop: serve the site, and rebuild a language as soon as its sources change.

``python -m quickstart_site serve`` (and ``nox -s serve``) builds the site as ``build`` does,
then serves it and watches ``docs/``, ``locales/`` and ``conf.py`` (watchfiles). A saved
change rebuilds, in that language's warm builder (warm/builder.py, one process per language),
every language a page change touches: all of them for ``docs/`` or ``conf.py``, one for
``locales/<lang>/``. Each rebuild prints the warnings (file:line) and one line: what was
published, or that it failed and the site keeps its last good build. Reload the page.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from quickstart_site.orchestration.warm.builder import Outcome, report
from quickstart_site.orchestration.warm.workers import WarmSite
from quickstart_site.project import Project

# Written by the build itself (Sphinx compiles each .po into a .mo beside it): not an edit.
BUILD_OUTPUTS = (".mo",)
# Seconds the server has to start listening (or fail to) before the builders start.
STARTING = 0.5
# A file's time can trail the clock by a few milliseconds (the kernel stamps it coarsely): a
# save this long before the first build counts as made during it (at worst, one build more).
CLOCK_SLACK = 0.05


def languages_for(
    changed: Iterable[Path], project: Project, languages: tuple[str, ...]
) -> tuple[str, ...]:
    """The languages whose pages the changed files are sources of, in ``languages``' order."""
    chosen: set[str] = set()
    for path in changed:
        if path.name.endswith(BUILD_OUTPUTS):
            continue
        if path == project.root / "conf.py" or path.is_relative_to(project.docs):
            return languages
        if path.is_relative_to(project.locales):
            parts = path.relative_to(project.locales).parts
            if parts and parts[0] in languages:
                chosen.add(parts[0])
    return tuple(code for code in languages if code in chosen)


def watched(project: Project) -> list[Path]:
    return [project.docs, project.locales, project.root / "conf.py"]


def saved_since(project: Project, moment: float) -> list[Path]:
    """The watched files whose time is ``moment`` or later."""
    files = [
        path
        for root in watched(project)
        for path in ([root] if root.is_file() else root.rglob("*"))
        if path.is_file()
    ]
    return [path for path in files if path.stat().st_mtime >= moment]


def rebuild_on_change(
    project: Project,
    warm: WarmSite,
    languages: tuple[str, ...],
    *,
    stop: threading.Event | None = None,
    show: Callable[[Outcome], None] = report,
) -> None:
    """Build every language once (the warm builders' first, cold build), then rebuild what
    each change touches (saves made during that first build too), until ``stop`` is set (or
    Ctrl+C)."""
    import watchfiles

    started = time.time() - CLOCK_SLACK
    warm.build(languages, done=show)
    # The watcher hears only saves made once it runs: one made during the first build (which
    # may have read the file before it) is built now, or it would wait for the next save.
    chosen = languages_for(saved_since(project, started), project, languages)
    if chosen:
        warm.build(chosen, done=show)
    print("Watching docs/, locales/ and conf.py for changes (Ctrl+C to stop)", flush=True)
    for changes in watchfiles.watch(*watched(project), stop_event=stop, raise_interrupt=False):
        chosen = languages_for((Path(path) for _, path in changes), project, languages)
        if chosen:
            warm.build(chosen, done=show)


def serve_and_watch(project: Project, languages: tuple[str, ...], *, port: int) -> None:
    """Serve ``project.site`` (waitress, in a thread) while rebuilding on every change."""
    from quickstart_site.orchestration import runtime
    from quickstart_site.server import serve

    server = threading.Thread(target=serve, args=(project.site,), kwargs={"port": port})
    server.daemon = True  # ends with the watcher (Ctrl+C)
    server.start()
    server.join(timeout=STARTING)
    if not server.is_alive():  # it could not listen (the port taken): its error is above
        raise SystemExit(f"could not serve on port {port}")
    warm = WarmSite.for_project(
        project,
        languages,
        site=project.site,
        state=project.build / "warm",
        runtime_folder=runtime.ensure_runtime(project.runtime_cache),
    )
    # A service manager's stop (SIGTERM) ends the loop as Ctrl+C does: the builders stop too.
    signal.signal(signal.SIGTERM, interrupt)
    try:
        rebuild_on_change(project, warm, languages)
    finally:
        warm.stop()
    print("Stopped.", flush=True)


def interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
