"""Run the commands of a shell transcript for real and compare what they print.

A server command (``flask run``) never exits by itself: once it has printed every expected
line and listens on its port, it is stopped, with its whole process group (the reloader of
``--debug`` forks a child). Any other command is waited for, however slowly it exits, so that
its exit status counts.
Everything is bounded in time, and the only port used is a free one on the loopback interface.
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

from quickstart_site.transcript import Command, line_pattern, normalize

DEFAULT_TIMEOUT = 20.0


@dataclass
class CommandResult:
    command: Command
    passed: bool
    printed: list[str]
    message: str = ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port: int) -> bool:
    """Whether a server accepts connections on ``port`` of the loopback interface."""
    with socket.socket() as probe:
        probe.settimeout(1)
        if probe.connect_ex(("127.0.0.1", port)) != 0:
            return False
        # With nothing listening, Linux may connect a socket to itself when its own ephemeral
        # port happens to be the one asked for (free_port's ports are ephemeral ones).
        return probe.getsockname() != probe.getpeername()


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


def _pump(stream, lines: queue.Queue) -> None:
    for raw in iter(stream.readline, ""):
        lines.put(raw)
    lines.put(None)


def _stop(process: subprocess.Popen) -> None:
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
    expect_failure: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> CommandResult:
    """Run one command in ``cwd`` and compare its output, line by line, with the page's.

    A command that ends by itself must succeed (exit status 0), or fail if
    ``expect_failure``: a page showing an error must show a real one.
    """
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
    lines: queue.Queue = queue.Queue()
    pump = threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True)
    pump.start()
    printed: list[str] = []
    deadline = time.monotonic() + timeout
    ended = False
    try:
        while not ended:
            wait = deadline - time.monotonic()
            if wait <= 0:
                return _verdict(command, printed, port, f"timed out after {timeout:.0f} s")
            if len(printed) >= len(command.expected) and process.poll() is None:
                # Every expected line is there and the process goes on: a server. Give it a
                # moment to print anything unexpected, then stop it.
                wait = min(wait, 0.5)
            try:
                raw = lines.get(timeout=wait)
            except queue.Empty:
                # A command still exiting is not a server: only a listening one is stopped.
                # A command expected to fail must end by itself.
                done = len(printed) >= len(command.expected)
                if done and not expect_failure and listening(port):
                    break
                continue
            if raw is None:
                # The end of the output comes a moment before the exit status does (the pipe
                # closes while the process is still exiting): wait for the status itself.
                try:
                    process.wait(timeout=max(deadline - time.monotonic(), 0))
                except subprocess.TimeoutExpired:
                    return _verdict(command, printed, port, f"timed out after {timeout:.0f} s")
                ended = True
            else:
                printed.append(normalize(raw))
                if not _matches_so_far(command, printed, port):
                    break
    finally:
        _stop(process)
        pump.join(timeout=5)
        process.stdout.close()
    status = process.returncode
    if ended and (status != 0) != expect_failure:
        wanted = "a non-zero status" if expect_failure else "status 0"
        return _verdict(command, printed, port, f"exited with status {status}, not {wanted}")
    return _verdict(command, printed, port, "")


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
