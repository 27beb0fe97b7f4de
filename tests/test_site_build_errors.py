"""The author's loop: fences found with their lines, misspelled fence names, and a server that always answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from conv_docs.site import build_errors, fences
from conv_docs.site.build_errors import Fence, close_fence_name, fences_in, locate, misnamed_fences
from conv_docs.site.fence_errors import FenceError
from tests.support.site import load_config

ROOT = Path(__file__).resolve().parent.parent
HOOK = ROOT / "src" / "conv_docs" / "site" / "build_errors.py"

PAGE = """# A page

```conv1d
input: [2, 3, 4]
kernel_size: 2
```

!!! note "Inside an admonition"

    ````plot
    function: conv_docs.figures.dilation_taps.taps
    ````

~~~{.python continuation}
x = 1
~~~

```python title="example.py"
print("```conv1d inside code is text")
```
"""


def test_fences_are_found_with_the_line_of_their_opening_at_any_indentation():
    assert fences_in(PAGE) == [
        Fence(3, "conv1d", "input: [2, 3, 4]\nkernel_size: 2"),
        Fence(10, "plot", "function: conv_docs.figures.dilation_taps.taps"),
        Fence(14, "python", "x = 1"),
        Fence(18, "python", 'print("```conv1d inside code is text")'),
    ]
    assert PAGE.splitlines()[10 - 1].strip() == "````plot"


@pytest.mark.parametrize(
    ("name", "meant"),
    [
        ("conv_1d", "conv1d"),
        ("conv1D", "conv1d"),
        ("Conv1d", "conv1d"),
        ("conv-1d", "conv1d"),
        ("conv1", "conv1d"),
        ("conv-transpose1d", "conv_transpose1d"),
        ("convtranspose1d", "conv_transpose1d"),
        ("conv_transpose_1d", "conv_transpose1d"),
        ("plots", "plot"),
        ("Plot", "plot"),
        ("maths", "math"),
        ("exercice", "exercise"),
    ],
)
def test_a_name_close_to_a_figure_fence_is_a_slip(name, meant):
    assert close_fence_name(name) == meant
    assert misnamed_fences(f"Text\n\n```{name}\ninput: [1]\n```\n") == [
        (3, f"```{name} is not a fence this site knows; did you mean ```{meant}```?")
    ]


@pytest.mark.parametrize(
    "name",
    ["python", "py", "pycon", "text", "sh", "bash", "console", "yaml", "json", "markdown", "toml", "html", "", "pot"],
)
def test_other_languages_are_code(name):
    assert close_fence_name(name) is None


def test_errors_are_placed_at_their_fence_identical_fences_in_page_order():
    fence = "```conv1d\ninput: [1]\nstrid: 2\n```\n"
    page = f"# T\n\n{fence}\ntext `#!math \\frca` and\n\n{fence}"
    error = FenceError("conv1d", "input: [1]\nstrid: 2\n", "unknown option 'strid'")
    inline = FenceError("inline math", "\\frca", "unknown command '\\frca'")
    assert locate([error, inline, error], page) == [
        (3, "```conv1d fence: unknown option 'strid'"),
        (8, "inline formula `#!math \\frca`: unknown command '\\frca'"),
        (10, "```conv1d fence: unknown option 'strid'"),
    ]
    assert locate([FenceError("math", "x", "no")], page) == [(None, "```math fence: no")]


def _page(src_uri: str, markdown: str) -> SimpleNamespace:
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri, content_string=markdown))


def test_the_hook_finds_the_errors_in_the_page_the_formatters_made(caplog):
    """Errors travel in the page's HTML: the formatter shows each in its place, the hook reads them there."""
    markdown = (
        "# T\n\n```conv1d\ninput: [1]\nstrid: 2\n```\n\n"  # line 3
        "Inline `#!math {L` here.\n\n"  # line 8
        "!!! note\n\n    ```math\n    \\frac{a}\n    ```\n"  # line 12, indented in an admonition
    )
    page = _page("guide/x.md", markdown)
    content = "<h1>T</h1>" + "".join(
        [
            fences.format_fence("input: [1]\nstrid: 2\n", "conv1d", "conv1d", {}, None),
            f"<p>Inline {fences.format_inline_math('{L', 'math', 'conv-math', None)} here.</p>",
            fences.format_math("\\frac{a}\n", "math", "conv-math", {}, None),
        ]
    )
    build_errors.on_page_markdown(markdown, page)
    with caplog.at_level("ERROR", logger="mkdocs"):
        assert build_errors.on_page_content(content, page) == content  # the page keeps the errors where they stand
    assert [record.getMessage() for record in caplog.records] == [
        "guide/x.md:3: ```conv1d fence: unknown option 'strid'; did you mean 'stride'? (allowed: input, weight,"
        " kernel_size, bias, stride, padding, padding_mode, dilation, groups, view)",
        "guide/x.md:8: inline formula `#!math {L`: 1 unclosed '{'",
        "guide/x.md:12: ```math fence: a mfrac with 1 parts instead of 2 (is an argument missing?)",
    ]


def test_nothing_is_kept_between_pages(caplog):
    """An error a formatter showed on one page is never reported on another: the hook reads only the page's HTML."""
    fences.format_fence("input: [1]\nstrid: 2\n", "conv1d", "conv1d", {}, None)  # rendered, never reported
    fine = fences.format_fence("input: [1]\nkernel_size: 1\n", "conv1d", "conv1d", {}, None)
    page = _page("b.md", "# B\n\n```conv1d\ninput: [1]\nkernel_size: 1\n```\n")
    build_errors.on_page_markdown(page.file.content_string, page)
    with caplog.at_level("ERROR", logger="mkdocs"):
        build_errors.on_page_content(fine, page)
    assert caplog.records == []


