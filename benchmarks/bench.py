"""Benchmark: how long a contributor waits, and how many examples each run checks.

Works on a copy of ``docs/`` so touching a paragraph never changes the real source.
Run with ``nox -s bench``; prints a table.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.browser_bench import measure as browser_measure
from benchmarks.lighthouse_bench import measure as lighthouse_measure
from benchmarks.server_bench import measure as server_measure
from quickstart_site.examples.report import Report
from quickstart_site.i18n.catalogs import stats
from quickstart_site.languages import CODES
from quickstart_site.orchestration.build import (
    build_site,
    html_command,
    run_examples,
    runtime_settings,
    sphinx_command,
)
from quickstart_site.orchestration.runtime import ensure_runtime
from quickstart_site.project import Project

PROJECT = Project.find()


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - started


def touch_one_paragraph(page: Path) -> None:
    """Change the words of the first prose paragraph, as an author fixing a typo would."""
    lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.strip() and line[0].isalpha():
            lines[index] = line.rstrip("\n") + " Edited.\n"
            break
    page.write_text("".join(lines), encoding="utf-8")


def measure(work: Path) -> list[tuple[str, str]]:
    source = work / "docs"
    shutil.copytree(PROJECT.docs, source)
    html, doctrees = work / "html", work / "doctrees"
    settings = runtime_settings(ensure_runtime(PROJECT.runtime_cache))
    sphinx = functools.partial(sphinx_command, confdir=PROJECT.root, source=source)
    cold = timed(sphinx("html", html, doctrees, settings=settings))
    touch_one_paragraph(source / "quickstart.md")
    incremental = timed(sphinx("html", html, doctrees, settings=settings))
    examples = work / "examples"
    doctest = timed(sphinx("examples", examples, doctrees))
    counts = Report.read(examples / "examples.json").counts()
    return [
        ("cold HTML build", f"{cold:.1f} s"),
        ("incremental rebuild (one paragraph touched)", f"{incremental:.1f} s"),
        ("examples + transcripts run (doctest)", f"{doctest:.1f} s"),
        ("examples executed", str(counts["example"])),
        ("transcripts executed", str(counts["transcript"])),
        ("examples exempted", str(counts["exempt"])),
        ("failures", str(counts["example_failed"] + counts["transcript_failed"])),
    ]


def measure_languages(work: Path) -> list[tuple[str, str]]:
    """All four languages: side by side (what ``build`` does) against one after another."""
    started = time.perf_counter()
    status, _ = build_site(
        PROJECT, fresh=True, site=work / "parallel", doctrees=work / "dt-parallel"
    )
    runtime_folder = ensure_runtime(PROJECT.runtime_cache)
    parallel = time.perf_counter() - started
    sequential = sum(
        timed(
            html_command(
                PROJECT,
                code,
                fresh=True,
                site=work / "serial",
                doctrees=work / "dt-serial",
                runtime_folder=runtime_folder,
            )
        )
        for code in CODES
    )
    started = time.perf_counter()
    results = run_examples(PROJECT, work / "ex")
    examples = time.perf_counter() - started
    rows = [
        (f"cold HTML build, {len(CODES)} languages in parallel", f"{parallel:.1f} s"),
        (f"cold HTML build, {len(CODES)} languages one by one", f"{sequential:.1f} s"),
        (f"examples + transcripts, {len(CODES)} languages in parallel", f"{examples:.1f} s"),
        ("build or example failures", str(status + sum(code for code, _ in results))),
    ]
    for code in CODES[1:]:
        mine = [row for row in stats(PROJECT.locales) if row.language == code]
        done, total = sum(row.translated for row in mine), sum(row.total for row in mine)
        rows.append((f"messages translated, {code}", f"{done}/{total}"))
    return rows


def table(rows: list[tuple[str, str]]) -> str:
    width = max(len(name) for name, _ in rows)
    rule = f"+-{'-' * width}-+-{'-' * 10}-+"
    lines = [rule, f"| {'measure'.ljust(width)} | {'value'.rjust(10)} |", rule]
    lines += [f"| {name.ljust(width)} | {value.rjust(10)} |" for name, value in rows]
    return "\n".join(lines + [rule])


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-") as work:
        work = Path(work)
        rows = measure(work) + measure_languages(work)
        # The server and browser figures, on the four-language site measure_languages built.
        rows += server_measure(work / "parallel")
        rows += browser_measure(work / "parallel")
        # Lighthouse on its own build of the measured pages, for the loopback URL it reads.
        rows += lighthouse_measure(work, PROJECT)
        print(table(rows))


if __name__ == "__main__":
    main()
