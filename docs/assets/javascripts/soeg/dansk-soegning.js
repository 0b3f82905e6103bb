/* Search in Danish, first-party, and only for the reader who searches.
 *
 * Runs in <head>, before the theme's bundle, and changes three things about how the bundle starts:
 *
 * 1. The search index and the search worker load when the reader first uses search (focus in the search box,
 *    a click on the magnifier, the theme's "/" and "s" keys, which focus the box) or opens a page with ?q= (a
 *    search) or ?h= (a result to highlight). The bundle asks for search/search_index.json as soon as a page
 *    loads; that request is held back until then. The worker it creates is a stand-in until then too.
 * 2. Inflected forms: the worker is wrapped (soeg-worker.js) so that what is typed is stemmed, and
 *    "sprogvurderingerne" finds "sprogvurderinger".
 * 3. No sitemap.xml: the bundle takes every <link rel="alternate"> in the page for another language version
 *    and fetches the sitemap.xml beside it to map addresses. The feed link is not a language version, so it
 *    is hidden from that one look-up while the bundle starts.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.URL || !window.WeakMap) return;

  // --- first use ---------------------------------------------------------------------------------------------------
  var used = false;
  var waiting = [];

  function onFirstUse(callback) {
    if (used) callback();
    else waiting.push(callback);
  }

  function use() {
    if (used) return;
    used = true;
    var callbacks = waiting;
    waiting = [];
    for (var i = 0; i < callbacks.length; i++) callbacks[i]();
  }

  function isSearchBox(node) {
    return !!(node && node.matches && node.matches("[data-md-component=search-query]"));
  }

  document.addEventListener("focusin", function (event) {
    if (isSearchBox(event.target)) use();
  }, true);
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.closest && target.closest("label[for=__search]")) use();
  }, true);
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "__search" && event.target.checked) use();
  }, true);
  var params = new URLSearchParams(location.search);
  if (params.has("q") || params.has("h")) use();

  // --- 1. the index: the bundle's request leaves at first use --------------------------------------------------------
  function isSearchIndex(url) {
    try {
      var target = new URL(String(url), document.baseURI);
      return target.origin === location.origin && /\/search\/search_index\.json$/.test(target.pathname);
    } catch (error) {
      return false;
    }
  }

  var held = new WeakMap();
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    if (isSearchIndex(url)) held.set(this, true);
    else held.delete(this);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this;
    var args = arguments;
    if (!used && held.has(request)) {
      onFirstUse(function () { send.apply(request, args); });
      return;
    }
    return send.apply(request, args);
  };

  // --- 1 and 2. the worker: wrapped, and started at first use ----------------------------------------------------------
  var NativeWorker = window.Worker;
  var wrapper = new URL("soeg-worker.js", script.src);

  function isThemeSearchWorker(url) {
    return url.origin === location.origin && /\/workers\/search\.[\w]+\.min\.js$/.test(url.pathname);
  }

  function SearchWorker(url, options) {
    var target = new URL(String(url), document.baseURI);
    if (!isThemeSearchWorker(target)) return new NativeWorker(url, options);
    var wrapped = new URL(wrapper.href);
    wrapped.searchParams.set("worker", target.href);
    if (typeof EventTarget !== "function" || typeof MessageEvent !== "function") {
      return new NativeWorker(wrapped.href, options);
    }
    // A stand-in with the worker's interface: the real one starts at first use, or at the first message.
    var standIn = new EventTarget();
    var worker = null;
    function start() {
      if (worker) return;
      worker = new NativeWorker(wrapped.href, options);
      worker.addEventListener("message", function (event) {
        standIn.dispatchEvent(new MessageEvent("message", { data: event.data }));
      });
      worker.addEventListener("error", function () {
        standIn.dispatchEvent(new Event("error"));
      });
    }
    standIn.postMessage = function (message, transfer) {
      start();
      worker.postMessage(message, transfer || []);
    };
    standIn.terminate = function () {
      if (worker) worker.terminate();
    };
    onFirstUse(start);
    return standIn;
  }

  if (NativeWorker) {
    SearchWorker.prototype = NativeWorker.prototype;
    window.Worker = SearchWorker;
  }

  // --- 3. the feed link is not a language version ---------------------------------------------------------------------
  // Listeners run in the order they were added: this one runs before the bundle's, and the feed links get their
  // rel back as soon as every DOMContentLoaded listener has run.
  document.addEventListener("DOMContentLoaded", function () {
    var links = document.querySelectorAll("link[rel=alternate]:not([hreflang])");
    for (var i = 0; i < links.length; i++) links[i].removeAttribute("rel");
    setTimeout(function () {
      for (var j = 0; j < links.length; j++) links[j].setAttribute("rel", "alternate");
    }, 0);
  }, { once: true });
})();
