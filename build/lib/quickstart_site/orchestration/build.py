"""Build the site and run the examples: the Sphinx command lines, in one place.

Every build is strict: ``-W --keep-going -n`` turns any warning (an unresolved API name, an
unexecuted Python block, a broken link target) into a failure, after reporting all of them.
Each Sphinx run is its own process, so one page's examples cannot disturb the caller. The
browser runtime is built before Sphinx starts and handed to it as ``examples_runtime``: no
Sphinx event handler downloads anything.

A build redoes only what changed: Sphinx's own incremental build per language, the runtime
copied into the site only when it is another one, the JupyterLite app built once per set of
versions (its notebooks are written on every build, in milliseconds). It prints one line per
step, with its time; the Sphinx processes print only warnings.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from quickstart_site.languages import CODES
from quickstart_site.orchestration import lite_app, precompress, runtime, static_host
from quickstart_site.orchestration.root_page import write_root_page
from quickstart_site.project import Project

STRICT = ["-W", "--keep-going", "-n"]
# Longer than any build takes here (a four-language examples run is under a minute); a
# process past it is stuck (an example in blocking C code), and is killed and reported.
PROCESS_TIMEOUT = 30 * 60


def sphinx_command(
    builder: str,
    outdir: Path,
    doctrees: Path,
    *,
    confdir: Path,
    source: Path,
    fresh: bool = False,
    quiet: bool = True,
    language: str | None = None,
    settings: dict[str, str] | None = None,
) -> list[str]:
    command = [sys.executable, "-m", "sphinx", "-b", builder, "-c", str(confdir)]
    command += STRICT + ["-d", str(doctrees)]
    if language:
        command += ["-D", f"language={language}"]
    for name, value in (settings or {}).items():
        command += ["-D", f"{name}={value}"]
    if fresh:
        command.append("-E")
    if quiet:
        command.append("-q")
    return command + [str(source), str(outdir)]


def run(command: list[str]) -> int:
    return subprocess.run(command, check=False).returncode


def run_parallel(
    commands: list[list[str]],
    *,
    capture: bool = False,
    timeout: float = PROCESS_TIMEOUT,
    done: Callable[[int, int, float], None] | None = None,
) -> list[tuple[int, str]]:
    """Run Sphinx processes side by side: one per language beats ``-j`` on two cores, because
    reading and writing a page is serial within one Sphinx process. Returns each exit status,
    with its output (stdout and stderr) when captured. A process still running after
    ``timeout`` seconds is killed and reported (status -9). ``done(index, status, seconds)``
    is called as each process ends."""
    with contextlib.ExitStack() as stack:
        logs = [
            stack.enter_context(tempfile.TemporaryFile("w+")) if capture else None for _ in commands
        ]
        started = time.perf_counter()
        processes = [
            subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT if log else None, text=True
            )
            for command, log in zip(commands, logs, strict=True)
        ]
        statuses: dict[int, int] = {}
        notes = [""] * len(commands)
        while len(statuses) < len(processes):
            for index, process in enumerate(processes):
                if index in statuses:
                    continue
                status = process.poll()
                if status is None and time.perf_counter() - started > timeout:
                    process.kill()
                    status = process.wait()
                    command = " ".join(commands[index])
                    notes[index] = f"\n{command}\nwas stopped after {timeout:g} s\n"
                    print(notes[index], file=sys.stderr)
                if status is not None:
                    statuses[index] = status
                    if done:
                        done(index, status, time.perf_counter() - started)
            if len(statuses) < len(processes):
                time.sleep(0.02)
        results = []
        for index, log in enumerate(logs):
            if log is not None:
                log.seek(0)
            output = log.read() if log is not None else ""
            results.append((statuses[index], output + notes[index]))
        return results


def runtime_settings(runtime_folder: Path | None) -> dict[str, str]:
    return {"examples_runtime": str(runtime_folder)} if runtime_folder else {}


def html_command(
    project: Project,
    language: str,
    *,
    site: Path,
    doctrees: Path,
    runtime_folder: Path | None,
    fresh: bool = False,
    source: Path | None = None,
) -> list[str]:
    return sphinx_command(
        "html",
        site / language,
        doctrees / language,
        confdir=project.root,
        source=source or project.docs,
        fresh=fresh,
        language=language,
        settings=runtime_settings(runtime_folder),
    )


@contextlib.contextmanager
def step(name: str) -> Iterator[list[str]]:
    """One progress line for a build step: its name, what it did (the caller appends to the
    list it is given) and its time."""
    what: list[str] = []
    started = time.perf_counter()
    yield what
    seconds = time.perf_counter() - started
    print(f"{name}: {', '.join(what) or 'done'} ({seconds:.1f} s)", flush=True)


def build_site(
    project: Project,
    languages: tuple[str, ...] = CODES,
    *,
    fresh: bool = False,
    site: Path | None = None,
    doctrees: Path | None = None,
    source: Path | None = None,
    capture: bool = False,
) -> tuple[int, str]:
    """The browser runtime and the JupyterLite app (each cached), every language's HTML, then
    what the site needs besides: the runtime and the app (with every language's notebooks),
    the root page, the static hosts' files. ``source`` defaults to the project's pages."""
    site = site or project.site
    doctrees = doctrees or project.doctrees
    with step("runtime") as did:
        runtime_folder = runtime.ensure_runtime(project.runtime_cache)
        did.append("copied into the site" if install_runtime(site, runtime_folder) else "current")
    commands = [
        html_command(
            project,
            code,
            fresh=fresh,
            site=site,
            doctrees=doctrees,
            runtime_folder=runtime_folder,
            source=source,
        )
        for code in languages
    ]

    def language_done(index: int, status: int, seconds: float) -> None:
        outcome = "built" if status == 0 else "FAILED (see the warnings above)"
        print(f"{languages[index]}: {outcome} ({seconds:.1f} s)", flush=True)

    results = run_parallel(commands, capture=capture, done=language_done)
    statuses = [status for status, _ in results]
    if not any(statuses):
        with step("JupyterLite") as did:
            app = lite_app.ensure_app(project.build / "lite")
            did.append("app copied into the site" if lite_app.install(site, app) else "app current")
            changed = lite_app.sync_contents(site, lite_app.notebooks(doctrees, CODES))
            did.append(f"{changed} notebook{'s' * (changed != 1)} written")
        with step("site") as did:
            write_root_page(site)
            drop_source_maps(site, languages)
            drop_language_apps(site, languages)
            # What a static host needs (deploy/nginx.conf, _headers), then every file
            # readable by a web server's unprivileged worker: always the last step.
            static_host.write_host_files(site)
            did.append("root page, host files")
        with step("compressed copies") as did:
            precompress.precompress(site, cache=project.build / "compressed")
            static_host.make_readable(site)
    return max(statuses), "".join(output for _, output in results)


def install_runtime(site: Path, runtime_folder: Path) -> bool:
    """The runtime copied into the site, unless that copy is this runtime already (its
    folder's name is the fingerprint of its versions). Returns whether it copied."""
    stamp = site / runtime.SITE_FOLDER / ".runtime"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == runtime_folder.name:
        return False
    runtime.install(site, runtime_folder)
    stamp.write_text(runtime_folder.name, encoding="utf-8")
    return True


# The theme's source maps (the PyData theme's CSS and scripts, Font Awesome): for the theme's
# developers, 3.4 MB of each language's 7 MB; the JupyterLite app is built without its own
# (no_sourcemaps). A browser asks for them only while its developer tools are open.
SOURCE_MAPS = "_static/**/*.map"


def drop_language_apps(site: Path, languages: tuple[str, ...]) -> None:
    """The JupyterLite app each language had (``<lang>/lite/``, 21 MB each) before the site
    had one: an incremental build into an older site would keep them, unlinked."""
    for code in languages:
        shutil.rmtree(site / code / lite_app.SITE_LITE, ignore_errors=True)


def drop_source_maps(site: Path, languages: tuple[str, ...]) -> None:
    for code in languages:
        for source_map in (site / code).glob(SOURCE_MAPS):
            source_map.unlink()


def examples_command(
    project: Project, outdir: Path, language: str, *, source: Path | None = None
) -> list[str]:
    return sphinx_command(
        "examples",
        outdir,
        outdir / ".doctrees",
        confdir=project.root,
        source=source or project.docs,
        fresh=True,
        language=language,
    )


def run_examples(
    project: Project, outdir: Path, languages: tuple[str, ...] = CODES, *, capture: bool = False
) -> list[tuple[int, str]]:
    """Run every example and transcript on each language's page; results land in
    ``outdir / <language> / "examples.json"``."""
    commands = [examples_command(project, outdir / language, language) for language in languages]
    return run_parallel(commands, capture=capture)
