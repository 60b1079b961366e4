"""Intersphinx inventories for Flask, Werkzeug and MarkupSafe, made without a network.

The build cannot download ``objects.inv``. Instead, the public names of the *installed*
packages are listed with the URL scheme of their official documentation, so a role such as
{func}`flask.url_for` links to the real page, and a name the installed Flask does not have
(``flask.escape``, ``flask.Markup``: both removed) stays unresolved, which ``-n -W`` turns
into a failed build. Sphinx offers no public writer for inventories outside a build, hence the
few lines below that write the documented version 2 format.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

# Part of each cached file's name: change it when the listing rules change.
FORMAT = "v2"


@dataclass(frozen=True)
class Project:
    """A documented package: which modules to list and where each one's API page is."""

    name: str
    distribution: str
    base_url: str
    # module -> page (relative to base_url) on which its objects are documented
    pages: dict[str, str]


PROJECTS = (
    Project("flask", "flask", "https://flask.palletsprojects.com/en/stable/", {"flask": "api/"}),
    Project(
        "werkzeug",
        "werkzeug",
        "https://werkzeug.palletsprojects.com/en/stable/",
        {
            "werkzeug.datastructures": "datastructures/",
            "werkzeug.exceptions": "exceptions/",
            "werkzeug.http": "http/",
            "werkzeug.middleware.proxy_fix": "middleware/proxy_fix/",
            "werkzeug.routing": "routing/",
            "werkzeug.security": "utils/",
            "werkzeug.serving": "serving/",
            "werkzeug.test": "test/",
            "werkzeug.utils": "utils/",
            "werkzeug.wrappers": "wrappers/",
        },
    ),
    Project(
        "markupsafe",
        "markupsafe",
        "https://markupsafe.palletsprojects.com/en/stable/",
        {"markupsafe": "escaping/"},
    ),
)


@dataclass(frozen=True)
class InventoryItem:
    name: str
    role: str  # py:class, py:function, py:method, py:attribute, py:data, py:module
    uri: str


def public_names(module: ModuleType) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [name for name in vars(module) if not name.startswith("_")]
    return sorted(names)


def module_items(module_name: str, page: str) -> Iterator[InventoryItem]:
    """The module itself, its public names, and the public members of its public classes."""
    module = importlib.import_module(module_name)
    yield InventoryItem(module_name, "py:module", f"{page}#module-{module_name}")
    for name in public_names(module):
        value = getattr(module, name, None)
        if inspect.ismodule(value) or value is None:
            continue
        qualified = f"{module_name}.{name}"
        if _is_proxy(value):
            yield InventoryItem(qualified, "py:data", f"{page}#{qualified}")
            continue
        defined_in = getattr(value, "__module__", module_name) or module_name
        # Skip names a module merely re-imports from elsewhere (werkzeug.utils imports
        # Headers, typing, the stdlib): they are documented, and anchored, where they live.
        # A package re-exporting its own submodules' names (flask.url_for) keeps them.
        if defined_in != module_name and not defined_in.startswith(module_name + "."):
            continue
        if inspect.isclass(value):
            yield InventoryItem(qualified, "py:class", f"{page}#{qualified}")
            yield from class_members(value, qualified, page)
        elif callable(value):
            yield InventoryItem(qualified, "py:function", f"{page}#{qualified}")
        else:
            yield InventoryItem(qualified, "py:data", f"{page}#{qualified}")


def _request(cls: type) -> object:
    from werkzeug.test import EnvironBuilder

    return cls(EnvironBuilder().get_environ())


# Classes that set documented attributes only in ``__init__`` (``request.method``,
# ``app.config``): nothing on the class lists those, so one instance is made and looked at.
SAMPLE_INSTANCES: dict[str, Callable[[type], object]] = {
    "flask.Flask": lambda cls: cls("sample"),
    "flask.Request": _request,
    "flask.Response": lambda cls: cls(),
    "werkzeug.wrappers.Request": _request,
    "werkzeug.wrappers.Response": lambda cls: cls(),
}


def instance_attributes(cls: type, qualified: str) -> set[str]:
    make = SAMPLE_INSTANCES.get(qualified)
    if make is None:
        return set()
    return {name for name in vars(make(cls)) if not name.startswith("_")}


def class_members(cls: type, qualified: str, page: str) -> Iterator[InventoryItem]:
    for member in sorted(instance_attributes(cls, qualified)):
        yield InventoryItem(f"{qualified}.{member}", "py:attribute", f"{page}#{qualified}.{member}")
    for member, value in inspect.getmembers(cls):
        if member.startswith("_"):
            continue
        raw = inspect.getattr_static(cls, member, None)
        if isinstance(raw, (staticmethod, classmethod)) or inspect.isfunction(raw):
            role = "py:method"
        elif isinstance(value, type):
            continue
        else:
            role = "py:attribute"
        yield InventoryItem(f"{qualified}.{member}", role, f"{page}#{qualified}.{member}")


def _is_proxy(value: object) -> bool:
    # flask.request, flask.session, flask.g are LocalProxy objects: data, not functions.
    # type() sees the proxy itself; attribute access would reach for a request context.
    return type(value).__name__ == "LocalProxy"


def project_items(project: Project) -> list[InventoryItem]:
    items: dict[str, InventoryItem] = {}
    for module_name, page in project.pages.items():
        for item in module_items(module_name, page):
            items.setdefault(f"{item.role} {item.name}", item)
    return list(items.values())


def write_inventory(path: Path, project: str, version: str, items: list[InventoryItem]) -> None:
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    lines = "".join(
        f"{item.name} {item.role} 1 {item.uri} -\n"
        for item in sorted(items, key=lambda item: (item.name, item.role))
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header.encode() + zlib.compress(lines.encode()))


def offline_intersphinx_mapping(folder: Path) -> dict[str, tuple[str, str]]:
    """Write one inventory per project (once per installed version) and map intersphinx to it."""
    mapping = {}
    for project in PROJECTS:
        version = importlib.metadata.version(project.distribution)
        path = folder / f"{project.name}-{version}-{FORMAT}.inv"
        if not path.exists():
            write_inventory(path, project.name, version, project_items(project))
        mapping[project.name] = (project.base_url, str(path))
    return mapping
