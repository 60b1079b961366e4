"""Runs one example in the reader's browser (Pyodide), the way CI runs it.

Loaded by runner-worker.js into the page's Python, and imported by the tests, which run every
example of every language through this same function in CPython.
"""

import contextlib
import io
import os
import sys
import tempfile
import traceback


def run_example(prelude, source, files):
    """Run ``source`` after ``prelude`` in a fresh namespace, in a fresh folder holding
    ``files`` (path -> text), as sphinx.ext.doctest and our examples builder run each example.
    Returns (stdout, stderr, traceback or "")."""
    folder = tempfile.mkdtemp(prefix="example-")
    for path, text in files.items():
        target = os.path.join(folder, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as stream:
            stream.write(text)
    stdout, stderr, error = io.StringIO(), io.StringIO(), ""
    home = os.getcwd()
    os.chdir(folder)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            namespace = {"__builtins__": __builtins__}
            exec(prelude, namespace)
            exec(compile(source, "example.py", "exec"), namespace)
    except BaseException:
        # The reader's frames only: drop this function's own.
        kind, value, trace = sys.exc_info()
        error = "".join(traceback.format_exception(kind, value, trace.tb_next))
    finally:
        os.chdir(home)
    return stdout.getvalue(), stderr.getvalue(), error
