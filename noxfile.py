"""The sessions a contributor runs. Each is a thin call into the package or a tool.

nox -s serve            build the site, then serve it on http://127.0.0.1:8000/
nox -s build            build the site into _build/site
nox -s test             every test (pytest), then the examples on each supported Flask
nox -s doctest          the examples and transcripts, in every language, on each supported Flask
nox -s i18n-update      extract the English messages and merge them into locales/*/*.po
nox -s i18n-stat        translated / fuzzy / untranslated messages per language and page
nox -s bench            build and example timings, as a table
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import nox

sys.path.insert(0, str(Path(__file__).parent / "src"))
from quickstart_site.versions import SUPPORTED_FLASK  # noqa: E402  (import-free module)

nox.options.sessions = ["test"]
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True
# uv creates the virtualenvs and installs into them (nox[uv] brings it: the README's command):
# a fresh test virtualenv in 13 s where pip took 59 s here. Plain virtualenv and pip when uv
# is missing.
nox.options.default_venv_backend = "uv|virtualenv"
# Installed modules compiled to bytecode at install time, as pip does; uv leaves it to the
# first import, where Python's compiler warns about jieba's invalid escape sequences
# (SyntaxWarning), which the tests' filterwarnings=error turns into a collection error.
os.environ.setdefault("UV_COMPILE_BYTECODE", "1")

PYTHON = "3.11"


def install(session: nox.Session, *extras: str, flask: str | None = None) -> None:
    target = f".[{','.join(extras)}]" if extras else "."
    pins = [f"flask=={flask}.*"] if flask else []
    session.install("-e", target, *pins)


def ensure_debian_packages(session: nox.Session, commands: dict[str, str]) -> None:
    """Install the Debian packages whose commands (command -> package) are missing."""
    missing = [package for command, package in commands.items() if not shutil.which(command)]
    if missing:
        session.run("apt-get", "update", "-qq", external=True)
        session.run("apt-get", "install", "-y", "-qq", *missing, external=True)


# npm fetches Pyodide's core for the in-browser runtime (quickstart_site.orchestration.runtime).
BUILD_TOOLS = {"npm": "npm"}
# Debian's Chromium for the browser tests (Playwright drives it; `playwright install` cannot
# download a browser here) and node for the JavaScript halves of some checks; nginx, the
# static host the built site is tested on; GNU gettext's msgfmt, the strict catalog check.
BROWSER = {"chromium": "chromium", "node": "nodejs", **BUILD_TOOLS}
TEST_TOOLS = {**BROWSER, "nginx": "nginx", "msgfmt": "gettext"}
# npm packages the tests use (each folder has a package.json and a package-lock.json).
TEST_NPM = ["tests/npm"]
# Lighthouse, pinned, for the bench's performance, accessibility, best-practices and SEO scores.
BENCH_NPM = ["benchmarks/lighthouse"]
# The bench's load generator (wrk) and the static host it measures beside our server (nginx).
BENCH_TOOLS = {**BROWSER, "wrk": "wrk", "nginx": "nginx"}


def npm_install(session: nox.Session, folders: list[str]) -> None:
    """Install the pinned npm packages of each folder (``npm ci``) unless already there."""
    for folder in folders:
        if Path(folder, "package-lock.json").is_file():
            session.run(
                "npm",
                "ci",
                "--no-audit",
                "--no-fund",
                "--silent",
                "--prefix",
                folder,
                external=True,
            )


@nox.session(python=PYTHON)
def build(session: nox.Session) -> None:
    """Build the HTML site (warnings are errors) with its in-browser runtime."""
    ensure_debian_packages(session, BUILD_TOOLS)
    install(session)
    session.run("python", "-m", "quickstart_site", "build", *session.posargs)


@nox.session(python=PYTHON)
def serve(session: nox.Session) -> None:
    """Build the site, then serve it on 127.0.0.1 (``-- --port 8080`` to change the port)."""
    ensure_debian_packages(session, BUILD_TOOLS)
    install(session)
    session.run("python", "-m", "quickstart_site", "serve", *session.posargs)


@nox.session(python=PYTHON)
def test(session: nox.Session) -> None:
    """Everything CI runs: pytest, then the examples on every other supported Flask version."""
    ensure_debian_packages(session, TEST_TOOLS)
    install(session, "test")
    npm_install(session, TEST_NPM)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    # Two workers, each test file on one of them (its module's browser and server stay one),
    # the longest files first (tests/conftest.py, LONGEST_FIRST); they share the site build.
    # Given arguments replace these.
    workers = ["-n", "2", "--dist", "loadfile", "--no-loadscope-reorder"]
    session.run("pytest", *(session.posargs or workers))
    # A whole pytest run ran every example in every language on the Flask installed here (its
    # summary names the version); the other supported versions get their own run.
    tested = None
    if not session.posargs:
        tested = session.run(
            "python",
            "-c",
            "import importlib.metadata as m; print(m.version('flask').rsplit('.', 1)[0])",
            silent=True,
        )
    for flask in SUPPORTED_FLASK:
        if not isinstance(tested, str) or tested.strip() != flask:
            session.notify(f"doctest({flask})")


@nox.session(python=PYTHON)
@nox.parametrize("flask", [nox.param(v, id=v) for v in SUPPORTED_FLASK])
def doctest(session: nox.Session, flask: str) -> None:
    """Run every example and transcript, on every language's page, against one Flask minor."""
    install(session, flask=flask)
    session.run(
        "python",
        "-m",
        "quickstart_site",
        "examples",
        "--outdir",
        f"_build/examples/flask-{flask}",
    )


@nox.session(python=PYTHON, name="i18n-update")
def i18n_update(session: nox.Session) -> None:
    """After editing docs/: new messages into every catalog, edited ones marked fuzzy."""
    install(session)
    session.run("python", "-m", "quickstart_site.i18n.catalogs", "update")


@nox.session(python=PYTHON, name="i18n-stat")
def i18n_stat(session: nox.Session) -> None:
    """Per language and page: translated, fuzzy, untranslated (fails unless all complete)."""
    install(session)
    session.run("python", "-m", "quickstart_site.i18n.catalogs", "stat")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Every figure of issue 12 with its target (``-- --test-session`` also times nox -s test
    in a fresh clone): builds, examples, server, the Run buttons, Lighthouse, as a table."""
    ensure_debian_packages(session, BENCH_TOOLS)
    install(session, "test")
    npm_install(session, BENCH_NPM)
    session.run("python", "-m", "benchmarks.bench", *session.posargs)
