#!/usr/bin/env python3
"""quizdoc's benchmark: whole processes, median of several runs, all figures of one size
measured in one run of this script so their ratios hold on a noisy machine.

For each size N (phases of 20 questions, from `quizdoc corpus`), in a fresh folder, in
rounds (each round one run of every figure, of the sub-second ones several, so that the
figures a ratio compares are measured minutes apart at most, not one after the other):
  full       build from an empty docs-out/ (mirrors + site); the last docs-out/ is moved
             aside, not deleted, before each run (see "after rm -rf")
  no-op      a second build with nothing changed
  one edit   a build after changing one question in one file (alternating two versions,
             each written by this script itself: see `toggle`), after one such edit not
             timed: the first edit after a full build stages its site in a new folder
             (there is no spare yet), every later one in the site it replaced (see
             BENCHMARKS.md)
  check      `quizdoc check` on a clean tree
  floor      the cmark-gfm command-line tool rendering the same mirrors in one process
  Hugo       Debian's `hugo` building the same mirrors as a minimal two-language site (front
             matter instead of the mirrors' leading HTML comment), from an empty public/
  after rm -rf  the full build again, right after `rm -rf docs-out`: on a file system
             without a journal (this machine's), ext4 skips inodes freed in the last
             minutes when it creates files, scanning past each one, so the thousands of
             files the benchmark itself just deleted slow every file quizdoc creates
and the peak memory (max RSS) of a full build and of the floor. Each run is timed from
this script, less what starting a program costs it (the median of 20 runs of `true`).
Before each figure's runs the file system's dirty pages are written out (`sync`, not
timed): a round's full build alone writes 166 MB (prose, N = 1000), Hugo's site more, and
the kernel writes them back half a minute later, on the same two cores, in the middle of
whatever runs then (BENCHMARKS.md, issue 14's twenty-fourth steps).
Nothing is deleted until every other figure of every corpus and size is measured: what a
run replaces (docs-out/, Hugo's public/) is moved aside, and the "after rm -rf" runs come
last. The no-op, the edit and `check`, each well under a second, take at least 11 runs
whatever --runs says.

Each size is measured on two corpora (`quizdoc corpus --style`): mixed, Markdown-heavy, and
prose, long plain paragraphs; cmark-gfm is slow at the first, so a ratio to the floor can
flatter it.

Usage: bench.py QUIZDOC_BINARY TEMPLATES_DIR [--sizes 10,100,1000] [--styles mixed,prose] [--runs 5] [--markdown FILE]
"""
import argparse
import glob
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

FLOOR = ["cmark-gfm", "-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tagfilter", "--unsafe"]


