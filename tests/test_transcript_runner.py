"""Running transcript commands for real: output, exit status, servers and time limits."""

from __future__ import annotations

import shlex
import socket

import pytest

from quickstart_site.examples.transcript import Command
from quickstart_site.examples.transcript_runner import (
    free_port,
    listening,
    occupied,
    replay,
    run_command,
)


def command(line: str, *expected: str) -> Command:
    return Command(line, 0, list(expected))


def python(code: str) -> str:
    """A command line running ``code`` with the Python of the commands' PATH."""
    return shlex.join(["python", "-c", code])


def test_matching_output_passes(tmp_path) -> None:
    result = run_command(command(python("print('hi')"), "hi"), tmp_path, port=free_port())
    assert result.passed, result.message


def test_different_output_fails_with_both_sides(tmp_path) -> None:
    result = run_command(command(python("print('hi')"), "hello"), tmp_path, port=free_port())
    assert not result.passed
    assert "expected (page):\n    hello\n  got (real command):\n    hi" in result.message


def test_extra_output_is_a_difference(tmp_path) -> None:
    result = run_command(command(python("print(1); print(2)"), "1"), tmp_path, port=free_port())
    assert not result.passed


def test_a_failing_command_fails_even_if_it_prints_what_the_page_shows(tmp_path) -> None:
    line = python("import sys; print('ok'); sys.exit(3)")
    result = run_command(command(line, "ok"), tmp_path, port=free_port())
    assert not result.passed
    assert "exited with status 3, not status 0" in result.message
    assert run_command(command(line, "ok"), tmp_path, port=free_port(), expect_failure=True).passed


def closes_its_output_then(rest: str) -> str:
    """A command that prints "ok", closes its output (the pipe ends) and only then goes on."""
    return python(
        f"import os, sys, time; print('ok', flush=True); os.close(1); os.close(2); {rest}"
    )


def test_the_exit_status_counts_even_when_it_comes_after_the_end_of_the_output(tmp_path) -> None:
    line = closes_its_output_then("time.sleep(0.3); sys.exit(3)")
    result = run_command(command(line, "ok"), tmp_path, port=free_port())
    assert not result.passed
    assert "exited with status 3, not status 0" in result.message


def test_a_command_that_closes_its_output_but_never_exits_times_out(tmp_path) -> None:
    line = closes_its_output_then("time.sleep(60)")
    result = run_command(command(line, "ok"), tmp_path, port=free_port(), timeout=0.3)
    assert not result.passed
    assert "timed out after 0.3 s" in result.message


def stand_in(*statements: str) -> str:
    """A stand-in for `flask run`, one Python statement after the other."""
    return python("; ".join(["import os, socket, sys, time", *statements]))


LISTEN = "server = socket.create_server(('127.0.0.1', int(os.environ['FLASK_RUN_PORT'])))"
READY = "print('ready', flush=True)"
# It listens on the port it is given, says so, and never ends.
SERVER = stand_in(LISTEN, READY, "time.sleep(60)")


def test_a_server_is_stopped_once_it_has_printed_every_expected_line(tmp_path) -> None:
    port = free_port()
    result = run_command(command(SERVER, "ready"), tmp_path, port=port, server=True, timeout=5)
    assert result.passed, result.message
    assert not listening(port)  # stopped, not left running


def test_a_server_is_stopped_only_once_it_listens(tmp_path) -> None:
    # It says "ready" a moment before it listens (and notes, just before, that it got there).
    slow = stand_in(
        READY, "time.sleep(0.3)", "open('got-there', 'w').close()", LISTEN, "time.sleep(60)"
    )
    result = run_command(command(slow, "ready"), tmp_path, port=free_port(), server=True, timeout=5)
    assert result.passed, result.message
    assert (tmp_path / "got-there").exists()


def test_a_server_that_exits_before_it_listens_fails_even_with_status_0(tmp_path) -> None:
    port = free_port()
    line = python("print('ready')")
    result = run_command(command(line, "ready"), tmp_path, port=port, server=True, timeout=5)
    assert not result.passed
    assert f"the server exited (status 0) before it listened on port {port}" in result.message


