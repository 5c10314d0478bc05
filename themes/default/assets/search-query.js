// Queries of the search page (see search-index.js): a query is split into
// groups, one a word or a phrase that a synonym group names, each finding
// incidents by its stem, as a prefix, and by its synonyms. Incidents with
// every group come first; when none has them all, those with the most.
(function () {
  "use strict";

  var PS = window.PostmortemSearch, I = PS.internal, tokens = I.tokens, stem = I.stem;
  var K1 = 1.2;
  // What a match counts for, against a word whose stem is the term's: a
  // prefix of a term, or a word of a synonym.
  var PREFIX = 0.5, SYNONYM = 0.9;
  // MAX_PREFIX is the most terms a prefix finds.
  var MAX_PREFIX = 200;

  // expand splits the tokens of a query into groups by the synonyms (each
  // group a list of members, each a list of tokens), as generator/search
  // Expand does: at each token, the longest member the tokens start with
  // there makes one group of all its synonym group's members (the first
  // synonym group with it on a tie); any other token is a group alone.
  function expand(words, syn) {
    var out = [];
    function same(a, b) { return a.length === b.length && a.every(function (x, k) { return x === b[k]; }); }
    for (var i = 0; i < words.length;) {
      var best = -1, bestLen = 0;
      syn.forEach(function (g, gi) {
        g.forEach(function (m) {
          if (m.length > bestLen && i + m.length <= words.length && same(words.slice(i, i + m.length), m)) { best = gi; bestLen = m.length; }
        });
      });
      if (best < 0) {
        out.push({ words: [words[i]], alts: [[words[i]]] });
        i++;
        continue;
      }
      var g = { words: words.slice(i, i + bestLen), alts: [words.slice(i, i + bestLen)] };
      syn[best].forEach(function (m) { if (!same(m, g.words)) g.alts.push(m); });
      out.push(g);
      i += bestLen;
    }
    return out;
  }
  PS.expand = expand;

  // parseQuery splits a query into groups (see expand) and quoted phrases,
  // each word of which is a group too, and gives the compound words of
  // both (see I.compounds). A typed word of 3 letters or more also matches
  // as a prefix, and so does the last word of 2 when the query ends in it;
  // a last one of 1 letter waits for the next.
  function parseQuery(q, syn) {
    var phrases = [], rest = q.replace(/"([^"]*)"?/g, function (m, p, at) {
      var t = tokens(p);
      // A phrase still being typed ("pool r): its last word, a part,
      // waits for the next space or the closing quote.
      if (m.charAt(m.length - 1) !== '"' && at + m.length === q.length && /[\p{L}\p{N}]$/u.test(q)) t.pop();
      if (t.length) phrases.push(t);
      return " ";
    });
    var words = tokens(rest);
    var trailing = /[\p{L}\p{N}]$/u.test(q) && (q.match(/"/g) || []).length % 2 === 0;
    // A last word of one letter (not a digit: "v2.1.4") being typed is
    // not searched yet: it would be told as a word no incident has, a
    // keystroke before it is one.
    if (trailing && words.length && /^\p{L}$/u.test(words[words.length - 1])) words.pop();
    var groups = expand(words, syn || []).map(function (g, gi, all) {
      return {
        words: g.words,
        alts: g.alts.map(function (alt, ai) {
          return alt.map(function (w, k) {
            var last = trailing && gi === all.length - 1 && k === alt.length - 1;
            // The words of a synonym group are written as the site's
            // synonyms write them, not typos: none stands for a term
            // close to it ("cert" for "cart").
            return { word: w, stem: stem(w), prefix: ai === 0 && (w.length >= 3 || (last && w.length >= 2)), typing: ai === 0 && last, exact: g.alts.length > 1 };
          });
        })
      };
    });
    phrases.forEach(function (p) {
      p.forEach(function (w) { groups.push({ words: [w], alts: [[{ word: w, stem: stem(w), prefix: false, exact: true }]], phrase: true }); });
    });
    return { groups: groups, phrases: phrases, compounds: I.compounds(q) };
  }
  PS.parseQuery = parseQuery;

  // put keeps in out, for each row of post, the most it counts for.
  function put(out, post, factor) {
    post.forEach(function (w, id) {
      var v = w * factor;
      if (!out.has(id) || out.get(id) < v) out.set(id, v);
    });
  }
  function eachTerm(keys, fn) {
    keys.forEach(function (k) {
      var terms = I.shards.get(k) || {};
      Object.keys(terms).forEach(function (t) { fn(t, terms[t]); });
    });
  }
  function unique(keys) { return keys.filter(function (k, i) { return keys.indexOf(k) === i; }); }

  // FALLBACK_REST is the most letters a typed word may have past the
  // longest term it starts with for that term to stand for it.
  var FALLBACK_REST = 7;

  // matchWord gives, for one word of a query, a Map of row to weight and
  // the idf of its stem: its matches among the terms (matchKnown), else,
  // but in a quoted phrase, those of the term closest to it (closeTo),
  // which close names.
  function matchWord(t) {
    var keys = unique(I.shardsFor(t.prefix ? t.word : t.stem, t.prefix).concat(I.shardsFor(t.stem, false)));
    return matchKnown(t, keys).then(function (m) {
      return m.map.size || t.exact || t.word.length < CLOSE_FROM || t.stem.charAt(0) === "~" ? m : closeTo(t, keys);
    });
  }

  // CLOSE_FROM is the fewest letters of a word that no term matches for the
  // term closest to it to stand for it (see closeTo), and CLOSE what a
  // match of that term counts for.
  var CLOSE_FROM = 4, CLOSE = 0.4;

  // closeTo gives, for a word that no term matches, the matches of the term
  // closest to it among those of the shards keys, which its own look-up
  // loaded: a typo past the word's first letters ("certficate", "latncy").
  // A term is close when one edit (a letter added, dropped, changed, or
  // two swapped) makes the word's stem the term, two for a word of 8
  // letters or more; or makes the word's first letters the term, two for
  // a term of 8 letters or more ("throttling" is not "three"). The
  // closest, then the longest, then the one in the most incidents stands
  // for the word, as res.close tells.
  function closeTo(t, keys) {
    var most = t.word.length >= 8 ? 2 : 1, best = null, bestD = most + 1;
    eachTerm(keys, function (term, post) {
      if (term.length < CLOSE_FROM || term.charAt(0) === "~") return;
      var d = edits(t.stem, term, most), first = term.length >= 8 ? most : 1;
      for (var n = Math.max(term.length - 1, Math.ceil(t.word.length / 2)); n <= Math.min(term.length + 1, t.word.length); n++) {
        var e = edits(t.word.slice(0, n), term, first);
        if (e <= first) d = Math.min(d, e);
      }
      var better = !best || d < bestD || d === bestD && (term.length > best.term.length || term.length === best.term.length && post.idf < best.post.idf);
      if (d <= most && better) { best = { term: term, post: post }; bestD = d; }
    });
    if (!best) return Promise.resolve({ map: new Map(), idf: 0 });
    var posts = {};
    posts[best.term] = best.post;
    return I.loadRests(posts).then(function () {
      var out = new Map();
      put(out, best.post, CLOSE);
      return { map: out, idf: best.post.idf, close: best.term };
    });
  }

  // edits gives how many edits (a letter added, dropped or changed, or two
  // next to each other swapped) make a into b, or most+1 when more.
  function edits(a, b, most) {
    if (Math.abs(a.length - b.length) > most) return most + 1;
    var prev2 = null, prev = [], cur;
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      cur = [i];
      var low = i;
      for (var j = 1; j <= b.length; j++) {
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur.push(v);
        low = Math.min(low, v);
      }
      if (low > most) return most + 1;
      prev2 = prev;
      prev = cur;
    }
    return Math.min(prev[b.length], most + 1);
  }

  // matchKnown gives the matches of a word among the terms of the shards
  // keys. A prefix finds the terms it starts; when there is none and the
  // word is the one being typed (the last, with nothing after it), the term
  // of 3 letters or more that the word starts with, or that but for its
  // last letter, the longest, as a part-typed word does: stems are shorter
  // than words ("certifi" of "certificate", stem "certif") or end otherwise
  // ("scali" of "scaling", stem "scale").
  function matchKnown(t, keys) {
    // found calls fn with each term the word finds, its postings and what
    // they count for.
    function found(fn) {
      var seen = 0;
      eachTerm(keys, function (term, post) {
        if (term === t.stem) fn(term, post, 1);
        else if (t.prefix && term.slice(0, t.word.length) === t.word && seen++ < MAX_PREFIX) fn(term, post, PREFIX);
      });
    }
    return I.loadShards(keys).then(function () {
      var posts = {};
      found(function (term, post) { posts[term] = post; });
      return I.loadRests(posts);
    }).then(function () {
      var out = new Map(), idf = 0;
      found(function (term, post, factor) {
        put(out, post, factor);
        if (factor === 1) idf = Math.max(idf, post.idf);
      });
      if (out.size || !t.typing || t.word.length < 3) return { map: out, idf: idf };
      var more = [];
      for (var n = 2; n < t.word.length; n++) more = more.concat(I.shardsFor(t.word.slice(0, n), false));
      more = unique(more);
      var posts = {}; // term -> postings
      return I.loadShards(more).then(function () {
        // The length of the word the term stands for, twice, plus one when
        // the term ends as the word does.
        var best = 0;
        eachTerm(more, function (term, p) {
          if (term.length < 3 || term.length > t.word.length) return;
          var whole = t.word.slice(0, term.length) === term, n = whole ? term.length : term.length - 1;
          if (!whole && t.word.slice(0, n) !== term.slice(0, n)) return;
          var rank = 2 * n + (whole ? 1 : 0);
          // A term for less than half of the word ("cern" for
          // "certficate") leaves it to closeTo, which reads it as a typo.
          if (t.word.length - n > FALLBACK_REST || 2 * n < t.word.length || rank < best) return;
          if (rank > best) { best = rank; posts = {}; }
          posts[term] = p;
        });
        return I.loadRests(posts);
      }).then(function () {
        Object.keys(posts).forEach(function (term) { put(out, posts[term], PREFIX); });
        return { map: out, idf: idf };
      });
    });
  }

  // matchGroup gives, for a group, a Map of row to weight and the idf of
  // its stems: the best of its members, each of which needs all its words.
  function matchGroup(g) {
    return Promise.all(g.alts.map(function (alt) { return Promise.all(alt.map(matchWord)); })).then(function (alts) {
      var out = new Map(), idf = 0, close = null;
      alts.forEach(function (ms, ai) {
        var factor = ai === 0 ? 1 : SYNONYM;
        if (ai === 0 && ms.length === 1 && ms[0].close) close = ms[0].close;
        ms.sort(function (a, b) { return a.map.size - b.map.size; });
        ms[0].map.forEach(function (w, id) {
          var s = w;
          for (var k = 1; k < ms.length; k++) {
            if (!ms[k].map.has(id)) return;
            s += ms[k].map.get(id);
          }
          s *= factor;
          if (!out.has(id) || out.get(id) < s) out.set(id, s);
        });
        if (ai === 0) ms.forEach(function (m) { idf = Math.max(idf, m.idf); });
      });
      return { map: out, idf: idf, close: close };
    });
  }

  // matchCompound gives, for the compound terms of one compound word of a
  // query, a Map of row to weight: the rows with every term.
  function matchCompound(terms) {
    return Promise.all(terms.map(function (t) { return matchWord({ word: t, stem: t, prefix: false }); })).then(function (ms) {
      var out = new Map();
      ms[0].map.forEach(function (w, id) {
        for (var k = 1; k < ms.length; k++) {
          if (!ms[k].map.has(id)) return;
          w += ms[k].map.get(id);
        }
        out.set(id, w);
      });
      return out;
    });
  }

  // causesNamed gives the root causes (of meta.values) that a group
  // names: every word of one of its members is a word of the cause.
  function causesNamed(meta, g) {
    return (meta.values.root_cause || []).filter(function (v) {
      var words = tokens(v).map(stem);
      return g.alts.some(function (alt) { return alt.every(function (t) { return words.indexOf(t.stem) >= 0; }); });
    });
  }

  // lifted gives, for each group, the ids of the incidents with a root
  // cause it names (null when it names none), loading the causes' files.
  function lifted(meta, groups) {
    return Promise.all(groups.map(function (g) {
      var named = meta.lift ? causesNamed(meta, g) : [];
      if (!named.length) return null;
      return I.loadCauses(named).then(function (sets) {
        var all = new Set();
        sets.forEach(function (s) { s.forEach(function (id) { all.add(id); }); });
        return all;
      });
    }));
  }

  // score combines the groups' matches: the incidents with every group that
  // matches something, or when there are none, every incident with one of
  // them, ranked by how many (hits). A group that names a root cause lifts
  // the incidents with that cause (lift[i], the ids), as if its words were
  // there once more with the root causes' weight. Each compound word
  // (joined, maps of matchCompound) lifts the incidents that have it
  // joined, not only its words apart: "payments-gateway" ranks the
  // service's incidents before those that name payments and a gateway.
  function score(meta, groups, found, lift, joined) {
    var known = [], ignored = [], close = [];
    groups.forEach(function (g, i) {
      if (found[i].map.size) known.push(i);
      else ignored.push(g.words.join(" "));
      if (found[i].map.size && found[i].close) {
        close.push(g.words.join(" "));
        // So that the page highlights the words of the term that stood in.
        g.alts.push([{ word: found[i].close, stem: found[i].close, prefix: false }]);
      }
    });
    var sum = new Map(), hits = new Map();
    known.forEach(function (i) {
      found[i].map.forEach(function (w, id) {
        sum.set(id, (sum.get(id) || 0) + w);
        hits.set(id, (hits.get(id) || 0) + 1);
      });
    });
    var all = false;
    hits.forEach(function (n) { if (n === known.length) all = true; });
    if (all) hits.forEach(function (n, id) { if (n < known.length) { sum.delete(id); hits.delete(id); } });
    known.forEach(function (i) {
      if (!lift[i]) return;
      var bonus = found[i].idf * meta.lift * (K1 + 1) / (meta.lift + K1);
      sum.forEach(function (s, id) { if (lift[i].has(id)) sum.set(id, s + bonus); });
    });
    var compounds = new Map(); // id -> how many compound words it has joined
    joined.forEach(function (m) {
      m.forEach(function (w, id) {
        if (!sum.has(id)) return;
        sum.set(id, sum.get(id) + w);
        compounds.set(id, (compounds.get(id) || 0) + 1);
      });
    });
    return { score: sum, hits: hits, compounds: compounds, partial: !all && known.length > 1 && sum.size > 0, ignored: ignored, close: close };
  }

  // phraseIn says whether the terms t, of an incident's words in order,
  // hold the words of phrase in a row.
  function phraseIn(t, phrase) {
    var p = phrase.map(stem);
    outer: for (var i = 0; i + p.length <= t.length; i++) {
      for (var k = 0; k < p.length; k++) if (t[i + k] !== p[k]) continue outer;
      return true;
    }
    return false;
  }

  // PHRASE_CHECK is the most candidates of a phrase query checked at once:
  // each may load the texts of its group of incidents.
  var PHRASE_CHECK = 10;
  function hasPhrases(terms, phrases) {
    return phrases.every(function (p) { return phraseIn(terms, p); });
  }
  // checkPhrases says whether the incident of id holds every phrase: each
  // one in its card's title, root causes or snippet (each alone, where its
  // words are in a row in the text too), else in its text, whose group is
  // loaded only then.
  function checkPhrases(id, phrases) {
    return I.loadFrag(id).then(function (f) {
      var rest = notInCard(f, phrases);
      if (!rest.length) return true;
      return I.loadText(id).then(function (t) { return t !== null && hasPhrases(t, rest); });
    });
  }
  // notInCard gives the phrases that the card f (null: none) does not
  // hold in its title, root causes or snippet.
  function notInCard(f, phrases) {
    var fields = f ? [f.t, f.c.join(" "), f.x].map(function (s) { return tokens(s).map(stem); }) : [];
    return phrases.filter(function (p) { return !fields.some(function (t) { return phraseIn(t, p); }); });
  }

  // relevance orders the ids of the incidents found (see score): those
  // with more of the query's words first, then more of its compound words
  // joined, then the higher score, then the lower id.
  function relevance(found) {
    var hits = found.hits, joined = found.compounds, score = found.score;
    return function (a, b) {
      return hits.get(b) - hits.get(a) || (joined.get(b) || 0) - (joined.get(a) || 0) || score.get(b) - score.get(a) || a - b;
    };
  }

  function dayOf(s) { return s ? Math.floor(Date.parse(s + "T00:00:00Z") / 86400000) : null; }

  // minutesOf reads a length as a URL may give it: minutes ("480"), or in
  // days, hours and minutes ("8h", "1h30m", "2d", "90min"); 0 for none.
  function minutesOf(s) {
    s = String(s || "").trim().toLowerCase();
    if (/^\d+$/.test(s)) return +s;
    var m = /^(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?$/.exec(s);
    return m ? (+m[1] || 0) * 1440 + (+m[2] || 0) * 60 + (+m[3] || 0) : 0;
  }
  PS.minutesOf = minutesOf;

  // needsTable says whether a search needs the meta table: to filter, or
  // to sort otherwise than by relevance (the newest first, when nothing is
  // typed, takes only the first page from meta.js).
  function needsTable(meta, state, q) {
    var f0 = state.f || {}, sort = state.sort || "";
    if (state.from || state.to || minutesOf(state.longer)) return true;
    if (meta.facets.some(function (f) { return (f0[f] || []).length > 0; })) return true;
    // Own properties only, as PS.search sorts: ?sort=__proto__ is relevance.
    if (!Object.prototype.hasOwnProperty.call(SORTS, sort) || sort === "relevance") return false;
    return q.groups.length > 0 || sort !== "newest";
  }
  var SORTS = { relevance: 1, newest: 1, oldest: 1, severity: 1, duration: 1 };

  // PS.search runs a query with its filters: state has q, sort, from and to
  // (YYYY-MM-DD), longer (minutes, or as minutesOf reads it: "8h") and f
  // (facet key -> selected values). It gives the ids of the matches in
  // order, the counts of each facet's values (null without the meta table:
  // see needsTable and I.loadTable), the parsed query, whether the matches
  // lack some words (partial) and the words that match nothing (ignored). A
  // phrase with more than PHRASE_CHECK candidates is checked only as
  // PS.page shows results (see checkGroups): until then ids and counts hold
  // the documents with every word of it (checked is false). With nothing
  // typed nor filtered and no meta table, ids are the newest incidents of
  // meta.js and total is every incident (preview).
  PS.search = function (state) {
    var meta = I.meta, q = parseQuery(state.q || "", meta.syn), found = null;
    var tabled = meta.table || !needsTable(meta, state, q) ? Promise.resolve(meta.table) : I.loadTable();
    var matching = tabled.then(function () {
      if (!q.groups.length) return null;
      return Promise.all([Promise.all(q.groups.map(matchGroup)), lifted(meta, q.groups), Promise.all(q.compounds.map(matchCompound))]).then(function (r) {
        found = score(meta, q.groups, r[0], r[1], r[2]);
        return found.score;
      });
    });
    return matching.then(function (score) {
      // Few candidates for a phrase: check them all now, so that the counts
      // are exact. Many: PS.page checks them as they are shown.
      if (!score || !q.phrases.length || score.size > PHRASE_CHECK) return { score: score, checked: !q.phrases.length };
      var ids = Array.from(score.keys());
      return Promise.all(ids.map(function (id) { return checkPhrases(id, q.phrases); })).then(function (ok) {
        ok.forEach(function (has, i) { if (!has) score.delete(ids[i]); });
        return { score: score, checked: true };
      });
    }).then(function (m) {
      var score = m.score, hits = found && found.hits;
      var res = { q: q, pos: 0, exact: m.checked, checked: m.checked, hits: hits, compounds: found && found.compounds, state: state,
        partial: !!(found && found.partial), ignored: found ? found.ignored : [], close: found ? found.close : [] };
      if (!meta.table) {
        res.counts = null;
        if (!score) { // nothing typed: the newest
          res.ids = meta.latest.slice();
          res.total = meta.n;
          res.preview = res.ids.length < meta.n;
          return res;
        }
        res.ids = Array.from(score.keys()).sort(relevance(found));
        res.byRelevance = true;
        return res;
      }
      var t = meta.table, c = t.cols, f = filtered(meta, state, score), counts = f.counts, rows = f.rows;
      var byID = score && relevance(found);
      var sev = function (row) { return c.severity[row] < 0 ? 99 : c.severity[row]; };
      var id = t.ids;
      var by = {
        relevance: score && function (a, b) { return byID(id[a], id[b]) || a - b; },
        newest: function (a, b) { return c.day[b] - c.day[a] || a - b; },
        oldest: function (a, b) { return c.day[a] - c.day[b] || a - b; },
        severity: function (a, b) { return sev(a) - sev(b) || c.day[b] - c.day[a] || a - b; },
        duration: function (a, b) { return c.duration[b] - c.duration[a] || a - b; }
      };
      // Own properties only: ?sort=__proto__ must not find Object.prototype.
      var sort = Object.prototype.hasOwnProperty.call(by, state.sort) ? state.sort : "relevance";
      if (sort === "relevance" && !score) sort = "newest"; // browsing: newest first
      rows.sort(by[sort]);
      res.ids = rows.map(function (row) { return id[row]; });
      res.counts = counts;
      res.byRelevance = sort === "relevance";
      return res;
    });
  };

  // PS.countsOf gives the counts of each facet's values over the incidents
  // of ids (a Set) that pass the filters of state but the facet's own: a
  // phrase's, once every candidate is checked. It needs the meta table.
  PS.countsOf = function (state, ids) { return filtered(I.meta, state, ids).counts; };

  // filtered gives the rows of the meta table of the incidents of score
  // (anything with has(id); null for all) that pass the filters of state,
  // and the counts of each facet's values over those that pass every
  // filter but the facet's own.
  function filtered(meta, state, score) {
    var t = meta.table, c = t.cols, from = dayOf(state.from), to = dayOf(state.to), longer = minutesOf(state.longer);
    var base = [];
    for (var row = 0; row < t.n; row++) {
      if (score && !score.has(t.ids[row])) continue;
      if (from !== null && c.day[row] < from) continue;
      if (to !== null && c.day[row] > to) continue;
      if (longer && c.duration[row] <= longer) continue;
      base.push(row);
    }
    var selected = {}, f0 = state.f || {};
    meta.facets.forEach(function (f) {
      selected[f] = new Set((f0[f] || []).map(function (v) { return meta.values[f].indexOf(v); }).filter(function (i) { return i >= 0; }));
    });
    function has(f, row) {
      var v = c[f][row];
      if (Array.isArray(v)) return v.some(function (x) { return selected[f].has(x); });
      return selected[f].has(v);
    }
    // A filter whose values the site does not have (a link gone stale)
    // matches nothing, rather than being dropped.
    function passes(row, except) {
      for (var i = 0; i < meta.facets.length; i++) {
        var f = meta.facets[i];
        if (f !== except && (f0[f] || []).length && !has(f, row)) return false;
      }
      return true;
    }
    // A facet's counts apply every filter but its own, so that choosing
    // one value keeps the others of the same facet to add.
    var counts = {};
    meta.facets.forEach(function (f) {
      var n = new Array(meta.values[f].length).fill(0);
      base.forEach(function (row) {
        if (!passes(row, f)) return;
        var v = c[f][row];
        if (Array.isArray(v)) { for (var k = 0; k < v.length; k++) if (v[k] >= 0) n[v[k]]++; } else if (v >= 0) n[v]++;
      });
      counts[f] = n;
    });
    return { rows: base.filter(function (row) { return passes(row, null); }), counts: counts };
  }

  // exactFirst orders a page of results by relevance so that within it,
  // an incident with more of the query's words as typed comes before one
  // that has them only as other words of the same stem ("rotated" before
  // "rotation" for the query rotated): the index holds stems, and the words
  // as written are in the cards the page loads for the results it shows
  // (title, root causes, the start of the summary). Fewer words matched,
  // or fewer compound words joined, still come after more; otherwise the
  // order stays.
  function exactFirst(out, res) {
    var q = res.q;
    if (!q.groups.length || !res.hits) return;
    var typed = q.groups.map(function (g) { return g.alts[0].map(function (w) { return w.word; }); });
    out.forEach(function (r, i) {
      var f = r.frag, words = new Set(tokens(f.t + " " + f.c.join(" ") + " " + f.x));
      r.rank = i;
      r.exactWords = typed.filter(function (ws) { return ws.every(function (w) { return words.has(w); }); }).length;
    });
    out.sort(function (a, b) {
      var joined = res.compounds;
      return res.hits.get(b.id) - res.hits.get(a.id) || (joined.get(b.id) || 0) - (joined.get(a.id) || 0) ||
        b.exactWords - a.exactWords || a.rank - b.rank;
    });
  }

  // PHRASE_TEXTS is the most groups of texts that one page of the results
  // of a phrase with many candidates loads.
  var PHRASE_TEXTS = 3;

  // checkGroups checks the phrases of a search on candidates not yet
  // checked until n have them or PHRASE_TEXTS groups of texts are loaded.
  // The best candidate left is checked on its card, which a result shows
  // anyway; when its card does not hold the phrases, the texts of its
  // group are loaded, and every candidate of that group is checked, which
  // costs nothing more. A candidate with the phrases waits in res.pool, in
  // the order of the candidates, until a page shows it; res.ids stays the
  // results shown, then the pool, then the candidates left (res.left). A
  // page may then show a result that ranks below a candidate not yet
  // checked: results come from the groups of the best candidates, in order
  // within what was checked.
  function checkGroups(res, n) {
    if (!res.left) {
      res.left = res.ids.slice(res.pos);
      res.pool = [];
      res.rank = new Map(res.left.map(function (id, i) { return [id, i]; }));
    }
    var loaded = 0;
    function finish() {
      res.ids = res.ids.slice(0, res.pos).concat(res.pool, res.left);
      res.checked = !res.left.length;
    }
    function step() {
      if (res.pool.length >= n || !res.left.length) return Promise.resolve(finish());
      var best = res.left[0];
      return I.loadFrag(best).then(function (f) {
        if (f && !notInCard(f, res.q.phrases).length) {
          res.pool.push(res.left.shift());
          return step();
        }
        if (loaded++ >= PHRASE_TEXTS) return finish();
        var g = I.textGroup(best), members = [], left = [];
        res.left.forEach(function (id) { (I.textGroup(id) === g ? members : left).push(id); });
        return Promise.all(members.map(I.loadText)).then(function (ts) {
          members.forEach(function (id, i) { if (ts[i] !== null && hasPhrases(ts[i], res.q.phrases)) res.pool.push(id); });
          res.pool.sort(function (a, b) { return res.rank.get(a) - res.rank.get(b); });
          res.left = left;
          return step();
        });
      });
    }
    return step();
  }

  // PS.page gives the next n results of a search as {id, frag}, reading
  // cards only for them (and, with phrases, the texts of the candidates
  // checked: see checkGroups). A preview's results past the newest of
  // meta.js need the meta table: the search is run again with it.
  PS.page = function (res, n) {
    var out = [];
    if (!res.checked) {
      return checkGroups(res, n).then(function () {
        var pool = res.pool.splice(0, n);
        return Promise.all(pool.map(I.loadFrag)).then(function (fs) {
          pool.forEach(function (id, i) { if (fs[i]) out.push({ id: id, frag: fs[i] }); });
          res.pos += pool.length;
          if (res.checked && res.pos >= res.ids.length) res.exact = true;
          if (res.byRelevance) exactFirst(out, res);
          return out;
        });
      });
    }
    function step() {
      if (res.preview && res.pos >= res.ids.length && out.length < n) {
        return I.loadTable().then(function () { return PS.search(res.state); }).then(function (full) {
          res.ids = full.ids;
          res.counts = full.counts;
          res.preview = false;
          return step();
        });
      }
      if (out.length >= n || res.pos >= res.ids.length) {
        if (res.pos >= res.ids.length) res.exact = true;
        if (res.byRelevance) exactFirst(out, res);
        return Promise.resolve(out);
      }
      var batch = res.ids.slice(res.pos, res.pos + n - out.length);
      return Promise.all(batch.map(I.loadFrag)).then(function (fs) {
        for (var i = 0; i < batch.length; i++) {
          res.pos++;
          if (fs[i]) out.push({ id: batch[i], frag: fs[i] });
        }
        return step();
      });
    }
    return step();
  };
})();
