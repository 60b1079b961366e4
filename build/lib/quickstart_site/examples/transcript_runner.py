"""Run the commands of a shell transcript for real and compare what they print.

Which command is a server is said, never guessed: in a transcript marked ``:server:``, the
last command is the server (``flask run``, which never exits by itself). Once it has printed
every expected line and listens on its port, it is stopped, with its whole process group (the
reloader of ``--debug`` forks a child); exiting before that is a failure. With
``:occupied-port:`` the port is held first, and the server must fail to start instead. Every
other command, and every command of a transcript without ``:server:``, is waited for, however
slowly it exits, so that its exit status counts; one that never exits times out.

Everything is bounded in time. The port is a free one, found on the loopback interface and
given to the commands as ``FLASK_RUN_PORT``; the page shows it as ``{{port:5000}}``. A server
binds it on the loopback interface only, unless its transcript says otherwise: the
``run-external`` transcript passes ``--host=0.0.0.0``, so while it runs its server listens on
that port on every network interface of the machine.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from quickstart_site.examples.transcript import Command, line_pattern, normalize, parse

DEFAULT_TIMEOUT = 20.0
# How often a server that printed every expected line is asked whether it listens yet.
LISTEN_POLL = 0.05


@dataclass
class CommandResult:
    command: Command
    passed: bool
    printed: list[str]
    message: str = ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return cast(int, probe.getsockname()[1])


def listening(port: int) -> bool:
    """Whether a server accepts connections on ``port`` of the loopback interface."""
    with socket.socket() as probe:
        probe.settimeout(1)
        if probe.connect_ex(("127.0.0.1", port)) != 0:
            return False
        # With nothing listening, Linux may connect a socket to itself when its own ephemeral
        # port happens to be the one asked for (free_port's ports are ephemeral ones).
        return cast(bool, probe.getsockname() != probe.getpeername())


@contextlib.contextmanager
def occupied(port: int) -> Iterator[None]:
    """Hold ``port`` the way another program would, so the page's "port in use" text shows."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", port))
        holder.listen()
        yield


def command_environment(port: int) -> dict[str, str]:
    """A clean environment: this interpreter's tools first, no FLASK_* leaking in from outside."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PYTHONUNBUFFERED"] = "1"
    # The page shows the default port; the check runs on a free one and compares with it.
    env["FLASK_RUN_PORT"] = str(port)
    return env


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for raw in iter(stream.readline, ""):
        lines.put(raw)
    lines.put(None)


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def run_command(
    command: Command,
    cwd: Path,
    *,
    port: int,
    server: bool = False,
    expect_failure: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> CommandResult:
    """Run one command in ``cwd`` and compare its output, line by line, with the page's.

    A ``server`` is stopped once it has printed every expected line and listens on ``port``;
    ending by itself before that is a failure. Any other command must end by itself within
    ``timeout`` and succeed (exit status 0), or fail if ``expect_failure``: a page showing an
    error must show a real one. A server expected to fail (its port is taken) is such a
    command: it must exit by itself, with a non-zero status.
    """
    stop_when_ready = server and not expect_failure
    process = subprocess.Popen(
        command.argv,
        cwd=cwd,
        env=command_environment(port),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()
    pump = threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True)
    pump.start()
    printed: list[str] = []
    deadline = time.monotonic() + timeout
    ended = False
    problem = ""
    try:
        while not ended and not problem:
            all_printed = len(printed) >= len(command.expected)
            if stop_when_ready and all_printed and lines.empty() and listening(port):
                break  # the server is up and said what the page shows: stop it
            wait = deadline - time.monotonic()
            if wait <= 0:
                problem = _timed_out(command, printed, timeout, port, server, expect_failure)
                break
            if stop_when_ready and all_printed:
                wait = min(wait, LISTEN_POLL)  # look again whether it listens
            try:
                raw = lines.get(timeout=wait)
            except queue.Empty:
                continue
            if raw is None:
                # The end of the output comes a moment before the exit status does (the pipe
                # closes while the process is still exiting): wait for the status itself.
                try:
                    process.wait(timeout=max(deadline - time.monotonic(), 0))
                    ended = True
                except subprocess.TimeoutExpired:
                    problem = _timed_out(command, printed, timeout, port, server, expect_failure)
            else:
                printed.append(normalize(raw))
                if not _matches_so_far(command, printed, port):
                    break
    finally:
        _stop(process)
        pump.join(timeout=5)
        cast(IO[str], process.stdout).close()  # stdout=PIPE: never None
    status = process.returncode
    if ended and stop_when_ready:
        problem = f"the server exited (status {status}) before it listened on port {port}"
    elif ended and (status != 0) != expect_failure:
        wanted = "a non-zero status" if expect_failure else "status 0"
        problem = f"exited with status {status}, not {wanted}"
    return _verdict(command, printed, port, problem)


def _timed_out(
    command: Command,
    printed: list[str],
    timeout: float,
    port: int,
    server: bool,
    expect_failure: bool,
) -> str:
    """Why the command ran too long, with a hint when it printed every expected line."""
    problem = f"timed out after {timeout:g} s"
    if len(printed) < len(command.expected):
        return problem
    if server and expect_failure:
        return f"{problem}: with port {port} taken, the server should have failed to start"
    if server:
        return (
            f"{problem}: the server never listened on port {port} "
            "(it must take its port from FLASK_RUN_PORT: no --port)"
        )
    return (
        f"{problem}: still running after its output (a server never exits: mark its "
        "transcript :server:, with the server as its last command)"
    )


def _matches_so_far(command: Command, printed: list[str], port: int) -> bool:
    index = len(printed) - 1
    if index >= len(command.expected):
        return False
    return bool(line_pattern(command.expected[index], port).fullmatch(printed[index]))


def _verdict(command: Command, printed: list[str], port: int, problem: str) -> CommandResult:
    expected = command.expected
    same_length = len(printed) == len(expected)
    all_match = same_length and all(
        line_pattern(want, port).fullmatch(got) for want, got in zip(expected, printed, strict=True)
    )
    if all_match and not problem:
        return CommandResult(command, True, printed)
    why = problem or "the output differs from the page"
    shown = "\n".join(f"    {line}" for line in expected) or "    (nothing)"
    got = "\n".join(f"    {line}" for line in printed) or "    (nothing)"
    message = f"$ {command.line}: {why}\n  expected (page):\n{shown}\n  got (real command):\n{got}"
    return CommandResult(command, False, printed, message)


def replay(
    text: str,
    folder: Path,
    *,
    occupied_port: bool = False,
    server: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[str]:
    """Run a transcript's commands in ``folder``; the first difference stops it and is the
    one message returned (none when every command printed what the page shows).

    With ``server``, the last command is the server; the others are waited for. With
    ``occupied_port`` (which needs ``server``), the port is held first: the server must then
    fail to start, and the commands before it must still succeed.
    """
    if occupied_port and not server:
        raise ValueError("occupied_port is about a server: it needs server=True")
    commands = parse(text)
    port = free_port()
    with occupied(port) if occupied_port else contextlib.nullcontext():
        for index, command in enumerate(commands):
            is_server = server and index == len(commands) - 1
            result = run_command(
                command,
                folder,
                port=port,
                server=is_server,
                expect_failure=occupied_port and is_server,
                timeout=timeout,
            )
            if not result.passed:
                return [result.message]
    return []
