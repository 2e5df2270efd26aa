#!/usr/bin/env python3
"""Opens the built site from file:// in headless Chromium, as a learner would from a CI
artifact, and checks what its script does there:

- the language switcher carries the #question along, so it leads to the same question;
- search (index.html?q=…) loads its index from file:// and finds a question in each language;
- with a second site built from `quizdoc corpus --phases 60` (three search shards), search
  finds questions of the first and the last shard.

Usage: check_browser.py SITE_DIR [CORPUS_SITE_DIR]   (exit 1 on any problem)
"""
import os
import re
import shutil
import subprocess
import sys


def dom(url):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        sys.exit("check_browser: chromium is not installed (make test-deps installs it)")
    result = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000", "--dump-dom", url],
        capture_output=True, text=True, timeout=120)
    return result.stdout


def main(site, corpus=None):
    root = "file://" + os.path.abspath(site)
    problems, checks = [], 0
    cases = [
        (f"{root}/quizzes/phase-26-quantization.html#q-26-04",
         r'<a href="\.\./es/quizzes/phase-26-quantization\.html#q-26-04"[^>]*data-keep-hash', "switcher keeps #q-26-04 (en → es)"),
        (f"{root}/es/quizzes/phase-26-quantization.html#q-26-02",
         r'<a href="\.\./\.\./quizzes/phase-26-quantization\.html#q-26-02"[^>]*data-keep-hash', "switcher keeps #q-26-02 (es → en)"),
        (f"{root}/index.html?q=gptq",
         r'class="search-results"[^>]*><li><a href="quizzes/phase-26-quantization\.html#q-26-04">', "English search finds q-26-04"),
        (f"{root}/es/index.html?q=hessiana",
         r'class="search-results"[^>]*><li><a href="quizzes/phase-26-quantization\.html#q-26-04">', "Spanish search finds q-26-04"),
    ]
    if corpus:
        other = "file://" + os.path.abspath(corpus)
        cases += [
            (f"{other}/index.html?q=q-01-01", r'<a href="quizzes/phase-01-topic-1\.html#q-01-01">', "search finds q-01-01 in shard 0"),
            (f"{other}/index.html?q=q-60-01", r'<a href="quizzes/phase-60-topic-60\.html#q-60-01">', "search finds q-60-01 in shard 2"),
            (f"{other}/es/index.html?q=q-60-01", r'<a href="quizzes/phase-60-topic-60\.html#q-60-01">', "Spanish search finds q-60-01"),
        ]
    for url, pattern, what in cases:
        checks += 1
        if not re.search(pattern, dom(url)):
            problems.append(f"{what}: not seen at {url}")
    for problem in problems:
        print(problem)
    print(f"check_browser: {checks} checks in headless Chromium, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