def test_a_taken_port_is_named_in_one_sentence():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        problem = build_errors.port_problem("127.0.0.1", port)
    assert problem.startswith(f"Cannot serve on 127.0.0.1:{port}: ") and f"make serve PORT={port + 1}" in problem
    assert build_errors.port_problem("127.0.0.1", port) is None  # free again


def test_warnings_go_on_top_of_every_served_page(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<html><body class="x"><p>Home</p></body></html>')
    (tmp_path / "a" / "index.html").write_text("<html><body><p>A</p></body></html>")
    build_errors.show_on_pages(str(tmp_path), ["Doc file 'a.md' contains a link '<b>'"])
    home = (tmp_path / "index.html").read_text()
    assert home.startswith('<html><body class="x"><div class="conv-build-warnings" role="alert"')
    assert "Doc file &#x27;a.md&#x27; contains a link &#x27;&lt;b&gt;&#x27;" in home
    assert "conv-build-warnings" in (tmp_path / "a" / "index.html").read_text()


def test_the_site_rebuilds_on_a_change_to_the_library_but_not_to_the_figure_cache():
    config = load_config()
    watched = [(ROOT / path).resolve() for path in config["watch"]]
    assert ROOT / "src" in watched
    cache = ROOT / ".cache"  # where the figures and notebooks are cached
    assert not any(cache.is_relative_to(path) for path in [*watched, ROOT / config["docs_dir"]])
    assert "src/conv_docs/site/build_errors.py" in config["hooks"]
    # what is watched is what the figure cache is keyed on: the package's source files
    assert Path(fences.__file__).parent.parent.is_relative_to(ROOT / "src")


def test_forgetting_the_library_makes_the_next_import_read_the_source_again():
    script = textwrap.dedent(
        """
        import conv_docs.trace, conv_docs.site.fences
        first = conv_docs.trace
        from conv_docs.site import build_errors
        build_errors._forget_library()
        assert not any(name.startswith("conv_docs") for name in __import__("sys").modules)
        import conv_docs.trace
        assert conv_docs.trace is not first
        # the hook, loaded once, now reports what the fences module the next build imports shows
        import logging
        from types import SimpleNamespace
        import conv_docs.site.fences as fresh
        page = SimpleNamespace(file=SimpleNamespace(src_uri="a.md", content_string="```conv1d\\ninput: [1]\\n```\\n"))
        said = []
        class Said(logging.Handler):
            def emit(self, record):
                said.append(record.getMessage())
        logging.getLogger("mkdocs").addHandler(Said())
        build_errors.on_page_markdown("", page)
        shown = fresh.format_fence("input: [1]", "conv1d", "conv1d", {}, None)
        assert "cannot draw" in shown
        build_errors.on_page_content(shown, page)
        assert said == ["a.md:1: ```conv1d fence: give 'weight: [w0, w1, ...]' or 'kernel_size: N' with an int N >= 1"]
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT)


# --- mkdocs serve, for real ------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _project(tmp_path: Path, page: str) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(page)
    (tmp_path / "mkdocs.yml").write_text(f"site_name: served\nstrict: true\nhooks:\n  - {HOOK}\n")
    return tmp_path


def _get(url: str, within: float) -> str:
    """The page at url, asking again until it answers; each request may take at most 3 s."""
    deadline = time.monotonic() + within
    while True:
        try:
            with urllib.request.urlopen(url, timeout=3) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _serve(project: Path, port: int, *options: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", *options]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _stop(server: subprocess.Popen[str]) -> str:
    server.terminate()
    try:
        output, _ = server.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        output, _ = server.communicate()
    return output


def test_a_warning_during_serve_shows_on_the_page_and_never_keeps_the_request_waiting(tmp_path):
    """With strict: true a rebuild with a warning fails; MkDocs 1.6.1 alone then holds every request forever."""
    project = _project(tmp_path, "# Home\n\nFine.\n")
    port = _free_port()
    server = _serve(project, port)  # strict, as mkdocs.yml says: the hardest case
    try:
        url = f"http://127.0.0.1:{port}/"
        assert "Fine." in _get(url, within=20)
        (project / "docs" / "index.md").write_text("# Home\n\nNow with [a broken link](nowhere.md).\n")
        deadline = time.monotonic() + 15
        page = ""
        while "conv-build-warnings" not in page and time.monotonic() < deadline:
            started = time.monotonic()
            page = _get(url, within=3)
            assert time.monotonic() - started < 3.5  # answered, not held
            time.sleep(0.3)
        assert "a broken link" in page and "contains a link &#x27;nowhere.md&#x27;" in page
    finally:
        output = _stop(server)
    assert "WARNING -  index.md:3: Doc file 'index.md' contains a link 'nowhere.md'" in output  # with its line
    assert "Traceback" not in output


def test_serving_on_a_taken_port_says_so_in_one_line(tmp_path):
    project = _project(tmp_path, "# Home\n")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "serve", "--no-strict", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
    said = [line for line in (result.stdout + result.stderr).splitlines() if line.strip() and "INFO" not in line]
    assert result.returncode == 1
    assert said == [
        f"Cannot serve on 127.0.0.1:{port}: Address already in use;"
        f" stop what uses it, or choose another port: make serve PORT={port + 1}"
    ]
    assert "Traceback" not in result.stdout + result.stderr


def test_a_slip_in_the_name_of_inline_math_is_caught_outside_code_blocks():
    page = "Say `#!maths L + 1` and `#!py x = 1`.\n\n```markdown\nWrite `#!mathh s` in a page.\n```\n"
    assert misnamed_fences(page) == [(1, "inline `#!maths` is not known here; did you mean `#!math`?")]
