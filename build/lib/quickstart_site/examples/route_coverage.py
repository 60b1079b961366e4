"""Every route an example defines must be requested by that example.

The examples builder appends a call to :func:`assert_every_route_requested` to each example,
run in the example's own namespace. Requests are seen through Flask's ``request_started``
signal, which fires for real dispatches only (``test_request_context`` does not count).
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from flask import Flask, request, request_started

_requested: WeakKeyDictionary[Flask, set[str]] = WeakKeyDictionary()


def _record(app: Flask, **_extra: Any) -> None:
    if request.endpoint is not None:
        _requested.setdefault(app, set()).add(request.endpoint)


def start() -> None:
    """Forget earlier requests and listen for new ones."""
    _requested.clear()
    request_started.connect(_record)


def unrequested_routes(namespace: dict[str, Any]) -> list[str]:
    missing = []
    for app in {id(v): v for v in namespace.values() if isinstance(v, Flask)}.values():
        seen = _requested.get(app, set())
        for rule in app.url_map.iter_rules():
            if rule.endpoint != "static" and rule.endpoint not in seen:
                missing.append(f"{rule.rule} (view {rule.endpoint!r})")
    return sorted(missing)


def defines_routes(namespace: dict[str, Any]) -> bool:
    return any(
        rule.endpoint != "static"
        for app in namespace.values()
        if isinstance(app, Flask)
        for rule in app.url_map.iter_rules()
    )


def assert_every_route_requested(namespace: dict[str, Any], *, compares_output: bool) -> None:
    missing = unrequested_routes(namespace)
    if missing:
        raise AssertionError(
            "routes never requested by this example: "
            + ", ".join(missing)
            + "; add a request through app.test_client() (a hidden {testcode} if it teaches"
            " nothing) and compare its status and body in a {testoutput}"
        )
    if defines_routes(namespace) and not compares_output:
        raise AssertionError(
            "this example defines routes but compares no output; print the response's"
            " status and body and add a {testoutput}"
        )
