"""``python -m quickstart_site.server --site DIR [--host H] [--port N]``: serve a built site
as it is, without building it first (``python -m quickstart_site serve`` builds, then serves)."""

from quickstart_site.cli import serve_main

serve_main()
