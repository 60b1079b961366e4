"""Transcript text: commands, expected lines and placeholders."""

from __future__ import annotations

import re

import pytest

from quickstart_site.transcript import (
    TranscriptError,
    displayed,
    line_pattern,
    normalize,
    parse,
)

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
