// Loading the CLI bundle through V8's code cache: compiling dist/torchshape.cjs
// (750 kB) is the largest single cost of a cold start, and the bundle never
// changes between runs of one installation. The compiled code is kept in the user
// cache folder, in a file named after the bundle's hash (written beside it by
// scripts/bundle.mjs: hashing 750 kB at each start would cost more than reading), its size and node's version;
// V8 itself rejects cached data that does not fit (another V8, corrupt bytes), and
// it is then written anew. Writing goes to a temporary file renamed into place, so
// concurrent runs never read half a file.
"use strict";
const { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } = require("node:fs");
const Module = require("node:module");
const { homedir } = require("node:os");
const { basename, dirname, join } = require("node:path");
const vm = require("node:vm");

/** $XDG_CACHE_HOME/torchshape/code, else ~/.cache/torchshape/code (src/environment/sysPath.ts keeps its answers beside). */
function codeCacheDir() {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "torchshape", "code");
}

/** A short name for a path (FNV-1a): a hash function from node:crypto costs more to load than the whole key is worth. */
function pathKey(path) {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

/**
 * Runs a CommonJS file as require() would, compiled from the code cache when there
 * is one. Gives its exports, and saveCodeCache(), to call once the run has compiled
 * what it uses (V8 compiles functions lazily, and the cache holds what was compiled).
 * `role` names a use of the file that compiles other code than the summary does (the
 * language server): it keeps a cache of its own, so neither loads the other's code.
 */
function requireWithCodeCache(file, role) {
  const source = readFileSync(file, "utf8");
  let bundleHash;
  try {
    bundleHash = readFileSync(`${file}.sha1`, "utf8").trim().slice(0, 16);
  } catch {
    bundleHash = undefined;
  }
  // one installation's caches are named after its bundle's path, so that two installations never remove each other's
  const prefix = `${basename(file)}${role ? `.${role}` : ""}-${pathKey(file)}-`;
  const dir = codeCacheDir();
  const cacheFile = bundleHash && join(dir, `${prefix}${bundleHash}-${source.length}-${process.version}.v8`);
  let cachedData;
  try {
    cachedData = cacheFile ? readFileSync(cacheFile) : undefined;
  } catch {
    cachedData = undefined;
  }
  // no import() works in code compiled so (node 20 loses a cached script's loader): the servers, which import the
  // language server, are loaded by require() (bin/largeStack.cjs)
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const module = { exports: {}, filename: file };
  script.runInThisContext().call(module.exports, module.exports, Module.createRequire(file), module, file, dirname(file));
  let saved = cachedData !== undefined && !script.cachedDataRejected;
  return {
    exports: module.exports,
    saveCodeCache() {
      if (saved || !cacheFile) return;
      saved = true;
      try {
        mkdirSync(dir, { recursive: true });
        const partial = `${cacheFile}.${process.pid}-${require("node:worker_threads").threadId}.tmp`;
        writeFileSync(partial, script.createCachedData());
        renameSync(partial, cacheFile);
        // the caches of this installation's earlier bundles are of no further use
        for (const name of readdirSync(dir)) if (name.startsWith(prefix) && name.endsWith(".v8") && join(dir, name) !== cacheFile) unlinkSync(join(dir, name));
      } catch {
        // a cache that cannot be written (a read-only home) costs speed, never the run
      }
    },
  };
}

module.exports = { requireWithCodeCache, codeCacheDir };
