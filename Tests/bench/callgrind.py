#!/usr/bin/env python3
"""Instructions, not seconds: `valgrind --tool=callgrind` counts the instructions a build
executes, the same on a busy machine as on an idle one, so two versions of a hot path can be
compared by one number each (wall times on this shared machine move by 20-50 % between runs).

For each corpus style (`quizdoc corpus --style`) at N phases, in a fresh folder, each
profiled binary runs:
  full    build with docs-out/ moved away (the translation locks already written)
  no-op   build again, nothing changed
  edit    build after one word of one question changed
  check   `check` on a clean tree
and the table gives the instructions of each (millions), per binary, and new/old when a
baseline is given. Swift's hashing is made deterministic (SWIFT_DETERMINISTIC_HASHING), so a
count repeats to within about 0.01 %.

The binaries are `quizdoc-profile` (a synchronous `main`: valgrind 3.19 crashes on a Swift
program with an async `main`), copied without debug information (valgrind 3.19 cannot read
Swift 6.3's DWARF) into a scratch folder; the corpus comes from the `quizdoc` beside
PROFILE_BINARY. `--top K` prints the K functions with most instructions of their own in the
new binary's full build of the last corpus.

Usage: callgrind.py PROFILE_BINARY TEMPLATES_DIR [--baseline OLD_PROFILE_BINARY] [--phases 100]
                    [--styles prose,mixed] [--top 0]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile


def stripped(binary, scratch, name):
    path = os.path.join(scratch, name)
    subprocess.run(["strip", "--strip-debug", "-o", path, binary], check=True)
    return path


def instructions(binary, command, folder, out):
    env = dict(os.environ, SWIFT_DETERMINISTIC_HASHING="1")
    result = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", binary, command, "."],
                            cwd=folder, env=env, capture_output=True, text=True)
    match = re.search(r"Collected : (\d+)", result.stderr)
    if not match or result.returncode not in (0, 1):
        sys.exit(f"callgrind failed on {binary} {command}:\n{result.stderr[-2000:]}")
    return int(match.group(1))


def edit(folder):
    path = os.path.join(folder, "data/quizzes", sorted(os.listdir(os.path.join(folder, "data/quizzes")))[0])
    text = open(path).read()
    text = text.replace("KERNEL", "kernel", 1) if "KERNEL" in text else text.replace("kernel", "KERNEL", 1)
    open(path, "w").write(text)


def measure(binary, corpus, scratch, label):
    folder = os.path.join(scratch, f"{label}-{os.path.basename(corpus)}")
    shutil.copytree(corpus, folder)
    out = os.path.join(scratch, f"{label}-{os.path.basename(corpus)}.callgrind")
    subprocess.run([binary, "build", "."], cwd=folder, check=True, capture_output=True)
    shutil.move(os.path.join(folder, "docs-out"), os.path.join(folder, "docs-out-before"))
    counts = {"full": instructions(binary, "build", folder, out + ".full")}
    counts["no-op"] = instructions(binary, "build", folder, out + ".noop")
    edit(folder)
    counts["edit"] = instructions(binary, "build", folder, out + ".edit")
    counts["check"] = instructions(binary, "check", folder, out + ".check")
    return counts, out + ".full"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("templates")
    parser.add_argument("--baseline")
    parser.add_argument("--phases", type=int, default=100)
    parser.add_argument("--styles", default="prose,mixed")
    parser.add_argument("--top", type=int, default=0)
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="quizdoc-callgrind-")
    try:
        binaries = [("new", stripped(args.binary, scratch, "new"))]
        if args.baseline:
            binaries.insert(0, ("old", stripped(args.baseline, scratch, "old")))
        print("| corpus | N | binary | full | no-op | edit | check |\n|---|---:|---|---:|---:|---:|---:|")
        profiles = []
        for style in args.styles.split(","):
            corpus = os.path.join(scratch, f"{style}-{args.phases}")
            subprocess.run([os.path.join(os.path.dirname(args.binary), "quizdoc"), "corpus", "--phases", str(args.phases),
                            "--style", style, corpus], check=True, capture_output=True)
            shutil.copytree(args.templates, os.path.join(corpus, "templates"))
            results = {}
            for label, binary in binaries:
                results[label], profile = measure(binary, corpus, scratch, label)
                profiles.append(profile)
                cells = " | ".join(f"{results[label][k] / 1e6:,.0f} M" for k in ("full", "no-op", "edit", "check"))
                print(f"| {style} | {args.phases} | {label} | {cells} |", flush=True)
            if "old" in results:
                cells = " | ".join(f"{results['new'][k] / results['old'][k]:.3f}" for k in ("full", "no-op", "edit", "check"))
                print(f"| {style} | {args.phases} | new / old | {cells} |", flush=True)
        if args.top:
            report = subprocess.run(["callgrind_annotate", profiles[-1]], capture_output=True, text=True).stdout
            lines = report.split("file:function", 1)[-1].splitlines()[2:2 + args.top]
            demangled = subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(lines),
                                       capture_output=True, text=True).stdout if shutil.which("swift") else "\n".join(lines)
            print(demangled)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
