"""The project's own warning types, in MyST-Parser's manner (``myst_parser/warnings_.py``).

Each warning is logged as ``quickstart.<subtype>``, so ``suppress_warnings`` can silence one
kind, and silencing Sphinx's own ``i18n`` noise never silences ours.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sphinx.util import logging

TYPE = "quickstart"


class QuickstartWarning(StrEnum):
    EXAMPLE = "example"  # a doctest construct the example model refuses
    EXERCISE = "exercise"  # an exercise the exercise model refuses
    NOT_EXECUTABLE = "not-executable"  # Python on a page that nothing runs
    CODE_CHANGED = "code-changed"  # a translation that changes code, not only comments
    BROWSER = "browser"  # the Run buttons or the notebook cannot be made


def warn(
    logger: logging.SphinxLoggerAdapter, kind: QuickstartWarning, message: str, **kwargs: Any
) -> None:
    # Sphinx appends " [quickstart.<subtype>]" itself (show_warning_types).
    logger.warning("%s", message, type=TYPE, subtype=kind.value, **kwargs)
