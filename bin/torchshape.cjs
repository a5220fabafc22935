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
const { bundleHashOf, requireWithCodeCache } = require("./codeCache.cjs");
const { holdOutput, quietOnClosedPipe, writeHeld } = require("./heldOutput.cjs");

quietOnClosedPipe();

const analysisStackMb = 256;
const bundle = join(__dirname, "..", "dist", "torchshape.cjs");
const buildHash = bundleHashOf(bundle);

/**
 * Runs the CLI with stdout and stderr held back; undefined when the stack ran out and
 * nothing was printed. A summary's output is kept to replay (src/cli/runReplay.ts).
 */
function runOnMainThread(cli, args) {
  const holding = holdOutput();
  let run;
  let held;
  try {
    cli.runOnSmallStack();
    run = cli.mainRecorded(args);
  } finally {
    held = holding.release();
  }
  if (cli.smallStackExhausted()) return undefined;
  writeHeld(held);
  return { code: run.code, replayable: run.replayable, reads: run.reads, held };
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
  // the same summary run before, with nothing it looked at changed, is printed again without loading the analyser
  const { storedRun, storeRun } = require("../dist/runReplay.cjs");
  const stored = storedRun(buildHash, args);
  if (stored) {
    writeHeld(stored.held);
    process.exitCode = stored.code;
  } else {
    const loaded = requireWithCodeCache(bundle);
    const ran = runOnMainThread(loaded.exports, args);
    loaded.saveCodeCache();
    if (ran === undefined) runOnWorker(args, false);
    // graph's svg and html finish later (Graphviz's WebAssembly loads asynchronously)
    else if (typeof ran.code === "number") {
      process.exitCode = ran.code;
      if (ran.replayable) storeRun(buildHash, args, ran.reads, ran.held, ran.code);
    } else ran.code.then((c) => (process.exitCode = c));
  }
}
