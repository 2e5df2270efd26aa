#!/usr/bin/env python3
"""A learner practising on the built site, in headless Chromium driven by selenium (one
browser session for the whole file), from file:// as a CI artifact is opened:

- single and multiple questions: a correct and an incorrect check, in both languages;
- free questions: show answer, self-grade, expected words ticked with and without accents;
- the score line, reload, the other language's page, reset phase, reset all on the home page;
- an edited question (YAML changed, site rebuilt) forgets only its own result;
- localStorage refused: the page still works and says progress is not saved;
- keyboard only: Tab, arrows in a radio group, Space, Enter;
- JavaScript off: every question, choice and answer block is there;
- no console error, no request leaving the site;
- axe-core (a current copy, injected) with no violation in both languages, light and dark,
  answers closed and open, after checking.

Usage: check_practice.py QUIZDOC_BINARY PROJECT_DIR AXE_JS   (PROJECT_DIR holds data/ and
templates/; it is copied, built and edited in a temporary folder.)  Exit 1 on any problem.
"""
import os
import shutil
import subprocess
import sys
import tempfile

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checklib import chromium, dark_mode, expect, run_axe, summary  # noqa: E402


class Learner:
    def __init__(self, driver, site):
        self.driver = driver
        self.site = site

    def open(self, path):
        self.driver.get("file://" + os.path.join(self.site, path))
        # practice.js has run once the score line or the home page's bar is there.
        WebDriverWait(self.driver, 10).until(lambda d: d.execute_script(
            "return document.readyState === 'complete' && !!document.querySelector('.practice-bar')"))

    def css(self, selector, within=None):
        return (within or self.driver).find_element(By.CSS_SELECTOR, selector)

    def all(self, selector, within=None):
        return (within or self.driver).find_elements(By.CSS_SELECTOR, selector)

    def section(self, qid):
        return self.css(f"section#{qid}")

    def result(self, qid):
        return self.section(qid).get_attribute("data-result")

    def choose(self, qid, numbers):
        section = self.section(qid)
        for number in numbers:
            self.driver.execute_script("arguments[0].click()", self.css(f"input[value='{number}']", section))

    def check(self, qid):
        self.driver.execute_script("arguments[0].click()", self.css("button.check", self.section(qid)))

    def score(self):
        return self.css(".score").text

    def wait(self, condition, what):
        try:
            WebDriverWait(self.driver, 5).until(lambda d: condition())
            return True
        except TimeoutException:
            return False


def build(binary, project):
    subprocess.run([binary, "build"], cwd=project, check=True, stdout=subprocess.DEVNULL)


def main(binary, source, axe_path):
    binary = os.path.abspath(binary)
    axe_source = open(axe_path, encoding="utf-8").read()
    work = tempfile.mkdtemp(prefix="quizdoc-practice-")
    project = os.path.join(work, "project")
    shutil.copytree(os.path.join(source, "data"), os.path.join(project, "data"))
    shutil.copytree(os.path.join(source, "templates"), os.path.join(project, "templates"))
    build(binary, project)
    site = os.path.join(project, "docs-out", "site")
    driver = chromium(logs=True)
    driver.set_script_timeout(30)
    learner = Learner(driver, site)
    try:
        practise(learner, binary, project, axe_source)
        # Nothing leaves the site, and nothing went wrong in the console, on any page seen.
        for entry in driver.get_log("browser"):
            expect(entry["level"] != "SEVERE", f"console error: {entry['message']}")
        import json
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                url = message["params"]["request"]["url"]
                expect(url.startswith("file://") or url.startswith("data:"), f"a request left the site: {url}")
    finally:
        driver.quit()
        shutil.rmtree(work, ignore_errors=True)
    return summary("check_practice", "in headless Chromium")


