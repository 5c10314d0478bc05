// Search page of the default theme, in three files loaded in this order
// after stem.js: search-index.js (this one: words, and reading the index),
// search-query.js (running queries) and search.js (the page). The index is a set of script files made
// by `postmortem build` (generator/search): meta.js (the table of contents:
// the layout of the facets, the names of the other files, and the newest
// incidents), t/*.js (postings, by term prefix), r/*.js (the rest of the
// postings of a term in many incidents, see PS.shard), f/*.js (what a result
// shows, a group of incidents a file), x/*.js (their texts, for phrases),
// c/*.js (the incidents of each root cause) and m/*.js (the facets, days
// and durations of every incident, the meta table). They are loaded with
// <script> tags, which work over HTTP and from disk alike, and only when a
// query needs them: the meta table, the largest, only for facet counts,
// filters and sorts other than by relevance, unless it is small. Every
// file but meta.js is named by its content, so that files of two builds
// never mix.
(function () {
  "use strict";

  var PS = (window.PostmortemSearch = window.PostmortemSearch || {});
  var page = document.getElementById("search");
  var root = page ? page.getAttribute("data-root") || "" : "";
  var meta = null;
  var shards = new Map();
  var frags = new Map(); // id -> card
  var texts = new Map(); // id -> the terms of its words in order, for phrases
  var causes = new Map(); // root cause -> Set of ids
  var pending = new Map();
  // EAGER_TABLE is the size of the meta table, in bytes, up to which it is
  // loaded with meta.js, as on a small site a query then shows its facet
  // counts at once; the tests in Node change it.
  PS.eagerTable = PS.eagerTable === undefined ? 64 * 1024 : PS.eagerTable;

  // ---- Words: the same folding and stemming as generator/search ----

  // Latin, Greek and Cyrillic letters lose their marks (as generator/search's
  // folds table has it); other scripts keep theirs.
  var MARKED = /[\u00c0-\u024f\u0370-\u04ff\u1e00-\u1fff]/g;
  function unmark(ch) {
    var f = ch.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    return /^\p{L}+$/u.test(f) ? f : ch;
  }
  function fold(text) {
    return text.replace(MARKED, unmark).replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/ς/g, "σ");
  }
  function tokens(text) { return fold(text).match(/[\p{L}\p{N}]+/gu) || []; }
  // stem is Porter2, from stem.js, which the page loads first.
  function stem(w) { return PS.stemEnglish(w); }
  // compounds gives, for each compound word of text (tokens that one of
  // - . _ / joins: "payments-gateway", "v2.1.3"), the compound terms of its
  // tokens two by two, as generator/search PairTerm makes them.
  function compounds(text) {
    return (fold(text).match(/[\p{L}\p{N}]+(?:[-._\/][\p{L}\p{N}]+)+/gu) || []).map(function (w) {
      var t = w.split(/[-._\/]/).map(stem);
      return t.slice(1).map(function (b, k) { return "~" + t[k] + "-" + b; });
    });
  }
  PS.stem = stem;
  PS.tokens = tokens;
  // I holds what search-query.js and search.js share with this file.
  var I = (PS.internal = { tokens: tokens, stem: stem, compounds: compounds, shards: shards, frags: frags, meta: null });

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

  // textNums reads the numbers of a file of texts: digits past the first
  // textEnds of TEXT, then one of those, each length holding the numbers
  // that follow those of the shorter ones (generator/search appendTextNum).
  var TEXT = new Map(), textEnds = 0;
  function textNums(s) {
    var out = [], links = TEXT.size - textEnds, from = 0, span = textEnds, v = 0;
    for (var i = 0; i < s.length; i++) {
      var c = TEXT.get(s[i]);
      if (c >= textEnds) {
        v = v * links + c - textEnds;
        from += span;
        span *= links;
        continue;
      }
      out.push(from + v * textEnds + c);
      from = 0;
      span = textEnds;
      v = 0;
    }
    return out;
  }

  // PS.meta reads the table of contents; the meta table's parts follow
  // when a query needs them.
  var toc = null;
  PS.meta = function (m) {
    toc = m;
    for (var d = 0; d < m.digits.length; d++) DIGIT.set(m.digits[d], d);
    for (d = 0; d < m.textDigits.length; d++) TEXT.set(m.textDigits[d], d);
    textEnds = m.textEnds;
    done("toc", m);
  };
  PS.rows = function (r) { done("m:" + r.part, r); };

  // assemble joins the parts of the meta table into one table by row, the
  // rows in the order of the ids; a facet's values become indexes into the
  // site's values of it, as meta.js lists them.
  function assemble(m, parts) {
    var ids = [], rowOf = new Map(), cols = { day: [], duration: [] }, index = {};
    m.facets.forEach(function (f) {
      if (f.day) return;
      cols[f.key] = [];
      index[f.key] = new Map(m.values[f.key].map(function (v, i) { return [v, i]; }));
    });
    function unpackDuration(v) { return v < m.duration.exact ? v : m.duration.exact + (v - m.duration.exact) * m.duration.step; }
    parts.forEach(function (r) {
      if (!r) return; // a file that failed to load
      var w = r.width, gaps = nums(r.ids), n = gaps.length, id = 0;
      for (var k = 0; k < n; k++) {
        id += gaps[k];
        rowOf.set(id, ids.length);
        ids.push(id);
        cols.day.push(r.day0 + num(r.cols.day, k * w.day, w.day));
        cols.duration.push(unpackDuration(num(r.cols.duration, k * w.duration, w.duration)));
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
    return { n: ids.length, cols: cols, ids: ids, rowOf: rowOf };
  }
  // card reads a result's card, as generator/search writes it: its URL
  // without the affixes of every URL, which meta.js gives.
  function card(a) { return { t: a[0], u: toc.url[0] + a[1] + toc.url[1], d: a[2], s: a[3], c: a[4], x: a[5] }; }
  // shardFiles gives the file of each shard: its prefixes are separated by
  // spaces, the names of their files 8 letters each.
  function shardFiles(s) {
    var out = new Map(), w = s.keys ? s.names.length / s.keys.split(" ").length : 0;
    (s.keys ? s.keys.split(" ") : []).forEach(function (k, i) { out.set(k, "t/" + s.names.substr(i * w, w) + ".js"); });
    return out;
  }
  // begin makes what the page knows from meta.js alone.
  function begin(m) {
    m.latest.forEach(function (l) { frags.set(l[0], card(l[1])); });
    return { n: m.n, facets: m.facets.map(function (f) { return f.key; }), values: m.values, table: null,
      shards: m.shards.keys ? m.shards.keys.split(" ") : [], shardFile: shardFiles(m.shards),
      latest: m.latest.map(function (l) { return l[0]; }), cards: m.cards, texts: m.texts,
      causeFile: new Map(m.values.root_cause.map(function (v, i) { return [v, m.causes[i]]; })),
      lengthBase: m.lengthBase, lengthFrom: m.lengthFrom, avglen: m.avglen || 1, syn: m.syn || [], lift: m.lift || 0 };
  }
  // PS.shard reads the postings of a shard and weighs them by BM25: the
  // index holds each term's weighted frequency and each document's packed
  // length, the page the rest. The entry of a term in many incidents is
  // an array: its best postings, the name of the file of the others (ids
  // only: see PS.rest), how many incidents it is in, and the frequency
  // and packed length that weigh each of the others.
  var K1 = 1.2, B = 0.75;
  var rests = new Map(); // term -> its postings, while its rest is not loaded
  function bm25(idf, tf, len) {
    return idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * Math.pow(meta.lengthBase, len) / meta.avglen));
  }
  PS.shard = function (key, data) {
    var terms = {};
    Object.keys(data).forEach(function (t) {
      var entry = data[t], tiered = Array.isArray(entry);
      // Each posting: the gap from the last id; the frequency times 16
      // plus the packed length less lengthFrom, or plus 15 and then the
      // packed length (generator/search appendTF).
      var ns = nums(tiered ? entry[0] : entry), ids = [], tfs = [], lens = [], id = 0;
      for (var i = 0; i + 1 < ns.length;) {
        id += ns[i];
        var v = ns[i + 1], len = v % 16 + meta.lengthFrom;
        i += 2;
        if (v % 16 === 15) len = ns[i++];
        ids.push(id);
        tfs.push(Math.floor(v / 16));
        lens.push(len);
      }
      var post = new Map(), df = tiered ? entry[2] : ids.length;
      var idf = Math.log(1 + (meta.n - df + 0.5) / (df + 0.5));
      for (var k = 0; k < ids.length; k++) post.set(ids[k], bm25(idf, tfs[k], lens[k]));
      post.idf = idf;
      if (tiered) {
        post.rest = { file: "r/" + entry[1] + ".js", weight: bm25(idf, entry[3], entry[4]) };
        rests.set(t, post);
      }
      terms[t] = post;
    });
    shards.set(key, terms);
    done("t:" + key, terms);
  };
  // PS.rest adds the other incidents of a term in many to its postings,
  // each of the weight its entry gives: their ids as gaps.
  PS.rest = function (t, gaps) {
    addRest(t, function (add) {
      var id = 0;
      nums(gaps).forEach(function (g) { id += g; add(id); });
    });
  };
  // PS.restBits does as PS.rest, the ids as a bitmap: six a digit, the
  // lowest id the lowest bit.
  PS.restBits = function (t, bitmap) {
    addRest(t, function (add) {
      for (var i = 0; i < bitmap.length; i++) {
        var d = DIGIT.get(bitmap[i]);
        for (var b = 0; d; b++, d >>= 1) if (d & 1) add(6 * i + b);
      }
    });
  };
  function addRest(t, each) {
    var post = rests.get(t);
    if (post) {
      each(function (id) { post.set(id, post.rest.weight); });
      post.rest = null;
      rests.delete(t);
    }
    done("r:" + t, true);
  }
  // loadRests loads the rest of the postings of each term of posts, by
  // term, that has one.
  function loadRests(posts) {
    return Promise.all(Object.keys(posts).map(function (t) {
      var r = posts[t].rest;
      return r ? load("r:" + t, r.file) : null;
    }));
  }
  PS.cards = function (g, data) {
    Object.keys(data).forEach(function (id) { frags.set(+id, card(data[id])); });
    done("f:" + g, true);
  };
  // PS.texts reads the terms of the words of a group's incidents: the
  // group's terms, and for each incident the index of each word's term.
  PS.texts = function (g, terms, data) {
    Object.keys(data).forEach(function (id) {
      texts.set(+id, textNums(data[id]).map(function (k) { return terms[k]; }));
    });
    done("x:" + g, true);
  };
  PS.cause = function (c, gaps) {
    var set = new Set(), id = 0;
    nums(gaps).forEach(function (g) { id += g; set.add(id); });
    causes.set(c, set);
    done("c:" + c, set);
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
  // group gives the group of id in gs (meta.cards or meta.texts), the key
  // of its file and its path.
  function group(dir, gs, id) {
    var g = Math.floor(id / Math.pow(2, gs.shift)), w = gs.width;
    return { key: dir + ":" + g, file: dir + "/" + g.toString(36) + "." + gs.names.substr(g * w, w) + ".js" };
  }
  // loadFrag gives the card of the incident of id, loading its group.
  function loadFrag(id) {
    if (frags.has(id)) return Promise.resolve(frags.get(id));
    var g = group("f", meta.cards, id);
    return load(g.key, g.file).then(function () { return frags.get(id) || null; });
  }
  // loadText gives the terms of the words of the incident of id, in order:
  // its title, root causes and other facets, summary and text.
  function loadText(id) {
    var g = group("x", meta.texts, id);
    return load(g.key, g.file).then(function () { return texts.get(id) || null; });
  }
  // textGroup gives the key of the group of texts of the incident of id.
  function textGroup(id) { return group("x", meta.texts, id).key; }
  // loadCauses gives the ids of the incidents of each root cause of list.
  function loadCauses(list) {
    return Promise.all(list.map(function (c) {
      if (!meta.causeFile.has(c)) return Promise.resolve(new Set());
      return load("c:" + c, meta.causeFile.get(c)).then(function (s) { return s || new Set(); });
    }));
  }
  // loadTable loads the meta table, once, and gives it.
  var table = null;
  function loadTable() {
    if (!table) {
      table = Promise.all(toc.parts.map(function (p) { return load("m:" + p.n, p.file); })).then(function (parts) {
        meta.table = assemble(toc, parts);
        return meta.table;
      });
    }
    return table;
  }
  // PS.ready loads meta.js, and the meta table when it is small, and gives
  // what the page knows of the index.
  var ready = null;
  PS.ready = function () {
    if (!ready) {
      ready = load("toc", "meta.js").then(function (m) {
        if (!m) throw new Error("search/meta.js did not load");
        meta = I.meta = begin(m);
        return m.table <= PS.eagerTable ? loadTable() : null;
      }).then(function () { return meta; });
    }
    return ready;
  };
  I.loadTable = loadTable;
  I.loadText = loadText;
  I.textGroup = textGroup;
  I.loadCauses = loadCauses;
  I.load = load;
  I.loadFrag = loadFrag;
  I.shardsFor = shardsFor;
  I.loadShards = loadShards;
  I.loadRests = loadRests;
})();
