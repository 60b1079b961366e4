"""Build the site and run the examples: the Sphinx command lines, in one place.

Every build is strict: ``-W --keep-going -n`` turns any warning (an unresolved API name, an
unexecuted Python block, a broken link target) into a failure, after reporting all of them.
Each Sphinx run is its own process, so one page's examples cannot disturb the caller.
"""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

from quickstart_site import paths
from quickstart_site.report import Report

LANGUAGES = ("en",)
STRICT = ["-W", "--keep-going", "-n"]


def sphinx_command(
    builder: str,
    outdir: Path,
    doctrees: Path,
    *,
    fresh: bool = False,
    source: Path = paths.DOCS,
    quiet: bool = True,
) -> list[str]:
    command = [sys.executable, "-m", "sphinx", "-b", builder, "-c", str(paths.ROOT)]
    command += STRICT + ["-d", str(doctrees)]
    if fresh:
        command.append("-E")
    if quiet:
        command.append("-q")
    return command + [str(source), str(outdir)]


def run(command: list[str]) -> int:
    return subprocess.run(command, check=False).returncode


def build_html(language: str = "en", *, fresh: bool = False, site: Path = paths.SITE) -> int:
    status = run(
        sphinx_command("html", site / language, paths.BUILD / "doctrees" / language, fresh=fresh)
    )
    if status == 0:
        write_root_index(site)
    return status


def run_examples(outdir: Path, *, source: Path = paths.DOCS, fresh: bool = True) -> int:
    """Run every example and transcript; results land in ``outdir / "examples.json"``."""
    return run(sphinx_command("examples", outdir, outdir / ".doctrees", fresh=fresh, source=source))


ROOT_INDEX = """<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>Flask Quickstart</title>
<meta http-equiv="refresh" content="0; url=en/">
<link rel="canonical" href="en/">
<p><a href="en/">Flask Quickstart (English)</a></p>
</html>
"""


def write_root_index(site: Path) -> None:
    """The site root sends readers to a language; English is the only one so far."""
    site.mkdir(parents=True, exist_ok=True)
    (site / "index.html").write_text(ROOT_INDEX, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m quickstart_site")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build the HTML site into _build/site")
    build.add_argument("--fresh", action="store_true", help="re-read every page")
    examples = commands.add_parser("examples", help="run every example and transcript")
    examples.add_argument("--outdir", type=Path, default=paths.BUILD / "examples" / "en")
    serve = commands.add_parser("serve", help="build, then serve _build/site on 127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    arguments = parser.parse_args(argv)
    if arguments.command == "examples":
        status = run_examples(arguments.outdir)
        report = arguments.outdir / "examples.json"
        if report.exists():
            # Which Flask ran matters: `nox -s doctest` runs this once per supported version.
            print(f"Flask {importlib.metadata.version('flask')}:", Report.read(report).summary())
        return status
    status = build_all(fresh=getattr(arguments, "fresh", False))
    if status == 0 and arguments.command == "serve":
        serve_site(paths.SITE, arguments.port)
    return status


def build_all(*, fresh: bool = False) -> int:
    return max(build_html(language, fresh=fresh) for language in LANGUAGES)


def serve_site(site: Path, port: int) -> None:
    """A plain static server on the loopback interface, until Ctrl+C."""
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    handler = partial(SimpleHTTPRequestHandler, directory=str(site))
    with ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"Serving {site} on http://127.0.0.1:{port}/ (Ctrl+C to stop)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
