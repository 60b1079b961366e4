"""One language's Sphinx application, kept warm between builds: the author's rebuild loop.

A fresh ``sphinx-build`` process spends most of an incremental build starting (Python, the
imports, the application and its extensions: about 0.8 s of 2). A :class:`WarmBuilder` keeps
one application and calls ``app.build()`` on it again, as Sphinx's own test suite does: the
environment stays in memory, the configuration is read once, and Sphinx re-reads only the
pages (and page catalogs) that changed since its last build.

It builds with the site build's settings (``-W --keep-going -n``, the browser runtime) into
its own folder (``<state>/html``, ``<state>/doctrees``) and publishes into the served site
only after a build without warnings (publish.py): a broken page or catalog is reported with
its file and line, and the site keeps its last good build.

A warm application cannot follow everything a fresh process would pick up. It is replaced by
a fresh one (with a fresh environment, so every page is read and every warning reported
again) when:

- ``conf.py`` or the language's interface catalog (``sphinx.po``, loaded when the application
  starts) changed;
- the last build failed or raised: Sphinx reports a page's warnings only while reading it, so
  an application that has already read a broken page would pass it the next time.

Each outcome says why a build started fresh. One application per process and language
(warm/workers.py): Sphinx keeps its translator in module globals.
"""

from __future__ import annotations

import contextlib
import gc
import io
import re
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from sphinx.application import Sphinx

from quickstart_site.orchestration.build import runtime_settings
from quickstart_site.orchestration.lite_app import NOTEBOOKS
from quickstart_site.orchestration.warm import speedups as warm_speedups
from quickstart_site.orchestration.warm.publish import Publisher, publish_notebooks
from quickstart_site.orchestration.warm.state import WarmState
from quickstart_site.project import Project

SHOWN = 3  # published files named in an outcome's line
Fingerprint = tuple[tuple[str, int, int], ...]
# Sphinx colours its warnings (ANSI escapes) even into a StringIO.
COLOURS = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Outcome:
    """What one build did, in a form a parent process can receive (picklable)."""

    language: str
    status: int  # 0: built and published
    seconds: float
    warnings: str = ""  # Sphinx's warnings, each with its file and line
    published: list[str] = field(default_factory=list)  # site paths replaced (and notebooks)
    fresh: str = ""  # why this build started a fresh application, if it did
    cpu: float = 0.0  # the builder process's processor time, for measuring on a busy machine

    def summary(self) -> str:
        how = f"fresh: {self.fresh}; " if self.fresh else ""
        if self.status:
            what = "FAILED, the site keeps its last good build (warnings above)"
        else:
            count = len(self.published)
            what = f"{count} file{'s' * (count != 1)} published"
            if self.published:
                names = [path.split("/", 1)[-1] for path in self.published[:SHOWN]]
                what += f": {', '.join(names)}" + (", …" if count > SHOWN else "")
        return f"{self.language}: {how}{what} ({self.seconds:.2f} s)"


