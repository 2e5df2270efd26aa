#!/usr/bin/env python3
"""Time and peak memory of `quizdoc build` on the worst inputs we know, each in a fresh
project: every one must end in a located error (exit 1) or a normal build, quickly and small.

Usage: hostile.py QUIZDOC_BINARY TEMPLATES_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

HEAD = "phase: 8\ntitle: {en: T, es: T}\nquestions:\n"


def question(number, text):
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return (f"  - id: q-08-{number:02d}\n    kind: free\n    title: {{en: T, es: T}}\n"
            f"    prompt: {{en: \"{body}\", es: \"{body}\"}}\n    answer: {{en: A, es: A}}\n")


def many(text, limit=1 << 20):
    out, number = HEAD, 1
    while len(out) + len(text) * 2 + 200 < limit and number < 200:
        out += question(number, text)
        number += 1
    return out


CASES = {
    "alias bomb (9 levels, 9^9 nodes)": "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)),
    "1 MiB of [": "title: " + "[" * ((1 << 20) - 10),
    "1 MiB of - - - (block nesting)": "title:\n" + "- " * ((1 << 19) - 8),
    "file over 1 MiB": HEAD + "#" * (1 << 20),
    "texts of 10k 'a@' (refused: '@' limit)": many("a@" * 4_999),
    "texts of 200 '@' in 10k": many(("a" * 48 + "@") * 200),
    "texts of 10k '![[]()'": many("![[]()" * 1_666),
    "texts of 10k '>'": many(">" * 9_990),
    "texts of 10k '_a'": many("_a" * 4_999),
    "texts of 10k '['": many("[" * 9_990),
    "tables of 99 columns": many(("|" + "a|" * 99 + "\n") + ("|" + "-|" * 99 + "\n") + ("|" + "x|" * 99 + "\n") * 15),
    "table of 101 columns (refused)": many("|" + "a|" * 101 + "\n" + "|" + "-|" * 101 + "\n"),
    "lists nested 90 deep": many("".join("  " * i + "- x\n" for i in range(90))),
}


def main(binary, templates):
    print("| case | exit | wall | peak RSS |")
    print("|---|---:|---:|---:|")
    worst_time, worst_memory = 0.0, 0
    for name, text in CASES.items():
        folder = tempfile.mkdtemp(prefix="quizdoc-hostile-")
        try:
            shutil.copytree(templates, os.path.join(folder, "templates"))
            os.makedirs(os.path.join(folder, "data/quizzes"))
            with open(os.path.join(folder, "data/quizzes/phase-08-hostile.yaml"), "w") as handle:
                handle.write(text)
            start = time.monotonic()
            result = subprocess.run(["/usr/bin/time", "-f", "%M", os.path.abspath(binary), "build"],
                                    cwd=folder, capture_output=True, text=True, timeout=120)
            wall = time.monotonic() - start
            kb = int(result.stderr.strip().splitlines()[-1])
            worst_time, worst_memory = max(worst_time, wall), max(worst_memory, kb)
            print(f"| {name} | {result.returncode} | {wall:.2f} s | {kb / 1024:.0f} MB |", flush=True)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"\nworst: {worst_time:.2f} s, {worst_memory / 1024:.0f} MB")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
