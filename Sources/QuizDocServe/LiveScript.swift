/// The script `quizdoc serve` injects into every HTML page it serves (and only then: the
/// files in `docs-out/site/` stay exactly what `quizdoc build` wrote). It listens to
/// `/__quizdoc/events` and
/// - on `built`, with the site paths that changed: reloads the page if it is one of them,
///   keeping the scroll position, the `#q-…` anchor and which answers were open; swaps the
///   stylesheet without a reload when only CSS changed; leaves other pages alone;
/// - on `errors`: shows them over the page (escaped, `file:line:col`, the message, the source
///   line with a caret) while the last good page stays underneath; on the next good build
///   the overlay goes away by itself.
enum LiveScript {
    static let path = "/__quizdoc/live.js"
    static let eventsPath = "/__quizdoc/events"
    static let tag = "<script src=\"\(path)\" defer></script>\n"

    static let source = #"""
    (function () {
      "use strict";
      var KEY = "quizdoc.live.restore";
      // This page's path below the site root, as the server names changed files.
      var script = document.currentScript;
      var page = decodeURIComponent(location.pathname.replace(/^\/+/, "")) || "index.html";
      if (/\/$/.test(page)) page += "index.html";

      function restore() {
        var saved;
        try { saved = JSON.parse(sessionStorage.getItem(KEY) || "null"); } catch (e) { saved = null; }
        if (!saved || saved.page !== page) return;
        sessionStorage.removeItem(KEY);
        saved.open.forEach(function (id) {
          var details = document.querySelector("#" + CSS.escape(id) + " details");
          if (details) details.open = true;
        });
        window.scrollTo(0, saved.y);
      }

      function reload() {
        var open = Array.prototype.map.call(document.querySelectorAll("section[id] details[open]"), function (d) {
          return d.closest("section[id]").id;
        });
        try { sessionStorage.setItem(KEY, JSON.stringify({ page: page, y: window.scrollY, open: open })); } catch (e) {}
        location.reload();
      }

      function swapStyles() {
        Array.prototype.forEach.call(document.querySelectorAll("link[rel=stylesheet]"), function (link) {
          var url = new URL(link.href);
          url.searchParams.set("quizdoc", String(Date.now()));
          link.href = url.toString();
        });
      }

      var overlay = null;
      function showErrors(errors) {
        if (!overlay) {
          overlay = document.createElement("div");
          overlay.id = "quizdoc-errors";
          overlay.setAttribute("role", "alert");
          overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);" +
            "color:#fff;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:24px";
          document.body.appendChild(overlay);
        }
        overlay.textContent = "";
        var title = document.createElement("h2");
        title.style.cssText = "margin:0 0 16px;font-size:18px;color:#ff8a80";
        title.textContent = "quizdoc: the last change does not build (" + errors.length + " problem" + (errors.length === 1 ? "" : "s") + "); the page below is the last good build";
        overlay.appendChild(title);
        errors.forEach(function (error) {
          var block = document.createElement("pre");
          block.style.cssText = "white-space:pre-wrap;margin:0 0 16px;padding:12px;background:#000;border-left:4px solid " +
            (error.severity === "error" ? "#ff8a80" : "#ffd54f");
          var text = error.location + ": " + error.severity + ": " + error.message;
          if (error.source !== undefined && error.source !== null) {
            text += "\n" + error.source + "\n" + new Array(Math.max(error.column, 1)).join(" ") + "^";
          }
          block.textContent = text;
          overlay.appendChild(block);
        });
      }

      function hideErrors() {
        if (overlay) { overlay.remove(); overlay = null; }
      }

      restore();
      var events = new EventSource("/__quizdoc/events");
      events.addEventListener("built", function (event) {
        hideErrors();
        var changed = JSON.parse(event.data).changed;
        if (changed.indexOf(page) !== -1) { reload(); return; }
        if (changed.some(function (path) { return /\.css$/.test(path); })) swapStyles();
      });
      events.addEventListener("errors", function (event) {
        showErrors(JSON.parse(event.data).errors);
      });
      window.QUIZDOC_LIVE = { page: page };
    })();
    """#
}
