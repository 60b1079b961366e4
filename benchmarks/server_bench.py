"""Benchmark: how many requests per second the site's server (waitress) answers on loopback,
next to Python's ``http.server`` (ThreadingHTTPServer) and Debian's nginx (deploy/nginx.conf)
serving the same tree.

Each runs as its own process on 127.0.0.1; Debian's ``wrk`` sends the same requests to each
(8 keep-alive connections, a warm-up, then three fixed-time runs per server, the servers
taking turns, the median kept), one row per kind of request: an HTML page (plain, then with
a browser's Accept-Encoding), a static asset, a large compressed file, a 404. Every answer
must have the expected status. nginx's figure shows what the load generator can reach on
this machine: it is not what limits the others.

``python -m benchmarks.server_bench [SITE]`` prints a table (default: ``_build/site``,
built first if missing).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import select
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.table import Row
from quickstart_site.project import Project

LOOPBACK = "127.0.0.1"
CLIENTS = 8
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


# What a reader's browser asks for: the same header for every server (http.server ignores it).
BROWSER_ENCODINGS = {"Accept-Encoding": "gzip, deflate, br"}
WRK = "/usr/bin/wrk"
WRK_THREADS = 2  # one per core: wrk (C, epoll, keep-alive) is not what limits these figures
WARM_UP, DURATION = 1, 2  # seconds per run
# Each server runs ROUNDS times per row, the servers taking turns, and the median counts: on a
# shared machine a single run per server compares a busy moment with a quiet one (seen: the
# same tree's http.server at 1,032 and 1,817 req/s a minute apart).
ROUNDS = 3
OURS = "ours (waitress)"


@dataclass(frozen=True)
class Kind:
    """One row of the server table: a request, and what every server must answer to it."""

    label: str
    path: str
    headers: dict[str, str]
    status: int = 200


def kinds(site: Path) -> list[Kind]:
    html_size = (site / HTML_PAGE).stat().st_size
    wasm = next(site.glob("_runtime/pyodide/*.wasm"), None) or largest_asset(site)
    wasm_path = wasm.relative_to(site).as_posix()
    return [
        Kind(f"one HTML page ({html_size // 1024} KB), no compression", HTML_PAGE, {}),
        Kind("one HTML page, a browser's Accept-Encoding", HTML_PAGE, BROWSER_ENCODINGS),
        Kind("a static asset (pygments.css)", STATIC_ASSET, BROWSER_ENCODINGS),
        Kind(
            f"a large compressed file ({wasm.stat().st_size / 1e6:.0f} MB .wasm)",
            wasm_path,
            BROWSER_ENCODINGS,
        ),
        Kind("a 404", "en/no-such-page.html", BROWSER_ENCODINGS, status=404),
    ]


STATIC_ASSET = "en/_static/pygments.css"


def largest_asset(site: Path) -> Path:
    files = (path for path in site.rglob("*") if path.is_file() and path.suffix != ".html")
    return max(files, key=lambda path: path.stat().st_size)


def wrk(base: str, kind: Kind, seconds: int) -> tuple[float, list[str]]:
    """Requests per second from ``wrk`` (CLIENTS keep-alive connections), and what went
    wrong: socket errors, or statuses other than the expected one."""
    if urlsplit(base).hostname != LOOPBACK:
        raise ValueError(f"loopback only, not {base}")
    command = [WRK, f"-t{WRK_THREADS}", f"-c{CLIENTS}", f"-d{seconds}s", "--latency"]
    for name, value in kind.headers.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run(
        [*command, base + kind.path], capture_output=True, text=True, timeout=seconds + 30
    )
    if done.returncode:
        return 0.0, [f"wrk failed: {done.stderr.strip()}"]
    match = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    requests = re.search(r"(\d+) requests in", done.stdout)
    problems = [line.strip() for line in done.stdout.splitlines() if "Socket errors" in line]
    odd = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    if kind.status == 200 and odd:
        problems.append(f"{odd[1]} responses were not 2xx/3xx")
    if kind.status != 200 and requests and (not odd or odd[1] != requests[1]):
        problems.append(f"not every response was a {kind.status}")
    return (float(match[1]) if match else 0.0), problems


def check_once(base: str, kind: Kind) -> list[str]:
    """One request by hand: the status every server must give, and a body."""
    connection = http.client.HTTPConnection(LOOPBACK, urlsplit(base).port, timeout=30)
    try:
        connection.request("GET", f"/{kind.path}", headers=kind.headers)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    if response.status != kind.status or not body:
        return [f"{base}{kind.path}: status {response.status}, {len(body)} bytes"]
    return []


@contextlib.contextmanager
def servers(site: Path) -> Iterator[dict[str, str]]:
    """Our server (waitress), Python's http.server and Debian's nginx (deploy/nginx.conf) on
    the same tree, each on its own loopback port: name -> base URL. nginx is left out, with a
    note, where it cannot run (not installed, not root)."""
    from benchmarks.nginx import NGINX, nginx_serving

    with contextlib.ExitStack() as stack:
        bases = {
            OURS: stack.enter_context(running(ours(site))),
            "http.server": stack.enter_context(running(baseline(site))),
        }
        if os.path.exists(NGINX) and os.geteuid() == 0:
            base, _port, _workers = stack.enter_context(nginx_serving(site, access_log=False))
            bases["nginx"] = base
        yield bases


def measure(site: Path, *, seconds: int = DURATION, rounds: int = ROUNDS) -> list[Row]:
    """Requests per second for each kind of request, 8 clients: each server's median of
    ``rounds`` runs, the servers taking turns; the target: ours at least as fast as
    http.server on every row."""
    if not os.path.exists(WRK):
        raise RuntimeError(f"{WRK} is missing: apt-get install wrk")
    rows: list[Row] = []
    failures: list[str] = []
    with servers(site) as bases:
        for kind in kinds(site):
            runs: dict[str, list[float]] = {name: [] for name in bases}
            for base in bases.values():
                failures += check_once(base, kind)
                wrk(base, kind, WARM_UP)  # imports, caches, the page cache
            for _ in range(rounds):
                for name, base in bases.items():
                    rate, problems = wrk(base, kind, seconds)
                    runs[name].append(rate)
                    failures += [f"{name}, /{kind.path}: {problem}" for problem in problems]
            rates = {name: statistics.median(values) for name, values in runs.items()}
            ours_rate, baseline_rate = rates.pop(OURS), rates["http.server"]
            others = ", ".join(f"{name} {rate:,.0f}" for name, rate in rates.items())
            rows.append(
                Row(
                    f"server, {kind.label}, {CLIENTS} clients (req/s, median of {rounds}; "
                    f"{others})",
                    f"{ours_rate:,.0f}",
                    ">= http.server",
                    ours_rate >= baseline_rate,
                )
            )
    rows.append(Row("server: failed requests", str(len(failures)), "0", not failures))
    for failure in failures:
        print(f"server bench: {failure}", file=sys.stderr)
    return rows


def main(argv: list[str] | None = None) -> int:
    from benchmarks.table import table
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
    return 0 if rows[-1].met else 1


if __name__ == "__main__":
    sys.exit(main())
