"""Running the application under waitress, a production WSGI server (pure Python, so it runs
wherever the build does; Flask's development server is not meant for readers)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

# waitress re-exports create_server from waitress.server; types-waitress does not say so.
from waitress import create_server  # type: ignore[attr-defined]

from quickstart_site.server.app import create_app

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

# Requests carry no body and short headers; refuse large ones before buffering them.
LIMITS = {"max_request_body_size": 64 * 1024, "max_request_header_size": 64 * 1024}
# Two request threads, not waitress's four: an answer takes the application about 0.1 ms (a
# file's is sent by waitress's own loop, through the file wrapper, not by the thread), so more
# threads only take turns at the GIL. Measured with wrk, 8 clients (req/s, median of three):
# a static asset 1,332 with four, 1,628 with two, 2,240 with one; a 404 1,499, 1,852, 2,319.
# One thread would be faster still, but one slow answer (a large file gzipped on the fly for a
# site built without compressed copies) would then hold every other reader.
THREADS = 2


def waitress_server(app: WSGIApplication, host: str, port: int) -> Any:
    """waitress's server for ``app``, as ``serve`` runs it (not yet running)."""
    return create_server(app, host=host, port=port, threads=THREADS, **LIMITS)


def serve(site: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve ``site`` until interrupted (Ctrl+C). Port 0 takes a free port; the first line
    printed names the address."""
    server = waitress_server(create_app(site), host, port)
    # One socket gives a server with effective_host/port, several (a name that resolves to
    # IPv4 and IPv6) one with effective_listen; waitress only logs them, at INFO.
    listening = getattr(server, "effective_listen", None) or [
        (server.effective_host, server.effective_port)
    ]
    for address, bound_port in listening:
        address = f"[{address}]" if ":" in address else address
        print(f"Serving {site} on http://{address}:{bound_port}/ (Ctrl+C to stop)", flush=True)
    server.run()
