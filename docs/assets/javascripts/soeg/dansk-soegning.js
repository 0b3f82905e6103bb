/* Danish search, first-party: lets inflected forms find their page (sprogvurderingerne -> sprogvurdering).
 *
 * The theme's search box adds a trailing wildcard to every word typed, and lunr does not stem wildcard
 * terms, so a long inflected form never matches the stemmed index. This runs before the theme's bundle and
 * starts the theme's own search worker through a small wrapper (soeg-worker.js) that stems those terms. */
(function () {
  "use strict";
  var NativeWorker = window.Worker;
  var script = document.currentScript;
  if (!NativeWorker || !script) return;
  var wrapper = new URL("soeg-worker.js", script.src);
  function DanishSearchWorker(url, options) {
    var target = new URL(String(url), document.baseURI);
    if (target.origin === location.origin && /\/workers\/search\.[\w]+\.min\.js$/.test(target.pathname)) {
      var wrapped = new URL(wrapper.href);
      wrapped.searchParams.set("worker", target.href);
      return new NativeWorker(wrapped.href, options);
    }
    return new NativeWorker(url, options);
  }
  DanishSearchWorker.prototype = NativeWorker.prototype;
  window.Worker = DanishSearchWorker;
})();
