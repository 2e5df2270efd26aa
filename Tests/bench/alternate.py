#!/usr/bin/env python3
"""Two (or more) quizdoc binaries timed against each other, build for build: each on its
own copy of one course, the order swapped every round, so that what the shared machine
does meanwhile falls on all of them alike. Prints, per binary, the median, minimum and
first quartile of the wall time and the median of user + system time.

  edit   each build after one word of one quiz file changed (`--file`, alternating
         "kernel" and "KERNEL"): a steady edit, every build staging in the site the one
         before it replaced
  noop   each build with nothing changed
  full   each build from an empty docs-out/: the last one is moved aside first (into a
         folder beside the course, deleted when the rounds are done), not deleted, so that
         no build pays for the inodes a deletion just freed (BENCHMARKS.md, "full after rm -rf")

Each copy is built once before the rounds. Two copies of a course are not the same on
disk: time one binary in both first (the same binary twice) to see how far apart they are.

Usage: alternate.py [--rounds 30] [--kind edit|noop|full] [--file phase-500-topic-500.yaml]
                    BINARY COURSE BINARY COURSE ...
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--kind", choices=["edit", "noop", "full"], default="edit")
    parser.add_argument("--file", default="phase-500-topic-500.yaml")
    parser.add_argument("pairs", nargs="+")
    args = parser.parse_args()
    if len(args.pairs) % 2:
        parser.error("give binaries and courses in pairs")
    pairs = list(zip(args.pairs[0::2], args.pairs[1::2]))

    def build(binary, course):
        return subprocess.run([binary, "build", "--root", course], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def toggle(course):
        path = os.path.join(course, "data/quizzes", args.file)
        text = open(path).read()
        text = text.replace("KERNEL", "kernel", 1) if "KERNEL" in text else text.replace("kernel", "KERNEL", 1)
        open(path, "w").write(text)

    def aside(course, round):
        trash = os.path.join(os.path.dirname(os.path.abspath(course)), ".alternate-aside")
        os.makedirs(trash, exist_ok=True)
        os.rename(os.path.join(course, "docs-out"), os.path.join(trash, f"{os.path.basename(course)}-{round}"))

    for binary, course in pairs:
        build(binary, course)
    wall = {pair: [] for pair in pairs}
    cpu = {pair: [] for pair in pairs}
    for round in range(args.rounds):
        for pair in (pairs if round % 2 == 0 else pairs[::-1]):
            if args.kind == "edit":
                toggle(pair[1])
            if args.kind == "full":
                aside(pair[1], round)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            build(*pair)
            wall[pair].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[pair].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if args.kind == "full":
        for course in {course for _, course in pairs}:
            shutil.rmtree(os.path.join(os.path.dirname(os.path.abspath(course)), ".alternate-aside"), ignore_errors=True)
    for pair in pairs:
        times = sorted(wall[pair])
        print(f"{pair[0]} {pair[1]}: median {statistics.median(times) * 1000:.1f} ms, min {times[0] * 1000:.1f}, "
              f"p25 {times[len(times) // 4] * 1000:.1f}; CPU median {statistics.median(cpu[pair]) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
