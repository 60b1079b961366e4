"""The quickstart as a Jupyter notebook: each language's page, whose code runs top to bottom.

The notebooks are made from the real four-language build's doctrees, and run in a separate
CPython with the installed Flask, the way the Pyodide kernel runs them: one namespace, the
module ``__main__`` without a file, a fresh folder.
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
import tokenize
from io import StringIO

import nbformat
import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from docutils.core import publish_doctree
from markdown_it import MarkdownIt

from quickstart_site.examples.grouping import doctest_nodes, examples_of
from quickstart_site.i18n.code_equivalence import comments
from quickstart_site.languages import CODES, TRANSLATIONS
from quickstart_site.sphinx_ext.browser.notebook import example_file_code, notebook
from tests.conftest import builds, quickstart_site
from tests.conftest import quickstart_doctree as doctree
from tests.helpers import PROJECT

pytestmark = [pytest.mark.site]

TRANSLATED = [language.code for language in TRANSLATIONS]
GLOBAL_SETUP = '__name__ = "hello"'  # conf.py's doctest_global_setup

# Runs a notebook's code cells as "Run All" does and writes what each printed to stdout, as
# JSON. Like IPython, the namespace is the module __main__ with no __file__ (so Flask's app
# name and logger are "__main__"), and a cell's last bare expression shows its value.
RUN_ALL = """
import ast, contextlib, io, json, sys, traceback, types

notebook_file, results_file = sys.argv[1:]
main = types.ModuleType("__main__")
sys.modules["__main__"] = main
results = []
with open(notebook_file, encoding="utf-8") as stream:
    cells = [cell for cell in json.load(stream)["cells"] if cell["cell_type"] == "code"]
for number, cell in enumerate(cells, 1):
    source = "".join(cell["source"])
    body = ast.parse(source).body
    shown = body.pop() if body and isinstance(body[-1], ast.Expr) else None
    stdout, error = io.StringIO(), None
    try:
        with contextlib.redirect_stdout(stdout):
            exec(compile(ast.Module(body, []), f"<cell {number}>", "exec"), main.__dict__)
            if shown is not None:
                exec(compile(ast.Interactive([shown]), f"<cell {number}>", "single"),
                     main.__dict__)
    except BaseException:
        error = traceback.format_exc()
    results.append({"stdout": stdout.getvalue(), "error": error})
    if error:
        break
with open(results_file, "w", encoding="utf-8") as stream:
    json.dump(results, stream)
"""


@functools.cache
def quickstart_notebook(language: str) -> nbformat.NotebookNode:
    """The notebook the site ships for the language, without its intro cell."""
    build = quickstart_site()
    assert build.returncode == 0, build.output
    book = nbformat.read(build.outdir / "lite" / "files" / language / "quickstart.ipynb", 4)
    book.cells = book.cells[1:]
    return book


def page_examples(language: str):
    return examples_of(doctree(language), "quickstart", global_setup=GLOBAL_SETUP)


def page_notebook(language: str, **options) -> nbformat.NotebookNode:
    """A notebook made here from the build's doctree (the shipped one is made in the build)."""
    locale_dirs = (str(PROJECT.locales),)
    return notebook(
        doctree(language),
        language=language,
        examples=page_examples(language),
        locale_dirs=locale_dirs,
        **options,
    )


def code_cells(book: nbformat.NotebookNode, *kinds: str) -> list[nbformat.NotebookNode]:
    """The code cells of these kinds; without kinds, those of the examples (an exercise's cells,
    tested in test_exercises.py, hold the page's messages and the harness)."""
    return [
        cell
        for cell in book.cells
        if cell.cell_type == "code"
        and (
            cell.metadata["quickstart"]["kind"] in kinds
            or (not kinds and not is_exercise_cell(cell))
        )
    ]


def is_exercise_cell(cell: nbformat.NotebookNode) -> bool:
    return cell.metadata["quickstart"]["kind"].startswith("exercise-")


def markdown_cells(book: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in book.cells if cell.cell_type == "markdown"]


def run_all(book: nbformat.NotebookNode, folder) -> list[dict]:
    notebook_file, results_file = folder / "quickstart.ipynb", folder / "results.json"
    nbformat.write(book, notebook_file)
    workdir = folder / "run"
    workdir.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", RUN_ALL, notebook_file, results_file],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(results_file.read_text(encoding="utf-8"))


