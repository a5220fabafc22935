// check's outcome of each file kept on disk between runs, as ruff and mypy keep
// theirs: a pre-commit hook checks mostly the files it checked last time, and
// analysing them again is the whole of its cost. An entry holds what check reports
// of the file (CheckedFile), what its analysis asked and added to the run's
// coverage ledger, and every path the analysis looked at (src/analysis/diskReads.ts:
// the file, its imports local and installed, the paths probed for imports that were
// not there, the folders listed). It is replayed only when
//   - torchshape's build is the one that wrote it (the bundle's hash, node's version),
//   - the file is named as then from the same folder, with the same options (time and
//     memory budgets, search paths, torch version) and the same environment (interpreter,
//     site paths, torch version, the project's [tool.torchshape], all as found in this run),
//   - every path it looked at is as it was (kind, size, mtime and ctime),
//   - and the run's ledger answers the file's questions as it was answered then
//     (CoverageLedger.replay; else the file is analysed again, as check --jobs does).
// Outcomes a budget touched (time, memory, steps: the machine's speed decides them),
// cut short, or holding what cannot be stored are never stored; nor are files that
// could not be analysed. An entry is written to a temporary file renamed into place,
// and carries a hash of its bytes: a torn, corrupt or foreign entry is analysed anew.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { diskReadsHold, pathStateNow, recordDiskReads, type DiskReads, type PathState } from "../analysis/diskReads.js";
import { syntaxCacheEnabled } from "../analysis/syntaxCache.js";
import type { Environment } from "../environment/discover.js";
import { defaultCacheDir } from "../environment/cacheFolder.js";
import { shortHash } from "../environment/shortHash.js";
import { BudgetExceeded } from "../eval/errors.js";
import { v8Module } from "../nodeOnDemand.js";
import type { CheckedFile, FileCheckOptions, FileOutcome } from "./check.js";
import type { CoverageLedger, LedgerEvent } from "./coverage.js";
import { foreignClassIn, reviveSymbolicDims } from "./reviveDims.js";

/** Bumped when the stored form changes. */
const entryFormat = 1;

/** One file analysed with what its outcome depends on recorded, whether or not it may be stored. */
export interface RecordedAnalysis {
  readonly outcome: FileOutcome;
  readonly events: readonly LedgerEvent[];
  readonly reads: DiskReads;
  /** no budget stopped any part of it, nothing cut it short, and it holds only plain data */
  readonly storable: boolean;
}

/** A stored outcome that still holds on disk; the ledger's answers are checked at the file's turn. */
export interface StoredOutcome {
  readonly result: CheckedFile;
  readonly events: readonly LedgerEvent[];
}

/** `analyse()` (one file's analysis on `ledger`) with its ledger calls and its reads of the disk recorded. */
export function analyseRecording(ledger: CoverageLedger, analyse: () => FileOutcome): RecordedAnalysis {
  const budgetsBefore = BudgetExceeded.raised;
  ledger.startJournal();
  let recorded: { value: FileOutcome; reads: DiskReads };
  try {
    recorded = recordDiskReads(analyse);
  } catch (e) {
    ledger.takeJournal();
    throw e;
  }
  const events = ledger.takeJournal();
  const outcome = recorded.value;
  const storable = "result" in outcome && outcome.result.cuts.length === 0 && BudgetExceeded.raised === budgetsBefore && foreignClassIn(outcome) === undefined;
  return { outcome, events, reads: recorded.reads, storable };
}

/** The build that analyses: the CLI bundle's hash (scripts/bundle.mjs writes it beside the bundle) and node's version; none outside the bundle. */
function buildIdentity(): string | undefined {
  try {
    const hash = readFileSync(`${fileURLToPath(import.meta.url)}.sha1`, "utf8").trim();
    return hash ? `${hash}/${process.version}/${entryFormat}` : undefined;
  } catch {
    // tsc's output or the sources (tests, the API): no hash names the code, so nothing is stored
    return undefined;
  }
}

