/* The filter on the story lists is folded (<details>) so a phone shows the stories first. A wide screen has room
   for it, so there it opens. Without JavaScript it stays folded and opens with one click on "Filtrér historierne". */
(function () {
  "use strict";

  var WIDE = "(min-width: 60em)";

  function openOnWideScreens() {
    if (!window.matchMedia || !window.matchMedia(WIDE).matches) return;
    var folds = document.querySelectorAll("details.historiefilter__fold");
    Array.prototype.forEach.call(folds, function (fold) { fold.open = true; });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(openOnWideScreens);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", openOnWideScreens);
  } else {
    openOnWideScreens();
  }
})();
