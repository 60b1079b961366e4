"""Running transcript commands for real: output, exit status, servers and time limits."""

from __future__ import annotations

import socket

from quickstart_site.transcript import Command
from quickstart_site.transcript_runner import free_port, occupied, run_command


def command(line: str, *expected: str) -> Command:
    return Command(line, 0, list(expected))


def test_matching_output_passes(tmp_path) -> None:
    result = run_command(command("python -c 'print(\"hi\")'", "hi"), tmp_path, port=free_port())
    assert result.passed, result.message


def test_different_output_fails_with_both_sides(tmp_path) -> None:
    result = run_command(command("python -c 'print(\"hi\")'", "hello"), tmp_path, port=free_port())
    assert not result.passed
    assert "expected (page):\n    hello\n  got (real command):\n    hi" in result.message


def test_extra_output_is_a_difference(tmp_path) -> None:
    result = run_command(command("python -c 'print(1); print(2)'", "1"), tmp_path, port=free_port())
    assert not result.passed


def test_a_failing_command_fails_even_if_it_prints_what_the_page_shows(tmp_path) -> None:
    line = "python -c 'import sys; print(\"ok\"); sys.exit(3)'"
    result = run_command(command(line, "ok"), tmp_path, port=free_port())
    assert not result.passed
    assert "exited with status 3, not status 0" in result.message
    assert run_command(command(line, "ok"), tmp_path, port=free_port(), expect_failure=True).passed


def closes_its_output_then(rest: str) -> str:
    """A command that prints "ok", closes its output (the pipe ends) and only then goes on."""
    return (
        'python -c \'import os, sys, time; print("ok", flush=True); '
        f"os.close(1); os.close(2); {rest}'"
    )


def test_the_exit_status_counts_even_when_it_comes_after_the_end_of_the_output(tmp_path) -> None:
    line = closes_its_output_then("time.sleep(1); sys.exit(3)")
    result = run_command(command(line, "ok"), tmp_path, port=free_port())
    assert not result.passed
    assert "exited with status 3, not status 0" in result.message


def test_a_command_that_closes_its_output_but_never_exits_times_out(tmp_path) -> None:
    line = closes_its_output_then("time.sleep(60)")
    result = run_command(command(line, "ok"), tmp_path, port=free_port(), timeout=2)
    assert not result.passed
    assert "timed out after 2 s" in result.message


# A stand-in for `flask run`: it listens on the port it is given, says so, and never ends.
SERVER = (
    "python -c 'import os, socket, time; server = socket.create_server("
    '("127.0.0.1", int(os.environ["FLASK_RUN_PORT"]))); '
    'print("ready", flush=True); time.sleep(60)\''
)


def test_a_failing_command_that_is_slow_to_exit_still_fails(tmp_path) -> None:
    line = "python -c 'import sys, time; print(\"ok\", flush=True); time.sleep(2); sys.exit(3)'"
    result = run_command(command(line, "ok"), tmp_path, port=free_port())
    assert not result.passed
    assert "exited with status 3, not status 0" in result.message


def test_a_server_is_stopped_once_it_has_printed_every_expected_line(tmp_path) -> None:
    serve = SERVER
    result = run_command(command(serve, "ready"), tmp_path, port=free_port(), timeout=10)
    assert result.passed, result.message


def test_a_command_that_never_prints_times_out(tmp_path) -> None:
    silent = "python -c 'import time; time.sleep(60)'"
    result = run_command(command(silent, "never"), tmp_path, port=free_port(), timeout=1)
    assert not result.passed
    assert "timed out after 1 s" in result.message


def test_the_command_runs_in_the_given_folder_with_the_chosen_port(tmp_path) -> None:
    port = free_port()
    show = "python -c 'import os; print(os.getcwd()); print(os.environ[\"FLASK_RUN_PORT\"])'"
    result = run_command(command(show, str(tmp_path), "{{port:5000}}"), tmp_path, port=port)
    assert result.passed, result.message


def test_an_occupied_port_really_is_taken() -> None:
    port = free_port()
    with occupied(port), socket.socket() as other:
        assert other.connect_ex(("127.0.0.1", port)) == 0
