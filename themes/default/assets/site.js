// Keyboard shortcut of every page: "/" focuses the search box, whose
// placeholder then says so (without a script, there is no shortcut to tell).
(function () {
  "use strict";
  var header = document.getElementById("site-search-input");
  if (header && header.placeholder) header.placeholder += "  ( / )";
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var box = document.getElementById("search-input") || document.getElementById("site-search-input");
    if (box) { e.preventDefault(); box.focus(); box.select(); }
  });
})();
