// Loading the CLI bundle through V8's code cache: compiling dist/torchshape.cjs
// (900 kB) is the largest single cost of a cold start, and the bundle never
// changes between runs of one installation. The build compiles it once, by a run of
// the article (scripts/bundle.mjs), and keeps the compiled code beside the bundle, as
// a wheel keeps its .pyc files: a fresh installation starts from it. Where V8 turns
// that down (another node, other V8 flags in NODE_OPTIONS) the run's own compiled
// code is kept in the user cache folder instead, and read before the installation's
// from then on. Both files are named after the bundle's hash (written beside it by
// scripts/bundle.mjs: hashing 900 kB at each start would cost more than reading), its
// size and node's version; V8 itself rejects cached data that does not fit (another V8,
// corrupt bytes), and the user's file is then written anew. Writing goes to a temporary
// file renamed into place, so concurrent runs never read half a file.
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

/** Set by the build, whose run of the article writes the installation's code cache beside the bundle. */
const buildingVariable = "TORCHSHAPE_BUILDING_CODE_CACHE";
/** For the tests and the benchmark: start as an installation without its code cache would. */
const ignoreInstalledVariable = "TORCHSHAPE_IGNORE_INSTALLED_CODE_CACHE";

/** The bundle's hash as the build wrote it beside the bundle (scripts/bundle.mjs), shortened; undefined without one. */
function bundleHashOf(file) {
  try {
    return readFileSync(`${file}.sha1`, "utf8").trim().slice(0, 16) || undefined;
  } catch {
    return undefined;
  }
}

function readIfAny(file) {
  try {
    return file ? readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
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
  const bundleHash = bundleHashOf(file);
  const name = `${basename(file)}${role ? `.${role}` : ""}`;
  const version = `${bundleHash}-${source.length}-${process.version}.v8`;
  // one installation's caches in the user folder are named after its bundle's path, so that two installations never remove each other's
  const prefix = `${name}-${pathKey(file)}-`;
  const dir = codeCacheDir();
  const userFile = bundleHash && join(dir, `${prefix}${version}`);
  const installedFile = bundleHash && join(dirname(file), `${name}-${version}`);
  const building = process.env[buildingVariable] === "1";
  const cacheFile = building ? installedFile : userFile;
  // the user's file exists only where the installation's was missing or turned down
  const cachedData = building ? undefined : readIfAny(userFile) ?? (process.env[ignoreInstalledVariable] === "1" ? undefined : readIfAny(installedFile));
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
        mkdirSync(dirname(cacheFile), { recursive: true });
        const partial = `${cacheFile}.${process.pid}-${require("node:worker_threads").threadId}.tmp`;
        writeFileSync(partial, script.createCachedData());
        renameSync(partial, cacheFile);
        // the caches of this installation's earlier bundles are of no further use
        if (!building) for (const old of readdirSync(dir)) if (old.startsWith(prefix) && old.endsWith(".v8") && join(dir, old) !== cacheFile) unlinkSync(join(dir, old));
      } catch {
        // a cache that cannot be written (a read-only home) costs speed, never the run
      }
    },
  };
}

module.exports = { requireWithCodeCache, codeCacheDir, bundleHashOf };
