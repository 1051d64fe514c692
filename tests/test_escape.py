"""Outside text is escaped wherever it is shown: Markdown (Streamlit messages, the report README), terminals.

The rule for the dashboard is enforced on the code itself: every Streamlit call that renders Markdown gets a
literal, numbers, or a value passed through ``geo.escape_markdown`` / ``geo.error_text``.
"""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

import pytest

import geo
from geo import escape
from tests.conftest import ROOT

SHELLS = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
#: Streamlit calls whose text is rendered as Markdown (the first argument, or ``body=`` / ``label=``).
MARKDOWN_SINKS = {"markdown", "warning", "error", "info", "success", "caption", "toast", "write", "header",
                  "subheader", "title", "status", "expander", "exception"}
HELPERS = {"escape_markdown", "error_text"}
#: Calls whose result is a number or our own text: len(x), int(x)...
SAFE_CALLS = {"len", "int", "float", "round", "sum", "max", "min"}

PAYLOADS = ["![x](http://evil.example/x.png)", "[click](javascript:alert(1))", "<img src=http://evil.example/y>",
            "$\\href{http://evil.example}{x}$", ":red[alarm] :material/warning:", "**bold** _it_ `code`",
            "# heading", "line one\n\n- a list\n    code block", "<script>alert(1)</script>", "\\![x](http://e/x)",
            "a\n1. ordered\n===", "Drone, rocket and air attacks: 3 events"]


def _safe(node: ast.AST) -> bool:
    """A value that renders as exactly what it says: a literal, an escaped value, a number, one of our constants."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.JoinedStr):
        return all(_safe(v) for v in node.values)
    if isinstance(node, ast.FormattedValue):
        spec = "".join(v.value for v in node.format_spec.values if isinstance(v, ast.Constant)) if node.format_spec else ""
        return _safe(node.value) or bool(re.fullmatch(r"[,_]?(\.\d+)?[dfgn%]?|,", spec) and spec)
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return name in HELPERS or name in SAFE_CALLS
    if isinstance(node, (ast.Name, ast.Attribute)):
        name = node.attr if isinstance(node, ast.Attribute) else node.id
        return name.isupper()  # geo.ABOUT_TEXT, geo.MAX_MARKERS: our own constants
    if isinstance(node, ast.BinOp):
        return _safe(node.left) and _safe(node.right)
    if isinstance(node, ast.IfExp):
        return _safe(node.body) and _safe(node.orelse)
    return False


def unescaped_calls(source: str) -> list[str]:
    """``line: call`` for every Markdown-rendering Streamlit call whose text is not known to be safe."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        method = node.func.attr
        texts = []
        if method in MARKDOWN_SINKS:
            texts = node.args[:1] if method != "write" else list(node.args)
            texts += [k.value for k in node.keywords if k.arg in ("body", "label")]
        elif method == "update":  # st.status(...).update(label=...)
            texts = [k.value for k in node.keywords if k.arg == "label"]
        found += [f"{node.lineno}: {ast.unparse(node)[:120]}" for t in texts if not _safe(t)]
    return found


@pytest.mark.parametrize("path", SHELLS, ids=lambda p: str(p.relative_to(ROOT)))
def test_dashboard_shows_outside_text_only_escaped(path: Path):
    assert unescaped_calls(path.read_text()) == []


def test_the_walker_flags_what_it_should():
    bad = '''
st.warning(f"The link's filter was not understood ({exc})")
st.error(str(exc))
st.sidebar.info(name)
status.update(label=f"Read {upload.name}")
st.write("a", value)
'''
    good = '''
st.warning(f"not understood ({geo.error_text(exc)}); {len(x):,} events, {geo.MAX_MARKERS:,}")
st.error(geo.escape_markdown(upload.name))
st.caption("literal")
st.session_state.update(events=events)
st.markdown(geo.ABOUT_TEXT)
'''
    assert len(unescaped_calls(bad)) == 5
    assert unescaped_calls(good) == []


def _markdown_syntax_left(text: str) -> list[str]:
    """Markdown constructs that could still be active: an unescaped punctuation character opens each of them."""
    return re.findall(r"(?<!\\)(?:\\\\)*[!\[\]()<>`*_$#|~{}=-]", text.replace("  \n", "\n"))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_escape_leaves_no_active_syntax(payload):
    escaped = escape.markdown(payload)
    assert _markdown_syntax_left(escaped) == []
    # undoing the escapes gives the text back (as one paragraph with hard line breaks)
    assert re.sub(r"\\(.)", r"\1", escaped).replace("  \n", "\n").replace("\u2060", "") == "\n".join(
        line for line in re.split(r"[\r\n]+", payload))


@pytest.mark.parametrize("text", ["see http://evil.example/x", "www.evil.example", "write to a@evil.example"])
def test_markdown_escape_breaks_bare_addresses(text):
    escaped = escape.markdown(text)
    assert not re.search(r"(?i)https?:|www\.|\w@", re.sub(r"\\(.)", r"\1", escaped))  # no autolink pattern left
    assert escaped.replace("\u2060", "").replace("\\", "") == text


def test_code_span_holds_any_backticks():
    for text in ["plain", "a`b", "``x``", "`lead", "trail`"]:
        span = escape.code_span(text)
        fence = re.match(r"`+", span).group(0)
        assert span.endswith(fence) and fence not in span[len(fence):-len(fence)]
        assert span[len(fence):-len(fence)].strip(" ") == text


@pytest.mark.parametrize("text", ["\x1b[31mred\x1b[0m", "ok\rfake", "\x07bell", "\u202eevil", "a\x9bb", "\x00"])
def test_terminal_escape_leaves_no_control_character(text):
    shown = escape.terminal(text)
    assert not any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f or c == "\u202e" for c in shown)
    assert "\\x" in shown or "\\u" in shown


def test_progress_line_is_rewritten_with_its_text_escaped():
    out = io.StringIO()
    stream = escape.TerminalStream(out)
    stream.rewrite_line("bad\x1b]0;name.gif: frame 1/2")
    stream.rewrite_line("done", last=True)
    assert out.getvalue() == "\r\x1b[Kbad\\x1b]0;name.gif: frame 1/2\r\x1b[Kdone\n"


def test_terminal_escape_keeps_line_structure_when_asked():
    assert escape.terminal("a\nb\x1b", keep_newlines=True) == "a\nb\\x1b"
    assert escape.terminal("a\tb") == "a\tb"


def test_public_helpers():
    assert geo.escape_markdown("![x](y)") == escape.markdown("![x](y)")
    assert geo.error_text(geo.FilterError("since: '![x](http://e/x.png)' bad")) == escape.markdown(
        "since: '![x](http://e/x.png)' bad")
