"""Strict catalogs: what GNU msgfmt rejects, and a header fit to publish.

Babel, and so every other check here, reads some broken catalogs without complaint: an
unterminated ``msgstr "Privet`` loses its last letter. So each catalog is first compiled by GNU
``msgfmt --check --check-format --check-header``, whose every ``file:line: message`` becomes a
problem. msgfmt does not check what a header says, so this module does: the Language of the
catalog's folder, a Language-Team and Last-Translator that are not the template's placeholders,
a real PO-Revision-Date not before the POT-Creation-Date, and the language's Plural-Forms.

``python -m quickstart_site.i18n.strict [po files or folders]`` checks every catalog of the
project by default (``locales/`` and the interface catalogs), prints each problem as
``path:line: [kind] detail`` and exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from quickstart_site.i18n.po_files import Problem
from quickstart_site.i18n.po_files import catalogs as po_catalogs
from quickstart_site.project import Project

KINDS = {
    "syntax": "msgfmt rejects the file: an unterminated string, a malformed entry",
    "format": "msgfmt --check-format: a format string's placeholders differ (python-brace-format)",
    "msgfmt": "any other msgfmt diagnostic (plural forms of entries, header syntax)",
    "header": "no header entry",
    "language": "the Language header is missing or is not the catalog folder's language",
    "placeholder": "a header field still holds the template's placeholder, or is empty",
    "revision-date": "PO-Revision-Date is not a date, or is earlier than POT-Creation-Date",
    "plural-forms": "Plural-Forms is missing or is not the one gettext uses for the language",
}
# The gettext manual's rules ("Plural forms"); the catalogs' own values, compared without spaces.
PLURAL_FORMS = {
    "kk": "nplurals=2; plural=(n != 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
    "zh_CN": "nplurals=1; plural=0;",
}
PLACEHOLDERS = ("FULL NAME", "EMAIL@ADDRESS", "LL@li.org", "LANGUAGE <", "YEAR-MO-DA")
NAMED_FIELDS = ("Language-Team", "Last-Translator")  # must name someone, not only be non-template
DATE_FORMAT = "%Y-%m-%d %H:%M%z"
INSTALL_HINT = "install GNU gettext (apt-get install gettext)"
# msgfmt's warnings for the fields checked below, where this module says more.
MSGFMT_DEFAULT_VALUE = re.compile(
    r"header field '(Language-Team|Last-Translator|PO-Revision-Date)' still has the initial"
)


class MsgfmtMissing(RuntimeError):
    pass


def check(po_file: Path) -> list[Problem]:
    """Why ``po_file`` is not ready to publish: msgfmt's diagnostics, then the header's."""
    return msgfmt_problems(po_file) + header_problems(po_file)


def msgfmt_problems(po_file: Path) -> list[Problem]:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        raise MsgfmtMissing(INSTALL_HINT)
    command = [msgfmt, "--check", "--check-format", "--check-header", "-o", os.devnull]
    result = subprocess.run(
        [*command, str(po_file)],
        capture_output=True,
        text=True,
        errors="replace",
        env={**os.environ, "LC_ALL": "C.UTF-8", "LANGUAGE": ""},  # messages in English
        check=False,
    )
    problems = []
    prefix = f"{po_file}:"
    for line in result.stderr.splitlines():
        found = re.match(r"(\d+):(?:\d+:)? (.*)", line.removeprefix(prefix))
        if not line.startswith(prefix) or not found or MSGFMT_DEFAULT_VALUE.search(line):
            continue
        message = found[2]
        kind = "format" if "format specification" in message else "msgfmt"
        if re.search(r"within string|syntax error|invalid control|missing 'msg|duplicate", message):
            kind = "syntax"
        problems.append(Problem(po_file, int(found[1]), kind, f"msgfmt: {message}", ""))
    if result.returncode and not problems:  # a failure without a line: still a failure
        detail = f"msgfmt: {result.stderr.strip() or f'exit status {result.returncode}'}"
        problems.append(Problem(po_file, 1, "syntax", detail, ""))
    return problems


def header_fields(po_file: Path) -> tuple[int, dict[str, tuple[int, str]]] | None:
    """The header entry's line and its fields, each with the line it starts on; None if the
    first entry is not the header. Read from the text: Babel rewrites some fields."""
    lines = po_file.read_text(encoding="utf-8", errors="replace").splitlines()
    entry = [(n, line.strip()) for n, line in enumerate(lines, 1) if line.strip()]
    entry = [(n, line) for n, line in entry if not line.startswith("#")]
    if len(entry) < 2 or (entry[0][1], entry[1][1]) != ('msgid ""', 'msgstr ""'):
        return None
    fields: dict[str, tuple[int, str]] = {}
    text, start = "", 0
    for lineno, line in entry[2:]:
        if not line.startswith('"'):
            break
        try:
            piece = ast.literal_eval(line)
        except (SyntaxError, ValueError):
            break  # msgfmt reports it
        if not isinstance(piece, str):
            break
        start = start if text else lineno
        text += piece
        while "\n" in text:
            field, text = text.split("\n", 1)
            name, _, value = field.partition(":")
            fields[name.strip()] = (start, value.strip())
            start = lineno
    return entry[0][0], fields


def header_problems(po_file: Path) -> list[Problem]:
    header = header_fields(po_file)
    if header is None:
        return [Problem(po_file, 1, "header", 'the first entry is not the header (msgid "")', "")]
    header_line, fields = header
    problems = []

    def problem(field: str, kind: str, detail: str) -> None:
        lineno = fields[field][0] if field in fields else header_line
        problems.append(Problem(po_file, lineno, kind, f"{field}: {detail}", ""))

    def value(field: str) -> str:
        return fields.get(field, (0, ""))[1]

    for field, (_, text) in fields.items():
        if any(placeholder in text for placeholder in PLACEHOLDERS):
            kind = "revision-date" if field == "PO-Revision-Date" else "placeholder"
            problem(field, kind, f"still the template's placeholder {text!r}")
    for field in NAMED_FIELDS:
        if not value(field):
            problem(field, "placeholder", "missing or empty: name the project's translators")

    language = value("Language")
    expected = po_file.parent.parent.name if po_file.parent.name == "LC_MESSAGES" else None
    if not language or (expected and language != expected):
        problem("Language", "language", f"{language!r}, but the catalog is in {expected!r}")

    revised, created = parse_date(value("PO-Revision-Date")), parse_date(value("POT-Creation-Date"))
    if revised is None and "YEAR-MO-DA" not in value("PO-Revision-Date"):
        problem("PO-Revision-Date", "revision-date", f"{value('PO-Revision-Date')!r} is no date")
    elif revised and created and revised < created:
        problem("PO-Revision-Date", "revision-date", "earlier than POT-Creation-Date")

    plural_forms = value("Plural-Forms")
    rule = PLURAL_FORMS.get(expected or language)
    if not plural_forms:
        problem("Plural-Forms", "plural-forms", f"missing: use {rule or 'the gettext rule'!r}")
    elif rule is None:
        problem("Plural-Forms", "plural-forms", f"no known rule for {expected or language!r}")
    elif normalized(plural_forms) != normalized(rule):
        problem("Plural-Forms", "plural-forms", f"{plural_forms!r}, expected {rule!r}")
    return problems


def parse_date(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, DATE_FORMAT)
    except ValueError:
        return None


def normalized(plural_forms: str) -> str:
    return re.sub(r"\s+", "", plural_forms).rstrip(";")


def project_catalogs(project: Project) -> list[Path]:
    from quickstart_site.sphinx_ext.i18n.interface import THEME_CATALOGS

    catalogs = sorted(project.locales.glob("*/LC_MESSAGES/*.po"))
    return catalogs + sorted(THEME_CATALOGS.glob("*/LC_MESSAGES/*.po"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m quickstart_site.i18n.strict", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("paths", nargs="*", type=Path, help="po files or folders (default: all)")
    args = parser.parse_args(argv)
    catalogs = po_catalogs(args.paths) or project_catalogs(Project.find())
    try:
        problems = [problem for po_file in catalogs for problem in check(po_file)]
    except MsgfmtMissing as error:
        print(f"strict: {error}", file=sys.stderr)
        return 2
    for problem in problems:
        print(f"{problem.po_file}:{problem.lineno}: [{problem.kind}] {problem.detail}")
    print(f"{len(problems)} problems in {len(catalogs)} catalogs", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
