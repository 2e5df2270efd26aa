#!/usr/bin/env python3
"""Checks a built quizdoc site as a browser and a reviewer would, with no network.

- every href/src that is not external resolves to a file of the site, and every #fragment to an
  element id in that file (linkchecker does not check anchors of file: URLs);
- the search index of each language (search/<code>/): its root names chunks and phase files
  that exist and nothing else, every result leads to a question of a page, and each page's
  questions are all in it, in order;
- no request leaves the site: no http(s) URL in src or stylesheet links;
- no script, event handler or dangerous URL that the templates did not put there;
- every page has <html lang>, and its language switcher and hreflang alternates lead to
  the same page in every other language.

Usage: check_site.py SITE_DIR [BASE_URL]   (prints a summary; exit 1 on any problem)
URLs under BASE_URL (the 404 page uses them) are checked as files of the site.
"""
import html.parser
import json
import os
import re
import sys
import urllib.parse

TEMPLATE_SCRIPTS = {"assets/site.js", "assets/practice.js"}
DANGEROUS = re.compile(r"^\s*(javascript|vbscript|data|file):", re.I)


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links, self.scripts, self.handlers, self.alternates = set(), [], [], [], {}
        self.lang = None
        self.question_ids = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if "id" in attrs:
            self.ids.add(attrs["id"])
            if tag == "section" and "question" in (attrs.get("class") or "").split():
                self.question_ids.append(attrs["id"])
        for name in attrs:
            if name.lower().startswith("on"):
                self.handlers.append(f"<{tag} {name}=…>")
        if tag == "script":
            self.scripts.append(attrs.get("src"))
        for name in ("href", "src", "action", "formaction", "poster"):
            if attrs.get(name) is not None:
                self.links.append((tag, name, attrs[name], attrs))
        if tag == "link" and attrs.get("rel") == "alternate" and attrs.get("hreflang"):
            self.alternates[attrs["hreflang"]] = attrs.get("href")


def main(site, base=None):
    pages, problems, checked = {}, [], 0
    for folder, _, files in os.walk(site):
        for name in files:
            if name.endswith(".html"):
                path = os.path.relpath(os.path.join(folder, name), site).replace(os.sep, "/")
                page = Page()
                with open(os.path.join(folder, name), encoding="utf-8") as handle:
                    page.feed(handle.read())
                pages[path] = page
    for path, page in sorted(pages.items()):
        if not page.lang:
            problems.append(f"{path}: <html> has no lang")
        problems += [f"{path}: event handler {h}" for h in page.handlers]
        for tag, attr, url, attrs in page.links:
            checked += 1
            if DANGEROUS.match(url):
                problems.append(f"{path}: dangerous URL in <{tag} {attr}>: {url[:60]}")
                continue
            if base and url.startswith(base):
                url = "/" + url[len(base):]
            parsed = urllib.parse.urlsplit(url)
            if parsed.scheme in ("http", "https", "mailto"):
                if tag in ("script", "img", "iframe") or (tag == "link" and attrs.get("rel") == "stylesheet"):
                    problems.append(f"{path}: external resource {url}")
                continue
            if parsed.scheme:
                problems.append(f"{path}: unexpected scheme in {url}")
                continue
            if parsed.path.startswith("/"):
                target = parsed.path[1:]
            else:
                target = path if not parsed.path else os.path.normpath(
                    os.path.join(os.path.dirname(path), urllib.parse.unquote(parsed.path))).replace(os.sep, "/")
            if target.startswith("../"):
                problems.append(f"{path}: link leaves the site: {url}")
                continue
            if not os.path.isfile(os.path.join(site, target)):
                problems.append(f"{path}: broken link {url}")
                continue
            if tag == "script" and target not in TEMPLATE_SCRIPTS:
                problems.append(f"{path}: script not from the templates: {url}")
            if parsed.fragment and target.endswith(".html"):
                if parsed.fragment not in pages[target].ids:
                    problems.append(f"{path}: broken anchor {url}")
        for script in page.scripts:
            # Only the 404 page of a site without a base URL has one: it finds the site root.
            if script is None and path != "404.html":
                problems.append(f"{path}: inline <script>")
        # The switcher: each alternate is this page in that language (same name, language tree).
        for lang, href in sorted(page.alternates.items()):
            target = os.path.normpath(os.path.join(os.path.dirname(path), href)).replace(os.sep, "/")
            if target not in pages:
                problems.append(f"{path}: hreflang={lang} leads nowhere ({href})")
            elif pages[target].lang != lang:
                problems.append(f"{path}: hreflang={lang} leads to a page in {pages[target].lang}")
            elif os.path.basename(target) != os.path.basename(path):
                problems.append(f"{path}: hreflang={lang} leads to another page ({target})")
    problems += check_search(site, pages)
    for problem in problems:
        print(problem)
    print(f"check_site: {len(pages)} pages, {checked} links and anchors checked, {len(problems)} problems")
    return 1 if problems else 0


def search_data(site, name):
    """The data a search script hands to quizdocSearch(name, …)."""
    with open(os.path.join(site, "search", name + ".js"), encoding="utf-8") as handle:
        text = handle.read()
    head = f"quizdocSearch({json.dumps(name)},"
    if not text.startswith(head) or not text.endswith(");\n"):
        raise ValueError(f"search/{name}.js does not hand its data to quizdocSearch")
    return json.loads(text[len(head):-3])


def check_search(site, pages):
    problems = []
    folder = os.path.join(site, "search")
    languages = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
    if not languages:
        return ["no search index (search/<code>/index.js)"]
    for code in languages:
        root = search_data(site, f"{code}/index")
        expected = {"index.js"} | {f"t{n}.js" for n in range(len(root["chunks"]))} | {f"p{p}.js" for p, _ in root["phases"]}
        present = set(os.listdir(os.path.join(folder, code)))
        if present != expected:
            problems.append(f"search/{code}: files {sorted(present ^ expected)} are missing or not named by the root")
            continue
        if root["chunks"] != sorted(root["chunks"]):
            problems.append(f"search/{code}: the chunks' first terms are not sorted")
        for n, first in enumerate(root["chunks"]):
            terms = list(search_data(site, f"{code}/t{n}"))
            if terms and (terms[0] != first or terms != sorted(terms)):
                problems.append(f"search/{code}/t{n}.js: its terms are not sorted from {first!r}")
        for phase, count in root["phases"]:
            data = search_data(site, f"{code}/p{phase}")
            page = pages.get(data["page"])
            ids = [question[0] for question in data["questions"]]
            if page is None:
                problems.append(f"search/{code}/p{phase}.js: its page {data['page']} does not exist")
            elif len(ids) != count or ids != [i for i in page.question_ids]:
                problems.append(f"search/{code}/p{phase}.js: questions {ids} are not those of {data['page']}")
    return problems


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
