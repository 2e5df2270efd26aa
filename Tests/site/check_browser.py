#!/usr/bin/env python3
"""A learner finding their way, in headless Chromium (selenium), one browser session:

- search from a phase page, in both languages, from file:// and over a local HTTP server:
  word-prefix matching, case and accents folded, ñ kept distinct from n, a title match
  ranked first, matched words highlighted, "N of M" and "Show more", Enter opens the first
  result, arrow keys move through the results, answers are not searchable, and how many
  index files a query loads on the 60-phase course (none before the box is used);
- the question list marks the question in view;
- the language switch, from a scrolled page with an answer open and a search typed, lands
  on the same question with that answer open and the search carried;
- the phase menu on a phone;
- the 404 page at the site root and deeper in it (served by a server that answers any
  missing path with it), its links leading home in each language;
- axe-core 4.x on every page kind, light and dark, with the search results open.

Usage: check_browser.py SITE_DIR CORPUS_SITE_DIR AXE_JS
SITE_DIR is the shipped course's site (built with a base URL), CORPUS_SITE_DIR a site of
`quizdoc corpus --phases 60` built without one.   (exit 1 on any problem)
"""
import http.server
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from checklib import chromium, dark_mode, expect, run_axe, serve, summary  # noqa: E402

from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


class Site(http.server.SimpleHTTPRequestHandler):
    """Serves a site under /course/, answering a missing path with its 404 page, as a web
    host does."""

    def translate_path(self, path):
        path = urllib.parse.urlsplit(path).path
        if not path.startswith("/course/"):
            return "/nonexistent"
        return super().translate_path(path[len("/course"):])

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        with open(os.path.join(self.directory, "404.html"), "rb") as page:
            body = page.read()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Reader:
    def __init__(self, driver):
        self.driver = driver

    def open(self, url):
        self.driver.get(url)
        WebDriverWait(self.driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def css(self, selector):
        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def all(self, selector):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def wait(self, condition, what):
        try:
            WebDriverWait(self.driver, 10).until(lambda d: condition())
            return True
        except Exception:
            expect(False, f"timed out waiting: {what}")
            return False

    def index_loads(self):
        """The index files this page has loaded (each is a script element, one request)."""
        return self.driver.execute_script(
            "return Array.from(document.querySelectorAll('script[src*=\"/search/\"]')).map(s => s.src.split('/search/')[1])")

    def type(self, words):
        """Types into the header's search box as a reader does: focus it, select what is
        there, type. (Selenium's own send_keys scrolls the page to a sticky element's place
        in the flow first, which a reader's click does not.)"""
        self.driver.execute_script("const box = document.getElementById('search-input'); box.focus({preventScroll: true}); box.select();")
        ActionChains(self.driver).send_keys(words).perform()

    def search(self, words):
        """Types a query and waits for its results."""
        self.type(words)
        self.wait(lambda: self.css("#search-input").get_attribute("value") == words
                  and self.css("form.search").get_attribute("aria-busy") == "false", f"results for {words!r}")

    def click(self, selector):
        """Clicks without scrolling first (see `type`)."""
        self.driver.execute_script("document.querySelector(arguments[0]).click()", selector)

    def status(self):
        return self.css(".search-status").text

    def results(self):
        return [(link.get_attribute("href"), link.text) for link in self.all(".search-results a")]


def shipped_course(reader, site, axe_source):
    root = "file://" + os.path.abspath(site) + "/"
    phase = root + "quizzes/phase-26-quantization.html"
    reader.open(phase)
    expect(reader.css("h1").text == "Phase 26 · Quantization", "the page head names the phase and its topic")
    expect(not reader.index_loads(), "no index file loads with the page")
    expect("Source of truth" not in reader.css("main").text, "the authors' note is not on the learner's page")

    # Prefix, ranking, highlighting (English, from file://).
    reader.search("quantiz")
    results = reader.results()
    expect(results and "quizzes/phase-26-quantization.html#" in results[0][0], f"'quantiz' finds phase 26: {results[:2]}")
    titles = [mark.text.lower() for mark in reader.all(".search-results li:first-child .result-title mark")]
    expect(any(t.startswith("quantiz") for t in titles), f"a title match comes first, highlighted: {titles}")
    expect(reader.all(".search-results .result-snippet") and reader.css(".result-topic").text.startswith("Phase "),
           "each result shows the phase topic and a snippet")
    reader.search("uantiz")
    expect(not reader.results() and reader.status() == "No question matches.", "a query never matches inside a word")
    reader.search("CACHES")
    expect(any("#q-27-" in href for href, _ in reader.results()), "case folded, and the plural finds the singular")
    # Answers are not indexed: a word only an answer has finds nothing.
    reader.search("collapses")
    expect(not reader.results(), "an answer's words are not searchable ('collapses' is only in q-26-02's answer)")
    run_axe(reader.driver, axe_source, "English phase page, light, search results open")
    dark_mode(reader.driver, True)
    run_axe(reader.driver, axe_source, "English phase page, dark, search results open")
    dark_mode(reader.driver, False)

    # Enter opens the first result; arrows move through the results.
    reader.search("cache")
    first = reader.results()[0][0]
    ActionChains(reader.driver).send_keys(Keys.ARROW_DOWN).perform()
    expect(reader.driver.switch_to.active_element.get_attribute("href") == first, "ArrowDown focuses the first result")
    ActionChains(reader.driver).send_keys(Keys.ARROW_DOWN).perform()
    expect(reader.driver.switch_to.active_element.get_attribute("href") == reader.results()[1][0], "ArrowDown moves to the next")
    ActionChains(reader.driver).send_keys(Keys.ARROW_UP, Keys.ARROW_UP).perform()
    expect(reader.driver.switch_to.active_element.get_attribute("id") == "search-input", "ArrowUp goes back to the box")
    ActionChains(reader.driver).send_keys(Keys.ENTER).perform()
    reader.wait(lambda: reader.driver.current_url == first, "Enter opens the first result")

    # Spanish: accents folded, ñ kept.
    reader.open(root + "es/quizzes/phase-27-kv-cache.html")
    reader.search("cuantizacion")
    marks = [m.text for m in reader.all(".search-results mark")]
    expect("cuantización" in [m.lower() for m in marks], f"'cuantizacion' finds 'cuantización', highlighted: {marks[:4]}")
    reader.search("tamaño")
    expect(reader.results(), "'tamaño' is found")
    reader.search("tamano")
    expect(not reader.results(), "'tamano' is not 'tamaño': ñ stays distinct in Spanish")
    run_axe(reader.driver, axe_source, "Spanish phase page, light, search results open")

    # The question list marks the question in view.
    reader.open(phase)
    reader.driver.execute_script("document.getElementById('q-26-04').scrollIntoView()")
    reader.wait(lambda: reader.all(".toc a[aria-current]")
                and reader.css(".toc a[aria-current]").get_attribute("href").endswith("#q-26-04"),
                "the question list marks q-26-04 once it is in view")

    # The language switch follows the reader: question in view, open answer, search.
    reader.click("#q-26-04 details.answer summary")
    reader.search("gptq")
    reader.click(".languages a[hreflang='es']")
    reader.wait(lambda: "/es/quizzes/phase-26-quantization.html" in reader.driver.current_url, "the switch leads to the Spanish page")
    url = reader.driver.current_url
    expect(url.endswith("#q-26-04"), f"the switch lands on the question in view: {url}")
    reader.wait(lambda: reader.css("#q-26-04 details.answer").get_attribute("open") is not None, "the open answer is open there too")
    expect(reader.css("#search-input").get_attribute("value") == "gptq", "the search travels along")
    top = reader.driver.execute_script("return document.getElementById('q-26-04').getBoundingClientRect().top")
    expect(-5 < top < 200, f"the question is in view after the switch (top {top})")

    # Home page and 404 (absolute links with a base URL), light and dark.
    reader.open(root + "index.html")
    reader.search("cache")
    run_axe(reader.driver, axe_source, "English home page, light, search results open")
    dark_mode(reader.driver, True)
    reader.open(root + "es/index.html")
    run_axe(reader.driver, axe_source, "Spanish home page, dark")
    dark_mode(reader.driver, False)

    # A phone: the phases are behind a menu.
    reader.driver.set_window_size(390, 844)
    reader.open(phase)
    expect(not reader.css("#sidebar").is_displayed(), "on a phone the phase list starts closed")
    reader.css(".menu-button").click()
    expect(reader.css("#sidebar").is_displayed(), "the menu button opens it")
    expect(reader.css(".menu-button").get_attribute("aria-expanded") == "true", "and says so")
    run_axe(reader.driver, axe_source, "English phase page on a phone, menu open")
    reader.driver.set_window_size(1200, 900)


def corpus_course(reader, site, base, axe_source):
    for root, where in (("file://" + os.path.abspath(site) + "/", "file://"), (base, "HTTP")):
        for language, prefix in (("en", ""), ("es", "es/")):
            reader.open(f"{root}{prefix}quizzes/phase-30-topic-30.html")
            expect(not reader.index_loads(), f"{where} {language}: no index file loads with the page")
            reader.driver.execute_script("document.getElementById('search-input').focus({preventScroll: true})")
            reader.wait(lambda: reader.index_loads(), f"{where} {language}: the root loads on focus")
            expect(reader.index_loads() == [f"{language}/index.js"], f"{where} {language}: only the root on focus: {reader.index_loads()}")
            word = "kernel"
            reader.search(word)
            loads = reader.index_loads()
            chunks = [name for name in loads if "/t" in name]
            phases = [name for name in loads if "/p" in name]
            expect(1 <= len(chunks) <= 2, f"{where} {language}: '{word}' loads one or two term chunks: {chunks}")
            expect(len(phases) <= 20, f"{where} {language}: at most one results file per result shown: {len(phases)}")
            status = reader.status()
            shown = len(reader.results())
            expect(shown == 20 and status.startswith(("Showing 20 of", "Mostrando 20 de")),
                   f"{where} {language}: 20 results and the count of all: {status!r} ({shown})")
            reader.click(".search-more")
            reader.wait(lambda: len(reader.results()) > 20, f"{where} {language}: Show more shows more")
            print(f"  {where} {language}: '{word}' → {status!r}; {len(loads)} index files "
                  f"(root, {len(chunks)} chunk(s), {len(phases)} results files)", flush=True)
            if where == "HTTP" and language == "en":
                # A result leads to its question.
                href = reader.results()[0][0]
                reader.open(href)
                expect(reader.driver.current_url == href and reader.driver.execute_script(
                    "return !!document.getElementById(location.hash.slice(1))"), "a result leads to its question")

    # The 404 page, at the site root and deeper, without a base URL: styled, links home.
    for path in ("missing.html", "es/quizzes/deeper/still-missing.html"):
        reader.open(base + path)
        reader.wait(lambda: reader.css(".not-found a").get_attribute("href").startswith(base),
                    f"404 at /{path}: links resolved from the site root")
        hrefs = [a.get_attribute("href") for a in reader.all(".not-found a")]
        expect(hrefs == [base + "index.html", base + "es/index.html"], f"404 at /{path}: links home in each language: {hrefs}")
        expect(reader.driver.execute_script("return getComputedStyle(document.querySelector('main')).maxWidth") != "none",
               f"404 at /{path}: styled")
        expect(len(reader.all(".not-found")) == 2, f"404 at /{path}: both languages")
        dark_mode(reader.driver, path != "missing.html")
        run_axe(reader.driver, axe_source, f"404 page at /{path}, {'dark' if path != 'missing.html' else 'light'}")
        dark_mode(reader.driver, False)
        reader.css(".not-found[lang='es'] a").click()
        reader.wait(lambda: reader.driver.current_url == base + "es/index.html", f"404 at /{path}: the Spanish link works")
        expect(reader.css("h1").text != "", f"404 at /{path}: the Spanish home page opened")


def main(site, corpus, axe_path):
    axe_source = open(axe_path, encoding="utf-8").read()
    server, base = serve(os.path.abspath(corpus), Site, "/course/")
    driver = chromium()
    driver.set_script_timeout(30)
    reader = Reader(driver)
    try:
        shipped_course(reader, site, axe_source)
        corpus_course(reader, corpus, base, axe_source)
    finally:
        driver.quit()
        server.shutdown()
    return summary("check_browser", "in headless Chromium")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:4]))
