#!/usr/bin/env node
// The CLI is one CommonJS bundle (dist/torchshape.cjs): loading one file
// synchronously, instead of ~100 ES modules, is most of a cold start.
//
// It runs in a worker thread with a large stack: the evaluator follows Python's
// own recursion limit (1,000 frames), and one Python call takes dozens of
// JavaScript frames, more than the main thread's stack of under 1 MB holds.
"use strict";
const { Worker, isMainThread } = require("node:worker_threads");

const analysisStackMb = 256;

if (isMainThread) {
  const args = process.argv.slice(2);
  // only the servers read stdin: piping it otherwise would wait for a terminal's end of input
  const serves = args[0] === "lsp" || args[0] === "mcp";
  const worker = new Worker(__filename, { argv: args, stdin: serves, resourceLimits: { stackSizeMb: analysisStackMb } });
  if (serves) process.stdin.pipe(worker.stdin);
  worker.on("error", (e) => {
    process.stderr.write(`torchshape: internal error: ${e && e.message ? e.message.split("\n")[0] : String(e)}\n`);
    process.exitCode = 2;
  });
  worker.on("exit", (code) => {
    if (process.exitCode === undefined) process.exitCode = code;
    if (serves) process.exit();
  });
} else {
  const code = require("../dist/torchshape.cjs").main(process.argv.slice(2));
  process.exitCode = code;
}
