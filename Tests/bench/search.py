#!/usr/bin/env python3
"""What a search costs a learner, on a course of N phases (`quizdoc corpus`), beside
Pagefind on the same site: cold, per language, the first query typed on a phase page.

For quizdoc, over a local HTTP server and from file://:
  requests, bytes  the index files loaded, before the first result shows and once the
                   first page of results (20) is full;
  ms               from the keystroke to the first result, and to the full first page;
  heap             the page's JS heap after the query (after a garbage collection);
  later query      the bytes a second query on the same page loads.
For Pagefind 1.5 (PyPI pagefind-bin, its JS API as its UI calls it: search, then the
fragments of the first 5 results), over HTTP only (it cannot run from file://): the same
figures, the first result being the first fragment loaded.
And the search files on disk (both languages, apparent size) and the CPU the build spends
on search (QUIZDOC_TIMINGS=1).

Usage: search.py QUIZDOC_BINARY TEMPLATES_DIR [--phases 1000] [--markdown FILE]
The HTTP server sends files as they are (no compression), as a host that does not gzip.
"""
import argparse
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from checklib import chromium, serve  # noqa: E402

QUERIES = {"en": ("kernel", "latency"), "es": ("memoria", "latencia")}


class Logged(http.server.SimpleHTTPRequestHandler):
    """Serves the site and records each request: (time, path, bytes)."""
    log = []

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def copyfile(self, source, outputfile):
        data = source.read()
        outputfile.write(data)
        Logged.log.append((time.time() * 1000, urllib.parse.urlsplit(self.path).path, len(data)))

    def log_message(self, *args):
        pass


def heap(driver):
    driver.execute_cdp_cmd("HeapProfiler.collectGarbage", {})
    return driver.execute_cdp_cmd("Runtime.getHeapUsage", {})["usedSize"]


QUIZDOC_QUERY = """
const [word, done] = [arguments[0], arguments[arguments.length - 1]];
const input = document.getElementById('search-input');
const list = document.querySelector('.search-results');
const status = document.querySelector('.search-status');
const scripts = () => Array.from(document.querySelectorAll('script[src*="/search/"]')).map(s => s.src);
const before = scripts().length;
let first = null, firstScripts = null;
new MutationObserver(() => {
  if (first === null && list.children.length) { first = performance.now(); firstScripts = scripts().slice(before); }
}).observe(list, {childList: true});
new MutationObserver(() => {
  if (/\\d/.test(status.textContent)) done({first: first - start, full: performance.now() - start, firstScripts,
                                           all: scripts().slice(before), epoch: Date.now() - (performance.now() - first)});
}).observe(status, {childList: true, characterData: true, subtree: true});
input.focus();
input.value = word;
const start = performance.now();
input.dispatchEvent(new Event('input'));
"""

PAGEFIND_QUERY = """
const [word, done] = [arguments[0], arguments[arguments.length - 1]];
const start = performance.now();
import('/pagefind/pagefind.js').then(async (pagefind) => {
  await pagefind.options({});
  const search = await pagefind.search(word);
  const results = search.results.slice(0, 5);
  const firstData = await results[0].data();
  const first = performance.now();
  const epoch = Date.now();
  await Promise.all(results.map(r => r.data()));
  done({first: first - start, full: performance.now() - start, count: search.results.length, epoch});
}).catch(e => done({error: String(e)}));
"""


def size(site, url):
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    if url.startswith("file://"):
        return os.path.getsize(path)
    return os.path.getsize(os.path.join(site, path.lstrip("/")))


def quizdoc_query(driver, site, page, word, second):
    driver.get(page)
    heap_before = heap(driver)
    result = driver.execute_async_script(QUIZDOC_QUERY, word)
    later = driver.execute_async_script(QUIZDOC_QUERY, second)
    figures = {
        "first_requests": len(result["firstScripts"]), "first_bytes": sum(size(site, u) for u in result["firstScripts"]),
        "page_requests": len(result["all"]), "page_bytes": sum(size(site, u) for u in result["all"]),
        "first_ms": result["first"], "page_ms": result["full"],
        "later_bytes": sum(size(site, u) for u in later["all"]), "later_requests": len(later["all"]),
        "heap_mb": heap(driver) / 1e6, "heap_before_mb": heap_before / 1e6,
    }
    return figures