class WarmBuilder:
    def __init__(
        self,
        project: Project,
        language: str,
        *,
        site: Path,
        state: Path,
        runtime_folder: Path | None,
        source: Path | None = None,
        confdir: Path | None = None,
    ) -> None:
        self.project = project
        self.language = language
        self.site = site
        self.source = source or project.docs
        self.confdir = confdir or project.root
        self.outdir = state / "html"
        self.doctrees = state / "doctrees"
        self.settings: dict[str, object] = {
            "language": language,
            "nitpicky": True,  # -n
            **runtime_settings(runtime_folder),
        }
        self.publisher = Publisher(self.outdir, site / language)
        self.app: Sphinx | None = None
        self.state: WarmState | None = None
        self.contexts = contextlib.ExitStack()
        self.fingerprint: Fingerprint = ()
        self.failed = False
        self.warnings = io.StringIO()

    def configuration_files(self) -> list[Path]:
        """What a running application has read once and for all."""
        interface = self.project.locales / self.language / "LC_MESSAGES" / "sphinx.po"
        return [self.confdir / "conf.py", interface]

    def current_fingerprint(self) -> Fingerprint:
        found = []
        for path in self.configuration_files():
            try:
                status = path.stat()
            except OSError:
                found.append((str(path), 0, 0))
            else:
                found.append((str(path), status.st_mtime_ns, status.st_size))
        return tuple(found)

    def why_fresh(self) -> str:
        """Why the next build needs a new application ("" if the warm one will do)."""
        if self.failed:
            return "the last build failed, so every page is read again"
        if self.app is None:
            return "first build in this process"
        if self.current_fingerprint() != self.fingerprint:
            return "conf.py or the interface catalog (sphinx.po) changed"
        return ""

    def start(self, *, fresh_env: bool) -> None:
        from sphinx.util.docutils import docutils_namespace, patch_docutils

        self.close()
        self.fingerprint = self.current_fingerprint()
        self.warnings = io.StringIO()
        # Kept open while the application lives: the directives and roles its extensions
        # register into docutils' globals stay registered between builds (sphinx-build
        # enters both around its one build).
        self.contexts.enter_context(patch_docutils(self.confdir))
        self.contexts.enter_context(docutils_namespace())
        self.app = Sphinx(
            srcdir=self.source,
            confdir=self.confdir,
            outdir=self.outdir,
            doctreedir=self.doctrees,
            buildername="html",
            confoverrides=self.settings,
            status=None,  # -q: warnings only
            warning=self.warnings,
            freshenv=fresh_env,
            warningiserror=True,  # -W (Sphinx 9 keeps going and fails at the end)
        )
        self.state = WarmState(self.app)
        warm_speedups.install(self.app)
        self.publisher.forget()

    def close(self) -> None:
        self.app = self.state = None
        self.contexts.close()
        self.contexts = contextlib.ExitStack()

    def build(self) -> Outcome:
        """Build what changed; publish it into the site if the build has no warning."""
        started, cpu = time.perf_counter(), time.process_time()
        fresh = self.why_fresh()
        try:
            if fresh:
                # A new application after a failure reads every page: a broken page that was
                # already read would otherwise pass silently.
                self.start(fresh_env=self.failed or self.app is not None)
            status = self.run_sphinx()
        except Exception:  # noqa: BLE001  (a crash in any extension: report it, start fresh)
            self.warnings.write(traceback.format_exc())
            status = 1
        # The application's log handlers keep this stream: emptied, not replaced.
        warnings = COLOURS.sub("", self.warnings.getvalue())
        self.warnings.seek(0)
        self.warnings.truncate()
        self.failed = status != 0
        if self.failed:
            # Sphinx saved the environment with the broken page marked as read: the next
            # process (a restarted serve) must not load it and pass the page silently.
            (self.doctrees / "environment.pickle").unlink(missing_ok=True)
        published: list[str] = []
        if not self.failed:
            published = [f"{self.language}/{path}" for path in self.publisher.publish()]
            notebooks = publish_notebooks(self.site, self.language, self.doctrees / NOTEBOOKS)
            published += [f"lite notebook ({self.language})"] * notebooks
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        return Outcome(self.language, status, seconds, warnings, published, fresh, cpu)

    def settle(self) -> None:
        """Between builds, once the outcome is out: collect the last build's garbage, then
        freeze what is left (the environment, the caches) out of the collector's sight. The
        collector's full passes over that heap during a build otherwise cost 0.12 s in one
        build of three (the rebuild itself: 0.40 s)."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def run_sphinx(self) -> int:
        app, state = self.app, self.state
        assert app is not None and state is not None
        state.before_build()
        # The counts of the previous build (app.build() adds to them, never resets them).
        app._warncount = 0
        app.statuscode = 0
        app.build()
        return int(app.statuscode)


def report(outcome: Outcome) -> None:
    """The outcome for the author: the warnings (file:line), then one line."""
    if outcome.warnings:
        print(outcome.warnings, end="", file=sys.stderr, flush=True)
    print(outcome.summary(), flush=True)
