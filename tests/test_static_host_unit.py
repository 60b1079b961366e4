"""What the build gives a static host, on a tiny fake site: files anyone may read, the
site-wide Content-Security-Policy (``_deploy/csp.conf``, ``_headers``), and a deploy/nginx.conf
that agrees with the server on media types and languages. No site build, no browser."""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path, PurePath

import pytest

from quickstart_site.languages import CODES
from quickstart_site.orchestration import runtime
from quickstart_site.orchestration.static_host import (
    HEADERS_FILE,
    NGINX_POLICY_FILE,
    headers_file,
    make_readable,
    site_policies,
    write_host_files,
)
from quickstart_site.server.inline_code import hash_source
from quickstart_site.server.media import PINNED, media_type
from quickstart_site.server.policy import HEADERS

TEMPLATE = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf"
PAGE_SCRIPT = "window.page = 1;"
OTHER_PAGE_SCRIPT = "window.page = 2;"
APP_SCRIPT = "window.app = 1;"
HANDLER = "go()"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def fake_site(root: Path) -> Path:
    site = root / "site"
    (site / "lite" / "lab").mkdir(parents=True)
    (site / "en").mkdir()
    (site / "ru").mkdir()
    (site / "index.html").write_text("<!doctype html><title>root</title>")
    (site / "en" / "index.html").write_text(
        f"<script>{PAGE_SCRIPT}</script><button onclick='{HANDLER}'>x</button>"
    )
    (site / "ru" / "404.html").write_text(f"<script>{OTHER_PAGE_SCRIPT}</script>")
    (site / "lite" / "lab" / "index.html").write_text(
        f'<script src="x.js"></script><script>{APP_SCRIPT}</script>'
    )
    return site


def test_every_folder_and_file_becomes_readable_by_anyone(tmp_path: Path):
    site = fake_site(tmp_path)
    private = Path(tempfile.mkdtemp(dir=site))  # 0700, as the runtime's staging folder was
    (private / "pyodide.asm.wasm").write_bytes(b"\0asm")
    (private / "pyodide.asm.wasm").chmod(0o600)
    (private / "tool.sh").write_text("#!/bin/sh\n")
    (private / "tool.sh").chmod(0o700)
    outside = tmp_path / "outside.txt"
    outside.write_text("not the site's")
    outside.chmod(0o600)
    (site / "link").symlink_to(outside)
    assert mode(private) == 0o700

    make_readable(site)

    for folder, _folders, files in os.walk(site):
        assert mode(Path(folder)) == 0o755, folder
        for name in files:
            path = Path(folder, name)
            if not path.is_symlink():
                assert mode(path) == (0o755 if name == "tool.sh" else 0o644), path
    assert mode(outside) == 0o600, "a symlink was followed out of the site"


def test_the_runtime_cache_is_not_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(runtime, "fingerprint", lambda: "f1")
    monkeypatch.setattr(
        runtime, "build_runtime", lambda folder: (folder / runtime.MANIFEST).write_text("{}")
    )
    folder = runtime.ensure_runtime(tmp_path / "cache")
    assert mode(folder) == 0o755
    folder.chmod(0o700)  # a cache made before the fix
    assert mode(runtime.ensure_runtime(tmp_path / "cache")) == 0o755


def test_the_policies_list_every_pages_inline_code_and_only_the_apps_may_eval(tmp_path: Path):
    policies = site_policies(fake_site(tmp_path))
    for script in (PAGE_SCRIPT, OTHER_PAGE_SCRIPT):
        assert hash_source(script) in policies.site
        assert hash_source(script) not in policies.lite
    assert hash_source(APP_SCRIPT) in policies.lite
    assert hash_source(APP_SCRIPT) not in policies.site
    assert f"script-src-attr 'unsafe-hashes' {hash_source(HANDLER)}" in policies.site
    assert "'unsafe-eval'" in policies.lite
    assert "'unsafe-eval'" not in policies.site
    assert "'wasm-unsafe-eval'" in policies.site


def test_the_build_writes_the_nginx_policy_and_the_headers_file(tmp_path: Path):
    site = fake_site(tmp_path)
    policies = write_host_files(site)
    nginx = (site / NGINX_POLICY_FILE).read_text()
    assert f'set $quickstart_csp "{policies.site}";' in nginx
    assert f'set $quickstart_csp_lite "{policies.lite}";' in nginx
    assert (site / HEADERS_FILE).read_text() == headers_file(policies)


def parse_headers(text: str) -> dict[str, list[str]]:
    rules: dict[str, list[str]] = {}
    current: list[str] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("  "):
            current.append(line.strip())
        else:
            current = rules.setdefault(line, [])
    return rules


def test_the_headers_file_has_the_servers_headers(tmp_path: Path):
    policies = site_policies(fake_site(tmp_path))
    rules = parse_headers(headers_file(policies))
    assert {f"{name}: {value}" for name, value in HEADERS.items()} <= set(rules["/*"])
    assert f"Content-Security-Policy: {policies.site}" in rules["/*"]
    for html in ("/", "/*/", "/*.html"):
        assert rules[html] == ["! Cache-Control", "Cache-Control: no-cache"]
    assert rules["/lite/*"] == [
        "! Content-Security-Policy",
        f"Content-Security-Policy: {policies.lite}",
    ]
    # Cloudflare Pages reads lines of at most 2,000 characters.
    assert max(map(len, headers_file(policies).splitlines())) < 2000


def test_nginx_conf_gives_each_extension_the_servers_media_type():
    types = re.search(r"types \{(.*?)\}", TEMPLATE.read_text(), re.S)
    assert types
    listed: dict[str, str] = {}
    for line in types.group(1).strip().splitlines():
        media, *extensions = line.strip().rstrip(";").split()
        listed.update(dict.fromkeys(extensions, media))
    assert set(listed) >= {suffix.lstrip(".") for suffix in PINNED}
    for extension, media in listed.items():
        assert media == media_type(PurePath(f"file.{extension}")), extension


def test_nginx_conf_knows_every_language():
    text = TEMPLATE.read_text()
    languages = "|".join(CODES)
    assert text.count(f'if ($uri ~ "^/({languages})/") {{') == 1
    assert text.count('if ($uri ~ "^/lite/") {') == 1
    assert {"@SITE_ROOT@", "@LISTEN@"} <= set(re.findall(r"@[A-Z_]+@", text))
