/* Small helps on every page, after the theme has set up the page (it wraps wide tables):
   1. A table that scrolls sideways can be reached and scrolled with the keyboard: its scroll box gets
      tabindex="0", role="region" and a name (the table's caption, or the heading above it).
   2. On paper a link shows its full address: each link in the text carries it in data-adresse (udskrift.css).
   3. Old links to the error codes on "Del din historie" (…/del-din-historie/#fm003) go on to the page that now
      holds them. */
(function () {
  "use strict";

  function nameFor(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var node = box;
    while (node) {
      var previous = node.previousElementSibling;
      while (previous) {
        if (/^H[1-6]$/.test(previous.tagName)) return previous.textContent.replace(/¶$/, "").trim();
        previous = previous.previousElementSibling;
      }
      node = node.parentElement;
      if (!node || node.tagName === "ARTICLE") break;
    }
    return "Tabel";
  }

  function scrollBoxes() {
    var boxes = document.querySelectorAll(".md-typeset__scrollwrap, .daekning-tabel");
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.hasAttribute("tabindex")) return;
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", nameFor(box) + " (tabel, kan rulles vandret)");
    });
  }

  function printAddresses() {
    var links = document.querySelectorAll(".md-content a[href]");
    Array.prototype.forEach.call(links, function (link) {
      var href = link.getAttribute("href");
      if (!href || href.charAt(0) === "#" || link.classList.contains("headerlink")) return;
      if (/^(mailto|javascript):/i.test(href)) return;
      link.setAttribute("data-adresse", link.href);
    });
  }

  var MOVED = /^#(fm\d{3}|fejlbeskeder|felterne|skabelon|eksempler)$/;

  function forwardOldAnchors() {
    if (!MOVED.test(window.location.hash)) return;
    if (!/\/del-din-historie\/(index\.html)?$/.test(window.location.pathname)) return;
    window.location.replace("../bidrag/felter-og-fejlkoder/" + window.location.hash);
  }

  function run() {
    scrollBoxes();
    printAddresses();
  }

  forwardOldAnchors();
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(run);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
