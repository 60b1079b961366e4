"""Content negotiation: the reader's language (languages.choose decides; this only reads the
request) and whether the client takes gzip."""

from __future__ import annotations

from flask import Request
from werkzeug.wrappers import Response as BaseResponse

from quickstart_site.languages import COOKIE, Language, choose

# What a negotiated response depends on, so that caches keep one copy per reader language.
LANGUAGE_VARY = ("Accept-Language", "Cookie")


def browser_tags(request: Request) -> list[str]:
    """The Accept-Language tags by preference, as werkzeug parses them (quality first, ``*``
    last); ``q=0`` means "not this one"."""
    return [tag for tag, quality in request.accept_languages if quality > 0]


def preferred_language(request: Request) -> Language:
    return choose(request.cookies.get(COOKIE), browser_tags(request))


def vary(response: BaseResponse) -> None:
    for header in LANGUAGE_VARY:
        response.vary.add(header)


def accepts_gzip(request: Request) -> bool:
    return request.accept_encodings["gzip"] > 0
