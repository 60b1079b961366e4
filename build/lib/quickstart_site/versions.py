"""The Flask versions the tutorial is verified against.

One list for the page (a MyST substitution), the nox doctest matrix and the README check.
Kept free of imports so ``noxfile.py`` can read it without installing anything.
"""

SUPPORTED_FLASK = ("3.0", "3.1")
