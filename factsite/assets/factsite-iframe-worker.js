/*
 * factsite: search in the offline bundle.
 *
 * Opened from file://, a browser refuses `new Worker(...)` of a file, so Material's search worker
 * never starts; and Material starts loading the index only when the reader opens the search box,
 * then builds it. This script, loaded before Material's own, stands in for `Worker` on file:// pages:
 *
 * - As the page opens, it loads search/factsite_search.js (written by `factsite bundle`, see
 *   factsite/bundle.py): Material's search worker and the search index, as two strings. It starts the
 *   worker from a blob: address, which file:// pages may do, and has it build the index at once, off
 *   the page's thread, so the page stays usable and the index is ready by the time a reader types.
 * - When Material asks for its worker, it gets a stand-in for that worker: Material's own request to
 *   build the index is answered by the index already built (or being built); queries go through.
 * - With the index made when the site was built (in search/factsite_search.js too), the worker loads it
 *   (factsite-search-prebuilt.js) instead of building it.
 * - A browser that refuses blob: workers gets the former stand-in: the worker's script run in a
 *   hidden frame of the page, sent the index from search/factsite_search.js (the bundle's
 *   search/search_index.js, which Material loads when the search box opens, holds no documents:
 *   parsing them there would cost the page's thread what the early worker already did).
 *
 * Nothing is fetched but the bundle's own files. Material's `offline` plugin adds a shim from a CDN
 * unless a polyfill whose address contains "iframe-worker" is configured; this file's name contains
 * it (see mkdocs.offline.yml).
 */
