"""The site's server: language negotiation, the right responses and headers, in a browser too.

Most tests run the Flask application on a small fake site (tests/server_helpers.py); the
browser tests run it under waitress, and one reads the real built site in Chromium."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from benchmarks.chromium import chromium_page
from benchmarks.server_bench import ours, running

from quickstart_site.languages import CODES, COOKIE, LANGUAGES
from quickstart_site.server.caching import IMMUTABLE, is_fingerprinted
from quickstart_site.server.inline_code import hash_source
from tests.conftest import quickstart_site
from tests.server_helpers import (
    INLINE_SCRIPT,
    OWN_404,
    OWN_404_SCRIPT,
    WASM,
    fake_site,
    server_client,
)

RUSSIAN_BROWSER = "ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return fake_site(tmp_path)


@pytest.fixture
def client(site: Path):
    return server_client(site)


def vary(response) -> set[str]:
    return {value.strip().lower() for value in response.headers.get("Vary", "").split(",")}


def directives(policy: str) -> dict[str, list[str]]:
    return {
        name: sources
        for name, *sources in (part.split() for part in policy.split(";") if part.strip())
    }


# --- Language negotiation -------------------------------------------------------------------

NEGOTIATION = [
    # (Accept-Language, the switcher's cookie, where / leads)
    (RUSSIAN_BROWSER, None, "ru"),
    ("ru-RU", None, "ru"),
    ("kk", None, "kk"),
    ("kk-KZ", None, "kk"),
    ("zh", None, "zh_CN"),
    ("zh-CN", None, "zh_CN"),
    ("zh-Hans", None, "zh_CN"),
    ("zh-TW", None, "zh_CN"),  # same primary language: closer than English
    ("de-DE, fr;q=0.9", None, "en"),
    (None, None, "en"),
    ("en;q=0.2, ru;q=0.8", None, "ru"),  # quality decides, not the order in the header
    ("fr, kk;q=0.5", None, "kk"),  # the reader's first language the site has
    ("ru;q=0, kk", None, "kk"),  # q=0 means "not Russian"
    ("de, ru;q=0", None, "en"),
    ("*", None, "en"),
    (RUSSIAN_BROWSER, "kk", "kk"),  # the reader chose Kazakh in the switcher
    (RUSSIAN_BROWSER, "fr", "ru"),  # an unknown choice is ignored
    (RUSSIAN_BROWSER, "", "ru"),
]


def negotiation_headers(accept_language: str | None, cookie: str | None) -> dict[str, str]:
    headers = {}
    if accept_language is not None:
        headers["Accept-Language"] = accept_language
    if cookie is not None:
        headers["Cookie"] = f"{COOKIE}={cookie}"
    return headers


@pytest.mark.parametrize(("accept_language", "cookie", "code"), NEGOTIATION)
def test_the_root_redirects_to_the_readers_language(
    client, accept_language: str | None, cookie: str | None, code: str
) -> None:
    response = client.get("/", headers=negotiation_headers(accept_language, cookie))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/{code}/"
    # One URL, an answer per language: caches must keep them apart.
    assert {"accept-language", "cookie"} <= vary(response)


def test_a_russian_browser_lands_on_the_russian_home_page(client) -> None:
    response = client.get("/", headers={"Accept-Language": RUSSIAN_BROWSER}, follow_redirects=True)
    assert response.request.path == "/ru/"
    assert response.status_code == 200
    assert '<html lang="ru">' in response.text


@pytest.mark.parametrize(
    ("language", "tag"),
    [(language, tag) for language in LANGUAGES for tag in language.accepts],
)
def test_every_tag_languages_py_accepts_leads_to_its_language(client, language, tag) -> None:
    """The server has no mapping of its own: whatever languages.py accepts, it follows."""
    for sent in (tag, tag.upper()):
        response = client.get("/", headers={"Accept-Language": sent})
        assert response.headers["Location"] == f"/{language.code}/", sent


@pytest.mark.parametrize(
    "headers",
    [
        {"Accept-Language": ";;;,,,q=abc"},
        {"Accept-Language": "ru;q=NaN, kk;q=-1"},
        {"Accept-Language": "x" * 5000},
        {"Accept-Language": "\u0440\u0443"},
        {"Cookie": f"{COOKIE}=../../etc/passwd"},
        {"Cookie": f'{COOKIE}="kk'},
        {"Cookie": ";;;=;=;" * 100},
    ],
    ids=["separators", "bad-qualities", "huge", "non-ascii", "path-cookie", "quote", "garbage"],
)
def test_malformed_preferences_fall_back_to_english(client, headers) -> None:
    response = client.get("/", headers=headers)
    assert (response.status_code, response.headers["Location"]) == (302, "/en/")


def test_a_page_without_a_language_goes_to_the_readers_copy_with_its_query(client) -> None:
    response = client.get("/quickstart.html?highlight=route", headers={"Accept-Language": "kk"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/kk/quickstart.html?highlight=route"
    assert {"accept-language", "cookie"} <= vary(response)


def test_a_language_folder_named_without_its_slash_gets_it(client) -> None:
    response = client.get("/ru")
    assert (response.status_code, response.headers["Location"]) == (301, "/ru/")
    # ... keeping its query, as every other redirect does.
    response = client.get("/ru?highlight=route")
    assert response.headers["Location"] == "/ru/?highlight=route"


def test_a_file_shared_by_all_languages_is_served_where_it_is(client, site: Path) -> None:
    response = client.get("/_runtime/pyodide.mjs", headers={"Accept-Language": RUSSIAN_BROWSER})
    assert response.status_code == 200
    assert response.data == (site / "_runtime" / "pyodide.mjs").read_bytes()
    assert "accept-language" not in vary(response)


def test_a_symlink_inside_the_site_is_followed(client, site: Path) -> None:
    response = client.get("/ru/alias.html")
    assert response.status_code == 200
    assert response.data == (site / "ru" / "index.html").read_bytes()


# --- Not found ------------------------------------------------------------------------------


def test_a_missing_page_gets_its_languages_own_404_page(client) -> None:
    response = client.get("/ru/no-such-page.html")
    assert response.status_code == 404
    assert OWN_404 in response.text
    # Its inline script runs: the policy sent lists it.
    policy = directives(response.headers["Content-Security-Policy"])
    assert hash_source(OWN_404_SCRIPT) in policy["script-src"]


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang.code != "ru"])
def test_a_language_without_a_404_page_gets_a_small_one_linking_home(client, language) -> None:
    response = client.get(f"/{language.code}/no/such/page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert f'<html lang="{language.tag}">' in response.text
    assert f'<a href="/{language.code}/" hreflang="{language.tag}">' in response.text
    assert language.native_name in response.text


def test_a_missing_page_without_a_language_is_404_in_the_readers_language(client) -> None:
    response = client.get("/no-such-page.html", headers={"Accept-Language": RUSSIAN_BROWSER})
    assert response.status_code == 404
    assert OWN_404 in response.text
    assert {"accept-language", "cookie"} <= vary(response)


def test_a_404_is_never_turned_into_a_304(client) -> None:
    response = client.get("/ru/missing.html", headers={"If-None-Match": "*"})
    assert response.status_code == 404


def test_folders_are_not_listed(client) -> None:
    assert client.get("/ru/_static/").status_code == 404


# --- Media types ----------------------------------------------------------------------------

MEDIA_TYPES = [
    ("_runtime/pyodide.asm.wasm", "application/wasm"),
    ("_runtime/pyodide.mjs", "text/javascript"),
    ("_runtime/repodata.json", "application/json"),
    ("_runtime/flask-3.1.3-py3-none-any.whl", "application/zip"),
    ("ru/_static/doctools.js", "text/javascript"),
    ("ru/_static/style.css", "text/css"),
    ("ru/_static/logo.svg", "image/svg+xml"),
    ("ru/_static/font.woff2", "font/woff2"),
    ("ru/index.html", "text/html"),
]


@pytest.mark.parametrize(("path", "media_type"), MEDIA_TYPES)
def test_each_file_has_its_media_type(client, path: str, media_type: str) -> None:
    response = client.get(f"/{path}")
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# --- Compression ----------------------------------------------------------------------------

COMPRESSED = [
    "ru/index.html",
    "ru/_static/style.css",
    "ru/_static/doctools.js",
    "ru/_static/logo.svg",
    "_runtime/pyodide.mjs",
    "_runtime/repodata.json",
    "_runtime/pyodide.asm.wasm",
]


@pytest.mark.parametrize("path", COMPRESSED)
def test_text_and_webassembly_are_gzipped_for_clients_that_accept_it(
    client, site: Path, path: str
) -> None:
    plain = client.get(f"/{path}")
    zipped = client.get(f"/{path}", headers={"Accept-Encoding": "br, gzip, deflate"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == (site / path).read_bytes()
    assert int(zipped.headers["Content-Length"]) == len(zipped.data)
    # Both answers vary by encoding, and each representation has its own ETag.
    assert "accept-encoding" in vary(plain) and "accept-encoding" in vary(zipped)
    assert zipped.headers["ETag"] != plain.headers["ETag"]


@pytest.mark.parametrize("accept_encoding", [None, "identity", "gzip;q=0", "br", "deflate"])
def test_clients_that_do_not_take_gzip_get_the_file_as_it_is(
    client, site: Path, accept_encoding: str | None
) -> None:
    headers = {"Accept-Encoding": accept_encoding} if accept_encoding else {}
    response = client.get("/ru/_static/style.css", headers=headers)
    assert "Content-Encoding" not in response.headers
    assert response.data == (site / "ru" / "_static" / "style.css").read_bytes()


@pytest.mark.parametrize(
    "path",
    ["ru/_static/font.woff2", "_runtime/flask-3.1.3-py3-none-any.whl", "ru/_static/tiny.js"],
    ids=["font", "wheel", "tiny"],
)
def test_compressed_formats_and_tiny_files_are_sent_as_they_are(client, path: str) -> None:
    response = client.get(f"/{path}", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert "accept-encoding" not in vary(response)


# --- HEAD and conditional requests ----------------------------------------------------------


@pytest.mark.parametrize("accept_encoding", ["", "gzip"])
@pytest.mark.parametrize("path", ["ru/index.html", "_runtime/pyodide.asm.wasm"])
def test_head_answers_like_get_without_the_body(client, path: str, accept_encoding: str) -> None:
    headers = {"Accept-Encoding": accept_encoding}
    got, head = client.get(f"/{path}", headers=headers), client.head(f"/{path}", headers=headers)
    assert head.status_code == 200
    assert head.data == b""
    for name in ("Content-Type", "Content-Length", "ETag", "Cache-Control", "Content-Encoding"):
        assert head.headers.get(name) == got.headers.get(name), name


@pytest.mark.parametrize("accept_encoding", ["", "gzip"])
@pytest.mark.parametrize("path", ["ru/index.html", "ru/_static/style.css?v=0123abcd"])
def test_a_cached_copy_is_revalidated_with_a_304(client, path: str, accept_encoding: str) -> None:
    headers = {"Accept-Encoding": accept_encoding}
    first = client.get(f"/{path}", headers=headers)
    again = client.get(f"/{path}", headers={**headers, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
    since = client.get(
        f"/{path}", headers={**headers, "If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert since.status_code == 304


def test_another_etag_gets_the_whole_file(client) -> None:
    response = client.get("/ru/index.html", headers={"If-None-Match": '"something-else"'})
    assert response.status_code == 200
    assert response.data


def test_a_range_of_the_runtime_can_be_fetched(client) -> None:
    response = client.get("/_runtime/pyodide.asm.wasm", headers={"Range": "bytes=0-7"})
    assert response.status_code == 206
    assert response.data == WASM


def test_a_rebuilt_page_gets_a_new_etag_and_policy(client, site: Path) -> None:
    before = client.get("/ru/index.html")
    page = site / "ru" / "index.html"
    page.write_text(page.read_text().replace(INLINE_SCRIPT, "window.rebuilt = 1;") + " ")
    after = client.get("/ru/index.html")
    assert after.headers["ETag"] != before.headers["ETag"]
    policy = directives(after.headers["Content-Security-Policy"])["script-src"]
    assert hash_source("window.rebuilt = 1;") in policy
    assert hash_source(INLINE_SCRIPT) not in policy


# --- Caching --------------------------------------------------------------------------------

CACHING = [
    ("ru/_static/style.css?v=0123abcd", IMMUTABLE),
    ("ru/_static/doctools.js?digest=90905a2f556bf617f1a9", IMMUTABLE),
    ("ru/_static/bundle.0b3b8d9d6b7a.js", IMMUTABLE),
    ("ru/_static/style.css", "no-cache"),
    ("ru/_static/style.css?v=", "no-cache"),
    ("ru/index.html", "no-cache"),
    ("ru/index.html?v=0123abcd", "no-cache"),  # pages are never immutable
    ("ru/", "no-cache"),
    ("_runtime/pyodide.asm.wasm", "no-cache"),
]


@pytest.mark.parametrize(("path", "cache_control"), CACHING)
def test_fingerprinted_assets_are_kept_a_year_and_the_rest_revalidated(
    client, path: str, cache_control: str
) -> None:
    response = client.get(f"/{path}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == cache_control


@pytest.mark.parametrize(
    ("name", "fingerprinted"),
    [
        ("1036.0b3b8d9d6b7a0e23c2a0.js", True),
        ("main-3f9a8b7c.css", True),
        ("fa-solid-900.woff2", False),
        ("pyodide.asm.wasm", False),
        ("20240101.txt", False),  # digits only: a date, not a hash
        ("deadbeefcafe.js", False),  # letters only: a word
        ("python_stdlib.zip", False),
    ],
)
def test_a_content_hash_in_a_file_name_counts_as_a_fingerprint(name, fingerprinted) -> None:
    assert is_fingerprinted(f"_runtime/{name}", {}) is fingerprinted


# --- Security headers and Content-Security-Policy -------------------------------------------

EVERY_KIND = [
    ("GET", "/ru/index.html", {}),
    ("GET", "/ru/_static/style.css", {"Accept-Encoding": "gzip"}),
    ("GET", "/", {}),
    ("GET", "/ru/missing", {}),
    ("GET", "/kk/missing", {}),
    ("POST", "/ru/", {}),
    ("GET", "/ru/%00", {}),
    ("GET", "/ru/" + "a" * 2000, {}),
]


@pytest.mark.parametrize(("method", "path", "headers"), EVERY_KIND)
def test_every_response_carries_the_security_headers(client, method, path, headers) -> None:
    response = client.open(path, method=method, headers=headers)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Embedder-Policy"] == "require-corp"
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]


def test_the_policy_allows_webassembly_but_no_eval_and_no_stray_inline_script(client) -> None:
    policy = directives(client.get("/ru/index.html").headers["Content-Security-Policy"])
    scripts = policy["script-src"]
    assert "'wasm-unsafe-eval'" in scripts
    assert not {"'unsafe-eval'", "'unsafe-inline'", "*", "data:", "blob:", "http:"} & set(scripts)
    assert [source for source in scripts if not source.startswith("'sha256-")] == [
        "'self'",
        "'wasm-unsafe-eval'",
    ]
    for name in ("connect-src", "worker-src", "img-src", "font-src", "frame-src"):
        assert "'self'" in policy[name] and "*" not in policy[name], name


def test_only_the_jupyterlite_app_may_evaluate_strings(client) -> None:
    """JupyterLab compiles its settings schemas with new Function (ajv)."""

    def scripts(path: str) -> list[str]:
        return directives(client.get(path).headers["Content-Security-Policy"])["script-src"]

    assert "'unsafe-eval'" in scripts("/lite/index.html")
    not_the_app = ("/ru/index.html", "/ru/_static/tiny.js", "/_runtime/pyodide.mjs", "/lite")
    for path in (*not_the_app, "/ru/lite/index.html"):
        assert "'unsafe-eval'" not in scripts(path), path


def sha256_source(text: str) -> str:
    """Computed here, independently of the server's parser: the CSP hash of ``text``."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_each_pages_policy_lists_exactly_its_inline_scripts(client, site: Path) -> None:
    for page in sorted(site.glob("*/*.html")):
        html = page.read_text(encoding="utf-8")
        inline = set(re.findall(r"<script>(.*?)</script>", html, re.S))
        handlers = set(re.findall(r'\son\w+="([^"]*)"', html))
        path = page.relative_to(site).as_posix()
        policy = directives(client.get(f"/{path}").headers["Content-Security-Policy"])
        listed = {source for source in policy["script-src"] if source.startswith("'sha256-")}
        assert listed == {sha256_source(script) for script in inline}, path
        if handlers:
            # Handlers only as attributes: their hash in script-src would also admit a
            # <script> with the same text.
            attributes = {sha256_source(handler) for handler in handlers}
            assert policy["script-src-attr"] == ["'unsafe-hashes'", *sorted(attributes)], path
            assert not attributes & set(policy["script-src"]), path


