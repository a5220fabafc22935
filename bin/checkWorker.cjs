// A worker thread of `torchshape check --jobs N` (src/check/parallelCheck.ts): the
// CLI bundle, loaded through the code cache as the main thread loads it, serving the
// files it is sent.
"use strict";
const { join } = require("node:path");
const { requireWithCodeCache } = require("./codeCache.cjs");

requireWithCodeCache(join(__dirname, "..", "dist", "torchshape.cjs")).exports.serveCheckWorker();
