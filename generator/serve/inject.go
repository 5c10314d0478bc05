package serve

import (
	"bytes"
	"strings"
)

// script is the live-reload client: it listens for build events, reloads
// the page (keeping its scroll position), swaps the stylesheets on a CSS
// change, and shows the build's errors in an overlay until they are fixed.
// Dropped for a newer page past the cap of clients (bye), it stops.
// Only the preview serves it; built sites never carry it.
const script = `<script id="postmortem-live">
(function () {
  "use strict";
  var state = __STATE__;
  var key = "postmortem-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.addEventListener("load", function () { window.scrollTo(0, +saved); });
  }
  // overlay shows errors over the page; served tells whether a good build
  // is served.
  function overlay(errors, served) {
    var box = document.getElementById("postmortem-errors");
    if (!errors.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "postmortem-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "background:#2b0b0e;color:#ffd7dc;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.25rem;border-top:4px solid #ff4d5e";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var h = document.createElement("strong");
    h.textContent = served ?
      "Build failed: the last good build is shown. Fix the file and save." :
      "Build failed: there is no good build to show yet. Fix the file and save.";
    box.appendChild(h);
    errors.forEach(function (e) {
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
  function swapCSS() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (l) {
      var u = new URL(l.href);
      u.searchParams.set("v", String(Date.now()));
      l.href = u.toString();
    });
  }
  function start() {
    overlay(state.errors, state.served);
    var es = new EventSource("/__postmortem/events");
    es.addEventListener("hello", function (e) {
      var s = JSON.parse(e.data);
      overlay(s.errors, s.served);
      if (!s.errors.length && s.build !== state.build) reload();
    });
    es.addEventListener("errors", function (e) { var s = JSON.parse(e.data); overlay(s.errors, s.served); });
    es.addEventListener("reload", function () { overlay([]); reload(); });
    es.addEventListener("css", function (e) { overlay([]); state.build = JSON.parse(e.data).build; swapCSS(); });
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