def practise(learner, binary, project, axe_source):
    driver = learner.driver
    page_en = "quizzes/phase-26-quantization.html"
    page_es = "es/quizzes/phase-26-quantization.html"
    learner.open(page_en)
    driver.execute_script("localStorage.clear()")
    learner.open(page_en)
    expect(learner.score() == "0 of 5 correct · 0 revealed", f"fresh score: {learner.score()!r}")
    expect(len(learner.all("section#q-26-03 input[type=radio]")) == 4, "a single question gets radio buttons")
    expect(len(learner.all("section#q-26-02 input[type=checkbox]")) == 4, "a multiple question gets checkboxes")
    expect(learner.css("section#q-26-02 legend").text == "Choose all that apply.", "the choices' legend says how to answer")
    expect(not learner.all("section#q-26-02 .is-correct"), "nothing gives the key away before checking")
    run_axe(learner.driver, axe_source, "English phase page, light, answers closed")

    # Single: incorrect, then correct.
    learner.choose("q-26-03", [1])
    learner.check("q-26-03")
    status = learner.css("section#q-26-03 .result")
    expect(learner.result("q-26-03") == "incorrect", "single: a wrong choice is incorrect")
    expect("Not quite" in status.text, f"single: the status says so: {status.text!r}")
    expect(driver.switch_to.active_element == status, "focus moves to the result")
    expect(learner.css("section#q-26-03 li.is-correct").text.startswith("≈ 10%"), "the correct choice is marked")
    expect("not correct" in learner.css("section#q-26-03 li.is-wrong").text, "the wrong choice is marked in words")
    expect(learner.css("section#q-26-03 details").get_attribute("open") is not None, "checking opens the answer")
    learner.choose("q-26-03", [2])
    learner.check("q-26-03")
    expect(learner.result("q-26-03") == "correct", "single: the key is correct")
    # Multiple: partial, then exact.
    learner.choose("q-26-02", [2])
    learner.check("q-26-02")
    expect(learner.result("q-26-02") == "incorrect", "multiple: part of the key is incorrect")
    expect(len(learner.all("section#q-26-02 li.is-correct")) == 2, "multiple: every correct choice is marked")
    learner.choose("q-26-02", [4])
    learner.check("q-26-02")
    expect(learner.result("q-26-02") == "correct", "multiple: the whole key is correct")
    expect(learner.score() == "2 of 5 correct · 0 revealed", f"score after two checks: {learner.score()!r}")
    run_axe(learner.driver, axe_source, "English phase page, light, after checking")

    # Opening an answer before checking counts as revealed.
    driver.execute_script("arguments[0].click()", learner.css("section#q-26-04 summary"))
    expect(learner.result("q-26-04") == "revealed", "opening the answer first is revealed")
    learner.choose("q-26-04", [2])
    learner.check("q-26-04")
    expect(learner.result("q-26-04") == "revealed", "a check after revealing stays revealed")

    # Free: expected words ticked as the learner types, show answer, self-grade.
    box = learner.css("section#q-26-01 textarea")
    box.send_keys("It raises the arithmetic INTENSITY of a memory-bound kernel")
    found = [k.get_attribute("data-keyword") for k in learner.all("section#q-26-01 .keyword.found")]
    expect(found == ["intensity", "memory-bound"], f"expected words ticked: {found}")
    expect(learner.css("section#q-26-01 .keyword-count").text == "Expected words found: 2 of 3.", "the count of words found")
    driver.execute_script("arguments[0].click()", learner.css("section#q-26-01 button.show"))
    expect(learner.result("q-26-01") == "revealed", "show answer alone is revealed")
    driver.execute_script("arguments[0].click()", learner.css("section#q-26-01 button.got-it"))
    expect(learner.result("q-26-01") == "correct", "I got it is correct")
    expect(learner.score() == "3 of 5 correct · 1 revealed", f"score: {learner.score()!r}")
    run_axe(learner.driver, axe_source, "English phase page, light, answers open")

    # Dark mode, same page.
    dark_mode(driver, True)
    run_axe(learner.driver, axe_source, "English phase page, dark, after checking")
    dark_mode(driver, False)

    # Reload keeps progress; the Spanish page shows it too.
    learner.open(page_en)
    expect(learner.score() == "3 of 5 correct · 1 revealed", f"score after reload: {learner.score()!r}")
    expect(learner.result("q-26-02") == "correct", "a result survives a reload")
    learner.open(page_es)
    expect(learner.score() == "3 de 5 correctas · 1 vistas", f"Spanish score: {learner.score()!r}")
    expect(learner.result("q-26-03") == "correct", "progress shows on the other language's page")
    # Spanish: accents folded in the expected words; a correct and an incorrect check.
    box = learner.css("section#q-26-05 textarea")
    box.send_keys("limitadas por computo en el PREFILL")
    found = [k.get_attribute("data-keyword") for k in learner.all("section#q-26-05 .keyword.found")]
    expect(found == ["limitadas por cómputo", "prefill"], f"Spanish words ticked without accents: {found}")
    learner.choose("q-26-04", [1])
    learner.check("q-26-04")
    expect("No del todo" in learner.css("section#q-26-04 .result").text, "Spanish incorrect message")
    run_axe(learner.driver, axe_source, "Spanish phase page, light, after checking")
    dark_mode(driver, True)
    run_axe(learner.driver, axe_source, "Spanish phase page, dark")
    dark_mode(driver, False)

    # The home page shows each phase's progress.
    learner.open("index.html")
    progress = learner.css("li[data-phase='phase-26-quantization'] .progress").text
    expect(progress == "3 of 5 correct · 1 revealed", f"home progress: {progress!r}")
    expect(learner.css("li[data-phase='phase-27-kv-cache'] .progress").text == "", "an untouched phase shows nothing")
    run_axe(learner.driver, axe_source, "English home page")

    # Edit one question's prompt and rebuild: only that question forgets its result.
    path = os.path.join(project, "data/quizzes/phase-26-quantization.yaml")
    text = open(path, encoding="utf-8").read()
    edited = text.replace("GPTQ's quantization step differs", "GPTQ's quantization step really differs")
    expect(edited != text, "the edit applies")
    open(path, "w", encoding="utf-8").write(edited)
    build(binary, project)
    learner.open(page_en)
    expect(learner.result("q-26-04") is None, "the edited question forgot its result")
    expect(learner.result("q-26-02") == "correct" and learner.result("q-26-03") == "correct", "the others kept theirs")
    expect(learner.score() == "3 of 5 correct · 0 revealed", f"score after the edit: {learner.score()!r}")

    # Reset this phase, then reset all.
    driver.execute_script("arguments[0].click()", learner.css(".practice-bar button.reset"))
    expect(learner.score() == "0 of 5 correct · 0 revealed", "reset phase empties the score")
    expect(not learner.all("section[data-result]"), "reset phase clears every result")
    learner.open(page_en)
    expect(learner.score() == "0 of 5 correct · 0 revealed", "the reset was saved")
    learner.choose("q-26-03", [2])
    learner.check("q-26-03")
    learner.open("quizzes/phase-27-kv-cache.html")
    learner.choose("q-27-02", [1])
    learner.check("q-27-02")
    learner.open("index.html")
    driver.execute_script("arguments[0].click()", learner.css(".practice-bar button.reset"))
    expect(all(p.text == "" for p in learner.all(".progress")), "reset all clears every phase's progress")
    learner.open(page_en)
    expect(learner.score() == "0 of 5 correct · 0 revealed", "reset all reached the phase page")

    # Keyboard only: Tab into the radio group, arrows, Space, Tab to Check, Enter.
    learner.open(page_en)
    first = learner.css("section#q-26-03 input[value='1']")
    driver.execute_script("arguments[0].focus()", first)
    first.send_keys(Keys.SPACE)
    driver.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
    focused = driver.switch_to.active_element
    expect(focused.get_attribute("value") == "2" and focused.is_selected(), "arrow keys move through the radio group")
    focused.send_keys(Keys.TAB)
    expect(driver.switch_to.active_element.get_attribute("class") == "check", "Tab reaches Check")
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    expect(learner.result("q-26-03") == "correct", "Enter checks")
    summary = learner.css("section#q-26-02 summary")
    driver.execute_script("arguments[0].focus()", summary)
    summary.send_keys(Keys.ENTER)
    expect(learner.css("section#q-26-02 details").get_attribute("open") is not None, "Enter on the summary opens the answer")

    # Storage refused (private mode, a policy): the page works and says progress is not saved.
    script = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source":
        "Object.defineProperty(window, 'localStorage', {get() { throw new DOMException('denied', 'SecurityError'); }});"})
    learner.open(page_en)
    expect(learner.css(".unsaved").is_displayed(), "a note says progress is not saved")
    learner.choose("q-26-03", [2])
    learner.check("q-26-03")
    expect(learner.result("q-26-03") == "correct", "checking works without storage")
    driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})
    # Garbage in storage is ignored.
    learner.open(page_en)
    driver.execute_script("localStorage.setItem('quizdoc.progress.v1', '{broken')")
    learner.open(page_en)
    expect(learner.score() == "0 of 5 correct · 0 revealed", "garbage in storage is ignored")
    expect(not learner.css(".unsaved").is_displayed(), "with working storage there is no note")

    # JavaScript off: every question, choice and answer block is there.
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    driver.get("file://" + os.path.join(learner.site, page_en))
    expect(len(learner.all("section.question")) == 5, "without JS: every question")
    expect(len(learner.all("ol.choices li")) == 12, "without JS: every choice")
    expect(len(learner.all("details.answer")) == 5, "without JS: every answer block")
    expect(not learner.all("main input, .practice-bar"), "without JS: no self-check controls")
    expect(not learner.css("form.search").is_displayed(), "without JS: no search box, which needs the script")
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
