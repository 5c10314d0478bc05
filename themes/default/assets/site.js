// Keyboard shortcut of every page: "/" focuses the search box.
(function () {
  "use strict";
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var box = document.getElementById("search-input") || document.getElementById("site-search-input");
    if (box) { e.preventDefault(); box.focus(); box.select(); }
  });
})();
