"""``python -m quickstart_site.server [--site DIR] [--host H] [--port N]``: serve a built site
as it is, without building it first (``python -m quickstart_site serve`` builds, then serves)."""

from __future__ import annotations

import argparse
from pathlib import Path

from quickstart_site import paths
from quickstart_site.server.wsgi import serve

parser = argparse.ArgumentParser(prog="python -m quickstart_site.server")
parser.add_argument("--site", type=Path, default=paths.SITE)
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", type=int, default=8000)
arguments = parser.parse_args()
serve(arguments.site, arguments.host, arguments.port)
