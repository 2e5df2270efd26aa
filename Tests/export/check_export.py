#!/usr/bin/env python3
"""The exports of the shipped course, read by the formats' own clients:

- QTI 2.1: every item of every package validates against the IMS QTI 2.1 XSD, every
  manifest against the IMS CP 1.1 XSD (lxml, offline: Tests/export/qti-2.1/), and the
  manifest lists every item file of its package, and nothing else;
- Anki: each .apkg imports into a fresh collection with Anki's own library (PyPI `anki`,
  the code the desktop app runs): as many notes and cards as questions, fields read back,
  the phase as a tag; then an edited course, exported later, imports again as updates of
  the same notes, not as copies; without SOURCE_DATE_EPOCH, a note's time is its phase
  file's last commit time, or its modification time once it has uncommitted changes;
- GIFT: each file parses with pygiftparserrgmf (PyPI) into the right question types and
  choice counts. That parser does not implement the `####` general feedback of an essay
  (Moodle's own exporter writes it), nor escapes inside feedback, nor weights with decimals
  (`%33.33333%`, which Moodle reads), so feedback is removed before it reads a file and the
  weights are read from its options' raw text; the feedback's escaping is checked against
  Moodle's rules in ExportTests.swift;
- Moodle XML: well-formed (lxml), a category then one question per quiz question;
- print: with Chromium there, the PDFs (pdftotext): every question on the handout, each
  answer only in the key, no question of phase 26 split across two pages, a sensible page count.

Usage: check_export.py QUIZDOC_BINARY PROJECT_DIR QTI_XSD_DIR   (exit 1 on any problem)
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from checklib import expect, summary  # noqa: E402


def export(binary, project, *arguments, epoch="1700000000"):
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}
    result = subprocess.run([binary, "export", *arguments], cwd=project, env=env, capture_output=True, text=True)
    expect(result.returncode == 0, f"export {' '.join(arguments)}: {result.stderr[-500:]}")


def count_questions(project):
    """Per phase (file base name): its questions' kinds, in order, read from the YAML."""
    counts = {}
    for path in sorted(glob.glob(os.path.join(project, "data/quizzes/*.yaml"))):
        text = open(path, encoding="utf-8").read()
        kinds = re.findall(r"^\s*kind:\s*(\w+)", text, re.M)
        counts[os.path.basename(path)[:-5]] = kinds
    return counts


def check_qti(out, xsd_dir, kinds):
    from lxml import etree
    item_schema = etree.XMLSchema(etree.parse(os.path.join(xsd_dir, "qtiv2p1/imsqti_v2p1.xsd")))
    package_schema = etree.XMLSchema(etree.parse(os.path.join(xsd_dir, "imscp_v1p1.xsd")))
    packages = sorted(glob.glob(os.path.join(out, "qti/*.zip")))
    expect(len(packages) == 2 * len(kinds), f"QTI: a package per phase and language ({len(packages)})")
    for package in packages:
        with zipfile.ZipFile(package) as archive:
            names = archive.namelist()
            manifest = etree.fromstring(archive.read("imsmanifest.xml"))
            expect(package_schema.validate(manifest), f"QTI {os.path.basename(package)}: imsmanifest.xml: {package_schema.error_log}")
            ns = {"cp": "http://www.imsglobal.org/xsd/imscp_v1p1"}
            listed = sorted(manifest.xpath("//cp:resource/cp:file/@href", namespaces=ns))
            items = sorted(name for name in names if name != "imsmanifest.xml")
            expect(listed == items, f"QTI {os.path.basename(package)}: the manifest lists every item file: {listed} vs {items}")
            base = os.path.basename(package).rsplit(".", 2)[0]
            expect(len(items) == len(kinds[base]), f"QTI {os.path.basename(package)}: one item per question")
            for name in items:
                item = etree.fromstring(archive.read(name))
                expect(item_schema.validate(item), f"QTI {os.path.basename(package)}: {name}: {item_schema.error_log}")
                language = os.path.basename(package).rsplit(".", 2)[1]
                expect(item.get("{http://www.w3.org/XML/1998/namespace}lang") == language, f"QTI {name}: xml:lang {language}")


def import_deck(collection, package):
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest
    request = ImportAnkiPackageRequest(package_path=package, options=ImportAnkiPackageOptions(with_scheduling=False))
    return collection.import_anki_package(request).log