(function () {
  "use strict";

  if (location.protocol !== "file:") {
    return; // served over http(s), the browser's own Worker works
  }

  var SETUP = 0, READY = 1; // Material's search message types
  var here = document.currentScript && document.currentScript.src;
  var site = here ? here.replace(/assets\/javascripts\/[^/]*$/, "") : document.baseURI;

  function copy(data) {
    return typeof structuredClone === "function" ? structuredClone(data) : JSON.parse(JSON.stringify(data));
  }

  // ---------------------------------------------------------------- the index built as the page opens

  // The worker's own source, after a first listener that takes the index (and the index made at build
  // time, with its loader factsite-search-prebuilt.js) as JSON texts, sent as the worker starts: it
  // parses them (quicker than the same as a script's literals) and has the worker build, or load, the
  // index as Material's request would, before any request arrives.
  function startEarlyWorker(search) {
    var prebuilt = search.prebuilt && search.loader;
    var boot = "addEventListener('message', function boot(event) {\n" +
      "  if (!event.data || typeof event.data.factsiteIndex !== 'string') return;\n" +
      "  event.stopImmediatePropagation();\n" +
      "  removeEventListener('message', boot);\n" +
      "  var index = JSON.parse(event.data.factsiteIndex);\n" +
      "  if (event.data.factsitePrebuilt && self.factsiteLoadPrebuilt) " +
      "self.factsiteLoadPrebuilt(JSON.parse(event.data.factsitePrebuilt));\n" +
      "  self.dispatchEvent(new MessageEvent('message', {data: {type: " + SETUP + ", data: {config: index.config, " +
      "docs: index.docs, options: {suggest: " + (search.suggest === true) + "}}}}));\n" + // the page's own come later
      "});\n";
    var source = new Blob([boot, search.worker, "\n;", prebuilt ? search.loader : ""], { type: "text/javascript" });
    var worker = new NativeWorker(URL.createObjectURL(source));
    worker.postMessage({ factsiteIndex: search.index, factsitePrebuilt: prebuilt ? search.prebuilt : null });
    return worker;
  }

  var NativeWorker = window.Worker;
  var early = { worker: null, ready: false, failed: false, waiting: [], search: null };

  function loadEarly() {
    if (typeof NativeWorker !== "function" || typeof Blob !== "function") {
      early.failed = true;
      return;
    }
    var script = document.createElement("script");
    script.src = site + "search/factsite_search.js";
    script.async = true;
    script.onload = function () {
      try {
        early.worker = startEarlyWorker(window.__factsiteSearch);
      } catch (error) {
        early.failed = true;
        early.search = window.__factsiteSearch; // for the frame stand-in
      }
      window.__factsiteSearch = undefined; // the strings are the worker's now
      if (early.worker) {
        early.worker.addEventListener("message", function (event) {
          if (!early.ready && event.data && event.data.type === READY) early.ready = true;
        });
        early.worker.addEventListener("error", function () { early.failed = true; });
      }
      early.waiting.splice(0).forEach(function (callback) { callback(); });
    };
    script.onerror = function () {
      early.failed = true;
      early.waiting.splice(0).forEach(function (callback) { callback(); });
    };
    (document.head || document.documentElement).appendChild(script);
  }

  function whenLoaded(callback) {
    if (early.worker || early.failed) callback();
    else early.waiting.push(callback);
  }

  // ---------------------------------------------------------------- what Material gets as its worker

  // Material's worker, backed by the early worker: its request to build the index is answered with
  // READY once the early worker has built it; every other message goes through both ways.
  class EarlyWorker extends EventTarget {
    constructor(scriptUrl) {
      super();
      this.onmessage = null;
      this.onerror = null;
      this.scriptUrl = scriptUrl;
      this.fallback = null;
      this.setupAsked = false;
      this.readySent = false;
      this.pending = [];
      whenLoaded(() => this.attach());
    }

    attach() {
      if (!early.worker) { // no blob worker in this browser: the frame stand-in
        this.fallback = new FrameWorker(this.scriptUrl);
        this.fallback.onmessage = (event) => this.receive(event.data);
        this.fallback.onerror = (event) => this.fail(event);
        this.pending.splice(0).forEach((data) => this.postMessage(data));
        return;
      }
      early.worker.addEventListener("message", (event) => {
        if (event.data && event.data.type === READY) this.answerSetup();
        else this.receive(event.data);
      });
      this.pending.splice(0).forEach((data) => this.postMessage(data));
    }

    answerSetup() {
      if (this.setupAsked && early.ready && !this.readySent) {
        this.readySent = true;
        setTimeout(() => this.receive({ type: READY }), 0);
      }
    }

    postMessage(data) {
      if (this.fallback) return this.fallback.postMessage(withIndex(data));
      if (!early.worker) return void this.pending.push(data);
      if (data && data.type === SETUP) { // built already, from the same index
        this.setupAsked = true;
        return this.answerSetup();
      }
      early.worker.postMessage(data);
    }

    receive(data) {
      const event = new MessageEvent("message", { data });
      if (typeof this.onmessage === "function") this.onmessage(event);
      this.dispatchEvent(event);
    }

    fail(event) {
      if (typeof this.onerror === "function") this.onerror(event);
      this.dispatchEvent(new ErrorEvent("error", { message: event && event.message }));
    }

    terminate() {
      if (this.fallback) this.fallback.terminate();
    }
  }

  // The bundle's search/search_index.js, which Material loads, holds no documents (factsite/bundle.py):
  // the frame stand-in gets them from search/factsite_search.js instead.
  function withIndex(data) {
    if (!data || data.type !== SETUP || !early.search) return data;
    var index = JSON.parse(early.search.index);
    return { type: SETUP, data: Object.assign({}, data.data, { config: index.config, docs: index.docs }) };
  }

  // ---------------------------------------------------------------- the frame stand-in (fallback)

  // Runs the worker's script in a hidden iframe of the same page, which file:// allows, and passes
  // messages both ways as a worker would.
  class FrameWorker extends EventTarget {
    constructor(scriptUrl) {
      super();
      this.onmessage = null;
      this.onerror = null;
      this.pending = [];
      this.started = false;
      this.frame = document.createElement("iframe");
      this.frame.hidden = true;
      this.frame.tabIndex = -1;
      this.frame.setAttribute("aria-hidden", "true");
      this.frame.title = "search";
      (document.body || document.documentElement).appendChild(this.frame);
      this.scope = this.frame.contentWindow;
      this.prepareScope();
      this.load([new URL(String(scriptUrl), document.baseURI).href]).then(
        () => this.start(),
        (error) => this.fail(error)
      );
    }

    // What the worker's script expects of its global scope, answered from this page.
    prepareScope() {
      const scope = this.scope;
      scope.postMessage = (data) => setTimeout(() => this.receive(copy(data)), 0);
      scope.importScripts = (...urls) => this.load(urls.map((url) => new URL(url, document.baseURI).href));
      scope.close = () => this.terminate();
    }

    // Run scripts in the frame one after the other; resolves when the last has run.
    load(urls) {
      return urls.reduce((previous, url) => previous.then(() => new Promise((resolve, reject) => {
        const documentOfFrame = this.frame.contentDocument;
        const script = documentOfFrame.createElement("script");
        script.src = url;
        script.onload = () => resolve();
        script.onerror = () => reject(new Error("could not load " + url));
        (documentOfFrame.head || documentOfFrame.documentElement).appendChild(script);
      })), Promise.resolve());
    }

    start() {
      this.started = true;
      for (const data of this.pending.splice(0)) {
        this.send(data);
      }
    }

    fail(error) {
      const event = new ErrorEvent("error", { message: String(error && error.message || error), error });
      if (typeof this.onerror === "function") this.onerror(event);
      this.dispatchEvent(event);
    }

    receive(data) {
      const event = new MessageEvent("message", { data });
      if (typeof this.onmessage === "function") this.onmessage(event);
      this.dispatchEvent(event);
    }

    send(data) {
      const scope = this.scope;
      if (!scope) return;
      setTimeout(() => scope.dispatchEvent(new scope.MessageEvent("message", { data: copy(data) })), 0);
    }

    postMessage(data) {
      if (this.started) {
        this.send(data);
      } else {
        this.pending.push(data);
      }
    }

    terminate() {
      if (this.frame) {
        this.frame.remove();
      }
      this.frame = null;
      this.scope = null;
      this.pending = [];
    }
  }

  loadEarly();
  window.Worker = EarlyWorker;
})();
