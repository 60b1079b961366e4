"""Breaking any expected output or any sample's code turns the run red, naming the example.

Each test copies the real docs, breaks every example of one kind at once, runs the examples
builder once, and checks that each broken example failed by itself, under its own name.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from quickstart_site.orchestration.build import run_parallel, sphinx_command
from tests.helpers import PROJECT, TEST_CONF, Build, by_name
from tests.mutations import change_one_character, change_one_code_line, fences

pytestmark = [pytest.mark.site]


def copy_docs(tmp_path: Path) -> Path:
    source = tmp_path / "docs"
    shutil.copytree(PROJECT.docs, source)
    return source


def mutate_pages(source: Path, mutate) -> dict[str, str]:
    """Apply ``mutate(lines, fences)`` to every page; returns what it broke: name -> change."""
    broken: dict[str, str] = {}
    for page in sorted(source.glob("*.md")):
        lines = page.read_text(encoding="utf-8").splitlines()
        changes = mutate(lines, fences("\n".join(lines)))
        broken.update({name: f"{page.name} {change}" for name, change in changes.items()})
        page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return broken


# Changes that cannot alter what an example does: (example, changed line) -> why.
EQUIVALENT = {
    (
        "trailing-slash",
        'print(client.get("/contact/").status)',
    ): "any URL that matches no rule gets the same 404 page",
}


def relevant(broken: dict[str, str]) -> dict[str, str]:
    return {
        name: change
        for name, change in broken.items()
        if not any(name == example and f"{line!r} ->" in change for example, line in EQUIVALENT)
    }


def break_outputs(lines, found):
    """One character of every expected output and transcript output."""
    broken = {}
    for fence in found:
        if fence.directive not in ("testoutput", "transcript"):
            continue
        first = next(i for i in fence.body if lines[i].strip() and lines[i][:2] != "$ ")
        original, lines[first] = lines[first], change_one_character(lines[first])
        broken.update({name: f"line {first + 1}: {original!r}" for name in fence.names})
    return broken


def break_code(block: int, pick: str):
    """In every example, the block-th code block loses its first/last line."""

    def mutate(lines, found):
        seen: dict[str, int] = defaultdict(int)
        broken = {}
        for fence in found:
            if fence.directive != "testcode":
                continue
            name = fence.names[0]
            if seen[name] == block and (change := change_one_code_line(lines, fence.body, pick)):
                broken[name] = change
            seen[name] += 1
        return broken

    return mutate


def most_code_blocks_in_one_example() -> int:
    per_example: dict[str, int] = defaultdict(int)
    for page in PROJECT.docs.glob("*.md"):
        for fence in fences(page.read_text(encoding="utf-8")):
            if fence.directive == "testcode":
                per_example[f"{page.stem}:{fence.names[0]}"] += 1
    return max(per_example.values())


CODE_ROUNDS = [
    f"code-{block}-{pick}"
    for block in range(most_code_blocks_in_one_example())
    for pick in ("first", "last")
]


@pytest.fixture(scope="module")
def rounds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict[str, str], Build]]:
    """Every round's broken copy of the docs, run side by side (one examples build each).
    The code rounds leave the transcripts out: they break no transcript."""
    prepared = {}
    for name in ["outputs", *CODE_ROUNDS]:
        work = tmp_path_factory.mktemp(name)
        source = copy_docs(work)
        if name == "outputs":
            mutate = break_outputs
        else:
            _, block, pick = name.split("-")
            mutate = break_code(int(block), pick)
        settings = {} if name == "outputs" else {"examples_transcripts": "0"}
        command = sphinx_command(
            "examples",
            work / "out",
            work / "out" / ".doctrees",
            confdir=TEST_CONF,
            source=source,
            fresh=True,
            settings=settings,
        )
        prepared[name] = (relevant(mutate_pages(source, mutate)), command, work / "out")
    results = run_parallel([command for _, command, _ in prepared.values()], capture=True)
    return {
        name: (broken, Build(status, output, outdir))
        for (name, (broken, _, outdir)), (status, output) in zip(
            prepared.items(), results, strict=True
        )
    }


def assert_each_fails_by_name(broken: dict[str, str], build: Build) -> None:
    assert broken, "nothing was mutated: the test would prove nothing"
    assert build.returncode != 0
    entries = by_name(build.report)
    survivors = [f"{name} ({change})" for name, change in broken.items() if entries[name].passed]
    assert not survivors, "examples that still pass after being broken:\n" + "\n".join(survivors)
    unnamed = sorted(name for name in broken if name not in entries[name].output)
    assert not unnamed, f"failure messages that do not name their example: {unnamed}"


def test_changing_one_character_of_any_expected_output_fails(rounds) -> None:
    assert_each_fails_by_name(*rounds["outputs"])


@pytest.mark.parametrize("round_name", CODE_ROUNDS)
def test_changing_one_line_of_any_sample_fails(rounds, round_name: str) -> None:
    assert_each_fails_by_name(*rounds[round_name])