def check_anki(binary, project, out, kinds):
    from anki.collection import Collection
    total = sum(len(k) for k in kinds.values())
    work = tempfile.mkdtemp(prefix="quizdoc-anki-check-")
    try:
        for language in ("en", "es"):
            collection = Collection(os.path.join(work, f"{language}.anki2"))
            log = import_deck(collection, os.path.join(out, f"anki/quizzes.{language}.apkg"))
            expect(len(log.new) == total and collection.note_count() == total and collection.card_count() == total,
                   f"Anki {language}: {total} new notes and cards ({len(log.new)}, {collection.note_count()}, {collection.card_count()})")
            note = collection.get_note(collection.find_notes("Id:q-26-02")[0])
            expect(note.guid == f"q-26-02/{language}", f"Anki {language}: the GUID is the question id ({note.guid})")
            expect(note.tags == ["phase-26-quantization"], f"Anki {language}: the phase is a tag ({note.tags})")
            expect("<ol>" in note["Front"] and note["Back"].startswith("<p><strong>"), f"Anki {language}: front has the choices, back the lead-in")
            collection.close()

        # Edit one question, export later: the import updates, it does not add.
        edited = os.path.join(work, "edited")
        shutil.copytree(project, edited, ignore=shutil.ignore_patterns("docs-out", ".build", ".git"))
        path = os.path.join(edited, "data/quizzes/phase-26-quantization.yaml")
        text = open(path, encoding="utf-8").read()
        open(path, "w", encoding="utf-8").write(text.replace("Per-tensor (one scalar for the whole W)", "Per-tensor (a single scalar for all of W)", 1))
        export(binary, edited, "anki", "--lang", "en", epoch="1800000000")
        collection = Collection(os.path.join(work, "en.anki2"))
        log = import_deck(collection, os.path.join(edited, "docs-out/export/anki/quizzes.en.apkg"))
        expect(not log.new and collection.note_count() == total, f"Anki: a re-import adds nothing ({len(log.new)} new, {collection.note_count()} notes)")
        expect(len(log.updated) >= 1, f"Anki: the edited note is updated ({len(log.updated)} updated)")
        note = collection.get_note(collection.find_notes("Id:q-26-02")[0])
        expect("a single scalar for all of W" in note["Front"], "Anki: the update carries the edit")
        collection.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def note_times(package):
    """Each note's GUID and modification time, read from the package's SQLite collection."""
    import sqlite3
    work = tempfile.mkdtemp(prefix="quizdoc-apkg-")
    try:
        with zipfile.ZipFile(package) as archive:
            archive.extract("collection.anki2", work)
        connection = sqlite3.connect(os.path.join(work, "collection.anki2"))
        times = dict(connection.execute("SELECT guid, mod FROM notes"))
        connection.close()
        return times
    finally:
        shutil.rmtree(work, ignore_errors=True)


