// A run of the CLI with what its output depends on recorded, so that the host
// (bin/torchshape.cjs, through src/cli/runReplay.ts) can print it again without
// analysing while none of that has changed: every path the run looked at (the files,
// the imports found and not found, the folders listed, the environment's interpreter,
// pyproject.toml and sys.path answer: src/analysis/diskReads.ts). Only a summary may
// be replayed, and only one that
//   - ended with status 0 or 1 (a failure is printed afresh each time),
//   - no budget touched (time, memory, steps: the machine's speed decides them),
//   - ran with the caches on (not --no-cache, not TORCHSHAPE_NO_CACHE),
//   - looked only at files, folders and absent paths (a pipe or a device such as
//     /dev/stdin has no state that says its contents changed),
//   - and read nothing changed within the last two seconds: a file can change again
//     within its file system's clock tick (two seconds on FAT) and keep its times, so
//     what changed that recently is not trusted to say so (git's "racily clean" files).
import { recordDiskReads, type PathState } from "../analysis/diskReads.js";
import { syntaxCacheEnabled } from "../analysis/syntaxCache.js";
import { BudgetExceeded } from "../eval/errors.js";

export interface RecordedRun {
  readonly code: number | Promise<number>;
  readonly reads: readonly (readonly [string, PathState])[];
  readonly replayable: boolean;
}

/** A file's times this close to the run's start (or later) are not trusted to tell a later change. */
const recentChangeMs = 2000;

let summaryRan = false;

/** Called by the summary command: the one whose output may be replayed. */
export function markReplayableCommand(): void {
  summaryRan = true;
}

function trusted(state: PathState, startedMs: number): boolean {
  if (state.kind === "other") return false;
  return Math.max(state.mtimeMs ?? 0, state.ctimeMs ?? 0) < startedMs - recentChangeMs;
}

/** `run()` (the CLI's main), with every path it looked at and whether its output may be replayed. */
export function recordRun(run: () => number | Promise<number>): RecordedRun {
  const startedMs = Date.now();
  const budgetsBefore = BudgetExceeded.raised;
  summaryRan = false;
  const { value: code, reads } = recordDiskReads(run);
  const replayable =
    summaryRan &&
    (code === 0 || code === 1) &&
    BudgetExceeded.raised === budgetsBefore &&
    syntaxCacheEnabled() &&
    [...reads.values()].every((state) => trusted(state, startedMs));
  return { code, reads: [...reads], replayable };
}