def expected_outputs(language: str, book: nbformat.NotebookNode) -> list[tuple]:
    """Per code cell: its example, and what the page shows it prints (nothing for setup,
    cleanup and the files; None for an exercise's cells, whose checks fail on the starter)."""
    steps = {example.name: iter(example.code_steps) for example in page_examples(language)}
    expected: list[tuple] = []
    for cell in book.cells:
        if cell.cell_type != "code":
            continue
        info = cell.metadata["quickstart"]
        if is_exercise_cell(cell):
            expected.append((info["examples"], info["kind"], None))
            continue
        group, printed = info["examples"][0], ""
        if info["kind"] == "testcode":
            printed = next(steps[group]).expected or ""
        expected.append((group, info["kind"], printed))
    return expected


def is_exercise_wrapper_or_check(node: nodes.Node) -> bool:
    """sphinx-exercise's title around an exercise's own title ("Exercise" + the subtitle,
    numbered only once resolved: the subtitle is compared instead), and a check's failure
    message, which the notebook shows in the exercise's check cell (test_exercises.py)."""
    if isinstance(node, nodes.title) and type(node) is not nodes.title:
        return True
    parent = node.parent
    while parent is not None:
        if "exercise-check" in parent.get("classes", []):
            return True
        parent = parent.parent
    return False


def rendered_text(markdown: str) -> str:
    """What a reader sees of some Markdown: rendered (CommonMark with tables), as plain text."""
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    return " ".join(BeautifulSoup(html, "html.parser").get_text().split())


# 1. It runs top to bottom and prints what the page shows.


@pytest.mark.parametrize("language", CODES)
def test_the_notebook_runs_top_to_bottom_printing_what_the_page_shows(tmp_path, language):
    book = quickstart_notebook(language)
    expected = expected_outputs(language, book)
    results = run_all(book, tmp_path)
    errors = [result["error"] for result in results if result["error"]]
    assert errors == [], errors[0] if errors else ""
    printed = [
        (group, kind, None if want is None else result["stdout"])
        for (group, kind, want), result in zip(expected, results, strict=True)
    ]
    assert printed == expected


