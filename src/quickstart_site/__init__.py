"""The Flask quickstart, executable and multilingual.

``quickstart_site.sphinx_ext`` is the Sphinx extension that makes every example executable;
``quickstart_site.examples.transcript`` verifies shell transcripts against the real commands;
``quickstart_site.inventory`` produces intersphinx inventories without a network.
"""
