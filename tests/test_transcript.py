"""Transcript text: commands, expected lines and placeholders."""

from __future__ import annotations

import re

import pytest
from docutils import nodes
from docutils.core import publish_doctree
from myst_parser.parsers.docutils_ import Parser as MystParser
from sphinx.util.docutils import docutils_namespace, register_directive

from quickstart_site.examples.transcript import (
    TranscriptError,
    displayed,
    line_pattern,
    normalize,
    parse,
)
from quickstart_site.sphinx_ext.examples.directives import Transcript

RUN = """\
$ flask --app hello run
 * Running on http://127.0.0.1:{{port:5000}}
 * Debugger PIN: {{pin:123-456-789}}

$ python -c 'print(1)'
1
"""


def test_commands_and_their_expected_lines_are_split_at_dollar_lines() -> None:
    first, second = parse(RUN)
    assert first.argv == ["flask", "--app", "hello", "run"]
    assert first.expected == [
        " * Running on http://127.0.0.1:{{port:5000}}",
        " * Debugger PIN: {{pin:123-456-789}}",
    ]
    assert second.argv == ["python", "-c", "print(1)"]
    assert second.expected == ["1"]


def test_the_reader_sees_the_shown_value_of_each_placeholder() -> None:
    assert displayed(RUN).splitlines()[1:3] == [
        " * Running on http://127.0.0.1:5000",
        " * Debugger PIN: 123-456-789",
    ]


def test_a_port_placeholder_matches_only_the_port_the_check_used() -> None:
    pattern = line_pattern(" * Running on http://127.0.0.1:{{port:5000}}", port=6123)
    assert pattern.fullmatch(" * Running on http://127.0.0.1:6123")
    assert not pattern.fullmatch(" * Running on http://127.0.0.1:5000")


@pytest.mark.parametrize(
    ("expected", "printed", "matches"),
    [
        ("PIN: {{pin:123-456-789}}", "PIN: 995-193-534", True),
        ("PIN: {{pin:123-456-789}}", "PIN: 995-193", False),
        ("{{hex:0123456789abcdef}}", "192b9bdd22ab9ed4", True),
        ("{{hex:0123456789abcdef}}", "192b9bdd22ab9ed4!", False),
        ("{{hex:0123456789abcdef}}", "192b9bdd22ab9ed", False),
        ("{{hex:0123456789abcdef}}", "192B9BDD22AB9ED4", False),
        ("http://{{ip:192.168.0.10}}:80", "http://10.1.2.3:80", True),
        ("http://{{ip:192.168.0.10}}:80", "http://example.org:80", False),
        ("literal (0.0.0.0)", "literal (0.0.0.0)", True),
        ("literal (0.0.0.0)", "literal (0a0.0.0)", False),
    ],
)
def test_placeholders_accept_what_varies_and_nothing_else(expected, printed, matches) -> None:
    assert bool(line_pattern(expected, port=None).fullmatch(printed)) is matches


def test_colour_codes_and_trailing_space_are_not_part_of_what_is_compared() -> None:
    assert normalize("\x1b[33mPress CTRL+C to quit\x1b[0m  \n") == "Press CTRL+C to quit"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("no command here", "output before the first command"),
        ("", "at least one line starting with '$ '"),
        ("$ flask run\n{{key:abc}}", "unknown placeholder kind 'key'"),
    ],
)
def test_malformed_transcripts_are_refused_with_the_line_and_the_fix(text, problem) -> None:
    with pytest.raises(TranscriptError, match=re.escape(problem)):
        parse(text)


def transcript_blocks(markdown: str) -> tuple[list[nodes.literal_block], list[str]]:
    """The blocks the {transcript} directive makes of a small MyST page, and its errors."""
    with docutils_namespace():
        register_directive("transcript", Transcript)
        doctree = publish_doctree(
            markdown,
            parser=MystParser(),
            settings_overrides={"report_level": 5, "halt_level": 5},
        )
    blocks = [block for block in doctree.findall(nodes.literal_block) if "transcript" in block]
    errors = [message.astext() for message in doctree.findall(nodes.system_message)]
    return blocks, errors


def test_the_server_option_marks_a_transcript_as_ending_with_a_server() -> None:
    page = (
        "```{transcript} serve\n:server:\n$ flask run\nPress CTRL+C to quit\n```\n\n"
        "```{transcript} key\n$ python -c 'print(1)'\n1\n```\n\n"
        "```{transcript} port-in-use\n:server:\n:occupied-port:\n$ flask run\nin use\n```\n"
    )
    blocks, errors = transcript_blocks(page)
    assert errors == []
    assert {b["transcript_name"]: b["transcript_server"] for b in blocks} == {
        "serve": True,
        "key": False,
        "port-in-use": True,
    }
    assert [b["occupied_port"] for b in blocks] == [False, False, True]


def test_an_occupied_port_without_a_server_is_refused() -> None:
    blocks, errors = transcript_blocks("```{transcript} taken\n:occupied-port:\n$ flask run\n```\n")
    assert blocks == []
    assert len(errors) == 1
    assert "transcript 'taken': :occupied-port: is about a server: add :server:" in errors[0]
