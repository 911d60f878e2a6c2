"""The built book in a real browser: headless Debian Chromium driven by playwright.

Needs ``_build/html`` (``make test`` builds it first) and ``/usr/bin/chromium`` (``.ci/run``
installs it). Every request that leaves 127.0.0.1 is blocked and counted as an error, so the
check also proves the book reads offline (MathJax and the widget manager come from the build).
"""

from __future__ import annotations

import functools
import json
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from tests.helpers import ROOT

HTML = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (HTML / "index.html").exists(), reason="_build/html is missing: run `make book` first"),
]


def toc_files() -> list[str]:
    """Every file named in _toc.yml, in reading order (without extension)."""
    files: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(str(node["file"]))
            for key in ("parts", "chapters", "sections"):
                for child in node.get(key) or []:
                    walk(child)

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files.append(str(toc["root"]))
    walk(toc)
    return [re.sub(r"\.(md|ipynb)$", "", f) for f in files]


def chapter_pages() -> list[str]:
    """Numbered chapters (book/NN_*.md) in the toc."""
    return [f for f in toc_files() if re.fullmatch(r"book/\d\d[a-z]?_\w+", f) and (ROOT / f"{f}.md").exists()]


def notebook_pages() -> list[str]:
    return [f for f in toc_files() if f.startswith("notebooks/") and (ROOT / f"{f}.ipynb").exists()]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class Page:
    """A browser tab that records console errors, page errors and blocked or failed requests."""

    def __init__(self, browser, site, width: int = 1280, height: int = 900):
        self.site = site
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("requestfailed", self._failed)
        self.page.route(re.compile(r"^(?!http://127\.0\.0\.1[:/]).*"), self._block)

    def _failed(self, request):
        # ERR_ABORTED is the browser cancelling a request when the page navigates on (a favicon still loading):
        # not a missing or broken file, which the server answers with an error status instead.
        if "ERR_ABORTED" not in str(request.failure):
            self.errors.append(f"request failed: {request.url} {request.failure}")

    def _block(self, route):
        self.errors.append(f"request outside the book: {route.request.url}")
        route.abort()

    def open(self, path: str):
        response = self.page.goto(f"{self.site}/{path}", wait_until="load")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        self.page.wait_for_load_state("networkidle")
        return self.page

    def typeset(self):
        """Wait until MathJax has typeset the page; return the number of rendered formulas."""
        self.page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=20000)
        self.page.evaluate("async () => { await MathJax.startup.promise; }")
        return self.page.locator("mjx-container").count()

    def images_loaded(self) -> tuple[int, list[str]]:
        result = self.page.evaluate(
            """() => Array.from(document.querySelectorAll('main img, article img'))
                 .map(img => [img.getAttribute('src'), img.complete && img.naturalWidth > 0])"""
        )
        return len(result), [src for src, ok in result if not ok]

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=False)
        assert path.stat().st_size > 1000
        return path

    def close(self):
        self.context.close()


@pytest.fixture
def tab(browser, site):
    page = Page(browser, site)
    yield page
    page.close()


def test_no_cdn_mathjax_in_html():
    """No page loads MathJax (or any script) from outside the build."""
    pages = [p for p in HTML.rglob("*.html") if "_static" not in p.parts]
    assert pages
    for page in pages:
        text = page.read_text(errors="replace")
        remote = re.findall(r"<script[^>]*\bsrc=\"(https?:)?//[^\"]*\"", text)
        assert not remote, f"{page.relative_to(HTML)} loads remote scripts: {remote}"
        assert not re.search(r"<link[^>]*href=\"https?://[^\"]*mathjax", text, re.I), page
    assert (HTML / "_static" / "mathjax" / "tex-chtml.js").exists()


def test_landing_page(tab):
    page = tab.open("index.html")
    assert "Inverse Reinforcement Learning" in page.title()
    assert page.locator("article h1").count() == 1
    n_images, broken = tab.images_loaded()
    assert n_images >= 1 and not broken, f"landing page: {n_images} images, broken: {broken}"
    tab.screenshot("landing")
    assert not tab.errors, tab.errors


