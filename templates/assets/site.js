// quizdoc: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // The language switcher keeps you on the same question: carry the #fragment along.
  function keepHash() {
    var links = document.querySelectorAll("a[data-keep-hash]");
    for (var i = 0; i < links.length; i++) {
      var base = links[i].getAttribute("href").split("#")[0];
      links[i].setAttribute("href", base + window.location.hash);
    }
  }

  // Printing opens every answer; closing the print dialog restores what was open.
  var closedForPrint = [];
  window.addEventListener("beforeprint", function () {
    closedForPrint = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    closedForPrint.forEach(function (d) { d.open = false; });
    closedForPrint = [];
  });

  // Search: the index is scripts (assets/search-<lang>-<n>.js, one per shard of phases,
  // listed in data-index) so it also loads from file://. Each fills its slot of
  // window.QUIZDOC_SEARCH; the search box appears once all have loaded.
  function setUpSearch() {
    var form = document.querySelector("form.search");
    if (!form) return;
    var sources = (form.getAttribute("data-index") || "").split(/\s+/).filter(Boolean);
    var pending = sources.length;
    sources.forEach(function (source) {
      var script = document.createElement("script");
      script.src = source;
      script.onload = script.onerror = function () {
        if (--pending === 0) ready();
      };
      document.head.appendChild(script);
    });
    if (!pending) ready();

    function ready() {
      var entries = [].concat.apply([], (window.QUIZDOC_SEARCH || []).filter(Boolean));
      var input = form.querySelector("input");
      var list = form.querySelector(".search-results");
      var fold = function (s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); };
      var haystacks = entries.map(function (e) { return fold(e.id + " " + e.title + " " + e.text); });
      form.hidden = false;
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      input.addEventListener("input", show);
      // A search can be shared as a link: index.html?q=words
      var shared = new URLSearchParams(window.location.search).get("q");
      if (shared) {
        input.value = shared;
        show();
      }
      function show() {
        var words = fold(input.value).split(/\s+/).filter(Boolean);
        list.textContent = "";
        if (!words.length) return;
        var shown = 0;
        for (var i = 0; i < entries.length && shown < 50; i++) {
          if (words.every(function (w) { return haystacks[i].indexOf(w) !== -1; })) {
            var item = document.createElement("li");
            var link = document.createElement("a");
            link.href = entries[i].url;
            link.textContent = entries[i].id + " — " + entries[i].title;
            var where = document.createElement("span");
            where.className = "count";
            where.textContent = " " + entries[i].phase;
            item.appendChild(link);
            item.appendChild(where);
            list.appendChild(item);
            shown++;
          }
        }
        if (!shown) {
          var none = document.createElement("li");
          none.textContent = form.getAttribute("data-empty");
          list.appendChild(none);
        }
      }
    }
  }

  function start() {
    keepHash();
    window.addEventListener("hashchange", keepHash);
    setUpSearch();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
