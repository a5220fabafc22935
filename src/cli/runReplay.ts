// A summary's output kept on disk and printed again while nothing it depends on has
// changed, as ruff and mypy replay their results for unchanged files: running the
// same summary again (a script, an agent, a make target) then costs node's start and
// a stat of each path it looked at, not loading the analyser and analysing. The host
// (bin/torchshape.cjs) loads this on its own, small bundle (dist/runReplay.cjs) before
// the analyser's, and stores what src/cli/recordedRun.ts found replayable.
//
// An entry is named after its key: torchshape's build (the bundle's hash, node's
// version), the working folder, the arguments and the whole environment (the
// interpreter found, the cache folders, NODE_OPTIONS: all come from it), save
// variables a shell changes between commands. It holds the output, its status and the
// state of every path the run looked at, and is replayed only while each is as it
// was (kind, size, mtime and ctime). It is written to a temporary file renamed into
// place and carries a hash of its text: a torn, corrupt or foreign entry is ignored
// and the run analyses. --no-cache, TORCHSHAPE_NO_CACHE and TORCHSHAPE_NO_REPLAY
// turn it off (the last for timing the analysis itself: npm run bench).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { diskReadsHold, type PathState } from "../analysis/diskReads.js";
import { defaultCacheDir } from "../environment/cacheFolder.js";
import { shortHash } from "../environment/shortHash.js";

/** Bumped when the stored form changes. */
const entryFormat = 1;

/** What a run wrote, in order: [stream, text]. */
export type HeldOutput = readonly (readonly ["stdout" | "stderr", string])[];

interface Entry {
  readonly key: string;
  readonly reads: readonly (readonly [string, PathState])[];
  readonly held: HeldOutput;
  readonly code: number;
}

/** Variables an interactive shell changes from one command to the next, which no summary reads. */
const volatileVariables = new Set(["_", "OLDPWD"]);

/** Outputs larger than this are not kept (each distinct command keeps one entry). */
const largestEntryChars = 4_000_000;

function replayOff(args: readonly string[]): boolean {
  return args.includes("--no-cache") || !!process.env.TORCHSHAPE_NO_CACHE || process.env.TORCHSHAPE_NO_REPLAY === "1";
}

function runKey(buildHash: string, args: readonly string[]): string {
  const environment = Object.entries(process.env)
    .filter(([name]) => !volatileVariables.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([entryFormat, buildHash, process.version, process.cwd(), args, environment]);
}

export function runReplayFolder(): string {
  return join(defaultCacheDir(), "runs");
}

function entryFile(key: string): string {
  return join(runReplayFolder(), `${shortHash(key)}.json`);
}

const hashLength = 16;

function isEntry(v: unknown, key: string): v is Entry {
  const e = v as Entry;
  return typeof e === "object" && e !== null && e.key === key && Array.isArray(e.reads) && Array.isArray(e.held) && (e.code === 0 || e.code === 1) && e.held.every((h) => Array.isArray(h) && (h[0] === "stdout" || h[0] === "stderr") && typeof h[1] === "string");
}

/**
 * The output and status of an earlier run of the same command, when everything it
 * looked at is as it was; undefined otherwise (never an error).
 */
export function storedRun(buildHash: string | undefined, args: readonly string[]): { readonly held: HeldOutput; readonly code: number } | undefined {
  if (!buildHash || replayOff(args)) return undefined;
  const key = runKey(buildHash, args);
  let entry: unknown;
  try {
    const text = readFileSync(entryFile(key), "utf8");
    const payload = text.slice(hashLength);
    if (text.slice(0, hashLength) !== shortHash(payload)) return undefined;
    entry = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (!isEntry(entry, key) || !diskReadsHold(entry.reads)) return undefined;
  return { held: entry.held, code: entry.code };
}

/** Keeps a replayable run's output for the next identical command; a cache that cannot be written costs speed, never the run. */
export function storeRun(buildHash: string | undefined, args: readonly string[], reads: Entry["reads"], held: readonly (readonly [string, unknown])[], code: number): void {
  if (!buildHash || replayOff(args) || (code !== 0 && code !== 1)) return;
  if (!held.every(([name, chunk]) => (name === "stdout" || name === "stderr") && typeof chunk === "string")) return;
  const key = runKey(buildHash, args);
  const payload = JSON.stringify({ key, reads, held, code });
  if (payload.length > largestEntryChars) return;
  const target = entryFile(key);
  try {
    mkdirSync(runReplayFolder(), { recursive: true });
    const partial = `${target}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(partial, shortHash(payload) + payload);
    renameSync(partial, target);
  } catch {
    // a read-only or full cache folder: the next run analyses again
  }
}
