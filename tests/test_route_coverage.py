"""Every route an example defines must be requested, and its response compared."""

from __future__ import annotations

import pytest
from flask import Flask

from quickstart_site.examples import route_coverage


@pytest.fixture
def app() -> Flask:
    app = Flask("hello")
    app.add_url_rule("/", "index", lambda: "home")
    app.add_url_rule("/about", "about", lambda: "about")
    return app


def test_routes_requested_through_the_test_client_count(app) -> None:
    route_coverage.start()
    app.test_client().get("/")
    assert route_coverage.unrequested_routes({"app": app}) == ["/about (view 'about')"]
    app.test_client().get("/about")
    assert route_coverage.unrequested_routes({"app": app}) == []


def test_a_test_request_context_is_not_a_request(app) -> None:
    route_coverage.start()
    with app.test_request_context("/about"):
        pass
    assert "/about (view 'about')" in route_coverage.unrequested_routes({"app": app})


def test_routes_without_a_compared_response_are_refused(app) -> None:
    route_coverage.start()
    client = app.test_client()
    client.get("/"), client.get("/about")
    with pytest.raises(AssertionError, match="compares no output"):
        route_coverage.assert_every_route_requested({"app": app}, compares_output=False)
    route_coverage.assert_every_route_requested({"app": app}, compares_output=True)


def test_an_example_without_an_app_needs_nothing() -> None:
    route_coverage.assert_every_route_requested({"x": 1}, compares_output=False)
