"""Warm builders in their own processes, one per language, driven from the serving process.

One process per language because Sphinx keeps the translator of its interface strings in
module globals (``sphinx.locale``): two applications of different languages in one process
would share it. Separate processes also build the languages side by side on two cores, as
the site build does, and keep a crashing extension away from the server.

The parent sends ``"build"`` and receives an :class:`~warm_build.Outcome`. A worker that dies
is started again; its next build starts fresh (and says so).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from quickstart_site.orchestration.warm.builder import Outcome, WarmBuilder
from quickstart_site.project import Project

# A worker is a fresh interpreter (spawn): nothing of the server's threads or state is copied.
CONTEXT = multiprocessing.get_context("spawn")
STOP = "stop"
BUILD = "build"


@dataclass(frozen=True)
class Settings:
    project: Project
    language: str
    site: Path
    state: Path  # the warm builder's own folders (<state>/html, <state>/doctrees)
    runtime_folder: Path | None
    source: Path | None = None  # default: the project's docs/
    confdir: Path | None = None  # default: the project's root


def serve_builds(connection: Connection, settings: Settings) -> None:
    """The worker's loop: one build per request, until asked to stop (or the parent leaves)."""
    builder = WarmBuilder(
        settings.project,
        settings.language,
        site=settings.site,
        state=settings.state,
        runtime_folder=settings.runtime_folder,
        source=settings.source,
        confdir=settings.confdir,
    )
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        if request == STOP:
            return
        connection.send(builder.build())
        builder.settle()  # after answering: the author does not wait for it


class Worker:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.process: multiprocessing.process.BaseProcess | None = None
        self.connection: Connection | None = None

    def start(self) -> None:
        parent, child = CONTEXT.Pipe()
        self.process = CONTEXT.Process(
            target=serve_builds,
            args=(child, self.settings),
            name=f"warm-{self.settings.language}",
            # Not a daemon: sphinx-sitemap starts a process of its own (a Manager). A worker
            # whose parent is gone reads the end of its pipe and returns.
            daemon=False,
        )
        self.process.start()
        child.close()
        self.connection = parent

    def request(self) -> None:
        """Ask for a build (answered by :meth:`outcome`), starting the worker if needed."""
        if self.process is None or not self.process.is_alive():
            self.start()
        assert self.connection is not None
        self.connection.send(BUILD)

    def outcome(self) -> Outcome:
        assert self.connection is not None and self.process is not None
        try:
            result: Outcome = self.connection.recv()
        except (EOFError, OSError):  # the worker died (crashed, killed, failed to start)
            code = self.process.exitcode
            self.process.join()
            self.process = None
            return Outcome(
                self.settings.language,
                1,
                0.0,
                f"the {self.settings.language} builder process ended (exit code {code})\n",
                fresh="",
            )
        return result

    def stop(self) -> None:
        if self.process is not None and self.connection is not None:
            try:
                self.connection.send(STOP)
            except OSError:
                pass
            self.process.join(timeout=10)
            if self.process.is_alive():
                self.process.kill()
                self.process.join()
        self.process = None


class WarmSite:
    """A warm builder per language, each publishing into ``site``."""

    def __init__(self, workers: dict[str, Worker]) -> None:
        self.workers = workers

    @classmethod
    def for_project(
        cls,
        project: Project,
        languages: tuple[str, ...],
        *,
        site: Path,
        state: Path,
        runtime_folder: Path | None,
        source: Path | None = None,
        confdir: Path | None = None,
    ) -> WarmSite:
        return cls(
            {
                code: Worker(
                    Settings(project, code, site, state / code, runtime_folder, source, confdir)
                )
                for code in languages
            }
        )

    def build(
        self,
        languages: tuple[str, ...] | None = None,
        *,
        done: Callable[[Outcome], None] | None = None,
    ) -> list[Outcome]:
        """Build the languages side by side; ``done`` is called with each outcome as it
        arrives (English, quickest, is not held back by Chinese). Returns the outcomes in the
        order given."""
        chosen = [code for code in (languages or tuple(self.workers)) if code in self.workers]
        pending: dict[str, Connection] = {}
        for code in chosen:
            worker = self.workers[code]
            worker.request()
            assert worker.connection is not None
            pending[code] = worker.connection
        outcomes: dict[str, Outcome] = {}
        while pending:
            ready = wait(list(pending.values()))
            for code in [code for code, connection in pending.items() if connection in ready]:
                del pending[code]
                outcomes[code] = self.workers[code].outcome()
                if done:
                    done(outcomes[code])
        return [outcomes[code] for code in chosen]

    def stop(self) -> None:
        for worker in self.workers.values():
            worker.stop()
