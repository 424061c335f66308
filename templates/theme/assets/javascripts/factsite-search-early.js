/*
 * factsite: search on the served site starts as the page opens.
 *
 * Material starts its search worker, fetches the index and has the worker build it only when its
 * bundle runs, at the very end of the page: on a large entity page that is after the whole page has
 * been parsed. This script, in the page's head (templates/theme/main.html), starts a worker at once:
 * it loads Material's own search worker script, fetches search/search_index.json and builds the index,
 * all off the page's thread, while the page is still being parsed. When Material then asks for its
 * worker, it gets a stand-in backed by that worker: Material's request to build the index is answered
 * once the index is built (from the same file, with the same options); queries go through.
 *
 * Material's own script downloads search/search_index.json as well, on the page's thread, only to send
 * its entries to its worker: while the early worker has not failed, that request is sent to
 * search/factsite_search_settings.json instead (the same file without the entries).
 *
 * If anything fails (no blob: workers, the index not found), Material gets a worker of its own, as
 * without this script, sent the entries it needs. From file:// the offline bundle's shim
 * (factsite-iframe-worker.js) does this.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (location.protocol === "file:" || !script || !script.dataset.worker) return;
  if (typeof Worker !== "function" || typeof Blob !== "function" || typeof EventTarget !== "function") return;

  var SETUP = 0, READY = 1, FAILED = "factsite-failed"; // Material's search message types, and ours
  var NativeWorker = window.Worker;
  var workerUrl = new URL(script.dataset.worker, document.baseURI).href;
  var indexUrl = new URL(script.dataset.index, document.baseURI).href;
  var prebuiltUrl = script.dataset.prebuilt ? new URL(script.dataset.prebuilt, document.baseURI).href : "";
  var loaderUrl = script.dataset.loader ? new URL(script.dataset.loader, document.baseURI).href : "";
  var settingsUrl = script.dataset.settings ? new URL(script.dataset.settings, document.baseURI).href : "";

  // Material's worker listens for messages on its global scope: the early worker sends it the one
  // Material would send, as soon as the index has arrived. The index made at build time, where the
  // site has one, is handed to factsite-search-prebuilt.js first: then the worker builds nothing.
  // All files are asked for at once.
  var source = [
    "var index = fetch(" + JSON.stringify(indexUrl) + ", {credentials: 'same-origin'});",
    "var prebuilt = " + (prebuiltUrl && loaderUrl
      ? "fetch(" + JSON.stringify(prebuiltUrl) + ", {credentials: 'same-origin'})" +
        ".then(function (response) { return response.ok ? response.json() : null; }).catch(function () { return null; });"
      : "Promise.resolve(null);"),
    "importScripts(" + JSON.stringify(workerUrl) + ");",
    loaderUrl ? "try { importScripts(" + JSON.stringify(loaderUrl) + "); } catch (error) {}" : "",
    "index.then(function (response) {",
    "  if (!response.ok) throw new Error('search index: ' + response.status);",
    "  return Promise.all([response.json(), prebuilt]);",
    "}).then(function (both) {",
    "  var index = both[0];",
    "  if (both[1] && self.factsiteLoadPrebuilt) self.factsiteLoadPrebuilt(both[1]);",
    "  self.dispatchEvent(new MessageEvent('message', {data: {type: " + SETUP + ", data: {config: index.config,",
    "    docs: index.docs, options: {suggest: " + (script.dataset.suggest === "true") + "}}}}));",
    "}).catch(function () { self.postMessage({type: " + JSON.stringify(FAILED) + "}); });"
  ].join("\n");

  var early = { worker: null, ready: false, failed: false };
  try {
    early.worker = new NativeWorker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })));
  } catch (error) {
    return; // Material starts its own
  }
  early.worker.addEventListener("message", function (event) {
    if (event.data && event.data.type === READY) early.ready = true;
    if (event.data && event.data.type === FAILED) early.failed = true;
  });
  early.worker.addEventListener("error", function () { early.failed = true; });

  // Material's request for the index (by XMLHttpRequest, when its script runs), sent to the settings
  // alone while the early worker has not failed: at 4,000 entities 1.5 MB less to download, decode and
  // parse on the page's thread as the page starts. The one request; then XMLHttpRequest is as it was.
  var openRequest = XMLHttpRequest.prototype.open;
  var indexRedirected = false;
  if (settingsUrl) {
    XMLHttpRequest.prototype.open = function (method, url) {
      var args = Array.prototype.slice.call(arguments);
      if (!early.failed && String(method).toUpperCase() === "GET" &&
          new URL(String(url), document.baseURI).href === indexUrl) {
        XMLHttpRequest.prototype.open = openRequest;
        indexRedirected = true;
        args[1] = settingsUrl;
      }
      return openRequest.apply(this, args);
    };
  }

  // The index's entries, asked for as Material would have, for its own worker.
  function entries() {
    return new Promise(function (resolve, reject) {
      var request = new XMLHttpRequest();
      openRequest.call(request, "GET", indexUrl);
      request.responseType = "json";
      request.onload = function () {
        if (request.status >= 200 && request.status < 300 && request.response) resolve(request.response.docs);
        else reject(new Error("search index: " + request.status));
      };
      request.onerror = function () { reject(new Error("search index: network error")); };
      request.send();
    });
  }

  // What Material gets as its search worker.
  class EarlyWorker extends EventTarget {
    constructor(url) {
      super();
      this.onmessage = null;
      this.onerror = null;
      this.url = url;
      this.own = null;       // Material's own worker, if the early one failed
      this.setup = null;     // Material's request to build the index
      this.readySent = false;
      this.queued = [];      // queries sent before the index was built
      early.worker.addEventListener("message", (event) => {
        if (this.own) return;
        var data = event.data;
        if (data && data.type === READY) this.answerSetup();
        else if (data && data.type === FAILED) this.fallBack();
        else this.receive(data);
      });
      early.worker.addEventListener("error", () => this.fallBack());
      if (early.failed) this.fallBack();
    }

    postMessage(data) {
      if (this.own) return this.toOwn(data);
      if (data && data.type === SETUP) {
        this.setup = data;
        return this.answerSetup();
      }
      if (this.readySent) early.worker.postMessage(data);
      else this.queued.push(data);
    }

    answerSetup() {
      if (!this.setup || !early.ready || this.readySent) return;
      this.readySent = true;
      this.queued.splice(0).forEach((data) => early.worker.postMessage(data));
      setTimeout(() => this.receive({ type: READY }), 0);
    }

    // Material's own worker, sent what Material sent this one.
    fallBack() {
      if (this.own) return;
      early.failed = true;
      this.own = new NativeWorker(this.url);
      this.own.onmessage = (event) => this.receive(event.data);
      this.own.onerror = (event) => this.fail(event);
      this.ownSent = Promise.resolve();
      if (this.setup) this.toOwn(this.setup);
      this.queued.splice(0).forEach((data) => this.toOwn(data));
    }

    // Sent to Material's own worker in order; its request to build the index, made from the settings
    // alone, gets the entries first.
    toOwn(data) {
      var own = this.own;
      var settingsOnly = indexRedirected && data && data.type === SETUP && !data.data.docs.length;
      var message = this.ownSent.then(() => settingsOnly
        ? entries().then((docs) => ({ type: SETUP, data: Object.assign({}, data.data, { docs: docs }) }))
        : data);
      this.ownSent = message.then((ready) => own.postMessage(ready), (error) => this.fail(error));
    }

    receive(data) {
      var event = new MessageEvent("message", { data: data });
      if (typeof this.onmessage === "function") this.onmessage(event);
      this.dispatchEvent(event);
    }

    fail(event) {
      if (typeof this.onerror === "function") this.onerror(event);
      this.dispatchEvent(new ErrorEvent("error", { message: event && event.message }));
    }

    terminate() {
      if (this.own) this.own.terminate();
      early.worker.terminate();
    }
  }

  // Only Material's search worker is the early one; any other worker is the browser's own.
  var claimed = false;
  window.Worker = function (url, options) {
    if (!claimed && new URL(String(url), document.baseURI).href === workerUrl) {
      claimed = true;
      return new EarlyWorker(url);
    }
    return new NativeWorker(url, options);
  };
})();
