"""The package as users get it: told where the site and the project are, never finding them
through its own ``__file__`` (installed from a wheel, that is a virtual environment's
site-packages, next to no project).

The slow end: a wheel built from this checkout, installed into a fresh virtual environment,
serving a site over HTTP from a folder outside the repository."""

from __future__ import annotations

import http.client
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from benchmarks.server_bench import ours, running

from quickstart_site.project import Project, ProjectNotFound
from quickstart_site.server import SiteNotConfigured, create_app
from tests.helpers import PROJECT
from tests.server_helpers import fake_site

CHECKOUT = PROJECT.root

# --- create_app: where the site comes from -------------------------------------------------


def test_no_site_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLASK_SITE", raising=False)
    with pytest.raises(SiteNotConfigured) as raised:
        create_app()
    assert "SITE" in str(raised.value)
    assert "FLASK_SITE" in str(raised.value)


def test_site_without_index(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("FLASK_SITE", raising=False)
    with pytest.raises(SiteNotConfigured, match="index.html"):
        create_app({"SITE": tmp_path})
    with pytest.raises(SiteNotConfigured, match="index.html"):
        create_app(tmp_path / "missing")


def test_site_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    site = fake_site(tmp_path)
    monkeypatch.setenv("FLASK_SITE", str(site))
    monkeypatch.chdir(tmp_path / "outside")  # no project, no site here
    client = create_app().test_client()
    response = client.get("/", headers={"Accept-Language": "ru"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/ru/"
    page = client.get("/ru/quickstart.html")
    assert page.status_code == 200
    assert "window.pageName = 'quickstart'" in page.get_data(as_text=True)
    page.close()


def test_config_wins_over_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    site = fake_site(tmp_path)
    monkeypatch.setenv("FLASK_SITE", str(tmp_path / "outside"))  # no index.html there
    assert create_app({"SITE": site}).config["SITE"] == site


# --- Project.find: where the project is ----------------------------------------------------


def test_no_project_here(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()  # docs/ without conf.py is not a project
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ProjectNotFound, match="--root"):
        Project.find()


def test_project_above(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text("")
    deep = tmp_path / "docs" / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert Project.find() == Project(tmp_path.resolve())
    assert Project.find(deep).site == tmp_path.resolve() / "_build" / "site"


# --- a wheel in a fresh virtual environment ------------------------------------------------


def run(*command: str | Path, cwd: Path) -> str:
    done = subprocess.run(
        [str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def build_wheel(folder: Path) -> Path:
    """A wheel of this checkout, built from a copy so the build writes nothing into it
    (setuptools leaves build/ and *.egg-info beside the sources), with the test
    environment's setuptools (no build isolation: nothing is downloaded)."""
    source = folder / "source"
    source.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(CHECKOUT / name, source / name)
    ignored = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(CHECKOUT / "src", source / "src", ignore=ignored)
    wheels = folder / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    run(*pip, "wheel", "--no-deps", "--no-index", "--no-build-isolation", "-w", wheels, source,
        cwd=folder)  # fmt: skip
    (wheel,) = wheels.glob("quickstart_site-*.whl")
    return wheel


def install(wheel: Path, venv: Path) -> Path:
    """A fresh virtual environment holding the wheel, its dependencies taken from the test
    environment without its editable install.

    Not ``--system-site-packages``: that shares the base interpreter's packages, not the test
    environment's. Instead a ``.pth`` file appends the test environment's site-packages to
    ``sys.path`` after the new environment's own: a directory named in a ``.pth`` file has its
    own ``.pth`` files ignored, so the editable install's (which adds src/) is never read.
    """
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=venv.parent)
    python = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--python", python]
    # Before the .pth file: else pip would see the editable install as already there.
    run(*pip, "install", "--no-deps", "--no-index", wheel, cwd=venv.parent)
    own = run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=venv)
    (Path(own.strip()) / "test-dependencies.pth").write_text(sysconfig.get_path("purelib"))
    return python


def test_installed_wheel_serves(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path / "wheel")
    python = install(wheel, tmp_path / "venv")
    outside = tmp_path / "elsewhere"  # the server's working folder: no project, no site
    outside.mkdir()
    site = fake_site(tmp_path)
    monkeypatch.delenv("PYTHONPATH", raising=False)
    monkeypatch.delenv("FLASK_SITE", raising=False)
    monkeypatch.setenv("PYTHONNOUSERSITE", "1")
    monkeypatch.chdir(outside)

    where = run(
        python,
        "-c",
        "import quickstart_site, sys; print(quickstart_site.__file__); print(*sys.path, sep='\\n')",
        cwd=outside,
    ).splitlines()
    imported = Path(where[0]).resolve()
    assert imported.is_relative_to((tmp_path / "venv").resolve()), imported
    assert not imported.is_relative_to(CHECKOUT)
    assert str(CHECKOUT / "src") not in where[1:], "the editable install is on sys.path"

    command = [str(python), *ours(site)[1:]]
    assert command[1:3] == ["-m", "quickstart_site.server"]
    with running(command) as base:
        connection = http.client.HTTPConnection("127.0.0.1", urlsplit(base).port, timeout=10)
        try:
            connection.request("GET", "/", headers={"Accept-Language": "kk"})
            response = connection.getresponse()
            response.read()
            assert response.status == 302
            assert response.headers["Location"] == "/kk/"
            connection.request("GET", "/kk/quickstart.html")
            response = connection.getresponse()
            body = response.read().decode("utf-8")
            assert response.status == 200
            assert "window.pageName = 'quickstart'" in body
        finally:
            connection.close()