def pagefind_query(driver, base, page, word):
    driver.get(page)
    Logged.log.clear()
    result = driver.execute_async_script(PAGEFIND_QUERY, word)
    if "error" in result:
        raise RuntimeError(result["error"])
    log = [entry for entry in Logged.log if "/pagefind/" in entry[1]]
    first = [entry for entry in log if entry[0] <= result["epoch"] + 1]
    return {
        "first_requests": len(first), "first_bytes": sum(e[2] for e in first),
        "page_requests": len(log), "page_bytes": sum(e[2] for e in log),
        "first_ms": result["first"], "page_ms": result["full"], "heap_mb": heap(driver) / 1e6,
    }


def disk(folder):
    total = 0
    for root, _, files in os.walk(folder):
        total += sum(os.path.getsize(os.path.join(root, name)) for name in files)
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("templates")
    parser.add_argument("--phases", type=int, default=1000)
    parser.add_argument("--markdown")
    args = parser.parse_args()
    args.binary = os.path.abspath(args.binary)
    pagefind = [sys.executable, "-m", "pagefind_bin"]
    if subprocess.run(pagefind + ["--version"], capture_output=True).returncode != 0:
        sys.exit("search.py: Pagefind is missing; pip install pagefind-bin")
    folder = tempfile.mkdtemp(prefix="quizdoc-search-bench-")
    try:
        shutil.copytree(args.templates, os.path.join(folder, "templates"))
        subprocess.run([args.binary, "corpus", "--phases", str(args.phases), folder], check=True, stdout=subprocess.DEVNULL)
        build = subprocess.run([args.binary, "build"], cwd=folder, env={**os.environ, "QUIZDOC_TIMINGS": "1"},
                               capture_output=True, text=True, check=True)
        timings = [line for line in build.stderr.splitlines() if line.startswith("quizdoc timing:")]
        site = os.path.join(folder, "docs-out", "site")
        search_disk = disk(os.path.join(site, "search"))
        # Pagefind's index of the same pages, beside it (its own folder, not counted above).
        subprocess.run(pagefind + ["--site", site], check=True, capture_output=True)
        pagefind_disk = disk(os.path.join(site, "pagefind"))

        server, base = serve(site, Logged)
        driver = chromium(window="1200,900")
        driver.set_script_timeout(60)
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
        rows = []
        try:
            phase = sorted(os.listdir(os.path.join(site, "quizzes")))[len(os.listdir(os.path.join(site, "quizzes"))) // 2]
            for language, prefix in (("en", ""), ("es", "es/")):
                word, second = QUERIES[language]
                for where, root in (("HTTP", base), ("file://", "file://" + site + "/")):
                    figures = quizdoc_query(driver, site, f"{root}{prefix}quizzes/{phase}", word, second)
                    rows.append(("quizdoc", language, where, word, figures))
                figures = pagefind_query(driver, base, f"{base}{prefix}quizzes/{phase}", word)
                rows.append(("Pagefind 1.5", language, "HTTP", word, figures))
        finally:
            driver.quit()
            server.shutdown()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    lines = [f"Search on {args.phases} phases ({args.phases * 20} questions in each of two languages), first query on a phase page, cold:", "",
             "| engine | lang | from | query | before the first result | first page (quizdoc 20, Pagefind 5) | ms to first / full | JS heap | later query |",
             "|---|---|---|---|---|---|---|---|---|"]
    for engine, language, where, word, f in rows:
        later = f"{f['later_requests']} req, {f['later_bytes'] / 1000:.0f} KB" if "later_bytes" in f else "—"
        lines.append(f"| {engine} | {language} | {where} | {word} | {f['first_requests']} req, {f['first_bytes'] / 1000:.0f} KB "
                     f"| {f['page_requests']} req, {f['page_bytes'] / 1000:.0f} KB | {f['first_ms']:.0f} / {f['page_ms']:.0f} "
                     f"| {f['heap_mb']:.1f} MB | {later} |")
    lines += ["", "Pagefind cannot run from file:// (its module import fails there).",
              f"Search files on disk, both languages: quizdoc {search_disk / 1e6:.1f} MB; Pagefind {pagefind_disk / 1e6:.1f} MB.",
              *[f"Build: {line[len('quizdoc timing: '):]}" for line in timings]]
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        with open(args.markdown, "a", encoding="utf-8") as out:
            out.write(text + "\n\n")


if __name__ == "__main__":
    main()
