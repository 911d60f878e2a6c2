"""The built book, opened in a real headless Chromium (Debian's /usr/bin/chromium).

Run after `make book` (``make test`` builds first). Checks, on real pages of the
book: MathJax rendered the maths (no raw ``$$`` left), figures load, widgets render
from the locally served html-manager, the "next" link navigates, notebook pages
carry a Colab button pointing at their .ipynb in the repository, nothing is
fetched from outside the build, and no page logs a console error. Screenshots go
to ``_build/screenshots/``.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


def _toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            files.append(chapter["file"])
            files.extend(section["file"] for section in chapter.get("sections", []))
    return files


def _pages():
    files = _toc_files()
    chapters = [f for f in files if f.startswith("book/") and (ROOT / f"{f}.md").exists()]
    notebooks = [f for f in files if (ROOT / f"{f}.ipynb").exists()]
    return files, chapters, notebooks


@pytest.fixture(scope="module")
def server():
    if not (HTML / "index.html").exists():
        pytest.skip("the book is not built: run `make book` first (make test does)")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(HTML))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian chromium is not installed (.ci/run installs it: apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


class PageVisit:
    """Open a page, collecting console errors and requests that leave the local server."""

    def __init__(self, browser, server):
        self.server = server
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.external: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", self._request)

    def _request(self, request):
        url = request.url
        if not (url.startswith(self.server) or url.startswith("data:") or url.startswith("blob:")):
            self.external.append(url)

    def open(self, path: str):
        self.page.goto(f"{self.server}/{path}", wait_until="networkidle")
        return self.page


def _wait_for_math(page):
    """Wait until MathJax has typeset the page (pages without maths do not load it)."""
    if not page.evaluate("!!document.querySelector('script[src*=\"mathjax\"]')"):
        return
    page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=30000)
    page.evaluate("MathJax.startup.promise")


def _visible_raw_math(page) -> int:
    """Count text nodes in the article that still show raw TeX delimiters."""
    return page.evaluate("""() => {
        const article = document.querySelector('article') || document.body;
        const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
        let n = 0;
        while (walker.nextNode()) {
            const node = walker.currentNode;
            if (node.parentElement.closest('pre, code, script, style, .highlight')) continue;
            if (/\\$\\$|\\\\\\[|\\\\\\(/.test(node.textContent)) n++;
        }
        return n;
    }""")


def test_landing_page(browser, server):
    visit = PageVisit(browser, server)
    page = visit.open("index.html")
    _wait_for_math(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "landing.png"), full_page=True)
    assert page.locator("h1").first.inner_text().strip()
    assert page.locator("mjx-container").count() > 0
    assert _visible_raw_math(page) == 0
    assert visit.external == [], f"requests left the build: {visit.external}"
    assert visit.errors == [], visit.errors


def test_chapter_page_math_figure_and_navigation(browser, server):
    _, chapters, notebooks = _pages()
    pages = chapters + notebooks
    assert pages, "the toc lists no chapter or notebook page"
    # The first page in the toc with both maths and a figure.
    checked = False
    for name in pages:
        visit = PageVisit(browser, server)
        page = visit.open(f"{name}.html")
        _wait_for_math(page)
        images = page.locator("article img")
        if page.locator("mjx-container").count() == 0 or images.count() == 0:
            page.close()
            continue
        page.wait_for_function(
            "Array.from(document.querySelectorAll('article img')).every(i => i.complete)", timeout=30000)
        widths = page.eval_on_selector_all("article img", "imgs => imgs.map(i => i.naturalWidth)")
        assert all(w > 0 for w in widths), f"{name}: a figure failed to load ({widths})"
        assert _visible_raw_math(page) == 0, f"{name}: raw TeX left on the page"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "chapter.png"), full_page=False)
        assert visit.external == [], f"{name}: requests left the build: {visit.external}"
        assert visit.errors == [], f"{name}: console errors {visit.errors}"
        # Navigation: the "next" (or, on the last page, "previous") link opens another page.
        next_link = page.locator("a.right-next")
        if next_link.count() == 0:
            next_link = page.locator("a.left-prev")
        assert next_link.count() == 1, f"{name}: no next/previous link"
        target = next_link.get_attribute("href")
        next_link.click()
        page.wait_for_load_state("networkidle")
        assert page.url.endswith(target.split("#")[0].lstrip("./")), (page.url, target)
        assert page.locator("h1").count() >= 1
        checked = True
        break
    assert checked, f"no page with both rendered maths and a figure among {pages}"


def test_notebook_pages_have_colab_buttons_and_widgets_render(browser, server):
    _, _, notebooks = _pages()
    if not notebooks:
        pytest.skip("the toc lists no notebook page")
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = config["repository"]["url"].removeprefix("https://github.com/")
    branch = config["repository"]["branch"]
    saw_widget = False
    for name in notebooks:
        visit = PageVisit(browser, server)
        page = visit.open(f"{name}.html")
        expected = f"https://colab.research.google.com/github/{repo}/blob/{branch}/{name}.ipynb"
        hrefs = page.eval_on_selector_all("a", "links => links.map(a => a.href)")
        assert expected in hrefs, f"{name}: no Colab link to {expected}"
        source = (HTML / f"{name}.html").read_text()
        if "application/vnd.jupyter.widget-view+json" in source:
            page.wait_for_selector(".jupyter-widgets, .widget-container, .widget-box, .widget-slider",
                                   timeout=30000)
            if not saw_widget:
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SHOTS / "widget.png"), full_page=False)
            saw_widget = True
        assert visit.external == [], f"{name}: requests left the build: {visit.external}"
        assert visit.errors == [], f"{name}: console errors {visit.errors}"
        page.close()


def test_no_cdn_script_in_any_page():
    if not (HTML / "index.html").exists():
        pytest.skip("the book is not built")
    for html in HTML.rglob("*.html"):
        text = html.read_text(errors="ignore")
        for marker in ("cdn.jsdelivr.net/npm/mathjax", "cdnjs.cloudflare.com", "html-manager@"):
            assert marker not in text, f"{html.relative_to(HTML)} still references {marker}"