def test_chapter_math_figure_and_navigation(tab):
    chapters = chapter_pages()
    assert chapters, "no numbered chapter (book/NN_*.md) in _toc.yml: nothing to check"
    with_math = [c for c in chapters if "$" in (ROOT / f"{c}.md").read_text()]
    assert with_math, "no numbered chapter in _toc.yml has math: nothing to check MathJax on"
    chapter = with_math[0]
    page = tab.open(f"{chapter}.html")
    n_math = tab.typeset()
    assert n_math > 0, f"{chapter}: MathJax rendered no formula"
    text = page.locator("main").inner_text()
    assert "$$" not in text, f"{chapter}: raw $$ left in the page"
    assert not re.search(r"\\begin\{|\\frac\{", text), f"{chapter}: raw LaTeX left in the page"
    # A figure: on the chapter itself, or else on the first chapter page that has one.
    n_images, broken = tab.images_loaded()
    assert not broken, f"{chapter}: images failed to load: {broken}"
    tab.screenshot("chapter")
    figure_page = chapter
    if n_images == 0:
        for other in chapters[1:] + notebook_pages():
            tab.open(f"{other}.html")
            n_images, broken = tab.images_loaded()
            assert not broken, f"{other}: images failed to load: {broken}"
            if n_images:
                figure_page = other
                break
        assert n_images, "no chapter or notebook page shows a figure"
        tab.screenshot("figure")
        tab.open(f"{chapter}.html")
    # Navigation: the "next" link loads a different page.
    next_link = page.locator("a.right-next")
    assert next_link.count() == 1, f"{chapter}: no 'next' link"
    before = page.url
    with page.expect_navigation(wait_until="load"):
        next_link.click()
    assert page.url != before
    assert page.locator("article h1").count() == 1
    tab.screenshot("next_page")
    assert not tab.errors, tab.errors
    assert figure_page


def test_notebook_page_has_colab_button_and_math(tab):
    notebooks = notebook_pages()
    if not notebooks:
        pytest.skip("no notebook in _toc.yml")
    notebook = notebooks[0]
    page = tab.open(f"{notebook}.html")
    hrefs = page.eval_on_selector_all("a[href*='colab.research.google.com']", "els => els.map(e => e.href)")
    expected = f"https://colab.research.google.com/github/irlbook/irlbook/blob/main/{notebook}.ipynb"
    assert expected in hrefs, f"{notebook}: Colab links {hrefs}, expected {expected}"
    n_images, broken = tab.images_loaded()
    assert not broken, f"{notebook}: images failed to load: {broken}"
    if "$" in (ROOT / f"{notebook}.ipynb").read_text():
        assert tab.typeset() > 0
    tab.screenshot("notebook")
    assert not tab.errors, tab.errors


def test_widgets_render_offline(tab):
    """Pages with saved widget state render their widgets with the locally served manager."""
    pages = [
        p for p in sorted(HTML.rglob("*.html"))
        if "_static" not in p.parts and "application/vnd.jupyter.widget-state+json" in p.read_text(errors="replace")
    ]
    if not pages:
        pytest.skip("no page of the book has saved widget state")
    path = pages[0].relative_to(HTML).as_posix()
    page = tab.open(path)
    assert "_static/widgets/embed-amd.js" in page.content()
    widget = page.locator(".jupyter-widgets").first
    widget.wait_for(state="visible", timeout=20000)
    widget.scroll_into_view_if_needed()
    box = widget.bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0, "the widget rendered with no size"
    tab.screenshot("widgets")
    assert not tab.errors, tab.errors


# ----------------------------------------------------------------------------- reference pages
REFERENCE_PAGES = ["book/reproductions", "book/performance"]


