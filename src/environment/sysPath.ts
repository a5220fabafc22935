// What an interpreter says about itself: its sys.path, where its standard
// library is, and the standard library's module names. This is the one process
// torchshape ever starts (no analysed code is run), asked once per interpreter
// and cached on disk, keyed by the interpreter's path and mtime.
import { createRequire } from "node:module";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { modificationTime, readTextFile } from "../analysis/diskReads.js";
import { defaultCacheDir } from "./cacheFolder.js";
import { shortHash } from "./shortHash.js";

/** node:child_process when the interpreter is asked: loading it costs every run, even one answered from the cache, ~8 ms. */
const childProcess = () => createRequire(import.meta.url)("node:child_process") as typeof import("node:child_process");

export interface InterpreterFacts {
  readonly sysPath: readonly string[];
  /** the standard library's folders (stdlib, platstdlib): never evaluated from source */
  readonly stdlib: readonly string[];
  readonly pythonVersion: string;
  /** sys.stdlib_module_names (3.10+): an unresolved import of one of these is not a missing package */
  readonly stdlibModules: readonly string[];
}

const query = [
  "import json, sys, sysconfig",
  "p = sysconfig.get_paths()",
  "print(json.dumps({'sysPath': sys.path, 'stdlib': [p.get('stdlib', ''), p.get('platstdlib', '')],",
  " 'pythonVersion': sys.version.split()[0], 'stdlibModules': sorted(getattr(sys, 'stdlib_module_names', []))}))",
].join("\n");

export const queryTimeoutMs = 15_000;


function isFacts(v: unknown): v is InterpreterFacts {
  const f = v as InterpreterFacts;
  return typeof f === "object" && f !== null && Array.isArray(f.sysPath) && f.sysPath.every((p) => typeof p === "string") && Array.isArray(f.stdlib) && Array.isArray(f.stdlibModules) && typeof f.pythonVersion === "string";
}

/**
 * The cache key: the interpreter as named (a venv's python is a link to the
 * system's, with another sys.path), the mtime of what it runs and of a venv's
 * pyvenv.cfg, and PYTHONPATH, which sys.path includes.
 */
function cacheKey(interpreter: string, env: NodeJS.ProcessEnv): string {
  const cfg = join(dirname(dirname(interpreter)), "pyvenv.cfg");
  return shortHash(JSON.stringify([interpreter, modificationTime(interpreter), modificationTime(cfg), env.PYTHONPATH ?? ""]));
}

export type FactsAnswer = { readonly facts: InterpreterFacts } | { readonly problem: string };

/** Ask the interpreter (or its cached answer). A failure is a problem to report, never an exception. */
export function interpreterFacts(interpreter: string, options: { cacheDir?: string; env?: NodeJS.ProcessEnv } = {}): FactsAnswer {
  const env = options.env ?? process.env;
  const cacheDir = options.cacheDir ?? defaultCacheDir(env);
  const cacheFile = join(cacheDir, `sys-path-${cacheKey(interpreter, env)}.json`);
  try {
    const cached: unknown = JSON.parse(readTextFile(cacheFile));
    if (isFacts(cached)) return { facts: cached };
  } catch {
    // no entry, or a bad one: asked again and rewritten
  }
  // run from a neutral folder: sys.path's first entry ('') is then not the user's working folder
  const r = childProcess().spawnSync(interpreter, ["-c", query], { cwd: tmpdir(), env, encoding: "utf8", timeout: queryTimeoutMs, killSignal: "SIGKILL" });
  if (r.error) return { problem: (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT" ? `${interpreter} did not answer within ${queryTimeoutMs / 1000} s` : `${interpreter} could not be run (${r.error.message})` };
  if (r.status !== 0) return { problem: `${interpreter} exited with status ${r.status}${r.stderr.trim() ? `: ${r.stderr.trim().split("\n").pop()}` : ""}` };
  let facts: unknown;
  try {
    facts = JSON.parse(r.stdout.trim().split("\n").pop() ?? "");
  } catch {
    facts = undefined;
  }
  if (!isFacts(facts)) return { problem: `${interpreter} did not print its sys.path (is it a Python interpreter?)` };
  try {
    mkdirSync(cacheDir, { recursive: true });
    const partial = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(facts));
    renameSync(partial, cacheFile);
  } catch {
    // an unwritable cache costs a process per run, nothing else
  }
  return { facts };
}
