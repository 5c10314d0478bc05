// Porter2, the Snowball English stemmer, for the search page: the stem of a
// token is the term the index holds for it (generator/search's Stem, which
// uses github.com/kljensen/snowball; a test checks that the two agree).
// Written from the algorithm's description at snowballstem.org. Tokens are
// folded, lower-case runs of letters and digits, so the algorithm's handling
// of apostrophes has nothing to do here and is left out.
(function () {
  "use strict";

  var PS = (window.PostmortemSearch = window.PostmortemSearch || {});

  // table makes a Map of a flat list of keys and values: a Map, as a plain
  // object would hold "constructor" and its kin for every word.
  function table(pairs) {
    var m = new Map();
    for (var i = 0; i < pairs.length; i += 2) m.set(pairs[i], pairs[i + 1]);
    return m;
  }

  // Words stemmed by hand, before the steps.
  var SPECIAL = table([
    "skis", "ski", "skies", "sky", "dying", "die", "lying", "lie", "tying", "tie",
    "idly", "idl", "gently", "gentl", "ugly", "ugli", "early", "earli", "only", "onli",
    "singly", "singl", "sky", "sky", "news", "news", "howe", "howe", "atlas", "atlas",
    "cosmos", "cosmos", "bias", "bias", "andes", "andes",
  ]);
  // Words left as they are once step 1a has run.
  var INVARIANT = new Set(["inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed"]);
  // Words whose region R1 starts after this prefix.
  var PREFIXES = ["gener", "commun", "arsen"];

  // The suffixes of steps 2 to 4, each with what replaces it (null: a rule
  // of its own), longest first: a step acts on the longest one the word has.
  var STEP2 = [
    ["ational", "ate"], ["fulness", "ful"], ["iveness", "ive"], ["ization", "ize"], ["ousness", "ous"],
    ["biliti", "ble"], ["lessli", "less"], ["tional", "tion"],
    ["alism", "al"], ["aliti", "al"], ["ation", "ate"], ["entli", "ent"], ["fulli", "ful"], ["iviti", "ive"], ["ousli", "ous"],
    ["anci", "ance"], ["abli", "able"], ["alli", "al"], ["ator", "ate"], ["enci", "ence"], ["izer", "ize"],
    ["bli", "ble"], ["ogi", null], ["li", null],
  ];
  var STEP3 = [
    ["ational", "ate"], ["tional", "tion"], ["alize", "al"], ["icate", "ic"], ["iciti", "ic"], ["ative", null],
    ["ical", "ic"], ["ness", ""], ["ful", ""],
  ];
  var STEP4 = [
    "ement", "ance", "ence", "able", "ible", "ment",
    "ant", "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion",
    "al", "er", "ic",
  ];
  var DOUBLES = ["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"];

  // A vowel is a, e, i, o, u or y; a y that acts as a consonant is written Y.
  function vowel(c) { return c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y"; }
  function ends(w, s) { return w.length >= s.length && w.slice(w.length - s.length) === s; }
  function hasVowel(w) {
    for (var i = 0; i < w.length; i++) if (vowel(w[i])) return true;
    return false;
  }
  function longest(w, list) {
    for (var i = 0; i < list.length; i++) if (ends(w, list[i][0])) return list[i];
    return null;
  }

  // region returns where the region after the first non-vowel that follows
  // a vowel at or after from starts (the word's length when there is none).
  function region(w, from) {
    for (var i = from + 1; i < w.length; i++) if (vowel(w[i - 1]) && !vowel(w[i])) return i + 1;
    return w.length;
  }

  // shortSyllable tells whether w's first n letters end in a short syllable:
  // a non-vowel, a vowel and a non-vowel other than w, x and Y; or, when
  // they are two, a vowel and a non-vowel.
  function shortSyllable(w, n) {
    if (n === 2) return vowel(w[0]) && !vowel(w[1]);
    return n >= 3 && !vowel(w[n - 3]) && vowel(w[n - 2]) && !vowel(w[n - 1]) && "wxY".indexOf(w[n - 1]) < 0;
  }

  // stemEnglish returns the Porter2 stem of a token. A token with a letter
  // outside ASCII is not English to it and is returned as it is.
  function stemEnglish(word) {
    if (word.length <= 2 || /[^\x00-\x7f]/.test(word)) return word;
    if (SPECIAL.has(word)) return SPECIAL.get(word);

    // A y at the start or after a vowel is a consonant: Y.
    var w = "";
    for (var i = 0; i < word.length; i++) {
      w += word[i] === "y" && (i === 0 || vowel(w[i - 1])) ? "Y" : word[i];
    }

    var r1 = -1;
    for (var p = 0; p < PREFIXES.length; p++) if (w.slice(0, PREFIXES[p].length) === PREFIXES[p]) r1 = PREFIXES[p].length;
    if (r1 < 0) r1 = region(w, 0);
    var r2 = region(w, r1);
    // inR tells whether the suffix s of w lies in the region that starts at
    // start (r1 or r2, kept from the word as it was given).
    function inR(start, s) { return w.length - s.length >= start; }

    // Step 1a: plurals.
    if (ends(w, "sses")) w = w.slice(0, -2);
    else if (ends(w, "ied") || ends(w, "ies")) w = w.slice(0, -3) + (w.length > 4 ? "i" : "ie");
    else if (ends(w, "us") || ends(w, "ss")) { /* kept */ }
    else if (ends(w, "s") && hasVowel(w.slice(0, -2))) w = w.slice(0, -1);
    if (INVARIANT.has(w)) return w;

    // Step 1b: -eed, -ed, -ing and their -ly forms.
    var s = longest(w, [["eedly"], ["ingly"], ["edly"], ["eed"], ["ing"], ["ed"]]);
    if (s && (s[0] === "eedly" || s[0] === "eed")) {
      if (inR(r1, s[0])) w = w.slice(0, -s[0].length) + "ee";
    } else if (s && hasVowel(w.slice(0, -s[0].length))) {
      w = w.slice(0, -s[0].length);
      if (ends(w, "at") || ends(w, "bl") || ends(w, "iz")) w += "e";
      else if (DOUBLES.indexOf(w.slice(-2)) >= 0) w = w.slice(0, -1);
      else if (r1 >= w.length && shortSyllable(w, w.length)) w += "e";
    }

    // Step 1c: a final y after a non-vowel that is not the first letter.
    var last = w[w.length - 1];
    if (w.length > 2 && (last === "y" || last === "Y") && !vowel(w[w.length - 2])) w = w.slice(0, -1) + "i";

    // Step 2: derivational suffixes in R1.
    s = longest(w, STEP2);
    if (s && inR(r1, s[0])) {
      var before = w[w.length - s[0].length - 1];
      if (s[0] === "li") {
        if (before && "cdeghkmnrt".indexOf(before) >= 0) w = w.slice(0, -2);
      } else if (s[0] === "ogi") {
        if (before === "l") w = w.slice(0, -1);
      } else {
        w = w.slice(0, -s[0].length) + s[1];
      }
    }

    // Step 3: more of them, in R1; -ative in R2.
    s = longest(w, STEP3);
    if (s && inR(r1, s[0])) {
      if (s[0] !== "ative") w = w.slice(0, -s[0].length) + s[1];
      else if (inR(r2, s[0])) w = w.slice(0, -5);
    }

    // Step 4: suffixes in R2; -ion only after s or t.
    for (var k = 0; k < STEP4.length; k++) {
      var suf = STEP4[k];
      if (!ends(w, suf)) continue;
      if (inR(r2, suf)) {
        var prev = w[w.length - suf.length - 1];
        if (suf !== "ion" || prev === "s" || prev === "t") w = w.slice(0, -suf.length);
      }
      break;
    }

    // Step 5: a final e, or the second l of a final ll.
    var n = w.length;
    if (w[n - 1] === "e") {
      if (n - 1 >= r2 || (n - 1 >= r1 && !shortSyllable(w, n - 1))) w = w.slice(0, -1);
    } else if (w[n - 1] === "l" && w[n - 2] === "l" && n - 1 >= r2) {
      w = w.slice(0, -1);
    }

    return w.replace(/Y/g, "y");
  }

  PS.stemEnglish = stemEnglish;
})();
