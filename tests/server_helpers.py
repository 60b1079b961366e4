"""What the server tests share: a small fake site with traps around it, and raw HTTP requests
sent byte for byte to a running server (no client library tidies them up first)."""

from __future__ import annotations

import http.client
import random
import socket
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from quickstart_site.languages import CODES
from quickstart_site.server import create_app

SECRET = "TOP-SECRET-NEXT-TO-THE-SITE"
INLINE_SCRIPT = "document.documentElement.dataset.inline = 'ran';"
HANDLER = "document.documentElement.dataset.clicked = 'yes'"
PAGE = """<!doctype html>
<html lang="{code}">
<head><meta charset="utf-8"><title>{code}</title>
<script>{inline}</script>
<link rel="stylesheet" href="_static/style.css?v=0123abcd">
<script src="_static/tries-eval.js"></script>
</head>
<body><h1>{code}</h1>
<button id="button" onclick="{handler}">click</button>
<p>{filler}</p>
<script>window.pageName = '{name}';</script>
</body>
</html>
"""
# A same-origin script, allowed itself, that tries to evaluate a string.
TRIES_EVAL = """
try { window.evalResult = eval("'ran'"); } catch (error) { window.evalResult = error.name; }
"""
OWN_404 = "<!doctype html><html lang='ru'><title>404</title><h1>Страница не найдена</h1>"
OWN_404_SCRIPT = "window.notFound = true;"
# A minimal valid WebAssembly module: magic number and version.
WASM = b"\0asm\x01\0\0\0"
WASM_SIZE = 3 * 1024 * 1024


def page(code: str, name: str) -> str:
    filler = "Flask quickstart. " * 200  # text worth compressing
    return PAGE.format(code=code, name=name, inline=INLINE_SCRIPT, handler=HANDLER, filler=filler)


def fake_site(root: Path) -> Path:
    """Four languages of two pages with inline scripts, assets of each kind, a shared runtime
    at the top (``_runtime/``), the site's JupyterLite app (``lite/``), and traps: a secret
    file beside the site, symlinks out of it, a hidden file. Only ``ru`` has its own 404
    page."""
    (root / "secret.txt").write_text(SECRET)
    (root / "outside").mkdir()
    (root / "outside" / "secret.txt").write_text(SECRET)
    site = root / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>root</title>")
    for code in CODES:
        folder = site / code
        static = folder / "_static"
        static.mkdir(parents=True)
        (folder / "index.html").write_text(page(code, "index"), encoding="utf-8")
        (folder / "quickstart.html").write_text(page(code, "quickstart"), encoding="utf-8")
        (folder / ".buildinfo").write_text(SECRET)
        (static / "style.css").write_text("body { margin: 0; }\n" * 100)
        (static / "tiny.js").write_text("let a = 1;\n")
        (static / "tries-eval.js").write_text(TRIES_EVAL)
        (static / "doctools.js").write_text("// doctools\n" * 200)
        (static / "bundle.0b3b8d9d6b7a.js").write_text("// bundled\n" * 200)
        (static / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>" * 40)
        (static / "font.woff2").write_bytes(bytes(4096))
        (static / "escape.txt").symlink_to(root / "secret.txt")
        (static / "outside").symlink_to(root / "outside", target_is_directory=True)
    (site / "ru" / "alias.html").symlink_to(site / "ru" / "index.html")
    (site / "ru" / "404.html").write_text(
        f"{OWN_404}<script>{OWN_404_SCRIPT}</script>", encoding="utf-8"
    )
    # A language's own folder named lite/ is no JupyterLite app: only the site's lite/ is.
    (site / "ru" / "lite").mkdir()
    (site / "ru" / "lite" / "index.html").write_text("<!doctype html><title>not the app</title>")
    (site / "lite").mkdir()
    (site / "lite" / "index.html").write_text("<!doctype html><title>JupyterLite</title>")
    runtime = site / "_runtime"
    runtime.mkdir()
    (runtime / "pyodide.asm.wasm").write_bytes(WASM + random.Random(0).randbytes(WASM_SIZE))
    (runtime / "pyodide.mjs").write_text("export const loadPyodide = () => 1;\n" * 100)
    (runtime / "repodata.json").write_text('{"packages": {}}\n' * 100)
    (runtime / "flask-3.1.3-py3-none-any.whl").write_bytes(b"PK\x03\x04" + bytes(2048))
    (runtime / "minimal.wasm").write_bytes(WASM)
    return site


class BufferedClient(FlaskClient):
    """Reads each response whole and closes it, as a server does: a file response left open
    would be reported (ResourceWarning) after the test."""

    def open(self, *args, **kwargs):
        kwargs["buffered"] = True
        return super().open(*args, **kwargs)


def server_client(site: Path) -> FlaskClient:
    app: Flask = create_app(site)
    app.test_client_class = BufferedClient
    # Without a cookie jar, a Cookie header is sent exactly as a test writes it.
    return app.test_client(use_cookies=False)


@dataclass
class RawResponse:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def raw_request(base_port: int, request: bytes) -> RawResponse:
    """Send ``request`` exactly as given to 127.0.0.1 and read one response."""
    with socket.create_connection(("127.0.0.1", base_port), timeout=10) as sock:
        sock.sendall(request)
        method = request.split(b" ", 1)[0].decode("latin-1")
        response = http.client.HTTPResponse(sock, method=method)
        response.begin()
        return RawResponse(response.status, response.headers, response.read())
