// The CLI on a worker thread with a large stack (bin/torchshape.cjs starts it).
"use strict";
const { join } = require("node:path");
const { requireWithCodeCache } = require("./codeCache.cjs");

const bundle = join(__dirname, "..", "dist", "torchshape.cjs");
const args = process.argv.slice(2);
// the servers load the language server with import(), which code compiled from a code cache cannot do; they start once
if (args[0] === "lsp" || args[0] === "mcp") process.exitCode = require(bundle).main(args);
else {
  const loaded = requireWithCodeCache(bundle);
  const code = loaded.exports.main(args);
  // graph's svg and html finish later (Graphviz's WebAssembly loads asynchronously)
  if (typeof code === "number") process.exitCode = code;
  else code.then((c) => (process.exitCode = c));
  loaded.saveCodeCache();
}
