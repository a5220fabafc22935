// A worker thread of `torchshape check --jobs N` (src/check/parallelCheck.ts): the
// CLI bundle, loaded through the code cache as the main thread loads it, serving the
// files it is sent. The main thread waits without an event loop, so a worker that
// cannot start says so on its port, and its files are checked on the main thread.
"use strict";
const { join } = require("node:path");
const { workerData } = require("node:worker_threads");
const { requireWithCodeCache } = require("./codeCache.cjs");

try {
  requireWithCodeCache(join(__dirname, "..", "dist", "torchshape.cjs")).exports.serveCheckWorker();
} catch (e) {
  workerData.port.postMessage({ workerFailed: e && e.message ? e.message : String(e) });
  const raised = new Int32Array(workerData.signal);
  Atomics.add(raised, 0, 1);
  Atomics.notify(raised, 0);
}