def test_a_script_with_other_text_is_not_listed(client) -> None:
    policy = directives(client.get("/ru/index.html").headers["Content-Security-Policy"])
    assert sha256_source("alert(document.cookie)") not in policy["script-src"]
    assert sha256_source(INLINE_SCRIPT + " ") not in policy["script-src"]


def test_hashes_are_taken_after_line_ending_normalization() -> None:
    # The browser's HTML parser turns CR LF into LF before it hashes the element's text.
    assert hash_source("a();\r\nb();\rc();") == sha256_source("a();\nb();\nc();")


# --- In a real browser ----------------------------------------------------------------------

VIOLATIONS = """
window.violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.violations.push({directive: event.violatedDirective, blocked: event.blockedURI,
                          source: event.sourceFile});
});
"""
# Violation events are queued as tasks: let them arrive before reading them.
READ_VIOLATIONS = "() => new Promise((done) => setTimeout(() => done(window.violations), 100))"
# A handler attribute is compiled, and checked against the policy, when first read or fired.
COMPILE_HANDLERS = """() => {
  for (const element of document.querySelectorAll("*"))
    for (const {name} of element.attributes) if (name.startsWith("on")) void element[name];
}"""


@pytest.mark.browser
def test_in_chromium_the_pages_own_code_runs_and_injected_code_does_not(site: Path) -> None:
    aborted: list[str] = []
    with running(ours(site)) as base, chromium_page(aborted) as page:
        page.add_init_script(VIOLATIONS)
        page.goto(f"{base}ru/index.html")
        assert page.evaluate("document.documentElement.dataset.inline") == "ran"
        assert page.evaluate("window.pageName") == "index"
        page.click("#button")
        assert page.evaluate("document.documentElement.dataset.clicked") == "yes"
        # The page's own inline code ran unreported; its script file's eval did not run.
        assert page.evaluate("window.evalResult") == "EvalError"
        source = f"{base}ru/_static/tries-eval.js"
        eval_refused = {"directive": "script-src", "blocked": "eval", "source": source}
        assert page.evaluate(READ_VIOLATIONS) == [eval_refused]

        injected = """() => {
          const script = document.createElement("script");
          script.textContent = "window.injected = true;";
          document.head.append(script);
          document.body.insertAdjacentHTML("beforeend",
            '<button id="evil" onclick="window.injected = true">x</button>');
          document.getElementById("evil").click();
          return window.injected === true;
        }"""
        assert page.evaluate(injected) is False
        blocked = {item["directive"] for item in page.evaluate(READ_VIOLATIONS)}
        assert {"script-src-elem", "script-src-attr"} <= blocked

        runtime = """async () => {
          const module = await WebAssembly.compileStreaming(fetch("/_runtime/minimal.wasm"));
          return [module instanceof WebAssembly.Module, crossOriginIsolated];
        }"""
        assert page.evaluate(runtime) == [True, True]
    assert aborted == []