/** Maps and sets (a config's inputs, the standard library's names) as lists, so that the text says all they hold. */
function plainJson(_key: string, value: unknown): unknown {
  return value instanceof Map ? [...value] : value instanceof Set ? [...value] : value;
}

interface Entry {
  readonly build: string;
  readonly key: string;
  readonly reads: [string, PathState][];
  readonly result: CheckedFile;
  readonly events: LedgerEvent[];
}

/** FNV-1a over bytes, twice over (as shortHash over text): an entry's bytes as they were written. */
function bytesHash(bytes: Uint8Array): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < bytes.length; i++) {
    a = Math.imul(a ^ bytes[i]!, 0x01000193) >>> 0;
    b = Math.imul(b ^ bytes[i]!, 0x01000193) >>> 0;
    b = (b + a) >>> 0;
  }
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}

const hashLength = 16;

export class OutcomeCache {
  /** paths' states as this run found them: torchvision's modules are looked at once, not once per file importing them */
  private readonly seen = new Map<string, PathState>();

  private constructor(
    private readonly build: string,
    private readonly options: FileCheckOptions,
  ) {}

  /** The cache of this run, or none: with --no-cache (or TORCHSHAPE_NO_CACHE), or outside the CLI's bundle. */
  static open(options: FileCheckOptions): OutcomeCache | undefined {
    if (!syntaxCacheEnabled()) return undefined;
    const build = buildIdentity();
    return build ? new OutcomeCache(build, options) : undefined;
  }

  static folder(): string {
    return join(defaultCacheDir(), "check");
  }

  private keyOf(file: string, environment: Environment | undefined): string {
    const { timeLimitMs, memoryLimitBytes, searchPaths, torchVersion } = this.options;
    return JSON.stringify({ cwd: process.cwd(), file, timeLimitMs, memoryLimitBytes, searchPaths, torchVersion, environment }, plainJson);
  }

  private entryFile(file: string, key: string): string {
    return join(OutcomeCache.folder(), `${basename(file).replace(/[^\w.-]/g, "_")}-${shortHash(key)}.bin`);
  }

  /** The file's stored outcome when everything it depends on on disk is as it was; undefined otherwise (never an error). */
  lookup(file: string, environment: Environment | undefined): StoredOutcome | undefined {
    const key = this.keyOf(file, environment);
    let entry: Entry;
    try {
      const bytes = readFileSync(this.entryFile(file, key));
      const payload = bytes.subarray(hashLength);
      if (bytes.subarray(0, hashLength).toString("latin1") !== bytesHash(payload)) return undefined;
      entry = v8Module().deserialize(payload) as Entry;
    } catch {
      return undefined;
    }
    if (!entry || typeof entry !== "object" || entry.build !== this.build || entry.key !== key || !Array.isArray(entry.reads) || !Array.isArray(entry.events) || !entry.result || typeof entry.result !== "object") return undefined;
    const stateNow = (path: string, contents: boolean): PathState => {
      const memo = `${contents ? "+" : "-"}${path}`;
      let state = this.seen.get(memo);
      if (!state) this.seen.set(memo, (state = pathStateNow(path, contents)));
      return state;
    };
    if (!diskReadsHold(entry.reads, stateNow)) return undefined;
    return { result: reviveSymbolicDims(entry.result), events: entry.events };
  }

  /** Stores a file's outcome for the next run, when it may be; a cache that cannot be written costs speed, never the run. */
  store(file: string, environment: Environment | undefined, analysis: RecordedAnalysis): void {
    if (!analysis.storable || !("result" in analysis.outcome)) return;
    const key = this.keyOf(file, environment);
    const target = this.entryFile(file, key);
    try {
      const entry: Entry = { build: this.build, key, reads: [...analysis.reads], result: analysis.outcome.result, events: [...analysis.events] };
      const payload = v8Module().serialize(entry);
      mkdirSync(OutcomeCache.folder(), { recursive: true });
      const partial = `${target}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(partial, Buffer.concat([Buffer.from(bytesHash(payload), "latin1"), payload]));
      renameSync(partial, target);
    } catch {
      // a read-only or full cache folder: the next run analyses the file again
    }
  }
}
