"""serve's author loop: the site served while each language's warm Sphinx application
rebuilds what the author saves (watch.py), publishing only builds without a warning."""
