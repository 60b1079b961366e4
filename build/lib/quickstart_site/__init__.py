"""The Flask quickstart, executable and multilingual.

``quickstart_site.examples`` is the example model (one reading of a page's examples for every
consumer), the transcript parser and the runner that replays transcripts with real commands;
``quickstart_site.sphinx_ext`` is the Sphinx extension (directives, checks, the examples builder,
translations, search, the browser runner); ``quickstart_site.i18n`` the catalog tools;
``quickstart_site.orchestration`` the site and examples builds; ``quickstart_site.server`` the
app that serves the built site. ``python -m quickstart_site`` is the command line (cli.py).
"""
