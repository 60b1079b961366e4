"""The test roots' configuration: the project's own (../../conf.py), without the browser.

The Run buttons and notebooks need the browser runtime; the tiny projects here test the other
parts, and the real site's tests cover those.
"""

from pathlib import Path

PROJECT_CONF = Path(__file__).resolve().parents[2] / "conf.py"
__file__ = str(PROJECT_CONF)  # its paths are the project's
exec(compile(PROJECT_CONF.read_text(encoding="utf-8"), str(PROJECT_CONF), "exec"))  # noqa: S102

examples_in_browser = False
