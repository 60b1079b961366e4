"""Build the site and run the examples: the Sphinx command lines, in one place.

Every build is strict: ``-W --keep-going -n`` turns any warning (an unresolved API name, an
unexecuted Python block, a broken link target) into a failure, after reporting all of them.
Each Sphinx run is its own process, so one page's examples cannot disturb the caller.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import subprocess
import sys
import tempfile
from pathlib import Path

from quickstart_site import paths, runtime
from quickstart_site.languages import CODES
from quickstart_site.report import Report
from quickstart_site.root_page import write_root_page

STRICT = ["-W", "--keep-going", "-n"]
DOCTREES = paths.BUILD / "doctrees"


def sphinx_command(
    builder: str,
    outdir: Path,
    doctrees: Path,
    *,
    fresh: bool = False,
    source: Path = paths.DOCS,
    quiet: bool = True,
    language: str | None = None,
) -> list[str]:
    command = [sys.executable, "-m", "sphinx", "-b", builder, "-c", str(paths.ROOT)]
    command += STRICT + ["-d", str(doctrees)]
    if language:
        command += ["-D", f"language={language}"]
    if fresh:
        command.append("-E")
    if quiet:
        command.append("-q")
    return command + [str(source), str(outdir)]


def run(command: list[str]) -> int:
    return subprocess.run(command, check=False).returncode


def run_parallel(commands: list[list[str]], *, capture: bool = False) -> list[tuple[int, str]]:
    """Run Sphinx processes side by side: one per language beats ``-j`` on two cores, because
    reading and writing a page is serial within one Sphinx process. Returns each exit status,
    with its output (stdout and stderr) when captured."""
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
        for process, log in zip(processes, logs, strict=True):
            status = process.wait()
            if log is not None:
                log.seek(0)
            results.append((status, log.read() if log is not None else ""))
        return results


def html_command(
    language: str, *, fresh: bool = False, site: Path = paths.SITE, doctrees: Path = DOCTREES
) -> list[str]:
    return sphinx_command(
        "html", site / language, doctrees / language, fresh=fresh, language=language
    )


def build_site(
    languages: tuple[str, ...] = CODES,
    *,
    fresh: bool = False,
    site: Path = paths.SITE,
    doctrees: Path = DOCTREES,
    capture: bool = False,
) -> tuple[int, str]:
    """The browser runtime (cached), every language's HTML, then the runtime copied into the
    site and the root page that sends a reader to one of them."""
    runtime_folder = runtime.ensure_runtime()
    commands = [html_command(code, fresh=fresh, site=site, doctrees=doctrees) for code in languages]
    results = run_parallel(commands, capture=capture)
    statuses = [status for status, _ in results]
    for language, status in zip(languages, statuses, strict=True):
        if status:
            print(f"build failed: {language} (see the warnings above)", file=sys.stderr)
    if not any(statuses):
        runtime.install(site, runtime_folder)
        write_root_page(site)
    return max(statuses), "".join(output for _, output in results)


def examples_command(outdir: Path, language: str, *, source: Path = paths.DOCS) -> list[str]:
    doctrees = outdir / ".doctrees"
    return sphinx_command(
        "examples", outdir, doctrees, fresh=True, source=source, language=language
    )


def run_examples(outdir: Path, languages: tuple[str, ...] = CODES) -> int:
    """Run every example and transcript on each language's page; results land in
    ``outdir / <language> / "examples.json"``."""
    commands = [examples_command(outdir / language, language) for language in languages]
    return max(status for status, _ in run_parallel(commands))


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m quickstart_site")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build the HTML site into _build/site")
    build.add_argument("--fresh", action="store_true", help="re-read every page")
    examples = commands.add_parser("examples", help="run every example and transcript")
    examples.add_argument("--outdir", type=Path, default=paths.BUILD / "examples")
    examples.add_argument("--language", choices=CODES, action="append", help="default: all")
    serve = commands.add_parser(
        "serve", help="build, then serve _build/site on 127.0.0.1 (waitress)"
    )
    serve.add_argument("--port", type=int, default=8000)
    arguments = parser.parse_args(argv)
    if arguments.command == "examples":
        languages = tuple(arguments.language or CODES)
        status = run_examples(arguments.outdir, languages)
        # Which Flask ran matters: `nox -s doctest` runs this once per supported version.
        flask = importlib.metadata.version("flask")
        for language in languages:
            report = arguments.outdir / language / "examples.json"
            summary = Report.read(report).summary() if report.exists() else "no report"
            print(f"Flask {flask}, {language}: {summary}")
        return status
    try:
        status, _ = build_site(fresh=getattr(arguments, "fresh", False))
    except runtime.RuntimeBuildError as error:
        print(f"building the browser runtime failed: {error}", file=sys.stderr)
        return 1
    if status == 0 and arguments.command == "serve":
        from quickstart_site.server import serve  # waitress and the app: only when serving

        serve(paths.SITE, port=arguments.port)
    return status