def test_a_listening_command_slow_to_exit_is_no_server_unless_the_page_says_so(tmp_path) -> None:
    # Its lines printed, silent for a second, listening: what the old guess took for a server.
    line = stand_in(LISTEN, READY, "time.sleep(1)", "sys.exit(3)")
    result = run_command(command(line, "ready"), tmp_path, port=free_port(), timeout=5)
    assert not result.passed
    assert "exited with status 3, not status 0" in result.message


def test_a_command_that_never_exits_times_out_unless_it_is_the_server(tmp_path) -> None:
    result = run_command(command(SERVER, "ready"), tmp_path, port=free_port(), timeout=0.5)
    assert not result.passed
    assert "timed out after 0.5 s: still running after its output" in result.message
    assert "mark its transcript :server:" in result.message


def test_a_command_that_never_prints_times_out(tmp_path) -> None:
    silent = python("import time; time.sleep(60)")
    result = run_command(command(silent, "never"), tmp_path, port=free_port(), timeout=0.3)
    assert not result.passed
    assert "timed out after 0.3 s" in result.message


def test_a_server_whose_port_is_taken_must_fail_to_start(tmp_path) -> None:
    port = free_port()
    refused = python("import sys; print('in use'); sys.exit(1)")
    starts = python("import time; print('in use', flush=True); time.sleep(60)")
    with occupied(port):
        run = run_command(
            command(refused, "in use"),
            tmp_path,
            port=port,
            server=True,
            expect_failure=True,
            timeout=5,
        )
        assert run.passed, run.message
        # The port listens (it is held), but that does not make this one a started server.
        run = run_command(
            command(starts, "in use"),
            tmp_path,
            port=port,
            server=True,
            expect_failure=True,
            timeout=0.5,
        )
        assert not run.passed
        assert f"with port {port} taken, the server should have failed to start" in run.message


def test_the_command_runs_in_the_given_folder_with_the_chosen_port(tmp_path) -> None:
    port = free_port()
    show = python("import os; print(os.getcwd()); print(os.environ['FLASK_RUN_PORT'])")
    result = run_command(command(show, str(tmp_path), "{{port:5000}}"), tmp_path, port=port)
    assert result.passed, result.message


def test_an_occupied_port_really_is_taken() -> None:
    port = free_port()
    with occupied(port), socket.socket() as other:
        assert other.connect_ex(("127.0.0.1", port)) == 0


def transcript(*commands: tuple[str, str]) -> str:
    return "".join(f"$ {line}\n{output}\n" for line, output in commands)


def test_the_server_of_a_server_transcript_is_its_last_command(tmp_path) -> None:
    text = transcript((python("print(1)"), "1"), (SERVER, "ready"))
    assert replay(text, tmp_path, server=True, timeout=5) == []
    [message] = replay(text, tmp_path, timeout=0.3)  # no :server:, so it is waited for
    assert "timed out after 0.3 s" in message
    # Only the last command is the server: one before it must exit by itself.
    text = transcript((SERVER, "ready"), (python("print(1)"), "1"))
    [message] = replay(text, tmp_path, server=True, timeout=0.3)
    assert "timed out after 0.3 s" in message


def test_with_its_port_taken_only_the_server_must_fail(tmp_path) -> None:
    refused = python("import sys; print('in use'); sys.exit(1)")
    text = transcript((python("print(1)"), "1"), (refused, "in use"))
    assert replay(text, tmp_path, occupied_port=True, server=True, timeout=5) == []
    text = transcript((python("print(1)"), "1"), (python("print('in use')"), "in use"))
    [message] = replay(text, tmp_path, occupied_port=True, server=True, timeout=5)
    assert "exited with status 0, not a non-zero status" in message


def test_an_occupied_port_needs_a_server(tmp_path) -> None:
    with pytest.raises(ValueError, match="needs server=True"):
        replay(transcript((python("print(1)"), "1")), tmp_path, occupied_port=True)