@pytest.mark.site
@pytest.mark.browser
def test_the_built_site_runs_under_its_policy_in_chromium() -> None:
    """Every page of every language: no policy violation, no uncaught error, no console error."""
    build = quickstart_site()
    assert build.returncode == 0, build.output
    # The languages' pages (the JupyterLite app, lite/, has its own browser tests).
    pages = sorted(
        path.relative_to(build.outdir).as_posix()
        for code in CODES
        for path in build.outdir.glob(f"{code}/*.html")
    )
    aborted: list[str] = []
    found: dict[str, list[object]] = {}
    with running(ours(build.outdir)) as base, chromium_page(aborted, locale="ru-RU") as page:
        page.add_init_script(VIOLATIONS)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.goto(base)
        page.wait_for_url(f"{base}ru/")
        for path in [*pages, "ru/no-such-page.html"]:
            errors.clear()
            page.goto(f"{base}{path}")
            page.evaluate(COMPILE_HANDLERS)
            problems = [*page.evaluate(READ_VIOLATIONS), *errors]
            if path.endswith("no-such-page.html"):  # Chromium reports the 404 it was asked for
                problems = [item for item in problems if "status of 404" not in str(item)]
            if problems:
                found[path] = problems
        # Search loads its index and stemmer as scripts: allowed, and isolated, it still finds.
        page.goto(f"{base}ru/search.html?q={quote('шаблонами')}")
        results = page.locator("#search-results ul.search li a")
        results.first.wait_for()
    assert found == {}
    assert aborted == []


def test_the_static_hosts_configuration_is_not_served(site: Path) -> None:
    (site / "_headers").write_text("/*\n  X-Test: 1\n")
    (site / "_deploy").mkdir(exist_ok=True)
    (site / "_deploy" / "csp.conf").write_text('set $quickstart_csp "x";\n')
    client = server_client(site)
    for path in ("/_headers", "/_deploy/csp.conf", "/_deploy/"):
        assert client.get(path).status_code == 404, path


def test_a_file_at_the_sites_top_is_served_even_where_each_language_has_one(site: Path) -> None:
    """/sitemap.xml is the merged one at the top, not a redirect to one language's."""
    (site / "sitemap.xml").write_text("<urlset>every language</urlset>\n")
    for code in ("en", "ru"):
        (site / code / "sitemap.xml").write_text(f"<urlset>{code}</urlset>\n")
    response = server_client(site).get("/sitemap.xml", headers={"Accept-Language": "ru"})
    assert (response.status_code, response.text) == (200, "<urlset>every language</urlset>\n")
