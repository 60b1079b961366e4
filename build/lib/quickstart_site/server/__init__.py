"""Serving the built site: a Flask application (``create_app``) run by waitress (``serve``)."""

from quickstart_site.server.app import SiteNotConfigured, create_app
from quickstart_site.server.wsgi import serve

__all__ = ["SiteNotConfigured", "create_app", "serve"]