def test_each_file_cell_writes_its_example_file_exactly(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    blocks = [
        block for block in doctree("en").findall(nodes.literal_block) if "example_file" in block
    ]
    cells = code_cells(quickstart_notebook("en"), "example-file")
    assert len(cells) == len(blocks) > 0
    for cell, block in zip(cells, blocks, strict=True):
        exec(cell.source, {})
        written = (tmp_path / block["example_file"]).read_text(encoding="utf-8")
        assert written == block.astext() + "\n"


def test_a_file_cell_keeps_any_text_exact(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = 'quotes \' " """ and \\ backslashes\n\ttab\n\nblank line above, no newline at end'
    exec(example_file_code("a/b/odd.txt", text), {})
    assert (tmp_path / "a" / "b" / "odd.txt").read_text(encoding="utf-8") == text


# 2. Its code cells are the page's code, with the page's translated comments.


@pytest.mark.parametrize("language", CODES)
def test_code_cells_are_the_pages_doctest_blocks_in_page_order(language):
    page = [
        (node["groups"], node["testnodetype"], node.astext())
        for node in doctest_nodes(doctree(language))
        if node["testnodetype"] != "testoutput"
    ]
    cells = code_cells(quickstart_notebook(language), "testsetup", "testcode", "testcleanup")
    assert [
        (cell.metadata["quickstart"]["examples"], cell.metadata["quickstart"]["kind"], cell.source)
        for cell in cells
    ] == page


def test_hidden_blocks_are_marked_and_collapsed():
    cells = code_cells(quickstart_notebook("en"))
    hidden = [cell for cell in cells if cell.metadata["quickstart"]["hidden_on_page"]]
    shown = [cell for cell in cells if not cell.metadata["quickstart"]["hidden_on_page"]]
    assert 'response = app.test_client().get("/")' in hidden[0].source  # minimal-app's request
    assert all(cell.metadata["jupyter"]["source_hidden"] for cell in hidden)
    assert shown[0].source.startswith("from flask import Flask")
    assert all("jupyter" not in cell.metadata for cell in shown)


def code_tokens(source: str) -> list[str]:
    tokens = tokenize.generate_tokens(StringIO(source).readline)
    return [token.string for token in tokens if token.type != tokenize.COMMENT]


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_translated_notebook_runs_the_same_code_with_comments_in_its_language(language):
    english = code_cells(quickstart_notebook("en"))
    translated = code_cells(quickstart_notebook(language))
    assert [code_tokens(cell.source) for cell in translated] == [
        code_tokens(cell.source) for cell in english
    ]

    def routes(cells):  # variable-rules' first block: "# name is a str"
        return next(cell.source for cell in cells if "def author(name):\n    #" in cell.source)

    assert "# name is a str" in routes(english)
    assert "# name is a str" not in routes(translated)
    letters = {"kk": "[А-яӘәҒғҚқҢңӨөҰұҮүҺһІі]", "ru": "[А-яЁё]", "zh_CN": "[\u4e00-\u9fff]"}
    assert re.search(rf"# .*{letters[language]}", routes(translated))


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_code_cell_of_a_translated_notebook_keeps_an_english_comment(language):
    # Hidden blocks too: the page does not show them, the notebook and the runner do.
    english = {
        line for cell in code_cells(quickstart_notebook("en")) for line in comments(cell.source)
    }
    kept = [
        line
        for cell in code_cells(quickstart_notebook(language))
        for line in comments(cell.source)
        if line in english
    ]
    assert kept == []


# 3. Its Markdown is the page's prose, in the page's language.


@pytest.mark.parametrize("language", CODES)
def test_the_first_heading_is_the_page_title_in_its_language(language):
    title = doctree(language).next_node(nodes.title).astext()
    assert markdown_cells(quickstart_notebook(language))[0].startswith(f"# {title}\n")


def test_translated_notebooks_open_with_a_translated_title():
    assert re.match("# [А-яЁё ]+\n", markdown_cells(quickstart_notebook("ru"))[0])
    assert re.match("# .*[\u4e00-\u9fff]", markdown_cells(quickstart_notebook("zh_CN"))[0])


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_markdown_cell_of_a_translated_notebook_is_english(language):
    progress = doctree(language)["translation_progress"]
    assert progress["translated"] == progress["total"] > 0  # else English cells are expected
    english = set(markdown_cells(quickstart_notebook("en")))
    assert [cell for cell in markdown_cells(quickstart_notebook(language)) if cell in english] == []


@pytest.mark.parametrize("language", CODES)
def test_the_warning_has_the_title_the_html_page_shows(language):
    book = quickstart_notebook(language)  # after the build
    html = (quickstart_site().outdir / language / "quickstart.html").read_text(encoding="utf-8")
    title = BeautifulSoup(html, "html.parser").select_one(".warning .admonition-title")
    quote = f"> **{title.get_text()}**\n>\n> "
    assert any(quote in cell for cell in markdown_cells(book))


@pytest.mark.parametrize("language", CODES)
def test_every_word_of_the_prose_shows_in_the_rendered_markdown(language):
    shown = rendered_text("\n\n".join(markdown_cells(quickstart_notebook(language))))
    prose = [
        " ".join(node.astext().split())
        for node in doctree(language).findall(nodes.TextElement)
        if isinstance(node, (nodes.paragraph, nodes.title, nodes.subtitle))
        and not is_exercise_wrapper_or_check(node)
    ]
    assert len(prose) > 100
    assert [text for text in prose if text not in shown] == []


def test_markdown_keeps_links_lists_tables_and_code():
    markdown = "\n\n".join(markdown_cells(quickstart_notebook("en")))
    assert (
        "The [command line interface](https://flask.palletsprojects.com/en/stable/cli/) "
        "documentation" in markdown
    )
    assert "Open <http://127.0.0.1:5000/> in your web browser." in markdown
    # API names link to their documentation, as on the HTML page (the resolved doctree).
    assert (
        "\n1. `from flask import Flask` loads the "
        "[`Flask`](https://flask.palletsprojects.com/en/stable/api/#flask.Flask) class."
    ) in markdown
    assert "\n- A function name such as `author` is often clearer than a URL.\n" in markdown
    assert (
        "| Converter | What it accepts |\n| --- | --- |\n| `string` | Text with no `/`" in markdown
    )
    # A link to another page or section keeps its words; its HTML address means nothing here.
    assert "see Deploy to a web server." in markdown
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    assert html.count("<tr>") == 6


def test_markdown_shows_special_characters_as_text():
    """Text that looks like Markdown, HTML or math stays text; code spans survive backticks
    and pipes, also in a table."""
    source = (
        "Title\n=====\n\n"
        "2\\. is not a list, *this* is emphasis, and 5 * 3 costs $4 [sic] <b>x</b> a_b_c.\n\n"
        "\\# not a heading\n\n"
        "Code with ``a `tick` inside`` and ``a|b``.\n\n"
        "=====  =========\nKey    Value\n=====  =========\n``|``  pipe *text*\n=====  =========\n"
    )
    settings = {"report_level": 5, "doctitle_xform": False}  # a section, as Sphinx reads it
    markdown = "\n\n".join(
        markdown_cells(
            notebook(
                publish_doctree(source, settings_overrides=settings), language="en", examples=[]
            )
        )
    )
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    assert "<h1>Title</h1>" in html
    assert (
        "<p>2. is not a list, <em>this</em> is emphasis, and 5 * 3 costs $4 [sic] "
        "&lt;b&gt;x&lt;/b&gt; a_b_c.</p>" in html
    )
    assert "<p># not a heading</p>" in html
    assert "<p>Code with <code>a `tick` inside</code> and <code>a|b</code>.</p>" in html
    assert "<td><code>|</code></td>\n<td>pipe <em>text</em></td>" in html
    assert r"\$4" in markdown  # Jupyter would start math at a bare $


# 4. Shell sessions are text, every example is there, and the notebook is valid.


@pytest.mark.parametrize("language", CODES)
def test_transcripts_are_console_text_not_code_cells(language):
    book = quickstart_notebook(language)
    transcripts = [
        block for block in doctree(language).findall(nodes.literal_block) if "transcript" in block
    ]
    assert len(transcripts) >= 5
    markdown = "\n\n".join(markdown_cells(book))
    for transcript in transcripts:
        assert f"```console\n{transcript.astext()}\n```" in markdown
    assert [cell.source for cell in code_cells(book) if "$ flask" in cell.source] == []


@pytest.mark.parametrize("language", CODES)
def test_every_example_of_the_page_has_code_cells(language):
    examples = {example.name for example in page_examples(language)}
    in_cells = {
        group
        for cell in code_cells(quickstart_notebook(language), "testcode")
        for group in cell.metadata["quickstart"]["examples"]
    }
    assert len(examples) > 20
    assert examples - in_cells == set()


@pytest.mark.parametrize("language", CODES)
def test_the_notebook_is_valid_for_the_pyodide_kernel_in_the_pages_language(language):
    book = nbformat.reads(nbformat.writes(quickstart_notebook(language)), as_version=4)
    nbformat.validate(book)
    assert book.metadata.kernelspec == {
        "name": "python",
        "display_name": "Python (Pyodide)",
        "language": "python",
    }
    assert book.metadata.language_info.name == "python"
    assert book.metadata.quickstart.language == language


MAKE_NOTEBOOK = """
import json, pickle, sys
import nbformat
from quickstart_site.examples.grouping import examples_of
from quickstart_site.sphinx_ext.browser.notebook import notebook
doctree = pickle.load(open(sys.argv[1], "rb"))
examples = examples_of(doctree, "quickstart", global_setup=sys.argv[2])
# The page's exercises and words as the build handed them to the notebook (its program JSON).
page = json.load(open(sys.argv[4], encoding="utf-8"))
words = {**page["labels"], "exercise": "Exercise %s"}
book = notebook(
    doctree, language="ru", examples=examples, locale_dirs=(sys.argv[3],),
    exercises=page["exercises"], words=words,
)
sys.stdout.write(nbformat.writes(book))
"""


def test_the_same_page_gives_the_same_notebook_in_any_process():
    """Two interpreters with other hash seeds make the same file from the same doctree."""
    site = quickstart_site().outdir
    pickled = builds() / "doctrees" / "ru" / "quickstart.doctree"
    page = site / "ru" / "_examples" / "quickstart.json"
    made = [
        subprocess.run(
            [
                sys.executable,
                "-c",
                MAKE_NOTEBOOK,
                str(pickled),
                GLOBAL_SETUP,
                str(PROJECT.locales),
                str(page),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]
    assert made[0] == made[1]
    assert len(made[0]) > 10_000


def test_an_intro_comes_first_and_each_title_starts_a_cell():
    intro = "Run each cell in turn with **Shift+Enter**."
    book = page_notebook("en", intro=intro)
    assert book.cells[0].cell_type == "markdown" and book.cells[0].source == intro
    cells = markdown_cells(book)[1:]
    headings = [cell.splitlines()[0] for cell in cells if cell.startswith("#")]
    assert headings[:3] == ["# Quickstart", "## A minimal application", "## Run the application"]
    assert "### The app.py shortcut" in headings
    # Every title of the page but sphinx-exercise's (an exercise is a bold line, not a section)
    titles = [t for t in doctree("en").findall(nodes.title) if type(t) is nodes.title]
    assert len(headings) == len(titles)
    assert [line for cell in cells for line in cell.splitlines()[1:] if line.startswith("#")] == []
