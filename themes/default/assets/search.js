// The search page of the default theme: the search box, filters, results
// and the state in the URL. It runs queries with search-query.js, on the
// index search-index.js reads; both load first.
(function () {
  "use strict";

  var PS = window.PostmortemSearch, I = PS.internal, tokens = I.tokens, stem = I.stem;

  // PS.status gives the line above the results of res, shown of which are
  // on the page, in the words word(name, fallback) gives. While a phrase is
  // checked, the count is "up to"; when no result is shown yet, it says how
  // many candidates are left to check.
  PS.status = function (res, shown, word) {
    var n = res.preview ? res.total : res.ids.length;
    var count = format(n === 1 ? word("single", "%d incident") : word("many", "%d incidents"), n);
    var status = !n ? word("none", "No incidents match.") : res.exact ? count :
      shown ? format(word("up-to", "Up to %d incidents (checking the phrase)"), n) :
      format(word("checking", "None of the incidents checked so far has the phrase; %d left to check."), n);
    if (n && res.partial) status = word("partial", "No incident has every word: those with the most come first.") + " " + status;
    // Words named in the status, quoted as the labels quote them.
    var quoted = function (ws) { return ws.map(function (w) { return format(word("quoted", "“%s”"), w); }).join(", "); };
    if (n && res.close && res.close.length) {
      status = format(word("close", "No incident has %s: those with a word close to it are shown."), quoted(res.close)) + " " + status;
    }
    if (res.ignored.length) {
      // Words no incident has: the search went on without them, or,
      // when they were all it had, there is nothing more to say.
      var words = quoted(res.ignored);
      status = n ? format(word("ignored", "No incident has %s: searched without it."), words) + " " + status :
        format(word("none-has", "No incident has %s."), words);
    }
    return status;
  };

  // format fills the verbs of a label (%d, %s, or by place, %[1]d) with
  // args, as the labels' Go formatting does for the verbs they use.
  function format(label, args) {
    args = Array.prototype.slice.call(arguments, 1);
    var next = 0;
    return label.replace(/%%|%(?:\[(\d+)\])?[dsv]/g, function (m, at) {
      if (m === "%%") return "%";
      var i = at ? Number(at) - 1 : next++;
      return i < args.length ? String(args[i]) : m;
    });
  }
  PS.format = format;

  var page = document.getElementById("search");
  if (!page) return; // loaded for its functions only, as the tests do
  var root = page.getAttribute("data-root") || "";
  // word returns a word of the page in the site's language: the search
  // template gives them as data-* attributes of #search.
  function word(name, fallback) { return page.getAttribute("data-" + name) || fallback; }
  var meta = null;
  var PAGE = 10;
  var title = document.title;

  // ---- State in the URL ----

  var state = null; // read from the URL once meta.js has the facets
  function readURL() {
    var u = new URLSearchParams(location.search), s = { q: u.get("q") || "", sort: u.get("sort") || "",
      from: u.get("from") || "", to: u.get("to") || "", longer: u.get("longer") || "", f: {} };
    // Each value once, and none empty: a hand-made URL may repeat them,
    // or write them in another case (sev1 for SEV1), which is the site's.
    meta.facets.forEach(function (f) {
      var known = meta.values[f] || [];
      s.f[f] = u.getAll(f).map(function (v) {
        var low = v.toLowerCase();
        return known.find(function (k) { return k.toLowerCase() === low; }) || v;
      }).filter(function (v, i, all) { return v !== "" && all.indexOf(v) === i; });
    });
    // A parameter this page does not filter by (tag=, a hand-made URL's
    // typo) is told, not left out silently: every incident would seem
    // to have it.
    var known = ["q", "sort", "from", "to", "longer"].concat(meta.facets);
    s.unknown = Array.from(u.entries()).filter(function (kv) { return known.indexOf(kv[0]) < 0; }).map(function (kv) { return kv[0] + "=" + kv[1]; });
    return s;
  }
  function writeURL(push) {
    var u = new URLSearchParams();
    if (state.q) u.set("q", state.q);
    Object.keys(state.f).forEach(function (f) { state.f[f].forEach(function (v) { u.append(f, v); }); });
    ["sort", "from", "to", "longer"].forEach(function (k) { if (state[k]) u.set(k, state[k]); });
    var url = location.pathname + (u.toString() ? "?" + u.toString() : "");
    if (location.protocol === "file:" && !push) {
      try { history.replaceState(null, "", url); } catch (e) { /* some browsers refuse on file:// */ }
      return;
    }
    try { (push ? history.pushState : history.replaceState).call(history, null, "", url); } catch (e) { /* ignore */ }
  }

  // A typed query takes an entry of the history once it has rested for
  // SETTLE ms: the next keystroke after that pushes a new one, the others
  // replace it, so that Back goes through the queries read, not each key.
  var SETTLE = 1000, rested = true, restTimer = null;
  function typed() {
    writeURL(rested);
    rested = false;
    clearTimeout(restTimer);
    restTimer = setTimeout(function () { rested = true; }, SETTLE);
  }

  // ---- Running a search ----

  var els = {};
  var seq = 0;
  var current = { res: null, shown: 0, q: { groups: [], phrases: [] } };

  // AUTO is how many more rounds of a phrase's check (each loading up to
  // a few groups of texts: see PS.page) a search runs by itself while it
  // shows no result yet, before it leaves the rest to the button; only on
  // a site of at most AUTO_UPTO incidents: on a larger one, a round's
  // texts are most of what a query may load (300 KB at 100,000), and the
  // button asks first.
  var AUTO = 3, AUTO_UPTO = 20000;

  // run runs the search of state, and shows its first page; then, when
  // the history entry says how many results were shown (Back to it), as
  // many, at the place the page was scrolled to.
  function run(again) {
    var my = ++seq;
    document.title = (state.q ? state.q + " · " : "") + title;
    return PS.search(state).then(function (res) {
      if (my !== seq) return;
      renderFacets(res.counts, !res.checked);
      current = { res: res, shown: 0, q: res.q, upTo: !res.checked && !!res.counts };
      return PS.page(res, PAGE).then(function (list) {
        if (my !== seq) return;
        els.results.textContent = "";
        return fill(list, my, 0);
      }).then(function () {
        if (!again || my !== seq) return;
        var restore = function () {
          if (my !== seq || current.shown >= again.shown || els.more.hidden) return window.scrollTo(0, again.y || 0);
          return PS.page(current.res, PAGE).then(function (list) { if (my === seq) show(list); }).then(restore);
        };
        return restore();
      });
    });
  }

  // fill shows list, and while nothing is shown and a phrase has
  // candidates left to check, checks on, up to AUTO rounds.
  function fill(list, my, rounds) {
    show(list);
    if (current.shown || current.res.checked || rounds >= AUTO || meta.n > AUTO_UPTO) return;
    return PS.page(current.res, PAGE).then(function (next) {
      if (my === seq) return fill(next, my, rounds + 1);
    });
  }

  function show(list) {
    var res = current.res, n = res.preview ? res.total : res.ids.length;
    list.forEach(function (r) { els.results.appendChild(result(r.id, r.frag)); });
    current.shown += list.length;
    els.status.textContent = (state.unknown && state.unknown.length ?
      word("unknown-filter", "Not a filter of this page, left out: %s.").replace("%s", state.unknown.join(", ")) + " " : "") +
      (state.from && state.to && state.from > state.to ?
        word("dates-reversed", "No day is both after “from” and before “to”: “from” is later.") : PS.status(res, current.shown, word));
    els.more.hidden = current.shown >= n;
    var filtering = Object.keys(state.f).some(function (f) { return state.f[f].length; });
    if (current.upTo && res.checked && !filtering) {
      // Every candidate of the phrase is checked: the counts are exact
      // (but for a facet filtered by, whose other values' incidents were
      // not checked).
      current.upTo = false;
      renderFacets(PS.countsOf(state, new Set(res.ids)), false);
    }
    els.more.textContent = current.shown || res.checked ? word("more", "More results") : word("check-more", "Check more incidents");
  }

  function more() {
    var my = seq;
    return PS.page(current.res, PAGE).then(function (list) {
      if (my === seq) return fill(list, my, AUTO);
    });
  }

  // remember keeps in the history entry how many results are shown and
  // where the page is scrolled, for Back to the page to show them again.
  function remember() {
    try { history.replaceState({ shown: current.shown, y: window.scrollY }, ""); } catch (e) { /* file:// may refuse */ }
  }

  function esc(s) {
    return s.replace(/[&<>"']/g, function (ch) { return "&#" + ch.charCodeAt(0) + ";"; });
  }
  function matches(word) {
    var groups = current.q.groups, t = tokens(word)[0];
    if (!t) return false;
    var s = stem(t);
    return groups.some(function (g) {
      return g.alts.some(function (alt) {
        return alt.some(function (w) { return s === w.stem || (w.prefix && t.slice(0, w.word.length) === w.word); });
      });
    });
  }
  // highlight escapes text and marks the words the query matches.
  function highlight(text) {
    return text.split(/([\p{L}\p{N}]+)/u).map(function (part, i) {
      return i % 2 === 1 && matches(part) ? "<mark>" + esc(part) + "</mark>" : esc(part);
    }).join("");
  }
  function snippet(text) {
    var re = /[\p{L}\p{N}]+/gu, m, at = -1;
    while ((m = re.exec(text))) { if (matches(m[0])) { at = m.index; break; } }
    if (at < 0) at = 0;
    var start = Math.max(0, text.lastIndexOf(" ", Math.max(0, at - 80)) + 1);
    if (at - start > 100) start = at - 60;
    var s = text.slice(start, start + 240).replace(/\s+/g, " ");
    return (start > 0 ? "… " : "") + highlight(s) + (start + 240 < text.length ? " …" : "");
  }

  function result(id, f) {
    var li = document.createElement("li");
    li.innerHTML = '<h2><a href="' + esc(root + f.u) + '">' + highlight(f.t) + "</a></h2>" +
      '<p class="meta"><time datetime="' + esc(f.d) + '">' + esc(f.d) + "</time>" +
      (f.s ? " · " + esc(f.s) : "") + (f.c.length ? " · " + f.c.map(highlight).join(", ") : "") + "</p>" +
      '<p class="snippet">' + snippet(f.x) + "</p>";
    return li;
  }

  // renderFacets shows each facet's values with their counts; without
  // the meta table (a large site), a button that loads it.
  function renderFacets(counts, upTo) {
    var box = els.facets;
    // The control in focus is made anew: focus its new self after, so
    // that a keyboard goes on from where it was.
    var had = box.contains(document.activeElement) ? document.activeElement : null;
    box.textContent = "";
    if (had) {
      var put = function () {
        var same = had.id ? document.getElementById(had.id) :
          Array.prototype.find.call(box.querySelectorAll("input"), function (b) { return b.name === had.name && b.value === had.value; });
        (same || box.querySelector("input, button") || els.input).focus();
      };
      setTimeout(put, 0);
    }
    if (!counts) {
      var load = document.createElement("button");
      load.type = "button";
      load.id = "search-filters";
      load.textContent = word("filters", "Filters");
      load.addEventListener("click", function () {
        load.disabled = true;
        I.loadTable().then(run);
      });
      box.appendChild(load);
      return;
    }
    meta.facets.forEach(function (f) {
      var order = meta.values[f].map(function (v, i) { return i; }).filter(function (i) {
        return counts[f][i] > 0 || state.f[f].indexOf(meta.values[f][i]) >= 0;
      });
      // Severities worst first and years newest first, as a reader scans
      // them; the others by how many incidents they have.
      order.sort(f === "severity" ? function (a, b) { return a - b; } : f === "year" ? function (a, b) { return b - a; } :
        function (a, b) { return counts[f][b] - counts[f][a] || a - b; });
      var items = order.map(function (i) { return { v: meta.values[f][i], n: counts[f][i] }; });
      // A value of the URL that the site does not have matches nothing:
      // shown checked, with no incidents, so that it can be unchecked.
      state.f[f].forEach(function (v) { if (meta.values[f].indexOf(v) < 0) items.push({ v: v, n: 0 }); });
      if (!items.length) return;
      var fs = document.createElement("fieldset");
      var lg = document.createElement("legend");
      lg.textContent = word("facet-" + f.replace(/_/g, "-"), f);
      fs.appendChild(lg);
      items.forEach(function (it) {
        var v = it.v;
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.name = f;
        box.value = v;
        box.checked = state.f[f].indexOf(v) >= 0;
        var name = document.createElement("span");
        name.textContent = f === "status" ? word("status-" + v, v) : v; // the filter's value is the URL's
        var count = document.createElement("span");
        count.className = "count";
        // While a phrase is not checked on every candidate, a count is
        // of those with its words: the most that may have it.
        count.textContent = (upTo && it.n ? "≤ " : "") + it.n;
        label.appendChild(box);
        label.appendChild(name);
        label.appendChild(count);
        fs.appendChild(label);
      });
      box.appendChild(fs);
    });
  }

  // ---- Wiring ----

  function activate(i) {
    var items = els.results.children;
    if (!items.length) return;
    i = Math.max(0, Math.min(items.length - 1, i));
    for (var k = 0; k < items.length; k++) items[k].classList.toggle("active", k === i);
    items[i].querySelector("a").focus();
    current.active = i;
  }

  function syncInputs() {
    els.input.value = state.q;
    els.sort.value = state.sort;
    els.from.value = state.from;
    els.to.value = state.to;
    // A length the URL gives otherwise than the menu does ("8h") is its
    // entry; one the menu has not, an entry of its own.
    var longer = PS.minutesOf(state.longer), v = longer ? String(longer) : "";
    if (v && !Array.prototype.some.call(els.longer.options, function (o) { return o.value === v; })) {
      els.longer.add(new Option(state.longer, v));
    }
    els.longer.value = state.longer = v;
  }

  function start() {
    if (!page) return;
    state = readURL();
    page.hidden = false;
    ["input", "sort", "from", "to", "longer", "facets", "results", "status", "more"].forEach(function (k) {
      els[k] = document.getElementById("search-" + k);
    });
    var header = document.getElementById("site-search-input");
    if (header) header.closest("form").hidden = true; // this page has its own box
    // On a narrow screen the filters come first: folded, so that the
    // results are in view.
    var filters = document.getElementById("search-facets-box");
    if (filters && window.matchMedia && matchMedia("(max-width: 40rem)").matches) filters.open = false;
    syncInputs();
    els.input.addEventListener("input", function () {
      state.q = els.input.value;
      typed();
      run();
    });
    ["sort", "from", "to", "longer"].forEach(function (k) {
      els[k].addEventListener("change", function () {
        state[k] = els[k].value;
        writeURL(true);
        run();
      });
    });
    els.facets.addEventListener("change", function (e) {
      var box = e.target;
      if (!box.name) return;
      var list = state.f[box.name];
      var at = list.indexOf(box.value);
      if (box.checked && at < 0) list.push(box.value);
      if (!box.checked && at >= 0) list.splice(at, 1);
      writeURL(true);
      run();
    });
    els.more.addEventListener("click", more);
    document.addEventListener("keydown", function (e) {
      var inResults = els.results.contains(document.activeElement);
      if (e.key === "Escape" && document.activeElement === els.input) {
        state.q = "";
        els.input.value = "";
        typed();
        run();
        els.input.focus();
      } else if (e.key === "ArrowDown" && (document.activeElement === els.input || inResults)) {
        e.preventDefault();
        activate(document.activeElement === els.input ? 0 : (current.active || 0) + 1);
      } else if (e.key === "ArrowUp" && inResults) {
        e.preventDefault();
        if (!current.active) { els.input.focus(); current.active = null; } else activate(current.active - 1);
      } else if (e.key === "Enter" && document.activeElement === els.input && els.results.firstChild) {
        e.preventDefault();
        var a = els.results.children[current.active || 0].querySelector("a");
        location.href = a.href;
      }
    });
    window.addEventListener("popstate", function (e) {
      rested = true; // typing on keeps the entry gone back to
      clearTimeout(restTimer);
      state = readURL();
      syncInputs();
      run(e.state);
    });
    window.addEventListener("pagehide", remember);
    els.input.focus();
    var back = history.state && history.state.shown > PAGE ? history.state : null;
    if (back && "scrollRestoration" in history) history.scrollRestoration = "manual";
    run(back);
  }

  PS.ready().then(function (m) {
    meta = m;
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  });
})();