def _built(page: str) -> bool:
    return (HTML / f"{page}.html").exists()


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize("page_name", REFERENCE_PAGES)
def test_reference_page_fits_the_width(browser, site, page_name, width):
    """No horizontal overflow of the page, and no table wider than the box that holds it (no clipped column)."""
    if not _built(page_name):
        pytest.skip(f"{page_name} is not in this build")
    tab = Page(browser, site, width=width, height=900)
    try:
        page = tab.open(f"{page_name}.html")
        tables = page.locator(".irlbook-results table").count()
        assert tables > 0, f"{page_name}: no results table rendered"
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{page_name} at {width} px: the page is {overflow} px wider than the window"
        clipped = page.evaluate(
            """() => Array.from(document.querySelectorAll('.irlbook-results table')).map(t => {
                   const box = t.parentElement;
                   return [t.scrollWidth - box.clientWidth, t.getBoundingClientRect().right - innerWidth];
               }).filter(([inside, outside]) => inside > 1 || outside > 1)"""
        )
        assert not clipped, f"{page_name} at {width} px: tables wider than their box or the window: {clipped}"
        tab.screenshot(f"{page_name.split('/')[-1]}_{width}")
        assert not tab.errors, tab.errors
    finally:
        tab.close()


def test_reproductions_citations_and_records_resolve(tab):
    """Every citation in the table points at an element that exists on its target page, and every
    record link serves the JSON record."""
    if not _built("book/reproductions"):
        pytest.skip("book/reproductions is not in this build")
    page = tab.open("book/reproductions.html")
    cites = page.eval_on_selector_all(".irlbook-reproductions td.irlbook-col-paper a", "els => els.map(e => e.href)")
    rows = page.locator(".irlbook-reproductions tbody tr").count()
    assert rows > 0 and len(cites) == rows, f"{rows} rows, {len(cites)} citation links"
    # one row per claim of every record, except the records the index marks superseded
    index = json.loads((ROOT / "results" / "index.json").read_text())["records"]
    assert rows == sum(entry["reproduces"] for entry in index if not entry["superseded_by"])
    for href in sorted(set(cites)):
        url, _, anchor = href.partition("#")
        assert anchor, f"citation link without a target: {href}"
        if url.split("#")[0] != page.url.split("#")[0]:
            tab.open(url[len(tab.site) + 1:])
        found = page.evaluate("id => document.getElementById(id) !== null", anchor)
        assert found, f"citation target #{anchor} missing on {url}"
        if page.url.split("#")[0] != f"{tab.site}/book/reproductions.html":
            tab.open("book/reproductions.html")
    records = page.eval_on_selector_all(".irlbook-reproductions td.irlbook-col-record a", "els => els.map(e => e.href)")
    assert len(records) >= rows
    for href in sorted(set(records)):
        response = page.request.get(href)
        assert response.ok, f"{href}: HTTP {response.status}"
        record = response.json()
        assert record["name"] == href.rsplit("/", 1)[-1].removesuffix(".json") and record["provenance"], href
    assert not tab.errors, tab.errors


def test_performance_plots_load(tab):
    """Every plot the benchmark records list is in the build and loads."""
    if not _built("book/performance"):
        pytest.skip("book/performance is not in this build")
    page = tab.open("book/performance.html")
    result = page.evaluate(
        """() => Array.from(document.querySelectorAll('.irlbook-benchmarks img'))
             .map(img => [img.getAttribute('src'), img.complete && img.naturalWidth > 0])"""
    )
    expected = sum(len(r.get("values", {}).get("figures") or []) for r in _benchmark_records())
    assert len(result) >= max(expected, 1), f"{len(result)} plots on the page, the records list {expected}"
    broken = [src for src, ok in result if not ok]
    assert not broken, f"plots that failed to load: {broken}"
    text = page.locator(".irlbook-benchmarks").inner_text()
    assert not re.search(r"\d\.\d{9,}", text), "a float printed with all its digits"
    assert "{" not in text, "raw JSON on the page"
    assert not tab.errors, tab.errors


def _benchmark_records() -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((ROOT / "results").glob("benchmark_*.json"))]