def hyperfine(command, cwd, runs, prepare):
    """The median of `runs` runs of `command`, `prepare` run before each (the "after rm -rf"
    figure, which the rounds of `measure` leave out)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        args = ["hyperfine", "--style", "none", "--runs", str(runs), "--export-json", out.name, "--prepare", prepare]
        subprocess.run(args + [command], cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return json.load(open(out.name))["results"][0]["median"]


def peak_kb(command, cwd):
    result = subprocess.run(["/usr/bin/time", "-f", "%M", "sh", "-c", command], cwd=cwd,
                            capture_output=True, text=True, check=True)
    return int(result.stderr.strip().splitlines()[-1])


HUGO_CONFIG = """baseURL = "https://example.org/"
defaultContentLanguage = "en"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
[markup.goldmark.renderer]
unsafe = true
[markup.goldmark.extensions]
table = true
strikethrough = true
linkify = true
[languages.en]
contentDir = "content/en"
weight = 1
[languages.es]
contentDir = "content/es"
weight = 2
"""


def hugo_site(folder):
    """The mirrors as a Hugo site: a page per mirror and language, its title in front matter."""
    site = os.path.join(folder, "hugo")
    for language in ("en", "es"):
        os.makedirs(os.path.join(site, "content", language), exist_ok=True)
    os.makedirs(os.path.join(site, "layouts", "_default"), exist_ok=True)
    with open(os.path.join(site, "config.toml"), "w") as out:
        out.write(HUGO_CONFIG)
    page = "<!DOCTYPE html><html lang=\"{{ .Language.Lang }}\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head><body>{{ block \"main\" . }}{{ end }}</body></html>"
    with open(os.path.join(site, "layouts", "_default", "baseof.html"), "w") as out:
        out.write(page)
    with open(os.path.join(site, "layouts", "_default", "single.html"), "w") as out:
        out.write("{{ define \"main\" }}{{ .Content }}{{ end }}")
    with open(os.path.join(site, "layouts", "_default", "list.html"), "w") as out:
        out.write("{{ define \"main\" }}<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}")
    for path in glob.glob(os.path.join(folder, "docs-out/quizzes/*.md")):
        name = os.path.basename(path)
        language = "es" if name.endswith(".es.md") else "en"
        text = open(path, encoding="utf-8").read()
        if text.startswith("<!--"):
            text = text[text.index("-->") + 3:].lstrip("\n")
        title = text.splitlines()[0].lstrip("# ").replace('"', "'")
        with open(os.path.join(site, "content", language, name.replace(".es.md", ".md")), "w", encoding="utf-8") as out:
            out.write(f'---\ntitle: "{title}"\n---\n{text}')
    return site


def timed(argv, cwd, spawn=0.0):
    """Wall time of one run of `argv` (no shell), its output discarded, less `spawn`."""
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return max(0.0, time.perf_counter() - start - spawn)


def move_aside(path, trash):
    if os.path.exists(path):
        os.rename(path, os.path.join(trash, str(time.time_ns())))


def measure(binary, templates, phases, runs, trash, style, scratch):
    """Every figure but "after rm -rf", deleting nothing: what a run replaces is moved aside.

    The figures are measured in rounds, each round one run of every figure (and of the
    sub-second ones, several), so that a ratio compares runs made minutes apart at most: on
    this shared machine the speed drifts, and measured one figure after another (hyperfine,
    until issue 14's eighteenth steps) a ratio took in whatever the machine did between them.
    """
    folder = tempfile.mkdtemp(prefix=f"quizdoc-bench-{style}-{phases}-", dir=scratch)
    shutil.copytree(templates, os.path.join(folder, "templates"))
    subprocess.run([binary, "corpus", "--phases", str(phases), "--style", style, folder], check=True)
    build, check = [binary, "build"], [binary, "check"]
    edited = os.path.join(folder, "data/quizzes", sorted(os.listdir(os.path.join(folder, "data/quizzes")))[0])

    def toggle():
        # One word of one question, in this process: a `python3` found on the PATH may be a
        # shim (pyenv: some 40 programs for one edit), whose teardown on the other core
        # overlapped the timed build (BENCHMARKS.md, issue 14's seventeenth steps).
        with open(edited, encoding="utf-8") as source:
            text = source.read()
        text = text.replace("kernel", "KERNEL", 1) if "KERNEL" not in text else text.replace("KERNEL", "kernel", 1)
        with open(edited, "w", encoding="utf-8") as out:
            out.write(text)

    # What starting a program costs this script, taken off every run (as hyperfine takes off
    # its shell's).
    spawn = statistics.median(timed(["true"], folder) for _ in range(20))
    # The figures that take less than a second take at least 11 runs: a build of tens of
    # milliseconds on a shared machine varies from run to run by half (one binary's
    # one-question edit over 30 runs: 33 to 72 ms).
    quick = -(-11 // runs)
    samples = {name: [] for name in ("full", "no-op", "one edit", "check", "floor", "hugo")}
    site = None
    for _ in range(runs):
        move_aside(os.path.join(folder, "docs-out"), trash)
        os.sync()
        samples["full"].append(timed(build, folder, spawn))
        timed(build, folder)  # the first build after a full one, not timed (as hyperfine's warm-up)
        os.sync()
        samples["no-op"] += [timed(build, folder, spawn) for _ in range(quick)]
        # The first edit after a full build stages its site in a new folder (there is no spare
        # yet), every later one in the site it replaced (BENCHMARKS.md): not timed.
        toggle()
        timed(build, folder)
        os.sync()
        for _ in range(quick):
            toggle()
            samples["one edit"].append(timed(build, folder, spawn))
        os.sync()
        samples["check"] += [timed(check, folder, spawn) for _ in range(quick)]
        mirrors = sorted(glob.glob(os.path.join(folder, "docs-out/quizzes/*.md")))
        os.sync()
        samples["floor"].append(timed(FLOOR + mirrors, folder, spawn))
        if shutil.which("hugo"):
            site = site or hugo_site(folder)
            move_aside(os.path.join(site, "public"), trash)
            move_aside(os.path.join(site, "resources"), trash)
            os.sync()
            samples["hugo"].append(timed(["hugo", "--quiet"], site, spawn))
    figures = {name: statistics.median(values) for name, values in samples.items() if values}
    quiet = f"{shlex.quote(binary)} build > /dev/null 2>&1"
    floor = " ".join(shlex.quote(part) for part in FLOOR) + " docs-out/quizzes/*.md > /dev/null"
    memory = {"floor": peak_kb(floor, folder)}
    move_aside(os.path.join(folder, "docs-out"), trash)
    memory["full"] = peak_kb(quiet, folder)
    markdown = sum(os.path.getsize(p) for p in glob.glob(os.path.join(folder, "docs-out/quizzes/*.md")))
    yaml = sum(os.path.getsize(p) for p in glob.glob(os.path.join(folder, "data/quizzes/*.yaml")))
    return folder, figures, memory, markdown, yaml


def after_rm(binary, folder, runs):
    """The full build right after `rm -rf docs-out`: measured once every other figure is."""
    return hyperfine(f"{binary} build > /dev/null 2>&1", folder, runs, prepare="rm -rf docs-out && sync")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("templates")
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--styles", default="mixed,prose")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--markdown")
    options = parser.parse_args()
    binary = os.path.abspath(options.binary)
    rows = []
    header = ("| corpus | N | YAML | Markdown | full | no-op | one edit | check | cmark-gfm floor | full / floor "
              "| no-op / full | edit / full | check / full | Hugo | full / Hugo | peak RSS full | peak RSS floor "
              "| full after rm -rf | after rm -rf / floor |")
    rule = "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    print(header)
    print(rule)
    # Nothing is deleted until every full build is measured: on this machine's ext4, each file
    # a build creates scans past the inodes freed in the last minutes (see "after rm -rf"),
    # so a deletion before a measurement (of the last corpus, of Hugo's output) slows it.
    scratch = tempfile.mkdtemp(prefix="quizdoc-bench-")
    trash = tempfile.mkdtemp(prefix="quizdoc-bench-aside-")
    measured = []
    try:
        for style in options.styles.split(","):
            for size in [int(s) for s in options.sizes.split(",")]:
                measured.append((style, size) + measure(binary, os.path.abspath(options.templates), size, options.runs,
                                                        trash, style, scratch))
        for style, size, folder, f, m, markdown, yaml in measured:
            f["after rm"] = after_rm(binary, folder, options.runs)
            hugo = (f"{f['hugo']:.3f} s | {f['full'] / f['hugo']:.3f}×") if "hugo" in f else "— | —"
            row = (f"| {style} | {size} | {yaml / 1e6:.1f} MB | {markdown / 1e6:.1f} MB | {f['full']:.3f} s | {f['no-op']:.3f} s "
                   f"| {f['one edit']:.3f} s | {f['check']:.3f} s | {f['floor']:.3f} s | {f['full'] / f['floor']:.2f}× "
                   f"| {100 * f['no-op'] / f['full']:.2f} % | {100 * f['one edit'] / f['full']:.2f} % "
                   f"| {f['check'] / f['full']:.3f}× | {hugo} | {m['full'] / 1024:.0f} MB | {m['floor'] / 1024:.0f} MB "
                   f"| {f['after rm']:.3f} s | {f['after rm'] / f['floor']:.2f}× |")
            print(row, flush=True)
            rows.append(row)
    finally:
        shutil.rmtree(trash, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)
    if options.markdown:
        with open(options.markdown, "w") as out:
            out.write("\n".join([header, rule] + rows) + "\n")


if __name__ == "__main__":
    sys.exit(main())
