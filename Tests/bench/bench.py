#!/usr/bin/env python3
"""quizdoc's benchmark: whole processes, median of several runs, all figures of one size
measured in one run of this script so their ratios hold on a noisy machine.

For each size N (phases of 20 questions, from `quizdoc corpus`), in a fresh folder:
  full       build from an empty docs-out/ (mirrors + site); the last docs-out/ is moved
             aside, not deleted, before each run (see "after rm -rf")
  no-op      a second build with nothing changed
  one edit   a build after changing one question in one file (alternating two versions)
  check      `quizdoc check` on a clean tree
  floor      the cmark-gfm command-line tool rendering the same mirrors in one process
  after rm -rf  the full build again, right after `rm -rf docs-out`: on a file system
             without a journal (this machine's), ext4 skips inodes freed in the last
             minutes when it creates files, scanning past each one, so the thousands of
             files the benchmark itself just deleted slow every file quizdoc creates
and the peak memory (max RSS) of a full build and of the floor. The moved-aside folders
are deleted at the very end, so no deletion of one size slows the next.

Usage: bench.py QUIZDOC_BINARY TEMPLATES_DIR [--sizes 10,100,1000] [--runs 5] [--markdown FILE]
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

FLOOR = "cmark-gfm -e table -e strikethrough -e autolink -e tagfilter --unsafe docs-out/quizzes/*.md > /dev/null"


def hyperfine(command, cwd, runs, prepare=None):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        args = ["hyperfine", "--style", "none", "--runs", str(runs), "--export-json", out.name]
        if not prepare:
            args += ["--warmup", "1"]
        if prepare:
            args += ["--prepare", prepare]
        subprocess.run(args + [command], cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return json.load(open(out.name))["results"][0]["median"]


def peak_kb(command, cwd):
    result = subprocess.run(["/usr/bin/time", "-f", "%M", "sh", "-c", command], cwd=cwd,
                            capture_output=True, text=True, check=True)
    return int(result.stderr.strip().splitlines()[-1])


def measure(binary, templates, phases, runs, trash):
    folder = tempfile.mkdtemp(prefix=f"quizdoc-bench-{phases}-")
    try:
        shutil.copytree(templates, os.path.join(folder, "templates"))
        subprocess.run([binary, "corpus", "--phases", str(phases), folder], check=True)
        quiet = f"{binary} build > /dev/null 2>&1"
        edited = os.path.join(folder, "data/quizzes", sorted(os.listdir(os.path.join(folder, "data/quizzes")))[0])
        toggle = (f"python3 -c \"import sys; p='{edited}'; s=open(p).read(); "
                  f"s=s.replace('kernel','KERNEL',1) if 'KERNEL' not in s else s.replace('KERNEL','kernel',1); open(p,'w').write(s)\"")
        aside = f"if [ -e docs-out ]; then mv docs-out {trash}/$(date +%s%N); fi"
        figures = {}
        figures["full"] = hyperfine(quiet, folder, runs, prepare=aside)
        subprocess.run(quiet, shell=True, cwd=folder, check=True)
        figures["no-op"] = hyperfine(quiet, folder, runs)
        figures["one edit"] = hyperfine(quiet, folder, runs, prepare=toggle)
        subprocess.run(quiet, shell=True, cwd=folder, check=True)
        figures["check"] = hyperfine(f"{binary} check > /dev/null 2>&1", folder, runs)
        figures["floor"] = hyperfine(FLOOR, folder, runs)
        memory = {"floor": peak_kb(FLOOR, folder)}
        subprocess.run(aside, shell=True, cwd=folder, check=True)
        memory["full"] = peak_kb(quiet, folder)
        markdown = sum(os.path.getsize(p) for p in glob.glob(os.path.join(folder, "docs-out/quizzes/*.md")))
        figures["after rm"] = hyperfine(quiet, folder, runs, prepare="rm -rf docs-out")
        return figures, memory, markdown
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("templates")
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--markdown")
    options = parser.parse_args()
    binary = os.path.abspath(options.binary)
    rows = []
    header = ("| N | pages | Markdown | full | no-op | one edit | check | cmark-gfm floor | full / floor "
              "| no-op / full | edit / full | peak RSS full | peak RSS floor | full after rm -rf | after rm -rf / floor |")
    rule = "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    print(header)
    print(rule)
    trash = tempfile.mkdtemp(prefix="quizdoc-bench-aside-")
    try:
        for size in [int(s) for s in options.sizes.split(",")]:
            f, m, markdown = measure(binary, os.path.abspath(options.templates), size, options.runs, trash)
            row = (f"| {size} | {2 * size} | {markdown / 1e6:.1f} MB | {f['full']:.3f} s | {f['no-op']:.3f} s | {f['one edit']:.3f} s "
                   f"| {f['check']:.3f} s | {f['floor']:.3f} s | {f['full'] / f['floor']:.2f}× | {100 * f['no-op'] / f['full']:.1f} % "
                   f"| {100 * f['one edit'] / f['full']:.1f} % | {m['full'] / 1024:.0f} MB | {m['floor'] / 1024:.0f} MB "
                   f"| {f['after rm']:.3f} s | {f['after rm'] / f['floor']:.2f}× |")
            print(row, flush=True)
            rows.append(row)
    finally:
        shutil.rmtree(trash, ignore_errors=True)
    if options.markdown:
        with open(options.markdown, "w") as out:
            out.write("\n".join([header, rule] + rows) + "\n")


if __name__ == "__main__":
    sys.exit(main())
