"""Offline intersphinx inventories list what the installed packages really have."""

from __future__ import annotations

from sphinx.util.inventory import InventoryFile

from quickstart_site.inventory import PROJECTS, offline_intersphinx_mapping


def load(tmp_path, name):
    mapping = offline_intersphinx_mapping(tmp_path)
    base, path = mapping[name]
    with open(path, "rb") as stream:
        return InventoryFile.load(stream, base, lambda base, uri: base + uri)


def test_every_project_gets_an_inventory_sphinx_can_read(tmp_path) -> None:
    for project in PROJECTS:
        assert len(load(tmp_path, project.name)) > 0


def test_flask_names_link_to_the_official_api_page(tmp_path) -> None:
    flask = load(tmp_path, "flask")
    assert flask["py:function"]["flask.url_for"].uri == (
        "https://flask.palletsprojects.com/en/stable/api/#flask.url_for"
    )
    assert "flask.Flask.route" in flask["py:method"]
    assert "flask.Request.form" in flask["py:attribute"]
    # set in __init__ only, yet documented: found on an instance
    assert "flask.Request.method" in flask["py:attribute"]
    assert "flask.Request.remote_addr" in flask["py:attribute"]
    assert "flask.Flask.config" in flask["py:attribute"]
    assert "flask.request" in flask["py:data"]
    assert "flask.session" in flask["py:data"]


def test_names_removed_from_flask_are_absent(tmp_path) -> None:
    flask = load(tmp_path, "flask")
    everything = {name for objects in flask.values() for name in objects}
    assert "flask.escape" not in everything
    assert "flask.Markup" not in everything


def test_werkzeug_and_markupsafe_names_point_at_their_module_pages(tmp_path) -> None:
    werkzeug = load(tmp_path, "werkzeug")
    assert werkzeug["py:function"]["werkzeug.utils.secure_filename"].uri.endswith(
        "/utils/#werkzeug.utils.secure_filename"
    )
    proxy_fix = werkzeug["py:class"]["werkzeug.middleware.proxy_fix.ProxyFix"]
    assert proxy_fix.uri.endswith("/middleware/proxy_fix/#werkzeug.middleware.proxy_fix.ProxyFix")
    # re-imports are listed where they are defined, not where they are imported
    assert "werkzeug.utils.Headers" not in werkzeug["py:class"]
    assert "werkzeug.datastructures.Headers" in werkzeug["py:class"]
    markupsafe = load(tmp_path, "markupsafe")
    assert "markupsafe.Markup" in markupsafe["py:class"]
    assert "markupsafe.escape" in markupsafe["py:function"]
