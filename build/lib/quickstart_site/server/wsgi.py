"""Running the application under waitress, a production WSGI server (pure Python, so it runs
wherever the build does; Flask's development server is not meant for readers)."""

from __future__ import annotations

from pathlib import Path

# waitress re-exports create_server from waitress.server; types-waitress does not say so.
from waitress import create_server  # type: ignore[attr-defined]

from quickstart_site.server.app import create_app

# Requests carry no body and short headers; refuse large ones before buffering them.
LIMITS = {"max_request_body_size": 64 * 1024, "max_request_header_size": 64 * 1024}


def serve(site: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve ``site`` until interrupted (Ctrl+C). Port 0 takes a free port; the first line
    printed names the address."""
    server = create_server(create_app(site), host=host, port=port, **LIMITS)
    # One socket gives a server with effective_host/port, several (a name that resolves to
    # IPv4 and IPv6) one with effective_listen; waitress only logs them, at INFO.
    listening = getattr(server, "effective_listen", None) or [
        (server.effective_host, server.effective_port)
    ]
    for address, bound_port in listening:
        address = f"[{address}]" if ":" in address else address
        print(f"Serving {site} on http://{address}:{bound_port}/ (Ctrl+C to stop)", flush=True)
    server.run()
