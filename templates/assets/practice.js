// quizdoc practice: self-check and progress on phase pages, progress on home pages.
// Progressive enhancement: without this file every question, choice and answer is there.
// The pure logic (scoring, keyword matching, the progress store) is exported for
// `node --test` (Tests/js/); the page part runs only in a browser.
(function () {
  "use strict";

  var STORAGE_KEY = "quizdoc.progress.v1";

  // ---- Pure logic -------------------------------------------------------------------

  /** Case- and accent-insensitive form of a text, for matching what a learner typed. */
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/\s+/g, " ").trim();
  }

  /** "correct" when the chosen numbers are exactly the key, "incorrect" otherwise;
   *  "none" when nothing was chosen. */
  function evaluate(chosen, key) {
    if (!chosen.length) return "none";
    var a = chosen.slice().sort(function (x, y) { return x - y; });
    var b = key.slice().sort(function (x, y) { return x - y; });
    if (a.length !== b.length) return "incorrect";
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return "incorrect";
    return "correct";
  }

  /** For each expected word, whether the answer contains it (folded). */
  function keywordsFound(answer, keywords) {
    var text = fold(answer);
    return keywords.map(function (word) { return fold(word) !== "" && text.indexOf(fold(word)) !== -1; });
  }

  /** Counts of saved results among `keys` (`id@fingerprint`): a result saved for an older
   *  version of a question (another fingerprint) does not count. */
  function score(keys, entries) {
    var counts = { correct: 0, incorrect: 0, revealed: 0, total: keys.length };
    keys.forEach(function (key) {
      var entry = entries[key];
      if (entry && counts.hasOwnProperty(entry.r) && entry.r !== "total") counts[entry.r]++;
    });
    return counts;
  }

  /** A UI string with each {name} filled in. */
  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (all, name) {
      return values.hasOwnProperty(name) ? String(values[name]) : all;
    });
  }

  var RESULTS = { correct: true, incorrect: true, revealed: true };

  /** The saved results, from a Storage (or null when there is none). Garbage, a full or a
   *  refused storage never throw: the store then lives in memory and says it is not saved. */
  function openStore(storage) {
    var entries = {};
    var saved = !!storage;
    if (storage) {
      try {
        var parsed = JSON.parse(storage.getItem(STORAGE_KEY) || "{}");
        if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
          Object.keys(parsed).forEach(function (key) {
            var entry = parsed[key];
            if (entry && RESULTS[entry.r] && typeof entry.p === "string") entries[key] = { r: entry.r, p: entry.p };
          });
        }
      } catch (error) {
        entries = {};
      }
    }
    function write() {
      if (!storage) return;
      try {
        storage.setItem(STORAGE_KEY, JSON.stringify(entries));
        store.saved = true;
      } catch (error) {
        store.saved = false;
      }
    }
    var store = {
      entries: entries,
      saved: saved,
      get: function (key) { return entries[key] ? entries[key].r : null; },
      set: function (key, result, phase) { entries[key] = { r: result, p: phase }; write(); },
      /** Removes the entries for which `test(key, entry)` holds. */
      removeWhere: function (test) {
        var changed = false;
        Object.keys(entries).forEach(function (key) {
          if (test(key, entries[key])) { delete entries[key]; changed = true; }
        });
        if (changed) write();
      }
    };
    return store;
  }

  var Practice = { fold: fold, evaluate: evaluate, keywordsFound: keywordsFound, score: score, fill: fill,
                   openStore: openStore, STORAGE_KEY: STORAGE_KEY };
  if (typeof module === "object" && module.exports) module.exports = Practice;
  if (typeof document === "undefined") return;

  // ---- The page -------------------------------------------------------------------

  function browserStorage() {
    try {
      var storage = window.localStorage;
      storage.setItem(STORAGE_KEY + ".probe", "1");
      storage.removeItem(STORAGE_KEY + ".probe");
      return storage;
    } catch (error) {
      return null;
    }
  }

  function element(name, className, text) {
    var node = document.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(text, className) {
    var node = element("button", className, text);
    node.type = "button";
    return node;
  }

  function progressKey(section) {
    return section.id + "@" + section.getAttribute("data-fingerprint");
  }

  function setUpPhase(article) {
    var text = function (name) { return article.getAttribute("data-text-" + name) || ""; };
    var phase = article.getAttribute("data-phase");
    var store = openStore(browserStorage());
    var sections = Array.prototype.slice.call(article.querySelectorAll("section.question"));
    var keys = sections.map(progressKey);
    // A question edited since (another fingerprint) forgets its result; the others keep theirs.
    store.removeWhere(function (key, entry) { return entry.p === phase && keys.indexOf(key) === -1; });

    var bar = element("div", "practice-bar");
    var scoreLine = element("p", "score");
    scoreLine.setAttribute("aria-live", "polite");
    var reset = button(text("reset-phase"), "reset");
    var unsaved = element("p", "unsaved", text("unsaved"));
    unsaved.hidden = store.saved;
    bar.appendChild(scoreLine);
    bar.appendChild(reset);
    bar.appendChild(unsaved);
    var header = article.querySelector(".phase-header");
    header.parentNode.insertBefore(bar, header.nextSibling);

    function updateScore() {
      scoreLine.textContent = fill(text("score"), score(keys, store.entries));
      unsaved.hidden = store.saved;
    }

    var controls = sections.map(function (section) { return enhance(section, text, store, phase, updateScore); });
    reset.addEventListener("click", function () {
      store.removeWhere(function (key, entry) { return entry.p === phase; });
      controls.forEach(function (control) { control.reset(); });
      updateScore();
    });
    updateScore();
  }

  /** Turns one question into something to answer; returns its reset. */
  function enhance(section, text, store, phase, updateScore) {
    var kind = section.getAttribute("data-kind");
    var key = (section.getAttribute("data-key") || "").split(",").filter(Boolean).map(Number);
    var storageKey = progressKey(section);
    var details = section.querySelector("details.answer");
    var status = section.querySelector(".result");
    var how = section.querySelector(".how");
    status.tabIndex = -1;
    var opening = false; // the script opens the answer itself: not a reveal
    var inputs = [];
    var grade = null;
    var answerBox = null;
    var keywordCount = null;

    function record(result, message) {
      store.set(storageKey, result, phase);
      section.setAttribute("data-result", result);
      status.textContent = message;
      updateScore();
    }
    function open() {
      opening = true;
      details.open = true;
      opening = false;
    }

    if (kind === "single" || kind === "multiple") {
      var list = section.querySelector("ol.choices");
      var fieldset = element("fieldset", "choice-set");
      var legend = element("legend", "how", how.textContent);
      fieldset.appendChild(legend);
      how.parentNode.replaceChild(fieldset, how);
      fieldset.appendChild(list);
      Array.prototype.forEach.call(list.children, function (item, index) {
        var input = document.createElement("input");
        input.type = kind === "single" ? "radio" : "checkbox";
        input.name = section.id;
        input.value = String(index + 1);
        input.id = section.id + "-choice-" + (index + 1);
        var label = document.createElement("label");
        label.htmlFor = input.id;
        while (item.firstChild) label.appendChild(item.firstChild);
        item.appendChild(input);
        item.appendChild(label);
        inputs.push(input);
      });
      var check = button(text("check"), "check");
      fieldset.parentNode.insertBefore(check, fieldset.nextSibling);
      check.addEventListener("click", function () {
        var chosen = inputs.filter(function (input) { return input.checked; }).map(function (input) { return Number(input.value); });
        var outcome = evaluate(chosen, key);
        if (outcome === "none") {
          status.textContent = text("choose-first");
          status.focus();
          return;
        }
        mark(chosen);
        open();
        var previous = store.get(storageKey);
        // Opening the answer before checking counts as revealed, whatever comes after.
        record(previous === "revealed" ? "revealed" : outcome, text(outcome));
        status.focus();
      });
    } else {
      var label = element("label", "answer-label", text("your-answer"));
      answerBox = document.createElement("textarea");
      answerBox.id = section.id + "-answer";
      answerBox.rows = 3;
      label.htmlFor = answerBox.id;
      var keywords = Array.prototype.slice.call(section.querySelectorAll(".keyword"));
      var show = button(text("show-answer"), "show");
      var box = element("div", "free-answer");
      box.appendChild(label);
      box.appendChild(answerBox);
      if (keywords.length) {
        keywordCount = element("p", "keyword-count");
        box.appendChild(keywordCount);
      }
      box.appendChild(show);
      how.parentNode.insertBefore(box, how.nextSibling);
      grade = element("div", "self-grade");
      var gotIt = button(text("got-it"), "got-it");
      var missedIt = button(text("missed-it"), "missed-it");
      grade.appendChild(gotIt);
      grade.appendChild(missedIt);
      grade.hidden = true;
      details.parentNode.insertBefore(grade, details.nextSibling);
      var tick = function () {
        var found = keywordsFound(answerBox.value, keywords.map(function (k) { return k.getAttribute("data-keyword"); }));
        keywords.forEach(function (keyword, index) { keyword.classList.toggle("found", found[index]); });
        if (keywordCount) {
          keywordCount.textContent = fill(text("keywords-found"), {
            found: found.filter(Boolean).length, total: keywords.length });
        }
      };
      answerBox.addEventListener("input", tick);
      tick();
      show.addEventListener("click", function () {
        open();
        grade.hidden = false;
        if (!store.get(storageKey)) record("revealed", text("revealed"));
        gotIt.focus();
      });
      gotIt.addEventListener("click", function () { record("correct", text("self-correct")); status.focus(); });
      missedIt.addEventListener("click", function () { record("incorrect", text("self-incorrect")); status.focus(); });
    }

    details.addEventListener("toggle", function () {
      if (!details.open || opening) return;
      if (grade) grade.hidden = false;
      if (!store.get(storageKey)) record("revealed", text("revealed"));
    });

    /** Marks every correct choice, and the wrong ones chosen, in words as well as colour. */
    function mark(chosen) {
      inputs.forEach(function (input, index) {
        var item = input.parentNode;
        var old = item.querySelector(".verdict");
        if (old) old.remove();
        item.classList.remove("is-correct", "is-wrong");
        var number = index + 1;
        var verdict = null;
        if (key.indexOf(number) !== -1) {
          item.classList.add("is-correct");
          verdict = "✓ " + text("correct-choice");
        } else if (chosen.indexOf(number) !== -1) {
          item.classList.add("is-wrong");
          verdict = "✗ " + text("wrong-choice");
        }
        if (verdict) item.appendChild(element("span", "verdict", " " + verdict));
      });
    }

    var saved = store.get(storageKey);
    if (saved) {
      section.setAttribute("data-result", saved);
      status.textContent = text(saved === "revealed" ? "revealed" : kind === "free" ? "self-" + saved : saved);
    }

    return {
      reset: function () {
        section.removeAttribute("data-result");
        status.textContent = "";
        inputs.forEach(function (input) {
          input.checked = false;
          var item = input.parentNode;
          item.classList.remove("is-correct", "is-wrong");
          var verdict = item.querySelector(".verdict");
          if (verdict) verdict.remove();
        });
        if (answerBox) {
          answerBox.value = "";
          answerBox.dispatchEvent(new Event("input"));
        }
        if (grade) grade.hidden = true;
        opening = true;
        details.open = false;
        opening = false;
      }
    };
  }

  /** The home page: each phase's progress, and a reset of all. */
  function setUpHome(list) {
    var text = function (name) { return list.getAttribute("data-text-" + name) || ""; };
    var store = openStore(browserStorage());
    var lines = [];
    Array.prototype.forEach.call(list.querySelectorAll("li[data-progress-keys]"), function (item) {
      var keys = item.getAttribute("data-progress-keys").split(" ").filter(Boolean);
      var line = element("span", "progress");
      item.appendChild(line);
      lines.push({ keys: keys, line: line });
    });
    var bar = element("div", "practice-bar");
    var reset = button(text("reset-all"), "reset");
    var unsaved = element("p", "unsaved", text("unsaved"));
    bar.appendChild(reset);
    bar.appendChild(unsaved);
    list.parentNode.insertBefore(bar, list);
    function update() {
      var any = false;
      lines.forEach(function (entry) {
        var counts = score(entry.keys, store.entries);
        var started = counts.correct + counts.incorrect + counts.revealed > 0;
        entry.line.textContent = started ? fill(text("score"), counts) : "";
        any = any || started;
      });
      reset.hidden = !any;
      unsaved.hidden = store.saved;
    }
    reset.addEventListener("click", function () {
      store.removeWhere(function () { return true; });
      update();
    });
    update();
  }

  /** ¶ copies the question's link as well as going to it. */
  function setUpPermalinks() {
    Array.prototype.forEach.call(document.querySelectorAll("a.permalink"), function (link) {
      link.addEventListener("click", function () {
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(link.href).catch(function () {});
        }
      });
    });
  }

  function start() {
    var article = document.querySelector("article.phase[data-phase]");
    if (article) setUpPhase(article);
    var home = document.querySelector("ol.phases[data-text-score]");
    if (home) setUpHome(home);
    setUpPermalinks();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
