"""The security headers every response carries, and the Content-Security-Policy of a page."""

from __future__ import annotations

import re

from quickstart_site.orchestration.lite_app import SITE_LITE
from quickstart_site.server.inline_code import InlineCode

# Same origin only: the site and the in-browser runtime load nothing from elsewhere.
BASE_DIRECTIVES = {
    "default-src": ["'none'"],
    # 'wasm-unsafe-eval' lets pages and workers compile WebAssembly (Pyodide) without
    # allowing JavaScript eval. Inline scripts run only by hash (see inline_code.py).
    "script-src": ["'self'", "'wasm-unsafe-eval'"],
    # Inline CSS cannot run code. The pages load without any inline style (the site-wide
    # browser test passes without this), but the theme's scripts (dropdowns, search dialog)
    # and the JupyterLite apps have not been checked without it.
    "style-src": ["'self'", "'unsafe-inline'"],
    # The theme's CSS draws its small icons as data: SVG images.
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    # The runtime fetches its .wasm, .whl and .json files and runs Python in workers; its
    # console is embedded as a same-origin frame.
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],  # the search box submits to search.html
}

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # Other sites learn only that a reader came from this origin, not from which page.
    "Referrer-Policy": "strict-origin-when-cross-origin",
    # Cross-origin isolation: the runtime gets SharedArrayBuffer (Pyodide interrupts and
    # synchronous input). The site embeds nothing cross-origin, so it costs nothing.
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
    "Cross-Origin-Resource-Policy": "same-origin",
}


NO_INLINE_CODE = InlineCode()

# The site's JupyterLite app (``lite/``, orchestration/lite_app.py): JupyterLab checks its
# settings with ajv, which compiles each JSON schema with ``new Function``; without
# 'unsafe-eval' most of its plugins fail to start. Only these paths get it.
JUPYTERLITE_APP = re.compile(rf"^{re.escape(SITE_LITE)}/")


def allows_eval(url_path: str) -> bool:
    return JUPYTERLITE_APP.match(url_path) is not None


def content_security_policy(code: InlineCode = NO_INLINE_CODE, *, eval_: bool = False) -> str:
    directives = {name: list(sources) for name, sources in BASE_DIRECTIVES.items()}
    if eval_:
        directives["script-src"].append("'unsafe-eval'")
    directives["script-src"] += sorted(code.scripts)
    if code.handlers:
        # Only these exact handler texts, only as attributes: no inline <script> may match.
        directives["script-src-attr"] = ["'unsafe-hashes'", *sorted(code.handlers)]
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())
