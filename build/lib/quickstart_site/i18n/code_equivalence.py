"""Is a translated code block the same code with other comments? Pure Python, no Sphinx: the
build's transform and the catalog linter both ask."""

from __future__ import annotations

import io
import tokenize

# Tokens that carry no code: comments, and the line breaks of blank or comment-only lines.
NOT_CODE = {tokenize.COMMENT, tokenize.NL}


def code_tokens(source: str) -> list[tokenize.TokenInfo]:
    """Every token of ``source`` that is code, in order; raises SyntaxError if it is not Python."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError) as error:
        raise SyntaxError(str(error)) from None
    return [token for token in tokens if token.type not in NOT_CODE]


def comments(source: str) -> list[str]:
    """Every comment of ``source``, in order; raises tokenize.TokenError if it is not Python."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [token.string for token in tokens if token.type == tokenize.COMMENT]


def has_comment(source: str) -> bool:
    try:
        return bool(comments(source))
    except (tokenize.TokenError, SyntaxError):
        return False


def code_difference(source: str, translation: str) -> str | None:
    """Why ``translation`` is not ``source`` with other comments, or None if it is.

    Token by token, not only the AST: string literals, names, line breaks and indentation must
    stay as written, so the page shows the code that was tested, laid out the same way.
    """
    try:
        compile(translation, "<translation>", "exec", dont_inherit=True)
        translated = code_tokens(translation)
    except SyntaxError as error:
        return f"the translated code is not valid Python ({error.msg}, line {error.lineno})"
    original = code_tokens(source)
    for theirs, ours in zip(original, translated, strict=False):
        if (theirs.type, theirs.string) != (ours.type, ours.string):
            return (
                f"translated line {ours.start[0]} has {ours.line.strip()!r} "
                f"where the source has {theirs.line.strip()!r}"
            )
    if len(original) != len(translated):
        return "the translated code has a different number of statements or lines"
    return None
