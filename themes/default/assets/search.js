// Search page of the default theme. The index is a set of script files made
// by `postmortem build` (generator/search): meta.js (the table of contents:
// the layout of the facets and the names of the other files), m/*.js (the
// facets of every incident), t/*.js (postings, by term prefix) and f/*.js
// (what a result shows). They are loaded with <script> tags, which work over
// HTTP and from disk alike, and only when a query needs them. Every file but
// meta.js is named by its content, so that files of two builds never mix.
(function () {
  "use strict";

  var PS = (window.PostmortemSearch = window.PostmortemSearch || {});
  var page = document.getElementById("search");
  var root = page ? page.getAttribute("data-root") || "" : "";
  // word returns a word of the page in the site's language: the search
  // template gives them as data-* attributes of #search.
  function word(name, fallback) { return (page && page.getAttribute("data-" + name)) || fallback; }
  var meta = null;
  var shards = new Map();
  var frags = new Map();
  var pending = new Map();
  var PAGE = 10;

  // ---- Words: the same folding and stemming as generator/search ----

  // Latin, Greek and Cyrillic letters lose their marks (as generator/search's
  // folds table has it); other scripts keep theirs.
  var MARKED = /[\u00c0-\u024f\u0370-\u04ff\u1e00-\u1fff]/g;
  function unmark(ch) {
    var f = ch.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    return /^\p{L}+$/u.test(f) ? f : ch;
  }
  function tokens(text) {
    return text.replace(MARKED, unmark).replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/ς/g, "σ")
      .match(/[\p{L}\p{N}]+/gu) || [];
  }
  // stem is Porter2, from stem.js, which the page loads first.
  function stem(w) { return PS.stemEnglish(w); }
  PS.stem = stem;
  PS.tokens = tokens;

  // ---- Loading index files ----

  // PS.loadScript loads one file of the index; the tests in Node replace it.
  PS.loadScript = PS.loadScript || function (src, onerror) {
    var s = document.createElement("script");
    s.src = src;
    s.async = true;
    s.onerror = onerror;
    document.head.appendChild(s);
  };
  function load(id, file) {
    if (pending.has(id)) return pending.get(id).promise;
    var p = {};
    p.promise = new Promise(function (resolve) { p.resolve = resolve; });
    pending.set(id, p);
    PS.loadScript(root + "search/" + file, function () { p.resolve(null); });
    return p.promise;
  }
  function done(id, value) {
    if (!pending.has(id)) pending.set(id, { promise: Promise.resolve(value) });
    else pending.get(id).resolve(value);
  }

  // The digits of packed numbers, from meta.js.
  var DIGIT = new Map();
  function num(s, at, w) {
    var v = 0;
    for (var i = at; i < at + w; i++) v = v * 64 + DIGIT.get(s[i]);
    return v;
  }

  // nums reads numbers written five bits a digit, all digits but the last
  // of each with 32 added (generator/search appendNum).
  function nums(s) {
    var out = [], v = 0;
    for (var i = 0; i < s.length; i++) {
      var c = DIGIT.get(s[i]);
      v = v * 32 + (c & 31);
      if (c < 32) { out.push(v); v = 0; }
    }
    return out;
  }

  // PS.meta reads the table of contents; the meta table's parts follow.
  var toc = null;
  PS.meta = function (m) {
    toc = m;
    for (var d = 0; d < m.digits.length; d++) DIGIT.set(m.digits[d], d);
    done("toc", m);
  };
  PS.rows = function (r) { done("m:" + r.part, r); };

  // assemble joins the parts of the meta table into one table by row, the
  // rows in the order of the ids; a facet's values become indexes into the
  // site's values of it, as meta.js lists them.
  function assemble(m, parts) {
    var ids = [], files = [], rowOf = new Map(), cols = { day: [], duration: [], length: [] }, index = {};
    var facets = m.facets.map(function (f) { return f.key; });
    m.facets.forEach(function (f) {
      if (f.day) return;
      cols[f.key] = [];
      index[f.key] = new Map(m.values[f.key].map(function (v, i) { return [v, i]; }));
    });
    function unpackDuration(v) { return v < m.duration.exact ? v : m.duration.exact + (v - m.duration.exact) * m.duration.step; }
    parts.forEach(function (r) {
      if (!r) return; // a file that failed to load
      var w = r.width, n = r.files.length / w.file, gaps = nums(r.ids), id = 0;
      for (var k = 0; k < n; k++) {
        id += gaps[k];
        rowOf.set(id, ids.length);
        ids.push(id);
        files.push(r.files.substr(k * w.file, w.file));
        cols.day.push(r.day0 + num(r.cols.day, k * w.day, w.day));
        cols.duration.push(unpackDuration(num(r.cols.duration, k * w.duration, w.duration)));
        cols.length.push(Math.pow(m.lengthBase, num(r.cols.length, k * w.length, w.length)));
      }
      m.facets.forEach(function (f) {
        if (f.day) return;
        var vals = r.values[f.key].map(function (v) { return index[f.key].has(v) ? index[f.key].get(v) : -1; });
        var col = r.cols[f.key], fw = w[f.key], out = cols[f.key];
        if (f.multi) {
          col.split(".").forEach(function (p) {
            var list = [];
            for (var i = 0; i < p.length; i += fw) list.push(vals[num(p, i, fw) - 1]);
            out.push(list);
          });
        } else {
          for (var j = 0; j < n; j++) {
            var c = num(col, j * fw, fw);
            out.push(c ? vals[c - 1] : -1);
          }
        }
      });
    });
    // A facet read off the day: its value is the year.
    m.facets.forEach(function (f) {
      if (!f.day) return;
      var years = new Map(m.values[f.key].map(function (v, i) { return [v, i]; }));
      cols[f.key] = cols.day.map(function (day) {
        var y = String(new Date(day * 86400000).getUTCFullYear());
        return years.has(y) ? years.get(y) : -1;
      });
    });
    var total = 0;
    cols.length.forEach(function (l) { total += l; });
    var n = ids.length;
    return { n: n, facets: facets, values: m.values, cols: cols, ids: ids, files: files, rowOf: rowOf,
      shards: m.shards.map(function (s) { return s[0]; }).sort(), shardFile: new Map(m.shards),
      avglen: total / Math.max(1, n) || 1 };
  }
  // PS.shard reads the postings of a shard and weighs them by BM25: the
  // index holds each term's weighted frequency, the page the rest.
  var K1 = 1.2, B = 0.75;
  PS.shard = function (key, data) {
    var terms = {};
    Object.keys(data).forEach(function (t) {
      var ns = nums(data[t]), ids = [], tfs = [], id = 0;
      for (var i = 0; i + 1 < ns.length; i += 2) {
        // Postings name documents by id; the page, by row.
        id += ns[i];
        ids.push(meta.rowOf.has(id) ? meta.rowOf.get(id) : -1);
        tfs.push(ns[i + 1]);
      }
      var post = new Map(), df = ids.length, len = meta.cols.length;
      var idf = Math.log(1 + (meta.n - df + 0.5) / (df + 0.5));
      for (var k = 0; k < df; k++) {
        if (ids[k] < 0) continue;
        var tf = tfs[k];
        post.set(ids[k], idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * len[ids[k]] / meta.avglen)));
      }
      terms[t] = post;
    });
    shards.set(key, terms);
    done("t:" + key, terms);
  };
  PS.frag = function (id, f) {
    var row = meta.rowOf.get(id);
    frags.set(row, f);
    done("f:" + row, f);
  };

  // shardsFor lists the shards a term, or every term starting with a prefix, is in.
  function shardsFor(word, isPrefix) {
    var keys = [], best = null;
    meta.shards.forEach(function (k) {
      if (word.slice(0, k.length) === k && (!best || k.length > best.length)) best = k;
      if (isPrefix && k.length > word.length && k.slice(0, word.length) === word) keys.push(k);
    });
    if (best) keys.push(best);
    return keys;
  }
  function loadShards(keys) {
    return Promise.all(keys.map(function (k) { return load("t:" + k, meta.shardFile.get(k)); }));
  }
  function loadFrag(row) { return load("f:" + row, "f/" + meta.ids[row].toString(36) + "." + meta.files[row] + ".js"); }
  // PS.ready loads meta.js and the meta table, and gives the table.
  var ready = null;
  PS.ready = function () {
    if (!ready) {
      ready = load("toc", "meta.js").then(function (m) {
        if (!m) throw new Error("search/meta.js did not load");
        return Promise.all(m.parts.map(function (p) { return load("m:" + p.n, p.file); })).then(function (parts) {
          meta = assemble(m, parts);
          return meta;
        });
      });
    }
    return ready;
  };

  // ---- Queries ----

  // parseQuery splits a query into words and quoted phrases; the last word,
  // when the query ends in it, also matches as a prefix.
  function parseQuery(q) {
    var phrases = [], rest = q.replace(/"([^"]*)"?/g, function (_, p) {
      var t = tokens(p);
      if (t.length) phrases.push(t);
      return " ";
    });
    var words = tokens(rest);
    var trailing = /[\p{L}\p{N}]$/u.test(q) && (q.match(/"/g) || []).length % 2 === 0;
    var groups = words.map(function (w, i) {
      return { word: w, stem: stem(w), prefix: trailing && i === words.length - 1 && w.length >= 2 };
    });
    phrases.forEach(function (p) { p.forEach(function (w) { groups.push({ word: w, stem: stem(w), prefix: false }); }); });
    return { groups: groups, phrases: phrases };
  }
  PS.parseQuery = parseQuery;

  // match returns, for a group, a Map of doc id to weight.
  function match(g) {
    var keys = shardsFor(g.prefix ? g.word : g.stem, g.prefix);
    return loadShards(keys).then(function () {
      var out = new Map(), seen = 0;
      keys.forEach(function (k) {
        var terms = shards.get(k) || {};
        Object.keys(terms).forEach(function (t) {
          var exact = t === g.stem;
          if (!exact && !(g.prefix && t.slice(0, g.word.length) === g.word && seen++ < 200)) return;
          var factor = exact ? 1 : 0.7;
          terms[t].forEach(function (w, id) {
            var v = w * factor;
            if (!out.has(id) || out.get(id) < v) out.set(id, v);
          });
        });
      });
      return out;
    });
  }

  function phraseIn(text, phrase) {
    var t = tokens(text).map(stem), p = phrase.map(stem);
    outer: for (var i = 0; i + p.length <= t.length; i++) {
      for (var k = 0; k < p.length; k++) if (t[i + k] !== p[k]) continue outer;
      return true;
    }
    return false;
  }

  // PHRASE_CHECK is the most candidates of a phrase query checked at once.
  var PHRASE_CHECK = 50;
  function hasPhrases(f, phrases) {
    var text = f.t + "\n" + f.c.join(" ") + "\n" + f.x;
    return phrases.every(function (p) { return phraseIn(text, p); });
  }

  function dayOf(s) { return s ? Math.floor(Date.parse(s + "T00:00:00Z") / 86400000) : null; }

  // PS.search runs a query with its filters: state has q, sort, from and to
  // (YYYY-MM-DD), longer (minutes) and f (facet key -> selected values). It
  // gives the ids of the matches in order, the counts of each facet's values
  // and the parsed query. A phrase with more than PHRASE_CHECK candidates
  // is checked only as PS.page shows results: until then ids and counts
  // hold the documents with every word of it (checked is false).
  PS.search = function (state) {
    var q = parseQuery(state.q || "");
    var matching = q.groups.length
      ? Promise.all(q.groups.map(match)).then(function (maps) {
          var score = new Map();
          maps.sort(function (a, b) { return a.size - b.size; });
          maps[0].forEach(function (w, id) {
            var s = w;
            for (var i = 1; i < maps.length; i++) {
              if (!maps[i].has(id)) return;
              s += maps[i].get(id);
            }
            score.set(id, s);
          });
          return score;
        })
      : Promise.resolve(null);
    return matching.then(function (score) {
      // Few candidates for a phrase: check them all now, so that the counts
      // are exact. Many: PS.page checks them as they are shown.
      if (!score || !q.phrases.length || score.size > PHRASE_CHECK) return { score: score, checked: !q.phrases.length };
      var ids = Array.from(score.keys());
      return Promise.all(ids.map(loadFrag)).then(function (fs) {
        fs.forEach(function (f, i) { if (!f || !hasPhrases(f, q.phrases)) score.delete(ids[i]); });
        return { score: score, checked: true };
      });
    }).then(function (m) {
      var score = m.score, c = meta.cols, from = dayOf(state.from), to = dayOf(state.to), longer = +state.longer || 0;
      var base = [];
      for (var id = 0; id < meta.n; id++) {
        if (score && !score.has(id)) continue;
        if (from !== null && c.day[id] < from) continue;
        if (to !== null && c.day[id] > to) continue;
        if (longer && c.duration[id] <= longer) continue;
        base.push(id);
      }
      var selected = {}, f0 = state.f || {};
      meta.facets.forEach(function (f) {
        selected[f] = new Set((f0[f] || []).map(function (v) { return meta.values[f].indexOf(v); }).filter(function (i) { return i >= 0; }));
      });
      function has(f, id) {
        var v = c[f][id];
        if (Array.isArray(v)) return v.some(function (x) { return selected[f].has(x); });
        return selected[f].has(v);
      }
      function passes(id, except) {
        for (var i = 0; i < meta.facets.length; i++) {
          var f = meta.facets[i];
          if (f !== except && selected[f].size && !has(f, id)) return false;
        }
        return true;
      }
      // A facet's counts apply every filter but its own, so that choosing
      // one value keeps the others of the same facet to add.
      var counts = {};
      meta.facets.forEach(function (f) {
        var n = new Array(meta.values[f].length).fill(0);
        base.forEach(function (id) {
          if (!passes(id, f)) return;
          var v = c[f][id];
          if (Array.isArray(v)) { for (var k = 0; k < v.length; k++) if (v[k] >= 0) n[v[k]]++; } else if (v >= 0) n[v]++;
        });
        counts[f] = n;
      });
      var ids = base.filter(function (id) { return passes(id, null); });
      var sev = function (id) { return c.severity[id] < 0 ? 99 : c.severity[id]; };
      var by = {
        relevance: function (a, b) { return score.get(b) - score.get(a) || a - b; },
        newest: function (a, b) { return c.day[b] - c.day[a] || a - b; },
        oldest: function (a, b) { return c.day[a] - c.day[b] || a - b; },
        severity: function (a, b) { return sev(a) - sev(b) || c.day[b] - c.day[a] || a - b; },
        duration: function (a, b) { return c.duration[b] - c.duration[a] || a - b; }
      };
      // Own properties only: ?sort=__proto__ must not find Object.prototype.
      var sort = Object.prototype.hasOwnProperty.call(by, state.sort) ? state.sort : "relevance";
      if (sort === "relevance" && !score) sort = "newest"; // browsing: newest first
      ids.sort(by[sort]);
      return { ids: ids, counts: counts, q: q, pos: 0, exact: m.checked, checked: m.checked };
    });
  };

  // PS.page gives the next n results of a search as {id, frag}, reading
  // fragments only for them (and, with phrases, for the candidates checked).
  PS.page = function (res, n) {
    var out = [];
    function step() {
      if (out.length >= n || res.pos >= res.ids.length) {
        if (res.pos >= res.ids.length) res.exact = true;
        return Promise.resolve(out);
      }
      var batch = res.ids.slice(res.pos, res.pos + (res.checked ? n - out.length : Math.max(n, 20)));
      return Promise.all(batch.map(loadFrag)).then(function (fs) {
        for (var i = 0; i < batch.length; i++) {
          var f = fs[i];
          if (out.length >= n) break;
          res.pos++;
          if (!f) continue;
          if (!res.checked) {
            if (!hasPhrases(f, res.q.phrases)) {
              res.ids.splice(res.pos - 1, 1);
              res.pos--;
              continue;
            }
          }
          out.push({ id: batch[i], frag: f });
        }
        return step();
      });
    }
    return step();
  };

  // ---- State in the URL ----

  var state = null; // read from the URL once meta.js has the facets
  function readURL() {
    var u = new URLSearchParams(location.search), s = { q: u.get("q") || "", sort: u.get("sort") || "",
      from: u.get("from") || "", to: u.get("to") || "", longer: u.get("longer") || "", f: {} };
    meta.facets.forEach(function (f) { s.f[f] = u.getAll(f); });
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

  // ---- Running a search ----

  var els = {};
  var seq = 0;
  var current = { res: null, shown: 0, q: { groups: [], phrases: [] } };

  function run() {
    var my = ++seq;
    return PS.search(state).then(function (res) {
      if (my !== seq) return;
      renderFacets(res.counts);
      current = { res: res, shown: 0, q: res.q };
      return PS.page(res, PAGE).then(function (list) {
        if (my !== seq) return;
        els.results.textContent = "";
        show(list);
      });
    });
  }

  function show(list) {
    var res = current.res, n = res.ids.length;
    list.forEach(function (r) { els.results.appendChild(result(r.id, r.frag)); });
    current.shown += list.length;
    var count = (n === 1 ? word("single", "%d incident") : word("many", "%d incidents")).replace("%d", n);
    els.status.textContent = !n ? word("none", "No incidents match.") :
      (res.exact ? count : word("up-to", "Up to %d incidents (checking the phrase)").replace("%d", n));
    els.more.hidden = current.shown >= n;
  }

  function more() {
    var my = seq;
    return PS.page(current.res, PAGE).then(function (list) {
      if (my === seq) show(list);
    });
  }

  function esc(s) {
    return s.replace(/[&<>"']/g, function (ch) { return "&#" + ch.charCodeAt(0) + ";"; });
  }
  function matches(word) {
    var groups = current.q.groups, t = tokens(word)[0];
    if (!t) return false;
    var s = stem(t);
    return groups.some(function (g) { return s === g.stem || (g.prefix && t.slice(0, g.word.length) === g.word); });
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

  function renderFacets(counts) {
    var box = els.facets;
    box.textContent = "";
    meta.facets.forEach(function (f) {
      var order = meta.values[f].map(function (v, i) { return i; }).filter(function (i) {
        return counts[f][i] > 0 || state.f[f].indexOf(meta.values[f][i]) >= 0;
      });
      order.sort(function (a, b) { return counts[f][b] - counts[f][a] || a - b; });
      if (!order.length) return;
      var fs = document.createElement("fieldset");
      var lg = document.createElement("legend");
      lg.textContent = word("facet-" + f.replace(/_/g, "-"), f);
      fs.appendChild(lg);
      order.forEach(function (i) {
        var v = meta.values[f][i];
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.name = f;
        box.value = v;
        box.checked = state.f[f].indexOf(v) >= 0;
        var name = document.createElement("span");
        name.textContent = v;
        var count = document.createElement("span");
        count.className = "count";
        count.textContent = String(counts[f][i]);
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
    els.longer.value = state.longer;
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
    syncInputs();
    els.input.addEventListener("input", function () {
      state.q = els.input.value;
      writeURL(false);
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
      if (e.key === "Escape") {
        state.q = "";
        els.input.value = "";
        writeURL(false);
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
    window.addEventListener("popstate", function () {
      state = readURL();
      syncInputs();
      run();
    });
    els.input.focus();
    run();
  }

  if (!page) return; // loaded for its functions only, as the tests do
  PS.ready().then(function () {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  });
})();
