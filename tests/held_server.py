"""The site's server as ``serve`` runs it (``wsgi.waitress_server``), except that its answer
to ``/held`` waits until a given file exists (at most 10 s): test_server_load's slow answer.
A process of its own, so the test ends it whole.

python tests/held_server.py SITE RELEASE_FILE
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from quickstart_site.server.app import create_app
from quickstart_site.server.wsgi import waitress_server


def main() -> None:
    site, release = Path(sys.argv[1]), Path(sys.argv[2])
    app = create_app(site)

    def held_or_not(environ, start_response):
        if environ["PATH_INFO"] == "/held":
            deadline = time.monotonic() + 10
            while not release.exists() and time.monotonic() < deadline:
                time.sleep(0.02)
        return app(environ, start_response)

    server = waitress_server(held_or_not, "127.0.0.1", 0)
    print(f"Serving {site} on http://127.0.0.1:{server.effective_port}/", flush=True)
    server.run()


if __name__ == "__main__":
    main()