def check_source_time(binary, project):
    """Without SOURCE_DATE_EPOCH, a note's time is its phase file's last commit time, or its
    modification time once it has uncommitted changes."""
    if not shutil.which("git"):
        print("check_export: no git here; the notes' commit times are not checked")
        return
    work = tempfile.mkdtemp(prefix="quizdoc-git-")
    try:
        for folder in ("data", "templates"):
            shutil.copytree(os.path.join(project, folder), os.path.join(work, folder))
        env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
        git = {**env, "GIT_COMMITTER_DATE": "2001-01-01T00:00:00Z", "GIT_AUTHOR_DATE": "2001-01-01T00:00:00Z",
               "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "a", "GIT_COMMITTER_EMAIL": "a@example.org"}
        for command in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "course"]):
            subprocess.run(command, cwd=work, env=git, check=True)
        path = os.path.join(work, "data/quizzes/phase-27-kv-cache.yaml")
        with open(path, "a", encoding="utf-8") as edit:
            edit.write("\n")
        os.utime(path, (1_900_000_000, 1_900_000_000))
        subprocess.run([binary, "export", "anki", "--lang", "en"], cwd=work, env=env, check=True, capture_output=True)
        times = note_times(os.path.join(work, "docs-out/export/anki/quizzes.en.apkg"))
        expect(times.get("q-26-01/en") == 978307200, f"Anki: a committed phase's notes carry its commit time ({times.get('q-26-01/en')})")
        expect(times.get("q-27-01/en") == 1_900_000_000, f"Anki: an edited phase's notes carry its file's time ({times.get('q-27-01/en')})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def check_gift(out, kinds):
    from pygiftparser import parser
    expected_types = {"free": "Essay", "single": "MultipleChoiceRadio", "multiple": "MultipleChoiceCheckbox"}
    files = sorted(glob.glob(os.path.join(out, "gift/*.txt")))
    expect(len(files) == len(kinds), f"GIFT: one bilingual file per phase ({len(files)})")
    for path in files:
        text = re.sub(r"####(?:\\.|[^\\}\n])*", "", open(path, encoding="utf-8").read())
        try:
            result = parser.parse(text)
        except Exception as error:  # the parser raises a bare Exception
            expect(False, f"GIFT {os.path.basename(path)}: {error}")
            continue
        base = os.path.basename(path)[:-4]
        types = [type(q.answer).__name__ for q in result.questions]
        expect(types == [expected_types[k] for k in kinds[base]], f"GIFT {base}: types {types}")
        for question in result.questions:
            options = getattr(question.answer, "options", [])
            if type(question.answer).__name__ == "MultipleChoiceCheckbox":
                # The parser reads whole percentages only (Moodle also reads 33.33333): the
                # weights are read from each option's raw text.
                weights = [float(re.match(r"^~%(-?[0-9.]+)%", o.raw_text.strip()).group(1)) for o in options]
                expect(abs(sum(w for w in weights if w > 0) - 100) < 1e-3 and abs(sum(weights)) < 1e-3,
                       f"GIFT {base}: weights sum to 100 and ticking all scores 0: {weights}")


def check_moodle(out, kinds):
    from lxml import etree
    for path in sorted(glob.glob(os.path.join(out, "moodle/*.xml"))):
        document = etree.parse(path)
        types = document.xpath("/quiz/question/@type")
        base = os.path.basename(path)[:-4]
        expected = ["category"] + ["essay" if k == "free" else "multichoice" for k in kinds[base]]
        expect(types == expected, f"Moodle {base}: {types}")


def check_print(out, project):
    if not (shutil.which("chromium") and shutil.which("pdftotext")):
        print("check_export: no Chromium or pdftotext here; the PDFs are not checked")
        return
    handout = os.path.join(out, "print/phase-26-quantization.en.pdf")
    key = os.path.join(out, "print/phase-26-quantization-key.en.pdf")
    expect(os.path.isfile(handout) and os.path.isfile(key), "print: --pdf writes the handout and key PDFs")
    if not os.path.isfile(handout):
        return
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", handout], capture_output=True, text=True).stdout).group(1))
    expect(1 <= pages <= 6, f"print: the handout of 5 questions takes a sensible number of pages ({pages})")
    text = subprocess.run(["pdftotext", "-layout", handout, "-"], capture_output=True, text=True).stdout
    key_text = subprocess.run(["pdftotext", "-layout", key, "-"], capture_output=True, text=True).stdout
    for number in range(1, 6):
        expect(f"q-26-0{number}" in text and f"q-26-0{number}" in key_text, f"print: q-26-0{number} in the handout and the key")
    for answer in ["LLM.int8() addresses", "reduces disk size only"]:
        expect(answer not in text.replace("\n", " ") and answer in re.sub(r"\s+", " ", key_text), f"print: '{answer}' only in the key")
    # No question split across pages: its id and its last words on the same page.
    from lxml import html as lxml_html
    page_html = lxml_html.parse(os.path.join(out, "print/phase-26-quantization.en.html"))
    per_page = [re.sub(r"\s+", " ", page) for page in text.split("\f")]
    for section in page_html.xpath("//section[@class='question']"):
        qid = section.get("id")
        last = re.sub(r"\s+", " ", section.xpath("(.//li | .//p)[last()]")[0].text_content()).strip()[-24:]
        found = [index for index, page in enumerate(per_page) if qid in page]
        expect(len(found) == 1, f"print: {qid} is on one page ({found})")
        if len(found) == 1:
            expect(last in per_page[found[0]].split(qid, 1)[1], f"print: {qid} ends on the page it starts on ('{last}')")


def main(binary, project, xsd_dir):
    binary = os.path.abspath(binary)
    work = tempfile.mkdtemp(prefix="quizdoc-export-check-")
    try:
        copy = os.path.join(work, "project")
        shutil.copytree(project, copy, ignore=shutil.ignore_patterns("docs-out", ".build", ".git", "Tests", "Sources"))
        pdf = ["--pdf"] if shutil.which("chromium") else []
        export(binary, copy, "all", *pdf)
        out = os.path.join(copy, "docs-out/export")
        kinds = count_questions(copy)
        check_qti(out, xsd_dir, kinds)
        check_anki(binary, copy, out, kinds)
        check_source_time(binary, copy)
        check_gift(out, kinds)
        check_moodle(out, kinds)
        check_print(out, copy)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return summary("check_export", "with Anki's library, the QTI XSDs, a GIFT parser and pdftotext")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:4]))
