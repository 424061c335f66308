/*
 * factsite: search in the offline bundle.
 *
 * Opened from file://, a browser refuses `new Worker(...)`, so Material's search worker never
 * starts. This script, loaded before Material's own, stands in for `Worker` on file:// pages:
 * it runs the worker's script in a hidden iframe of the same page, which file:// allows, and
 * passes messages both ways as a worker would. Nothing is fetched but the worker's own script,
 * from the bundle itself.
 *
 * Material's `offline` plugin adds a shim from a CDN unless a polyfill whose address
 * contains "iframe-worker" is configured; this file's name contains it (see mkdocs.offline.yml).
 */
(function () {
  "use strict";

  if (location.protocol !== "file:") {
    return; // served over http(s), the browser's own Worker works
  }

  function copy(data) {
    return typeof structuredClone === "function" ? structuredClone(data) : JSON.parse(JSON.stringify(data));
  }

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

  window.Worker = FrameWorker;
})();
