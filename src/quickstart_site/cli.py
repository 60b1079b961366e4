"""``python -m quickstart_site``: build the site, run the examples, build the runtime, serve.

Every command works on the project in the current folder (or the one above it that holds
``conf.py`` and ``docs/``), or on ``--root``.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import sys
from pathlib import Path

from quickstart_site.examples.report import Report
from quickstart_site.languages import CODES
from quickstart_site.orchestration import lite_app, runtime
from quickstart_site.orchestration.build import build_site, run_examples
from quickstart_site.project import Project


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m quickstart_site")
    main.add_argument("--root", type=Path, help="the project folder (default: the current one)")
    commands = main.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build the HTML site into _build/site")
    build.add_argument("--fresh", action="store_true", help="re-read every page")
    examples = commands.add_parser("examples", help="run every example and transcript")
    examples.add_argument("--outdir", type=Path, help="default: _build/examples")
    examples.add_argument("--language", choices=CODES, action="append", help="default: all")
    commands.add_parser("runtime", help="build (or find cached) the browser's Python runtime")
    serve = commands.add_parser(
        "serve", help="build, then serve _build/site (waitress), rebuilding what you edit"
    )
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--no-watch", action="store_true", help="serve the site as built, without rebuilding"
    )
    return main


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    project = Project.find(arguments.root)
    if arguments.command == "examples":
        languages = tuple(arguments.language or CODES)
        outdir = arguments.outdir or project.build / "examples"
        status = max(code for code, _ in run_examples(project, outdir, languages))
        # Which Flask ran matters: `nox -s doctest` runs this once per supported version.
        flask = importlib.metadata.version("flask")
        for language in languages:
            report = outdir / language / "examples.json"
            # The exercises' line comes once per language, below.
            summary = (
                Report.read(report).summary(exercises=False) if report.exists() else "no report"
            )
            print(f"Flask {flask}, {language}: {summary}")
        for language in languages:  # the exercises' line per language, as the issue asks
            report = outdir / language / "examples.json"
            if report.exists():
                print(f"{language}: {Report.read(report).exercise_summary()}")
        return status
    try:
        if arguments.command == "runtime":
            print(runtime.ensure_runtime(project.runtime_cache))
            return 0
        status, _ = build_site(project, fresh=getattr(arguments, "fresh", False))
    except runtime.RuntimeBuildError as error:
        print(f"building the browser runtime failed: {error}", file=sys.stderr)
        return 1
    except lite_app.LiteAppError as error:
        print(f"building the JupyterLite app failed: {error}", file=sys.stderr)
        return 1
    if status == 0 and arguments.command == "serve" and arguments.no_watch:
        from quickstart_site.server import serve  # waitress and the app: only when serving

        serve(project.site, port=arguments.port)
    elif status == 0 and arguments.command == "serve":
        from quickstart_site.orchestration.warm.watch import serve_and_watch

        serve_and_watch(project, CODES, port=arguments.port)
    return status


def serve_main(argv: list[str] | None = None) -> None:
    """``python -m quickstart_site.server``: serve a built site as it is."""
    from quickstart_site.server import serve

    serving = argparse.ArgumentParser(prog="python -m quickstart_site.server")
    serving.add_argument("--site", type=Path, help="default: _build/site of the project here")
    serving.add_argument("--host", default="127.0.0.1")
    serving.add_argument("--port", type=int, default=8000)
    arguments = serving.parse_args(argv)
    serve(arguments.site or Project.find().site, arguments.host, arguments.port)
