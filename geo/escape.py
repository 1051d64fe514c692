"""Escaping of text that comes from outside (event records, file names, URL parameters) for where it is shown.

One module for every sink that is not HTML of the map (that is ``geo.webmap.popups.escape_text``):

- ``markdown``: Streamlit messages (``st.error``, ``st.warning``, captions...) render Markdown, so a value such as
  ``![x](http://evil.example/x.png)`` would make the viewer's browser fetch an outside image. Every punctuation
  character that opens a construct is backslash-escaped (CommonMark allows that for each of them), which disarms HTML,
  LaTeX (``$``), emoji and icon shortcodes (``:smile:``) and Streamlit's colour directives (``:red[...]``);
  bare addresses get an invisible word joiner so that they are not turned into links.
- ``code_span``: a value shown verbatim in a Markdown code span, whatever backticks it holds.
- ``terminal``: control characters (ANSI escapes, carriage returns, bidi overrides) shown as ``\\x1b`` and alike,
  so a file name or an event id cannot move the cursor, clear the screen or recolour what a terminal shows.
"""

from __future__ import annotations

import re

__all__ = ["code_span", "error_text", "markdown", "terminal"]

# Every character that opens Markdown, HTML, math or a Streamlit directive; commas, colons, quotes and full stops
# stay as they are (a README stays readable), except a full stop after digits that start a line (an ordered list).
_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()<>#+-!|~$=&^"})
_LIST_NUMBER = re.compile(r"^(\s*\d+)([.)])")
# C0 and C1 controls, DEL, and the Unicode bidi controls that reorder what a terminal or an editor shows.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
# GitHub-flavoured Markdown links bare addresses (http://..., www...., name@host) after escapes are resolved, so
# an invisible WORD JOINER goes where the pattern needs its anchor: the text reads the same and links nothing.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])(?=:/)|(?<=\bwww)(?=\.)|(?<=[\w.+-])(?=@)")
_JOINER = "\u2060"


def _char_code(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(value: object, *, keep_newlines: bool = False) -> str:
    """``value`` as text a terminal shows as it is: every control character written as ``\\xNN``/``\\uNNNN``.

    With ``keep_newlines`` line feeds stay (for messages of several lines); tabs always stay.
    """
    text = str(value)
    if keep_newlines:
        return "\n".join(_CONTROL.sub(lambda m: "\t" if m.group(0) == "\t" else _char_code(m), line)
                         for line in text.split("\n"))
    return _CONTROL.sub(lambda m: "\t" if m.group(0) == "\t" else _char_code(m), text)


def markdown(value: object) -> str:
    """``value`` as Markdown that renders to exactly its text: no link, image, HTML, math, emphasis or shortcode.

    Line breaks become hard line breaks (no heading, list or code block can start a line: its punctuation is
    escaped) and other control characters are dropped.
    """
    if value is None:
        return ""
    lines = _BREAKS.split(_AUTOLINK.sub(_JOINER, str(value)))
    return "  \n".join(_LIST_NUMBER.sub(r"\1\\\2", _CONTROL.sub("", line.replace("\t", " ")).translate(_MARKDOWN))
                        for line in lines)


def code_span(value: object) -> str:
    """``value`` as one Markdown code span (shown verbatim): the fence is longer than any backtick run inside."""
    text = _CONTROL.sub("", _BREAKS.sub(" ", str(value)).replace("\t", " "))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def error_text(exc: BaseException) -> str:
    """The message of an error, Markdown-escaped for ``st.error`` (file names and values in it come from outside)."""
    return markdown(str(exc) or type(exc).__name__)


class TerminalStream:
    """A text stream that escapes control characters (keeping line feeds and tabs) before they reach a terminal.

    ``python -m geo`` wraps stdout and stderr in it, so no event id, file name or place name it prints can drive
    the terminal; bytes written to ``.buffer`` (JSON, GeoJSON on stdout) pass as they are.
    """

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(terminal(text, keep_newlines=True))
        return len(text)

    def rewrite_line(self, text: str, *, last: bool = False) -> None:
        """Show ``text`` over the current line of a terminal (a progress counter), escaped; ``last`` ends the line.

        The carriage return and erase-line codes are ours; only the text is outside input."""
        self._stream.write("\r\x1b[K" + terminal(text) + ("\n" if last else ""))
        self._stream.flush()

    def __getattr__(self, name: str):
        return getattr(self._stream, name)
