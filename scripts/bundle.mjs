// Bundle the CLI into one CommonJS file (dist/torchshape.cjs): one file loaded
// synchronously, instead of ~100 ES modules, is most of what a cold start costs.
// Native addons and the language server's packages stay outside (required only when
// the server, bundled but initialised on demand, starts), and so does the MCP SDK,
// bundled on its own.
import { build } from "esbuild";

// commander loads node:child_process (with net, dgram and streams) for subcommands run as
// separate executables, which torchshape has none of: it is loaded when first used instead
const childProcessOnDemand = {
  name: "child-process-on-demand",
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) => (args.importer.includes(`${"node_modules"}/commander/`) ? { path: "child_process", namespace: "on-demand" } : undefined));
    b.onLoad({ filter: /.*/, namespace: "on-demand" }, () => ({
      contents: 'module.exports = new Proxy({}, { get: (_, name) => require("node:child_process")[name] });',
      loader: "js",
    }));
  },
};

/** A small CommonJS bundle of its own, beside the CLI's: loaded only by what needs it. */
function bundleApart(entry, outfile) {
  return build({ entryPoints: [entry], outfile, bundle: true, platform: "node", format: "cjs", target: "node20", logLevel: "warning", minifyWhitespace: true, minifySyntax: true });
}

await build({
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/torchshape.cjs",
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: ["tree-sitter", "tree-sitter-python", "vscode-languageserver", "vscode-languageserver/*", "vscode-languageserver-textdocument", "@viz-js/viz"],
  // the sources locate the package from import.meta.url; a CommonJS bundle has __filename
  define: { "import.meta.url": "__importMetaUrl" },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [childProcessOnDemand],
  logLevel: "warning",
  minifyWhitespace: true,
  minifySyntax: true,
  // short local names: a bundle of 690 kB instead of 936, and a code cache of 841 kB instead of 878, read and
  // compiled at each start (the article 5% faster, resnet50 6%); TORCHSHAPE_READABLE_BUNDLE=1 keeps the names, for profiles
  minifyIdentifiers: !process.env.TORCHSHAPE_READABLE_BUNDLE,
});

// the bundle's hash, which names its V8 code cache (bin/codeCache.cjs): hashing it at each start would cost more than a read
const { createHash } = await import("node:crypto");
const { readFileSync, writeFileSync } = await import("node:fs");
writeFileSync("dist/torchshape.cjs.sha1", `${createHash("sha1").update(readFileSync("dist/torchshape.cjs")).digest("hex")}\n`);
// Replaying a summary's kept output (src/cli/runReplay.ts), apart and small: the host looks for one before it loads the
// CLI's bundle, so it is built before the run that compiles the CLI's code cache below.
await bundleApart("src/cli/runReplay.ts", "dist/runReplay.cjs");
// compiled once here, kept beside the bundle (scripts/installed_code_cache.mjs)
const { writeInstalledCodeCache } = await import("./installed_code_cache.mjs");
writeInstalledCodeCache();
// The MCP SDK and zod, apart: only `torchshape mcp` loads them (src/mcp/loadSdk.ts).
await bundleApart("src/mcp/sdk.ts", "dist/mcpSdk.cjs");
