"""Where the project's parts live, computed once so every tool agrees."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
LOCALES = ROOT / "locales"
BUILD = ROOT / "_build"
SITE = BUILD / "site"
