"""Directives for the parts of an example that are not Python statements.

``{example-file}`` shows a file (a template, a module) that an example needs on disk, and
writes that very text into the example's working directory when it runs. ``{transcript}``
shows a shell session that the examples builder replays with the real commands.
``{example-exempt}`` shows Python that cannot run, with the reason, so it is counted.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.directives.code import container_wrapper
from sphinx.util.docutils import SphinxDirective

from quickstart_site.examples.transcript import TranscriptError, displayed, parse


def group_names(argument: str) -> list[str]:
    return [name.strip() for name in argument.split(",") if name.strip()]


class ExampleFile(SphinxDirective):
    """A file an example needs, shown with its path as the caption."""

    required_arguments = 1
    has_content = True
    option_spec = {"group": group_names, "language": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        path = self.arguments[0]
        if path.startswith("/") or ".." in path.split("/"):
            raise self.error(f"example-file {path!r}: give a path inside the example's folder")
        if "group" not in self.options:
            raise self.error(f"example-file {path!r}: name the example it belongs to (:group:)")
        text = "\n".join(self.content)
        block = nodes.literal_block(text, text, language=self.options.get("language", "text"))
        block["example_file"] = path
        block["groups"] = self.options["group"]
        self.set_source_info(block)
        return [container_wrapper(self, block, path)]


class Transcript(SphinxDirective):
    """A shell session, e.g. ``$ flask --app hello run`` and what it prints."""

    required_arguments = 1  # the transcript's name, used in reports
    has_content = True
    option_spec = {
        # path=group pairs: write the first code block of that example to this path
        "files": directives.unchanged_required,
        # the last command is a server (flask run): stopped once it printed its lines and
        # listens on its port; without it, every command must exit by itself
        "server": directives.flag,
        # hold the port first, to show what happens when it is already in use: the server
        # must then fail to start (so this needs :server:)
        "occupied-port": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        text = "\n".join(self.content)
        try:
            parse(text)
            files = parse_files(self.options.get("files", ""))
            if "occupied-port" in self.options and "server" not in self.options:
                raise ValueError(":occupied-port: is about a server: add :server:")
        except (TranscriptError, ValueError) as error:
            raise self.error(f"transcript {self.arguments[0]!r}: {error}") from None
        shown = displayed(text)
        block = nodes.literal_block(shown, shown, language="console")
        block["transcript"] = text
        block["transcript_name"] = self.arguments[0]
        block["transcript_files"] = files
        block["transcript_server"] = "server" in self.options
        block["occupied_port"] = "occupied-port" in self.options
        self.set_source_info(block)
        return [block]


def parse_files(spec: str) -> dict[str, str]:
    files = {}
    for pair in spec.split():
        path, sep, group = pair.partition("=")
        if not sep or not path or not group:
            raise ValueError(f"files: write path=example pairs, not {pair!r}")
        files[path] = group
    return files


class ExampleExempt(SphinxDirective):
    """Python that truly cannot run here; the reason is required and the block is counted."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def run(self) -> list[nodes.Node]:
        text = "\n".join(self.content)
        block = nodes.literal_block(text, text, language="python")
        block["exempt_reason"] = self.arguments[0]
        self.set_source_info(block)
        return [block]
