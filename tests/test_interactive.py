"""Interactive figures (``irlbook.book.interactive.explorable``): the helper, and the built pages in Chromium.

The helper's tests run anywhere (matplotlib's Agg backend). The browser tests need ``_build/html``
(``make book``) and ``/usr/bin/chromium``: they open every page that holds an explorable figure from a
local server, block and count every request that leaves 127.0.0.1, move each control and check that the
displayed frame changes, that nothing overflows horizontally on a 390 px phone screen, and that every code
cell fits the column at 1400 px.
"""

from __future__ import annotations

import re

import matplotlib
import pytest

from irlbook.book.interactive import MAX_FRAMES, StaticExplorable, check_grid, explorable, static_build
from tests.test_browser import HTML, Page, browser, site  # noqa: F401  (fixtures)

matplotlib.use("Agg")


def draw_line(slope, colour):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.plot([0, 1], [0, slope], color=colour)
    return fig


def draw_line_constrained(slope, colour):
    """The same figure with its own layout engine, which the helper leaves alone."""
    figure = draw_line(slope, colour)
    figure.set_layout_engine("constrained")
    return figure


GRID = {"slope": [-1.0, 0.0, 2.5], "colour": ["red", "blue"]}


def test_static_frames_in_row_major_order():
    figure = explorable(draw_line, GRID, start={"slope": 2.5}, static=True)
    assert isinstance(figure, StaticExplorable)
    assert len(figure.frames) == 6 and len(set(figure.frames)) == 6
    assert all(frame.startswith(b"\x89PNG") for frame in figure.frames)
    assert figure.index(slope=0.0, colour="blue") == 3
    assert figure.index(slope=-1.0, colour="red") == 0 and figure.frames[0] == explorable(
        draw_line, {"slope": [-1.0], "colour": ["red"]}, static=True).frames[0]
    assert len({frame[16:24] for frame in figure.frames}) == 1      # one width and height (PNG IHDR)
    constrained = explorable(draw_line_constrained, GRID, static=True)
    assert constrained.frames[constrained.index(slope=0.0, colour="blue")] == explorable(
        draw_line_constrained, {"slope": [0.0], "colour": ["blue"]}, static=True).frames[0]
    assert figure.start == {"slope": 2.5, "colour": "red"}


def test_static_html_is_self_contained():
    page = explorable(draw_line, GRID, labels={"slope": "slope <m>"}, static=True)._repr_html_()
    assert page.count('class="irlbook-control"') == 2
    assert '<input type="range"' in page and "<select" in page and "slope &lt;m&gt;" in page
    assert page.count("data:image/png;base64,") == 2          # the first frame, and the prefix in the script
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert page.count("</script>") == 2                         # nothing in the frames' JSON closes its tag


def test_live_widgets_outside_the_build(monkeypatch):
    monkeypatch.delenv("IRLBOOK_STATIC_FIGURES", raising=False)
    assert not static_build()
    import ipywidgets

    box = explorable(draw_line, GRID)
    assert isinstance(box, ipywidgets.VBox) and box.grid == GRID
    slider, dropdown = box.children[0].children
    assert isinstance(slider, ipywidgets.SelectionSlider) and slider.value == 0.0
    assert isinstance(dropdown, ipywidgets.Dropdown) and dropdown.value == "red"


def test_the_build_switch(monkeypatch):
    monkeypatch.setenv("IRLBOOK_STATIC_FIGURES", "1")
    assert static_build()
    assert isinstance(explorable(draw_line, {"slope": [1.0], "colour": ["red"]}), StaticExplorable)
    monkeypatch.setenv("IRLBOOK_STATIC_FIGURES", "0")
    assert not static_build()


@pytest.mark.parametrize("grid, start, match", [
    ({}, None, "grid must be a non-empty"),
    ({"slope": []}, None, r"grid\['slope'\] has no values"),
    ({"slope": [1.0, "a"]}, None, r"grid\['slope'\] must hold only"),
    ({"slope": [1.0, 1.0]}, None, "repeats"),
    ({"slope": "abc"}, None, "must be a sequence"),
    ({"a": list(range(MAX_FRAMES)), "b": [0, 1]}, None, "MAX_FRAMES"),
    ({"slope": [1.0, 2.0]}, {"slope": 3.0}, r"start\['slope'\] = 3.0 is not one of"),
    ({"slope": [1.0, 2.0]}, {"other": 3.0}, "start names no control"),
])
def test_bad_grids_raise(grid, start, match):
    with pytest.raises(ValueError, match=match):
        check_grid(grid, start)


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="draw must be callable"):
        explorable(None, GRID, static=True)
    with pytest.raises(ValueError, match="dpi"):
        explorable(draw_line, GRID, dpi=0, static=True)
    with pytest.raises(ValueError, match="labels names no control"):
        explorable(draw_line, GRID, labels={"other": "x"}, static=True)


