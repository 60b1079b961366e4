"""What the tests share: running a real Sphinx build on a source folder, and reading its report;
running a site script in Node.js."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from quickstart_site.examples.report import Report
from quickstart_site.orchestration.build import run_parallel, sphinx_command
from quickstart_site.project import Project

ROOTS = Path(__file__).parent / "roots"
# The project's configuration without the browser (tests/roots/conf.py).
TEST_CONF = ROOTS
# The project under test: this checkout, wherever the package was installed from.
PROJECT = Project(Path(__file__).resolve().parents[1])
# The time limit a page gives its Run buttons (sphinx_ext/browser/runner.py writes it).
TIME_LIMIT_META = re.compile(r'<meta name="example-time-limit" content="(\d+)">')


@dataclass
class Build:
    returncode: int
    output: str  # stdout and stderr: warnings, doctest failures
    outdir: Path

    @property
    def report(self) -> Report:
        return Report.read(self.outdir / "examples.json")


def sphinx(
    builder: str, source: Path, outdir: Path, *settings: str, cwd: Path | None = None
) -> Build:
    """A fresh, strict Sphinx build of ``source``; ``settings`` are ``name=value`` overrides.

    Without the Run buttons and JupyterLite (8 s of ``jupyter lite build`` per build): these
    small projects test other parts; the real site's tests cover those."""
    command = sphinx_command_for(builder, source, outdir, *settings)
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=cwd)
    return Build(done.returncode, done.stdout + done.stderr, outdir)


def sphinx_command_for(builder: str, source: Path, outdir: Path, *settings: str) -> list[str]:
    command = sphinx_command(
        builder, outdir, outdir / ".doctrees", confdir=TEST_CONF, fresh=True, source=source
    )
    for setting in settings:
        command[-2:-2] = ["-D", setting]
    return command


def sphinx_side_by_side(
    specs: dict[str, tuple[str, Path, tuple[str, ...]]], folder: Path
) -> dict[str, Build]:
    """Several small builds at once (name -> (builder, source, settings)): most of a small
    build is waiting (Sphinx's start, an example's time limit), which overlaps well."""
    commands = {
        name: sphinx_command_for(builder, source, folder / name, *settings)
        for name, (builder, source, settings) in specs.items()
    }
    results = run_parallel(list(commands.values()), capture=True)
    return {
        name: Build(status, output, folder / name)
        for name, (status, output) in zip(commands, results, strict=True)
    }


def by_name(report: Report) -> dict[str, object]:
    return {entry.name: entry for entry in report.entries}


def run_in_node(javascript: str, given: object, workdir: Path) -> object:
    """Run ``javascript`` in Node.js with ``given`` as JSON on its standard input; returns what
    it writes to its standard output, read as JSON."""
    node = shutil.which("node")
    assert node, "site scripts are checked with Node.js (apt-get install nodejs), not installed"
    script = workdir / "check.js"
    script.write_text(javascript, encoding="utf-8")
    done = subprocess.run(
        [node, str(script)],
        input=json.dumps(given),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
