#!/usr/bin/env node
// The CLI is one CommonJS bundle (dist/torchshape.cjs): loading one file
// synchronously, instead of ~100 ES modules, is most of a cold start, and its
// compiled code is kept in V8's code cache (codeCache.cjs).
//
// The evaluator follows Python's own recursion limit (1,000 frames), and one
// Python call takes dozens of JavaScript frames, more than the main thread's
// stack of under 1 MB holds; a worker thread with a 256 MB stack holds them. But
// starting a worker costs about as much as node's own start, and few files recurse
// deeply: so a run starts on the main thread, with what it prints held back, and
// only if the stack runs out (src/eval/hostStack.ts) is it thrown away and redone
// on the worker. The servers (lsp, mcp) run on the worker from the start.
"use strict";
const { join } = require("node:path");
const { requireWithCodeCache } = require("./codeCache.cjs");
const { holdOutput, quietOnClosedPipe, writeHeld } = require("./heldOutput.cjs");

quietOnClosedPipe();

const analysisStackMb = 256;
const bundle = join(__dirname, "..", "dist", "torchshape.cjs");

/** Runs the CLI with stdout and stderr held back; undefined when the stack ran out and nothing was printed. */
function runOnMainThread(cli, args) {
  const holding = holdOutput();
  let code;
  let held;
  try {
    cli.runOnSmallStack();
    code = cli.main(args);
  } finally {
    held = holding.release();
  }
  if (cli.smallStackExhausted()) return undefined;
  writeHeld(held);
  return code;
}

function runOnWorker(args, serves) {
  // only the servers read stdin: piping it otherwise would wait for a terminal's end of input
  const { Worker } = require("node:worker_threads");
  const worker = new Worker(join(__dirname, "largeStack.cjs"), { argv: args, stdin: serves, resourceLimits: { stackSizeMb: analysisStackMb } });
  if (serves) process.stdin.pipe(worker.stdin);
  worker.on("error", (e) => {
    process.stderr.write(`torchshape: internal error: ${e && e.message ? e.message.split("\n")[0] : String(e)}\n`);
    process.exitCode = 2;
  });
  worker.on("exit", (code) => {
    if (process.exitCode === undefined) process.exitCode = code;
    if (serves) process.exit();
  });
}

const args = process.argv.slice(2);
const serves = args[0] === "lsp" || args[0] === "mcp";
if (serves) runOnWorker(args, true);
else {
  const loaded = requireWithCodeCache(bundle);
  const code = runOnMainThread(loaded.exports, args);
  loaded.saveCodeCache();
  if (code === undefined) runOnWorker(args, false);
  // graph's svg and html finish later (Graphviz's WebAssembly loads asynchronously)
  else if (typeof code === "number") process.exitCode = code;
  else code.then((c) => (process.exitCode = c));
}
