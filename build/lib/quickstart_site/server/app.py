"""The Flask application that serves the built site: one folder per language, the reader's
language chosen for URLs without one, and the headers a static site with an in-browser
Python runtime needs."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flask import Flask, Response, redirect, request, send_file
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.wrappers import Response as BaseResponse

from quickstart_site.languages import BY_CODE, CODES, Language
from quickstart_site.server import negotiation
from quickstart_site.server.caching import REVALIDATE, cache_control
from quickstart_site.server.files import HTML, ROOT_PAGES, FastFiles, FileTable, policy
from quickstart_site.server.not_found import built_in_page
from quickstart_site.server.policy import HEADERS, allows_eval
from quickstart_site.server.site_tree import SiteTree, check_url_path


class SiteNotConfigured(RuntimeError):
    """The app has no built site to serve; the message names the setting."""


def create_app(config: Mapping[str, Any] | str | os.PathLike[str] | None = None) -> Flask:
    """The app that serves a built site, an application factory in Flask's manner.

    ``SITE`` is the folder (``_build/site`` after ``nox -s build``): from ``config`` (a
    mapping, or the folder itself), else from the environment variable ``FLASK_SITE``. The
    package never guesses it: installed from a wheel, it cannot know where a project is.
    """
    app = Flask(__name__, static_folder=None)
    app.config.from_prefixed_env()
    if isinstance(config, (str, os.PathLike)):
        config = {"SITE": config}
    app.config.from_mapping(config or {})
    site = site_folder(app.config.get("SITE"))
    # ``//etc/passwd`` must not be rewritten into a redirect to ``/etc/passwd``.
    app.url_map.merge_slashes = False
    tree, table = SiteTree.at(site), FileTable()
    files = SiteFiles(tree, table)

    # The site only reads: no OPTIONS answer either, so every other method gets a 405.
    @app.get("/", defaults={"url_path": ""}, provide_automatic_options=False)
    @app.get("/<path:url_path>", provide_automatic_options=False)
    def page(url_path: str) -> BaseResponse:
        first, slash, _rest = url_path.partition("/")
        if first in BY_CODE:
            return files.in_language(BY_CODE[first], url_path, bare=not slash)
        return files.without_language(url_path)

    @app.before_request
    def refuse_impossible_paths() -> None:
        # Before routing's verdict too: a path with a line break matches no route at all.
        check_url_path(request.path)

    @app.errorhandler(NotFound)
    def not_found(_error: NotFound) -> BaseResponse:
        return files.not_found_for(request.path.lstrip("/"))

    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Content-Security-Policy", policy())
        response.headers.setdefault("Cache-Control", REVALIDATE)
        return response

    @app.errorhandler(HTTPException)
    def other_error(error: HTTPException) -> BaseResponse:
        # werkzeug's own small page (405 keeps its Allow header); cache nothing of it.
        response = error.get_response()
        response.headers["Cache-Control"] = "no-store"
        return response

    # A file of the site (most requests) is sent before Flask sees the request, with the
    # headers the views above would send; everything else reaches them.
    app.wsgi_app = FastFiles(app.wsgi_app, tree, table)  # type: ignore[method-assign]
    return app


def site_folder(setting: object) -> Path:
    if not setting:
        raise SiteNotConfigured(
            "no site to serve: set SITE, e.g. create_app({'SITE': '_build/site'}) or "
            "FLASK_SITE=_build/site in the environment"
        )
    site = Path(str(setting)).resolve()
    if not (site / "index.html").is_file():
        raise SiteNotConfigured(
            f"SITE={setting} holds no built site (no index.html): build it first "
            "(nox -s build) or point SITE at the built folder"
        )
    return site


class SiteFiles:
    """What each kind of URL gets: a language's file, a redirect into the reader's language,
    a file shared by all languages, or a 404 page."""

    def __init__(self, tree: SiteTree, table: FileTable) -> None:
        self.tree = tree
        self.table = table

    def in_language(self, language: Language, url_path: str, *, bare: bool) -> BaseResponse:
        if bare:  # /ru: the pages link relatively, so they must be read from /ru/
            return redirect(f"/{language.code}/{query_suffix()}", 301)
        found = self.tree.lookup(url_path)
        if found is None:
            return self.not_found(language)
        if found.add_slash:
            return redirect(f"/{quote(url_path)}/{query_suffix()}", 301)
        return self.file(found.path, url_path)

    def without_language(self, url_path: str) -> BaseResponse:
        """``/`` and any page without a language: to the reader's language's copy. A file the
        site has at its top (the shared runtime, robots.txt, the merged sitemap.xml) is served
        as it is, even where each language has its own of that name; only the root page
        negotiates."""
        language = negotiation.preferred_language(request)
        shared = None if url_path in ROOT_PAGES else self.tree.lookup(url_path)
        localized = [code for code in CODES if self.tree.lookup(f"{code}/{url_path}")]
        if shared is None and language.code in localized:
            response = redirect(f"/{language.code}/{quote(url_path)}{query_suffix()}")
        elif shared is not None:
            if shared.add_slash:
                return redirect(f"/{quote(url_path)}/{query_suffix()}", 301)
            return self.file(shared.path, url_path)
        else:
            response = self.not_found(language)
        response.headers["Cache-Control"] = REVALIDATE
        negotiation.vary(response)
        return response

    def not_found_for(self, url_path: str) -> BaseResponse:
        """A 404 raised before a language was known (a route that does not match)."""
        first = url_path.partition("/")[0]
        if first in BY_CODE:
            return self.not_found(BY_CODE[first])
        response = self.not_found(negotiation.preferred_language(request))
        negotiation.vary(response)
        return response

    def not_found(self, language: Language) -> Response:
        """The language's 404.html, or a built-in page in that language; status 404 either
        way, and never conditional (a 304 would hide the status)."""
        body, page_policy = self.own_404_page(language) or (
            built_in_page(language).encode("utf-8"),
            policy(),
        )
        response = Response(body, 404, mimetype=HTML)
        response.headers["Content-Security-Policy"] = page_policy
        response.headers["Cache-Control"] = REVALIDATE
        return response

    def own_404_page(self, language: Language) -> tuple[bytes, str] | None:
        found = self.tree.lookup(f"{language.code}/404.html")
        if found is None:
            return None
        try:
            version = self.table.version(found.path, found.path.stat())
            body = self.table.content(version)
        except OSError:  # removed by a rebuild since the lookup
            return None
        return body, policy(version.code)

    def file(self, path: Path, url_path: str) -> BaseResponse:
        """A file of the site, conditional (ETag, Last-Modified, Range) through werkzeug: what
        files.FastFiles leaves to the application (ranges, If-Match), with the same headers.

        Not ``send_from_directory``: the path is already resolved and checked (symlinks
        included), and the file's stat decides the gzip copy and the page's policy."""
        try:
            stat = path.stat()
            version = self.table.version(path, stat)
            media, etag, code = version.media, version.etag, version.code
            compress = version.compressible
            if compress and negotiation.accepts_gzip(request):
                response: BaseResponse = Response(
                    self.table.gzip.compressed(path, stat), mimetype=media
                )
                response.headers["Content-Encoding"] = "gzip"
                # Another representation, so another ETag (RFC 9110, 8.8.3).
                response.set_etag(f"{etag}-gzip")
                # werkzeug formats a timestamp too (http_date); its descriptor says datetime.
                response.last_modified = stat.st_mtime  # type: ignore[assignment]
                response = response.make_conditional(request)
            else:
                response = send_file(
                    path, mimetype=media, etag=etag, last_modified=stat.st_mtime, conditional=True
                )
        except OSError:  # removed by a rebuild since the lookup, or unreadable
            return self.not_found_for(url_path)
        if compress:
            response.vary.add("Accept-Encoding")
        response.headers["Cache-Control"] = cache_control(url_path, request.args, media)
        response.headers["Content-Security-Policy"] = policy(code, allows_eval(url_path))
        return response


def query_suffix() -> str:
    """The query string, carried over to a redirect, re-quoted so it cannot break the header."""
    query = request.query_string.decode("latin-1")
    return f"?{quote(query, safe='=&;+,/:@!$()*%')}" if query else ""
