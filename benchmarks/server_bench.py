"""Benchmark: how many requests per second the site's server (waitress) answers on loopback,
next to Python's ``http.server`` (ThreadingHTTPServer) serving the same tree.

Both run as their own process on 127.0.0.1 and get the same fixed number of requests from the
same concurrent clients, without compression (``http.server`` has none), so the figures compare
serving, not encoding. Every request must succeed; each run has a time limit.

``python -m benchmarks.server_bench [SITE]`` prints a table (default: ``_build/site``,
built first if missing).
"""

from __future__ import annotations

import contextlib
import http.client
import re
import select
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from quickstart_site.project import Project

LOOPBACK = "127.0.0.1"
CLIENTS = 8
HTML_REQUESTS = 3000
ASSET_REQUESTS = 500
HTML_PAGE = "ru/quickstart.html"
TIME_LIMIT = 120.0  # seconds per run; a run that takes longer counts its missing requests
STARTUP_TIME_LIMIT = 30.0
ADDRESS = re.compile(rf"http://{re.escape(LOOPBACK)}:(\d+)/")

# (path, request headers)
Request = tuple[str, dict[str, str]]
# Given a request's path, the response's status, headers and body: what is wrong, or None.
Check = Callable[[str, int, http.client.HTTPMessage, bytes], "str | None"]


def ours(site: Path) -> list[str]:
    return [sys.executable, "-m", "quickstart_site.server", "--site", str(site), "--port", "0"]


def baseline(site: Path) -> list[str]:
    # -u: http.server announces its port with a plain print, buffered in a pipe otherwise.
    command = [sys.executable, "-u", "-m", "http.server", "0", "--bind", LOOPBACK]
    return command + ["--directory", str(site)]


@contextlib.contextmanager
def running(command: list[str], *, time_limit: float = STARTUP_TIME_LIMIT) -> Iterator[str]:
    """Start a server process that prints its loopback address; yield its base URL, stop it."""
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        yield wait_for_address(process, time_limit)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


def wait_for_address(process: subprocess.Popen[str], time_limit: float) -> str:
    deadline = time.monotonic() + time_limit
    seen = []
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([process.stdout], [], [], left)
        line = process.stdout.readline() if ready else ""
        if not line and process.poll() is not None:
            break
        seen.append(line)
        if match := ADDRESS.search(line):
            return f"http://{LOOPBACK}:{match[1]}/"
    raise RuntimeError(f"{' '.join(command_name(process))} printed no address: {seen}")


def command_name(process: subprocess.Popen[str]) -> list[str]:
    return [str(part) for part in process.args]


@dataclass
class Load:
    requests: int = 0  # answered and checked
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def hammer(
    base: str,
    requests: Sequence[Request],
    *,
    total: int,
    clients: int = CLIENTS,
    check: Check | None = None,
    time_limit: float = TIME_LIMIT,
) -> Load:
    """``total`` GET requests from ``clients`` threads, each on its own keep-alive connection,
    cycling through ``requests``; stops at ``time_limit`` (the rest count as errors)."""
    address = urlsplit(base)
    if address.hostname != LOOPBACK:
        raise ValueError(f"loopback only, not {base}")
    load, lock = Load(), threading.Lock()
    deadline = time.monotonic() + time_limit

    def client(number: int) -> None:
        connection = http.client.HTTPConnection(LOOPBACK, address.port, timeout=30)
        try:
            for index in range(number, total, clients):
                if time.monotonic() > deadline:
                    with lock:
                        load.errors.append(f"time limit: {total - index} requests not sent")
                    return
                path, headers = requests[index % len(requests)]
                problem = fetch(connection, path, headers, check)
                with lock:
                    if problem:
                        load.errors.append(f"/{path}: {problem}")
                    else:
                        load.requests += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(time_limit + 60)
    load.seconds = time.perf_counter() - started
    return load


def fetch(
    connection: http.client.HTTPConnection,
    path: str,
    headers: dict[str, str],
    check: Check | None,
) -> str | None:
    try:
        connection.request("GET", f"/{path}", headers=headers)
        response = connection.getresponse()
        body = response.read()
    except (OSError, http.client.HTTPException) as error:
        connection.close()  # the next request opens a fresh connection
        return f"{type(error).__name__}: {error}"
    if check is not None:
        return check(path, response.status, response.headers, body)
    return None if response.status == 200 else f"status {response.status}"


def largest_asset(site: Path) -> Path:
    files = (path for path in site.rglob("*") if path.is_file() and path.suffix != ".html")
    return max(files, key=lambda path: path.stat().st_size)


def measure(site: Path) -> list[tuple[str, str]]:
    """Requests per second for one HTML page and for the site's largest file, each server in
    turn, the same requests for both."""
    asset = largest_asset(site).relative_to(site).as_posix()
    html_size = (site / HTML_PAGE).stat().st_size
    asset_size = (site / asset).stat().st_size
    runs = [
        (f"/{HTML_PAGE} ({html_size / 1024:.0f} KB)", HTML_PAGE, HTML_REQUESTS),
        (f"/{asset} ({asset_size / 1024 / 1024:.1f} MB)", asset, ASSET_REQUESTS),
    ]
    rows, errors = [], 0
    for label, path, total in runs:
        for server, command in (("waitress", ours(site)), ("http.server", baseline(site))):
            with running(command) as base:
                hammer(base, [(path, {})], total=CLIENTS * 5)  # warm up: imports, caches
                load = hammer(base, [(path, {})], total=total)
            errors += len(load.errors)
            rows.append((f"{label}, {server}", f"{load.per_second:.0f} req/s"))
    with running(ours(site)) as base:
        gzip = [(HTML_PAGE, {"Accept-Encoding": "gzip"})]
        hammer(base, gzip, total=CLIENTS * 5)
        load = hammer(base, gzip, total=HTML_REQUESTS)
    errors += len(load.errors)
    rows.append((f"/{HTML_PAGE} gzipped, waitress", f"{load.per_second:.0f} req/s"))
    rows.append((f"concurrent clients on {LOOPBACK}", str(CLIENTS)))
    rows.append(("requests per run (HTML page, asset)", f"{HTML_REQUESTS}, {ASSET_REQUESTS}"))
    rows.append(("failed requests", str(errors)))
    return rows


def main(argv: list[str] | None = None) -> int:
    from benchmarks.bench import table
    from quickstart_site.orchestration.build import build_site

    arguments = sys.argv[1:] if argv is None else argv
    project = Project.find()
    site = Path(arguments[0]) if arguments else project.site
    if not (site / HTML_PAGE).exists():
        status, _ = build_site(project, site=site)
        if status:
            return status
    rows = measure(site)
    print(table(rows))
    return 0 if rows[-1][1] == "0" else 1


if __name__ == "__main__":
    sys.exit(main())
