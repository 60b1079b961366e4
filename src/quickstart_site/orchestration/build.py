"""Build the site and run the examples: the Sphinx command lines, in one place.

Every build is strict: ``-W --keep-going -n`` turns any warning (an unresolved API name, an
unexecuted Python block, a broken link target) into a failure, after reporting all of them.
Each Sphinx run is its own process, so one page's examples cannot disturb the caller. The
browser runtime is built before Sphinx starts and handed to it as ``examples_runtime``: no
Sphinx event handler downloads anything.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tempfile
from pathlib import Path

from quickstart_site.languages import CODES
from quickstart_site.orchestration import precompress, runtime, static_host
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
    commands: list[list[str]], *, capture: bool = False, timeout: float = PROCESS_TIMEOUT
) -> list[tuple[int, str]]:
    """Run Sphinx processes side by side: one per language beats ``-j`` on two cores, because
    reading and writing a page is serial within one Sphinx process. Returns each exit status,
    with its output (stdout and stderr) when captured. A process still running after
    ``timeout`` seconds is killed and reported (status -9)."""
    with contextlib.ExitStack() as stack:
        logs = [
            stack.enter_context(tempfile.TemporaryFile("w+")) if capture else None for _ in commands
        ]
        processes = [
            subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT if log else None, text=True
            )
            for command, log in zip(commands, logs, strict=True)
        ]
        results = []
        for command, process, log in zip(commands, processes, logs, strict=True):
            try:
                status = process.wait(timeout=timeout)
                note = ""
            except subprocess.TimeoutExpired:
                process.kill()
                status = process.wait()
                note = f"\n{' '.join(command)}\nwas stopped after {timeout:g} s\n"
                print(note, file=sys.stderr)
            if log is not None:
                log.seek(0)
            results.append((status, (log.read() if log is not None else "") + note))
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
) -> list[str]:
    return sphinx_command(
        "html",
        site / language,
        doctrees / language,
        confdir=project.root,
        source=project.docs,
        fresh=fresh,
        language=language,
        settings=runtime_settings(runtime_folder),
    )


def build_site(
    project: Project,
    languages: tuple[str, ...] = CODES,
    *,
    fresh: bool = False,
    site: Path | None = None,
    doctrees: Path | None = None,
    capture: bool = False,
) -> tuple[int, str]:
    """The browser runtime (cached), every language's HTML, then the runtime copied into the
    site and the root page that sends a reader to one of them."""
    site = site or project.site
    doctrees = doctrees or project.doctrees
    runtime_folder = runtime.ensure_runtime(project.runtime_cache)
    commands = [
        html_command(
            project, code, fresh=fresh, site=site, doctrees=doctrees, runtime_folder=runtime_folder
        )
        for code in languages
    ]
    results = run_parallel(commands, capture=capture)
    statuses = [status for status, _ in results]
    for language, status in zip(languages, statuses, strict=True):
        if status:
            print(f"build failed: {language} (see the warnings above)", file=sys.stderr)
    if not any(statuses):
        runtime.install(site, runtime_folder)
        write_root_page(site)
        # What a static host needs (deploy/nginx.conf, _headers), then every file readable
        # by a web server's unprivileged worker: always the last step.
        static_host.write_host_files(site)
        precompress.precompress(site, cache=project.build / "compressed")
        static_host.make_readable(site)
    return max(statuses), "".join(output for _, output in results)


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
