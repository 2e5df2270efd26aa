#!/usr/bin/env python3
"""The quiz files' JSON Schema gives the same verdict as quizdoc on fixtures of every rule
a schema can express (Tests/schema/good/*.yaml must pass both, bad/*.yaml fail both), and
the shipped data validates. What a schema cannot say (unique ids across files, ids and
phase numbers matching the file name, keys within the number of choices, the content
policy) is listed in Sources/QuizDocKit/Load/QuizSchema.swift and left to quizdoc.

Usage: check_schema.py QUIZDOC_BINARY   (exit 1 on any disagreement)
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCHEMA = os.path.join(ROOT, "schema/quiz-v1.schema.json")


def schema_accepts(path):
    return subprocess.run(["check-jsonschema", "--schemafile", SCHEMA, path], capture_output=True).returncode == 0


def quizdoc_accepts(binary, path):
    project = tempfile.mkdtemp(prefix="quizdoc-schema-")
    try:
        shutil.copytree(os.path.join(ROOT, "templates"), os.path.join(project, "templates"))
        os.makedirs(os.path.join(project, "data/quizzes"))
        shutil.copy(path, os.path.join(project, "data/quizzes/phase-07-fixture.yaml"))
        return subprocess.run([binary, "lint", "--root", project], capture_output=True).returncode == 0
    finally:
        shutil.rmtree(project, ignore_errors=True)


def main(binary):
    problems = []
    checks = 0
    for verdict in ("good", "bad"):
        for path in sorted(glob.glob(os.path.join(HERE, verdict, "*.yaml"))):
            expected = verdict == "good"
            for who, accepts in (("the schema", schema_accepts(path)), ("quizdoc", quizdoc_accepts(binary, path))):
                checks += 1
                if accepts != expected:
                    problems.append(f"{verdict}/{os.path.basename(path)}: {who} {'accepts' if accepts else 'refuses'} it")
    for path in sorted(glob.glob(os.path.join(ROOT, "data/quizzes/phase-*.yaml"))):
        checks += 1
        if not schema_accepts(path):
            problems.append(f"the schema refuses the shipped {os.path.basename(path)}")
    for problem in problems:
        print(problem)
    print(f"check_schema: {checks} verdicts, {len(problems)} disagreements")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(os.path.abspath(sys.argv[1])))
