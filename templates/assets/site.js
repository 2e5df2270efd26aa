// quizdoc: finding your way (search, question list, phase menu, language switch) and
// printing. Every page works without this file.
(function () {
  "use strict";

  // ---- Search terms: exactly what SearchTerms.swift does to the indexed texts. ----

  // Letters and digits (Unicode L and N), lowercased, accents dropped; in Spanish ñ stays.
  function words(text, language) {
    var found = [];
    var keepsEne = language === "es";
    var folded = String(text).toLowerCase().normalize("NFD");
    var word = "";
    for (var i = 0; i < folded.length; i++) {
      var c = folded[i];
      var code = folded.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < folded.length) { c = folded.slice(i, i + 2); i++; }
      if (/\p{Mn}/u.test(c)) {
        if (keepsEne && c === "\u0303" && word[word.length - 1] === "n") word = word.slice(0, -1) + "ñ";
      } else if (/[\p{L}\p{N}]/u.test(c)) {
        word += c === "\u03c2" ? "\u03c3" : c;
      } else if (word) {
        found.push(word);
        word = "";
      }
    }
    if (word) found.push(word);
    return found;
  }

  function stem(word, language) {
    var n = Array.from(word).length;
    if (n <= 3) return word;
    var ends = function (suffix) { return word.slice(-suffix.length) === suffix; };
    if (language === "en") {
      if (ends("ies") && n > 4) return word.slice(0, -3) + "y";
      if (ends("s") && !ends("ss") && !ends("us") && !ends("is")) return word.slice(0, -1);
    } else if (language === "es") {
      if (ends("ces")) return word.slice(0, -3) + "z";
      if (ends("es") && n > 4) return "lnrdj".indexOf(word[word.length - 3]) !== -1 ? word.slice(0, -2) : word.slice(0, -1);
      if (ends("s") && "aeiou".indexOf(word[word.length - 2]) !== -1) return word.slice(0, -1);
    }
    return word;
  }

  // The terms of a text: its words but those of one letter and the stopwords, stemmed.
  function terms(text, language, stopwords) {
    return words(text, language).filter(function (w) {
      return Array.from(w).length > 1 && stopwords.indexOf(w) === -1;
    }).map(function (w) { return stem(w, language); });
  }

  // ---- The index: postings, chunks, ranking (pure, tested by node --test). ----

  var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var digit = {};
  for (var d = 0; d < alphabet.length; d++) digit[alphabet[d]] = d;

  // "PAAB" → [[document, field], ...]; see SearchIndex.encode.
  function decodePostings(text) {
    var list = [];
    var value = 0;
    var previous = -1;
    for (var i = 0; i < text.length; i++) {
      var g = digit[text[i]];
      value = value * 32 + (g & 31);
      if (g >= 32) continue;
      var document = previous + 1 + Math.floor(value / 3);
      list.push([document, value % 3]);
      previous = document;
      value = 0;
    }
    return list;
  }

  // A query term matches the index terms it begins (three letters or more) or equals.
  var prefixLength = 3;
  function matches(queryTerm, indexTerm) {
    return indexTerm === queryTerm || (Array.from(queryTerm).length >= prefixLength && indexTerm.lastIndexOf(queryTerm, 0) === 0);
  }

  // The chunks holding the index terms a query term may match: the one its range starts
  // in, through the one it ends in (at most three).
  function chunksFor(queryTerm, firstTerms) {
    function place(term) {
      var low = 0, high = firstTerms.length - 1;
      while (low < high) {
        var middle = (low + high + 1) >> 1;
        if (firstTerms[middle] <= term) low = middle; else high = middle - 1;
      }
      return low;
    }
    var start = place(queryTerm);
    var end = Array.from(queryTerm).length >= prefixLength ? place(queryTerm + "\uffff") : start;
    var list = [];
    for (var c = start; c <= Math.min(end, start + 2); c++) list.push(c);
    return list;
  }

  // Field weights: a title match before a prompt match before a choice match.
  var weights = [3, 2, 1];

  // Ranks the documents the query terms match: more matched terms first, then the better
  // fields (an exact word a little above a longer word it begins), then course order.
  function rank(queryTerms, chunks) {
    var scores = new Map();
    queryTerms.forEach(function (queryTerm, index) {
      var best = new Map();
      chunks.forEach(function (chunk) {
        for (var term in chunk) {
          if (!matches(queryTerm, term)) continue;
          var bonus = term === queryTerm ? 0.5 : 0;
          decodePostings(chunk[term]).forEach(function (posting) {
            var score = weights[posting[1]] + bonus;
            if (!(best.get(posting[0]) >= score)) best.set(posting[0], score);
          });
        }
      });
      best.forEach(function (score, document) {
        var entry = scores.get(document);
        if (!entry) { entry = { document: document, matched: 0, score: 0, seen: -1 }; scores.set(document, entry); }
        if (entry.seen !== index) { entry.matched++; entry.seen = index; }
        entry.score += score;
      });
    });
    return Array.from(scores.values()).sort(function (a, b) {
      return b.matched - a.matched || b.score - a.score || a.document - b.document;
    });
  }

  // Document number → [phase number, question index], from the root's phase list.
  function locate(document, phases) {
    for (var i = 0, first = 0; i < phases.length; first += phases[i][1], i++) {
      if (document < first + phases[i][1]) return [phases[i][0], document - first];
    }
    return null;
  }

  // The text in pieces, [text, isMatch], a piece per word the query terms match.
  function highlight(text, queryTerms, language) {
    var pieces = [];
    var last = 0;
    var pattern = /[\p{L}\p{N}\p{Mn}]+/gu;
    var found;
    while ((found = pattern.exec(text))) {
      var term = words(found[0], language).map(function (w) { return stem(w, language); })[0];
      if (term && queryTerms.some(function (q) { return matches(q, term); })) {
        if (found.index > last) pieces.push([text.slice(last, found.index), false]);
        pieces.push([found[0], true]);
        last = found.index + found[0].length;
      }
    }
    if (last < text.length) pieces.push([text.slice(last), false]);
    return pieces;
  }

  var Search = { words: words, stem: stem, terms: terms, decodePostings: decodePostings, matches: matches,
                 chunksFor: chunksFor, rank: rank, locate: locate, highlight: highlight };
  if (typeof module === "object" && module.exports) {
    module.exports = Search;
    return;
  }

  // ---- The page. ----

  // The site root, from this script's own address (…/assets/site.js): the index, and the
  // 404 page served at any depth, find their way from it.
  var script = document.currentScript;
  var siteRoot = script ? script.src.replace(/assets\/site\.js(\?.*)?$/, "") : "";
  window.quizdocSiteRoot = siteRoot;

  // Scripts of the index hand their data over here.
  var loaded = {};
  var loading = {};
  window.quizdocSearch = function (name, data) { loaded[name] = data; };
  function load(name) {
    if (!loading[name]) {
      loading[name] = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = siteRoot + "search/" + name + ".js";
        tag.onload = function () { name in loaded ? resolve(loaded[name]) : reject(new Error(name)); };
        tag.onerror = function () { delete loading[name]; reject(new Error(name)); };
        document.head.appendChild(tag);
      });
    }
    return loading[name];
  }

  var pageSize = 20;

  function setUpSearch() {
    var form = document.querySelector("form.search");
    if (!form || !siteRoot) return;
    var language = form.getAttribute("data-lang");
    var input = form.querySelector("input");
    var panel = form.querySelector(".search-panel");
    var status = form.querySelector(".search-status");
    var list = form.querySelector(".search-results");
    var more = form.querySelector(".search-more");
    var text = function (name) { return form.getAttribute("data-text-" + name) || ""; };
    var root = null;
    var generation = 0;
    var ranked = [];
    var queryTerms = [];
    var shown = 0;
    form.hidden = false;

    function index() {
      if (!root) root = load(language + "/index");
      return root;
    }
    input.addEventListener("focus", function () { index().catch(function () {}); });

    function open(isOpen) {
      panel.hidden = !isOpen;
    }

    // The form is aria-busy from a keystroke until its results (or its failure) are shown.
    function run() {
      var current = ++generation;
      var query = input.value;
      if (!query.trim()) {
        list.textContent = "";
        status.textContent = "";
        more.hidden = true;
        form.setAttribute("aria-busy", "false");
        open(false);
        return;
      }
      form.setAttribute("aria-busy", "true");
      index().then(function (data) {
        if (current !== generation) return;
        queryTerms = terms(query, language, data.stopwords);
        if (!queryTerms.length) return show(current, data, []);
        var needed = [];
        queryTerms.forEach(function (term) {
          chunksFor(term, data.chunks).forEach(function (c) { if (needed.indexOf(c) === -1) needed.push(c); });
        });
        if (!status.textContent) status.textContent = text("loading");
        return Promise.all(needed.map(function (c) { return load(language + "/t" + c); })).then(function (chunks) {
          if (current !== generation) return;
          return show(current, data, rank(queryTerms, chunks));
        });
      }).catch(function () {
        if (current !== generation) return;
        open(true);
        status.textContent = text("failed");
      }).then(function () {
        if (current === generation) form.setAttribute("aria-busy", "false");
      });
    }

    function show(current, data, results) {
      ranked = results.map(function (entry) { return locate(entry.document, data.phases); }).filter(Boolean);
      shown = 0;
      list.textContent = "";
      open(true);
      return showMore(current);
    }

    // Shows the next page of results: each phase's results file is loaded once, and the rows
    // are added in rank order as soon as those before them are in. On the first page the
    // first result's file comes alone, then the others together: the first result shows
    // after three small files (root, term chunk, its phase), whatever the connection. The
    // count is announced when the page is full.
    function showMore(current) {
      var page = ranked.slice(shown, shown + pageSize);
      var files = {};
      var next = 0;
      function flush() {
        for (; next < page.length && files[page[next][0]]; next++) {
          var question = files[page[next][0]].questions[page[next][1]];
          if (question) list.appendChild(row(files[page[next][0]], question));
        }
      }
      var phases = [];
      page.forEach(function (place) { if (phases.indexOf(place[0]) === -1) phases.push(place[0]); });
      function fetch(phase) {
        return load(language + "/p" + phase).then(function (data) {
          if (current !== generation) return;
          files[phase] = data;
          flush();
        });
      }
      var first = shown === 0 && phases.length ? fetch(phases[0]) : Promise.resolve();
      return first.then(function () {
        return Promise.all(phases.slice(shown === 0 ? 1 : 0).map(fetch));
      }).then(function () {
        if (current !== generation) return;
        shown += page.length;
        more.hidden = shown >= ranked.length;
        status.textContent = ranked.length
          ? text("count").replace("{shown}", String(shown)).replace("{total}", String(ranked.length))
          : text("empty");
      });
    }

    function marked(parent, value) {
      highlight(value, queryTerms, language).forEach(function (piece) {
        if (piece[1]) {
          var mark = document.createElement("mark");
          mark.textContent = piece[0];
          parent.appendChild(mark);
        } else {
          parent.appendChild(document.createTextNode(piece[0]));
        }
      });
    }

    function row(phase, question) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = siteRoot + phase.page + "#" + question[0];
      var topic = document.createElement("span");
      topic.className = "result-topic";
      topic.textContent = phase.topic;
      var title = document.createElement("span");
      title.className = "result-title";
      title.appendChild(document.createTextNode(question[0] + " — "));
      marked(title, question[1]);
      var snippet = document.createElement("span");
      snippet.className = "result-snippet";
      marked(snippet, question[2]);
      link.appendChild(topic);
      link.appendChild(title);
      link.appendChild(snippet);
      item.appendChild(link);
      return item;
    }

    // Arrow keys move from the box through the results and back; Enter in the box opens
    // the first result, Escape closes the results.
    function links() { return Array.prototype.map.call(list.children, function (item) { return item.querySelector("a"); }); }
    input.addEventListener("input", run);
    form.addEventListener("keydown", function (event) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!all.length) return;
        event.preventDefault();
        var next = at + (event.key === "ArrowDown" ? 1 : -1);
        if (next < 0) input.focus(); else all[Math.min(next, all.length - 1)].focus();
      } else if (event.key === "Escape") {
        open(false);
        input.focus();
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = links()[0];
      if (first) window.location.href = first.href;
    });
    more.addEventListener("click", function () {
      var first = shown;
      showMore(generation).then(function () { var all = links(); if (all[first]) all[first].focus(); });
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) open(false);
    });
    input.addEventListener("focus", function () { if (list.children.length || status.textContent) open(true); });

    // A search travels as ?q=words: from another language's page, or shared as a link.
    var shared = new URLSearchParams(window.location.search).get("q");
    if (shared) {
      input.value = shared;
      run();
    }
  }

  // ---- The language switch follows the reader: the question in view, the answers that
  // are open and the search. ----

  function questionInView() {
    var header = document.querySelector(".site-header");
    var top = header && getComputedStyle(header).position === "sticky" ? header.getBoundingClientRect().bottom : 0;
    var sections = document.querySelectorAll("section.question");
    for (var i = 0; i < sections.length; i++) {
      if (sections[i].getBoundingClientRect().bottom > top + 1) return sections[i];
    }
    return null;
  }

  function followReader(link) {
    var target = new URL(link.getAttribute("href"), window.location.href);
    var params = new URLSearchParams();
    var query = document.querySelector("form.search input");
    if (query && query.value.trim()) params.set("q", query.value.trim());
    var open = Array.prototype.map.call(document.querySelectorAll("section.question details.answer[open]"), function (d) {
      return d.closest("section.question").id;
    });
    if (open.length) params.set("open", open.join(" "));
    target.search = params.toString();
    var section = window.scrollY > 0 ? questionInView() : null;
    target.hash = section ? section.id : window.location.hash;
    link.href = target.href;
  }

  function restoreReader() {
    var open = new URLSearchParams(window.location.search).get("open");
    if (!open) return;
    open.split(/\s+/).forEach(function (id) {
      var section = document.getElementById(id);
      var details = section && section.querySelector("details.answer");
      if (details) details.open = true;
    });
    var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (target) target.scrollIntoView();
  }

  // ---- The question list marks the question in view; the phase menu on phones. ----

  function setUpQuestionList() {
    var toc = document.querySelector(".toc");
    if (!toc) return;
    if (window.matchMedia && window.matchMedia("(max-width: 63.99rem)").matches) toc.open = false;
    var links = {};
    Array.prototype.forEach.call(toc.querySelectorAll("a[href^='#']"), function (a) { links[a.getAttribute("href").slice(1)] = a; });
    var current = null;
    function mark() {
      var section = questionInView();
      var link = section && links[section.id];
      if (link === current) return;
      if (current) current.removeAttribute("aria-current");
      if (link) link.setAttribute("aria-current", "location");
      current = link;
    }
    var pending = false;
    window.addEventListener("scroll", function () {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () { pending = false; mark(); });
    }, { passive: true });
    mark();
  }

  function setUpMenu() {
    var button = document.querySelector(".menu-button");
    var sidebar = document.getElementById("sidebar");
    if (!button || !sidebar) return;
    document.documentElement.classList.add("has-menu");
    button.hidden = false;
    button.addEventListener("click", function () {
      var expanded = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", expanded ? "true" : "false");
      sidebar.classList.toggle("open", expanded);
    });
  }

  // Printable versions of a phase page: a handout (questions only, boxes to tick, room to
  // write) or the answer key (every answer open).
  function setUpPrinting() {
    var links = document.querySelector(".print-links");
    if (!links) return;
    links.hidden = false;
    links.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("button[data-print]");
      if (!button) return;
      var handout = button.getAttribute("data-print") === "handout";
      document.documentElement.classList.toggle("print-handout", handout);
      window.print();
    });
    window.addEventListener("afterprint", function () { document.documentElement.classList.remove("print-handout"); });
  }

  // Printing opens every answer (but for a handout); closing the print dialog restores what was open.
  var closedForPrint = [];
  window.addEventListener("beforeprint", function () {
    if (document.documentElement.classList.contains("print-handout")) return;
    closedForPrint = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    closedForPrint.forEach(function (d) { d.open = false; });
    closedForPrint = [];
  });

  function start() {
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[data-follow-reader]");
      if (link) followReader(link);
    }, true);
    restoreReader();
    setUpSearch();
    setUpQuestionList();
    setUpMenu();
    setUpPrinting();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
