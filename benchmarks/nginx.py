"""Debian's nginx serving a built site with the project's deploy/nginx.conf, on a free
loopback port, its worker running as ``nobody`` (neither root nor the files' owner), as a
distribution's nginx does. tests/test_static_host.py tests the site on it; the bench measures
it beside our server."""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks.chromium import LOOPBACK

NGINX = "/usr/sbin/nginx"
TEMPLATE = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf"
WORKER_USER = "nobody"
START_LIMIT = 15.0  # seconds
STOP_LIMIT = 10.0

MAIN_CONFIG = """\
user {user} {group};
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {access_log};
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def workers_of(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(child) for child in children]


def uid_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Uid:"):
            return int(line.split()[1])
    raise AssertionError(f"no Uid in /proc/{pid}/status")


def started_workers(master: int) -> list[int]:
    """The master's workers once each has given up root. nginx listens before it forks them,
    and forks each as root before it switches to its user: read as soon as the port answers,
    a worker may be missing or still root (seen in a loaded test run: uid 0). After
    START_LIMIT they are returned as they are, for the caller to judge."""
    deadline = time.monotonic() + START_LIMIT
    while True:
        workers = workers_of(master)
        if (workers and 0 not in map(uid_of, workers)) or time.monotonic() > deadline:
            return workers
        time.sleep(0.05)


def wait_for_port(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + START_LIMIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"nginx exited ({process.returncode}):\n{log.read_text()}")
        with contextlib.suppress(OSError), socket.create_connection((LOOPBACK, port), 1):
            return
        time.sleep(0.1)
    raise AssertionError(f"nginx did not listen on {port} in {START_LIMIT} s:\n{log.read_text()}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (fast shutdown); past the limit, SIGKILL to its process group (its workers)."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=STOP_LIMIT)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_LIMIT)


@contextlib.contextmanager
def nginx_serving(site: Path, *, access_log: bool = True) -> Iterator[tuple[str, int, list[int]]]:
    """nginx on a free loopback port with deploy/nginx.conf for ``site``: the base URL, the
    port, and the workers' pids. The master starts as root only to switch its worker to
    ``nobody``. Every folder above ``site`` must let ``nobody`` through."""
    with tempfile.TemporaryDirectory(prefix="nginx-") as tmp:
        port = free_port()
        server = TEMPLATE.read_text().replace("@SITE_ROOT@", str(site))
        server = server.replace("@LISTEN@", f"{LOOPBACK}:{port}")
        assert "@" not in server.replace("$", ""), "a placeholder is left in the template"
        (Path(tmp) / "site.conf").write_text(server)
        config = Path(tmp) / "nginx.conf"
        group = grp.getgrgid(pwd.getpwnam(WORKER_USER).pw_gid).gr_name
        log_to = f"{tmp}/access.log" if access_log else "off"
        config.write_text(
            MAIN_CONFIG.format(user=WORKER_USER, group=group, tmp=tmp, access_log=log_to)
        )
        log = Path(tmp) / "error.log"
        command = [NGINX, "-c", str(config), "-p", tmp, "-e", str(log)]
        process = subprocess.Popen(command, start_new_session=True, stderr=subprocess.DEVNULL)
        try:
            wait_for_port(process, port, log)
            yield f"http://{LOOPBACK}:{port}/", port, started_workers(process.pid)
        finally:
            stop(process)