# ----------------------------------------------------------------------------- the built pages
def explorable_pages() -> list[str]:
    if not HTML.exists():
        return []
    return sorted(p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html")
                  if "_static" not in p.parts and "irlbook-explorable" in p.read_text(errors="replace"))


needs_build = pytest.mark.skipif(not (HTML / "index.html").exists(), reason="_build/html is missing: run `make book`")


@pytest.fixture
def tab(browser, site):  # noqa: F811
    page = Page(browser, site)
    yield page
    page.close()


def image_source(figure) -> str:
    return figure.locator("img").get_attribute("src")


def move(control, kind: str, position: int):
    """Move a control to ``position`` as a reader would: arrow keys on a slider, a choice in a drop-down."""
    if kind == "select":
        control.select_option(index=position)
        return
    control.focus()
    current = int(control.input_value())
    key = "ArrowRight" if position > current else "ArrowLeft"
    for _ in range(abs(position - current)):
        control.press(key)


@pytest.mark.browser
@needs_build
@pytest.mark.parametrize("path", explorable_pages() or ["(no page)"])
def test_every_control_changes_the_figure(tab, path):
    if path == "(no page)":
        pytest.fail("no built page holds an explorable figure: were the notebooks built with make book?")
    page = tab.open(path)
    figures = page.locator(".irlbook-explorable")
    assert figures.count() >= 1
    for i in range(figures.count()):
        figure = figures.nth(i)
        figure.scroll_into_view_if_needed()
        controls = figure.locator(".irlbook-control")
        assert controls.count() >= 1, f"{path}: figure {i} has no control"
        for j in range(controls.count()):
            control = controls.nth(j)
            kind = control.evaluate("e => e.tagName.toLowerCase()")
            n = (control.locator("option").count() if kind == "select"
                 else int(control.get_attribute("max")) + 1)
            start = int(control.input_value())
            sources = {image_source(figure)}
            for position in [p for p in range(n) if p != start] + [start]:
                before = image_source(figure)
                move(control, kind, position)
                assert int(control.input_value()) == position
                after = image_source(figure)
                assert after != before, f"{path}: figure {i}, control {j} at {position}: the image did not change"
                sources.add(after)
            assert len(sources) == n, f"{path}: figure {i}, control {j}: {len(sources)} distinct frames for {n} values"
            if kind == "input":
                label = control.evaluate("e => e.parentNode.querySelector('output').textContent")
                assert label, f"{path}: figure {i}, control {j} shows no value"
        assert figure.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert not tab.errors, tab.errors


@pytest.mark.browser
@needs_build
@pytest.mark.parametrize("path", explorable_pages() or ["(no page)"])
def test_pages_fit_a_phone_and_code_fits_the_column(tab, path):
    if path == "(no page)":
        pytest.fail("no built page holds an explorable figure")
    tab.page.set_viewport_size({"width": 390, "height": 844})
    page = tab.open(path)
    tab.typeset()
    overflow = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert overflow[0] <= overflow[1], f"{path}: the page is {overflow[0]} px wide on a {overflow[1]} px screen"
    wide = page.evaluate("""() => Array.from(document.querySelectorAll('.irlbook-explorable'))
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length""")
    assert wide == 0, f"{path}: {wide} interactive figures stick out of a 390 px screen"
    tab.page.set_viewport_size({"width": 1400, "height": 900})
    page.wait_for_timeout(200)
    # The setup cell is fixed book-wide (tests/test_colab.py); its install line is a URL that cannot wrap.
    too_wide = page.evaluate("""() => Array.from(document.querySelectorAll('div.cell_input pre'))
        .filter(pre => !pre.textContent.startsWith('# Setup: in Colab'))
        .filter(pre => pre.scrollWidth > pre.clientWidth)
        .map(pre => pre.textContent.split('\\n').reduce((a, b) => a.length >= b.length ? a : b))""")
    assert not too_wide, f"{path}: code cells wider than the column at 1400 px; longest lines: {too_wide}"
    assert not tab.errors, tab.errors
