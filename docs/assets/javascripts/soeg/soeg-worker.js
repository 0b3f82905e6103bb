/* Wrapper around the theme's search worker (see dansk-soegning.js): loads it unchanged, then stems every
 * word that ends in the box's trailing wildcard with lunr's Danish stemmer, so "sprogvurderingerne*" is
 * looked up as "sprogvurdering*". It lives one folder below assets/javascripts/, like the theme's worker,
 * so the theme's relative path to its language files (../lunr/) still holds. */
"use strict";
(function () {
  var worker = new URL(self.location.href).searchParams.get("worker");
  if (!worker || new URL(worker).origin !== self.location.origin) return;
  importScripts(worker);

  var clause = lunr.Query.prototype.clause;
  lunr.Query.prototype.clause = function (c) {
    var term = c && c.term;
    if (lunr.da && typeof term === "string" && /^[^*]+\*$/.test(term)) {
      var word = term.slice(0, -1);
      var stem = lunr.da.stemmer(new lunr.Token(word)).toString();
      if (stem && stem !== word && word.indexOf(stem) === 0) c.term = stem + "*";
    }
    return clause.call(this, c);
  };
})();
