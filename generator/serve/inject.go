package serve

import (
	"bytes"
	"strings"
)

// script is the live-reload client: it listens for build events, reloads
// the page (keeping its scroll position), swaps the stylesheets on a CSS
// change, reloads only pages whose files the build changed when it
// says which, and shows the build's errors in an overlay until they are fixed,
// or else, in a box of its own, the notes of postmortem check's review
// rules, which a button hides until the next build.
// Dropped for a newer page past the cap of clients (bye), it stops.
// Only the preview serves it; built sites never carry it.
const script = `<script id="postmortem-live">
(function () {
  "use strict";
  var state = __STATE__;
  var key = "postmortem-scroll:" + location.pathname;
  var hideKey = "postmortem-notes-hidden";
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.addEventListener("load", function () { window.scrollTo(0, +saved); });
  }
  // overlay shows the build's errors over the page, s.served telling
  // whether a good build is served; or else the notes of postmortem
  // check's review rules on the build, which is current, unless they were
  // hidden at this build.
  function overlay(s) {
    var errors = s.errors || [], notes = s.notes || [];
    var box = document.getElementById("postmortem-errors");
    var nbox = document.getElementById("postmortem-notes");
    if (errors.length || !notes.length || sessionStorage.getItem(hideKey) === s.build) {
      if (nbox) nbox.remove();
    }
    if (!errors.length) {
      if (box) box.remove();
      if (notes.length && sessionStorage.getItem(hideKey) !== s.build) noted(s, notes);
      return;
    }
    box = panel("postmortem-errors", "alert", "max-height:60vh;background:#2b0b0e;color:#ffd7dc;padding:1rem 1.25rem;border-top:4px solid #ff4d5e");
    var h = document.createElement("strong");
    h.textContent = s.served ?
      "Build failed: the last good build is shown. Fix the file and save." :
      "Build failed: there is no good build to show yet. Fix the file and save.";
    box.appendChild(h);
    lines(box, errors);
  }
  // noted shows the notes, in a box that a button hides until the next
  // build.
  function noted(s, notes) {
    var box = panel("postmortem-notes", "status", "max-height:40vh;background:#fff8e1;color:#4a3500;padding:.75rem 1.25rem;border-top:4px solid #f2b100");
    var hide = document.createElement("button");
    hide.type = "button";
    hide.textContent = "Hide";
    hide.style.cssText = "float:right;font:inherit;cursor:pointer";
    hide.addEventListener("click", function () {
      sessionStorage.setItem(hideKey, s.build);
      box.remove();
    });
    box.appendChild(hide);
    var h = document.createElement("strong");
    h.textContent = "postmortem check will report:";
    box.appendChild(h);
    var p = document.createElement("div");
    p.textContent = "The page is current: these are notes of the review rules, which fail check in CI when they are errors.";
    box.appendChild(p);
    lines(box, s.more ? notes.concat(["and " + s.more + " more: postmortem check lists them all"]) : notes);
  }
  // panel returns the box of id along the foot of the page, empty, made
  // with its role and style when there is none.
  function panel(id, role, style) {
    var box = document.getElementById(id);
    if (!box) {
      box = document.createElement("div");
      box.id = id;
      box.setAttribute("role", role);
      box.style.cssText = "position:fixed;inset:auto 0 0 0;overflow:auto;z-index:2147483647;font:14px/1.5 ui-monospace,monospace;" + style;
      document.body.appendChild(box);
    }
    box.textContent = "";
    return box;
  }
  function lines(box, texts) {
    texts.forEach(function (e) {
      var line = document.createElement("pre");
      line.style.margin = ".4rem 0 0";
      line.style.whiteSpace = "pre-wrap";
      line.textContent = e;
      box.appendChild(line);
    });
  }
  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }
  // concerns reports whether a build that changed the output paths
  // changed (absent when there were too many to name) may change this
  // page: the file it was served from, the page of a missing file, the
  // theme's assets, or the search index on the search page.
  function concerns(changed) {
    if (!changed) return true;
    var own = decodeURIComponent(location.pathname).replace(/^\//, "");
    if (own === "" || own.slice(-1) === "/") own += "index.html";
    return changed.some(function (p) {
      return p === own || p === "404.html" || p.indexOf("assets/") === 0 ||
        (own.indexOf("search/") === 0 && p.indexOf("search/") === 0);
    });
  }
  // current marks the script with the build the page shows.
  function current(s) {
    state = s;
    var me = document.getElementById("postmortem-live");
    if (me) me.setAttribute("data-build", s.build);
  }
  function swapCSS() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (l) {
      var u = new URL(l.href);
      u.searchParams.set("v", String(Date.now()));
      l.href = u.toString();
    });
  }
  function start() {
    current(state);
    overlay(state);
    var es = new EventSource("/__postmortem/events");
    es.addEventListener("hello", function (e) {
      var s = JSON.parse(e.data);
      overlay(s);
      if (!s.errors.length && s.build !== state.build) reload();
    });
    es.addEventListener("errors", function (e) { overlay(JSON.parse(e.data)); });
    es.addEventListener("reload", function (e) {
      var s = JSON.parse(e.data);
      if (concerns(s.changed)) { overlay({}); reload(); return; }
      current(s);
      overlay(s);
    });
    es.addEventListener("css", function (e) { var s = JSON.parse(e.data); current(s); overlay(s); swapCSS(); });
    es.addEventListener("bye", function () { es.close(); });
  }
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
</script>
`

// inject puts the live-reload client, with the current build state, before
// the end of the body of an HTML page.
func inject(page []byte, state string) []byte {
	tag := strings.Replace(script, "__STATE__", strings.ReplaceAll(state, "</", `<\/`), 1)
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+len(tag))
	out = append(out, page[:i]...)
	out = append(out, tag...)
	return append(out, page[i:]...)
}
