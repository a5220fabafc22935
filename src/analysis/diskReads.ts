// What an analysis learnt from the disk: the files it read, the paths it probed
// (found or not) and the folders it listed, each with its state when it was looked
// at. check's outcome cache (src/check/outcomeCache.ts) stores them beside a file's
// outcome, and the CLI beside a summary's output (src/cli/runReplay.ts), and each replays
// only while every one is as it was: an imported file edited, or a module created where
// an import looked for it, changes the result. The analysis, and the finding of its
// environment, read the disk through these functions; they record only while a
// recording is on (recordDiskReads), so the language server pays a test.
import { accessSync, constants, readdirSync, readFileSync, statSync, type Stats } from "node:fs";

/** A path as it was seen: whether it existed and as what, and, where its contents were used, when they last changed. */
export interface PathState {
  readonly kind: "absent" | "file" | "folder" | "other";
  /** a file read, or a folder listed: its size, modification and change times (ctime moves even when a tool restores the mtime) */
  readonly size?: number;
  readonly mtimeMs?: number;
  readonly ctimeMs?: number;
}

export type DiskReads = ReadonlyMap<string, PathState>;

let recording: Map<string, PathState> | undefined;

/** `run()`, with every path the analysis looked at during it. */
export function recordDiskReads<T>(run: () => T): { readonly value: T; readonly reads: DiskReads } {
  const outer = recording;
  const reads = new Map<string, PathState>();
  recording = reads;
  try {
    return { value: run(), reads };
  } finally {
    recording = outer;
    // what an inner recording saw, the outer one saw too
    if (outer) for (const [path, state] of reads) note(path, state);
  }
}

function kindOf(stats: Stats | undefined): PathState["kind"] {
  return !stats ? "absent" : stats.isFile() ? "file" : stats.isDirectory() ? "folder" : "other";
}

/** The state of a path now: with its times when `contents` (a file read, a folder listed). */
export function pathStateNow(path: string, contents: boolean): PathState {
  let stats: Stats | undefined;
  try {
    stats = statSync(path, { throwIfNoEntry: false });
  } catch {
    stats = undefined;
  }
  const kind = kindOf(stats);
  return contents && stats ? { kind, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs } : { kind };
}

/** The first sight of a path is kept (a file that changes during the analysis is then stale at once), with its times once its contents are used. */
function note(path: string, state: PathState): void {
  if (!recording) return;
  const known = recording.get(path);
  if (!known || (known.mtimeMs === undefined && state.mtimeMs !== undefined && known.kind === state.kind)) recording.set(path, state);
}

/** A file whose contents the analysis uses, as statSync saw it just before reading (the syntax cache's key, readSourceText's check). */
export function noteFileRead(path: string, stats: Stats): void {
  if (recording) note(path, { kind: kindOf(stats), size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs });
}

/** A path's state now, noted: what every function below looks at the disk through. */
function lookAt(path: string, contents: boolean): PathState {
  const state = pathStateNow(path, contents);
  note(path, state);
  return state;
}

/** Whether a path exists (a file or a folder), as existsSync. */
export function pathExists(path: string): boolean {
  return lookAt(path, false).kind !== "absent";
}

/** Whether a path is a folder. */
export function isFolder(path: string): boolean {
  return lookAt(path, false).kind === "folder";
}

/** Whether a path is a file this process may execute (an interpreter looked for): its ctime moves with its mode. */
export function isExecutableFile(path: string): boolean {
  if (lookAt(path, true).kind !== "file") return false;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A path's modification time (0 when absent), as part of a key. */
export function modificationTime(path: string): number {
  return lookAt(path, true).mtimeMs ?? 0;
}

/** A file's text, as readFileSync(path, "utf8") (throwing as it does). */
export function readTextFile(path: string): string {
  lookAt(path, true);
  return readFileSync(path, "utf8");
}

/** A folder's entries, as readdirSync (throwing as it does): a file added to it or removed changes its mtime. */
export function listFolder(path: string): string[] {
  lookAt(path, true);
  return readdirSync(path);
}

/** Whether every path is as it was seen. */
export function diskReadsHold(reads: Iterable<readonly [string, PathState]>, stateNow: (path: string, contents: boolean) => PathState = pathStateNow): boolean {
  for (const [path, seen] of reads) {
    const now = stateNow(path, seen.mtimeMs !== undefined);
    if (now.kind !== seen.kind || now.size !== seen.size || now.mtimeMs !== seen.mtimeMs || now.ctimeMs !== seen.ctimeMs) return false;
  }
  return true;
}
