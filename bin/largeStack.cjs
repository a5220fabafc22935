// The CLI on a worker thread with a large stack (bin/torchshape.cjs starts it).
"use strict";
const { join } = require("node:path");
const { requireWithCodeCache } = require("./codeCache.cjs");

const bundle = join(__dirname, "..", "dist", "torchshape.cjs");
const args = process.argv.slice(2);
// the MCP server starts once and loads its SDK apart (src/mcp/loadSdk.ts): the bundle's code cache would gain it little
if (args[0] === "mcp") process.exitCode = require(bundle).main(args);
else if (args[0] === "lsp") {
  // the language server's run never ends: it writes its code cache once it has analysed a document (src/cli/codeCacheMoment.ts)
  const loaded = requireWithCodeCache(bundle, "lsp");
  loaded.exports.onTypicalCodeCompiled(() => loaded.saveCodeCache());
  process.exitCode = loaded.exports.main(args);
} else {
  const loaded = requireWithCodeCache(bundle);
  const code = loaded.exports.main(args);
  // graph's svg and html finish later (Graphviz's WebAssembly loads asynchronously)
  if (typeof code === "number") process.exitCode = code;
  else code.then((c) => (process.exitCode = c));
  loaded.saveCodeCache();
}
