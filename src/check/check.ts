// `torchshape check`: every model the checked files build (see fileModels.ts),
// diagnostics only. One file's trouble (a syntax error, a binary file, nesting
// too deep, the time budget) is a note on that file; the run goes on to the next.
import { AnalysisInputError, readSourceText } from "../analysis/sourceFile.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { FunctionSummary } from "../analysis/summary.js";
import { CoverageLedger, type CoverageSummary } from "./coverage.js";
import { mayBuildModelsAtTopLevel } from "./entryPoints.js";
import { checkFileModels, type EntryKind, type FileModels, type UnbuiltModel } from "./fileModels.js";
import { isSuppressed, lineReader } from "./suppressions.js";
import { pythonFilesUnder } from "./walk.js";
import { describeEnvironment, type Environment } from "../environment/discover.js";
import { projectConfigFor } from "../environment/projectConfig.js";
import { availableParallelism, loadavg } from "node:os";
import { sep } from "node:path";
import { isStackOverflow, SmallStackExhausted, stackOverflowOnSmallStack } from "../eval/hostStack.js";
import { checkInParallel, workersAvailable } from "./parallelCheck.js";
import { defaultWorkerCount } from "./workerCount.js";
import { analyseRecording, OutcomeCache, type StoredOutcome } from "./outcomeCache.js";

/** A file that was not checked, and why. */
export interface FileNote {
  readonly file: string;
  /** 1-based, in a notebook: the cell of `line` */
  readonly cell?: number;
  /** 1-based, when the reason has a place (a syntax error) */
  readonly line?: number;
  readonly column?: number;
  readonly reason: string;
}

export interface CheckResult {
  readonly files: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
  /** files that could not be analysed (syntax errors, binary, budgets), with why */
  readonly skipped: readonly FileNote[];
  readonly modelsChecked: number;
  /** plain functions analysed from their shape annotations */
  readonly functionsChecked: number;
  readonly functions: readonly FunctionSummary[];
  /** the models analysed: what built each, and where */
  readonly models: readonly CheckedModelInfo[];
  /** the calls and factories that should have built a model but could not */
  readonly notBuilt: readonly UnbuiltModel[];
  /** the nn.Module classes of the checked files: how many some analysed model contains, and why the others are not analysed */
  readonly classes: CoverageSummary;
  /** what was analysed without a package it imports: counted apart, so no clean result is claimed for it */
  readonly partlyAnalysed: PartlyAnalysed;
  /** files whose analysis a resource bound cut short (its first cut as the reason): no clean result is claimed for them */
  readonly cutShort: readonly FileNote[];
  /** which environments the files were analysed in (one note each) */
  readonly environments: readonly string[];
  readonly elapsedMs: number;
}

/** Models (and files without a model found) whose analysis lacked packages the environment does not have. */
export interface PartlyAnalysed {
  readonly models: number;
  /** files that import a missing package and in which no model could be found: the package may hold their base classes */
  readonly files: number;
  readonly missingPackages: readonly string[];
}

export interface CheckedModelInfo {
  readonly name: string;
  readonly file: string;
  /** 1-based */
  readonly line: number;
  readonly via: EntryKind;
  /** where the input came from ("comment", "call", "summary", "symbolic", "unknown") */
  readonly inputSource: string;
  /** the forward pass stopped early, and why */
  readonly incomplete?: string;
}

export interface CheckOptions {
  /** wall-clock budget per file (to load it) and per model it builds, ms */
  readonly timeLimitMs?: number;
  /** memory budget per file, bytes (InterpreterOptions.memoryLimitBytes) */
  readonly memoryLimitBytes?: number;
  readonly searchPaths?: readonly string[];
  /** the user's environment for a file (the CLI's findEnvironment); none when absent */
  readonly environmentFor?: (file: string) => Environment;
  /** the torch version to model (SessionOptions.torchVersion) */
  readonly torchVersion?: string;
  /**
   * worker threads analysing files at once (parallelCheck.ts); 1 or none: one after another on this
   * thread; "auto": as many as workerCount.ts finds will pay (none on two cores)
   */
  readonly jobs?: number | "auto";
  /** said after each file is done, in checking order */
  readonly progress?: (done: number, total: number) => void;
  /**
   * replay a file's stored outcome while nothing it depends on has changed, and store what is analysed
   * (outcomeCache.ts; the CLI's check, unless --no-cache)
   */
  readonly outcomeCache?: boolean;
}

export const defaultCheckTimeLimitMs = 10_000;

/** An analysis failure as a note: the file path and position taken out of the message. */
export function fileNote(file: string, message: string): FileNote {
  const positioned = message.startsWith(`${file}:`) ? /^:(?:cell (\d+):)?(\d+):(\d+): (.*)$/s.exec(message.slice(file.length)) : null;
  if (positioned) return { file, ...(positioned[1] !== undefined ? { cell: Number(positioned[1]) } : {}), line: Number(positioned[2]), column: Number(positioned[3]), reason: positioned[4] };
  const reason = message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message;
  return { file, reason };
}

function noteFor(file: string, e: unknown): FileNote {
  if (e instanceof AnalysisInputError) return fileNote(file, e.message);
  // JavaScript's own stack ran out in a deeply nested expression: that file only
  if (e instanceof SmallStackExhausted || (isStackOverflow(e) && stackOverflowOnSmallStack())) throw e;
  if (e instanceof RangeError) return { file, reason: "nested too deeply to analyse" };
  return { file, reason: `internal error: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}` };
}

/** Files that build models at their top level go first: a class they build with real arguments is then analysed that way, not with its defaults. */
function checkingOrder(files: readonly string[]): string[] {
  const builds = (f: string) => {
    try {
      return mayBuildModelsAtTopLevel(readSourceText(f));
    } catch {
      return false;
    }
  };
  const first = files.filter(builds);
  return [...first, ...files.filter((f) => !first.includes(f))];
}

/** A file under a path that its project's [tool.torchshape] exclude lists. */
function excludedByProject(file: string): boolean {
  let config;
  try {
    config = projectConfigFor(file);
  } catch {
    return false; // a broken config is reported where the environment is found
  }
  return !!config?.exclude.some((ex) => file === ex || file.startsWith(`${ex}${sep}`));
}

/**
 * What check reports of one file: its models as CheckedModelInfo, not their summaries (every row of every
 * model), which nothing after the file's analysis reads and which a worker would otherwise copy to this thread.
 */
export interface CheckedFile extends Omit<FileModels, "models"> {
  readonly models: readonly CheckedModelInfo[];
}

/** How one file's analysis ended: what check reports of it, or why it was not checked. */
export type FileOutcome = { readonly result: CheckedFile } | { readonly note: FileNote };

function checkedFile({ models, ...rest }: FileModels): CheckedFile {
  return {
    ...rest,
    models: models.map(({ summary, via }) => ({ name: summary.name, file: summary.file, line: summary.line, via, inputSource: summary.inputSource, ...(summary.incomplete ? { incomplete: summary.incomplete } : {}) })),
  };
}

/** The options of one file's analysis in a check run. */
export type FileCheckOptions = Pick<CheckOptions, "timeLimitMs" | "memoryLimitBytes" | "searchPaths" | "torchVersion">;

export function fileCheckOptions(options: CheckOptions): FileCheckOptions {
  return { timeLimitMs: options.timeLimitMs, memoryLimitBytes: options.memoryLimitBytes, searchPaths: options.searchPaths, torchVersion: options.torchVersion };
}

/** A stored outcome at its file's turn: used, with what it adds to the run's ledger, when the ledger answers its questions as they were answered; else undefined. */
export function replayStored(stored: StoredOutcome | undefined, ledger: CoverageLedger): { readonly outcome: FileOutcome; readonly added: { readonly prints: string[]; readonly analysedKeys: string[] } } | undefined {
  const added = stored && ledger.replay(stored.events);
  return added ? { outcome: { result: stored.result }, added } : undefined;
}

/** One file analysed on the run's ledger, its outcome stored for the next run when there is a cache and it may be. */
export function checkOneFileStoring(file: string, environment: Environment | undefined, options: FileCheckOptions, ledger: CoverageLedger, cache: OutcomeCache | undefined): FileOutcome {
  if (!cache) return checkOneFile(file, environment, options, ledger);
  const analysis = analyseRecording(ledger, () => checkOneFile(file, environment, options, ledger));
  cache.store(file, environment, analysis);
  return analysis.outcome;
}

/** One file analysed, its trouble a note; what it did with the ledger is in the ledger. */
export function checkOneFile(file: string, environment: Environment | undefined, options: FileCheckOptions, ledger: CoverageLedger): FileOutcome {
  try {
    const timeLimitMs = options.timeLimitMs ?? defaultCheckTimeLimitMs;
    return { result: checkedFile(checkFileModels(file, { searchPaths: options.searchPaths, environment, torchVersion: options.torchVersion, interpreter: { timeLimitMs, ...(options.memoryLimitBytes ? { memoryLimitBytes: options.memoryLimitBytes } : {}) }, modelTimeLimitMs: timeLimitMs }, ledger)) };
  } catch (e) {
    return { note: noteFor(file, e) };
  }
}

export function checkPaths(paths: readonly string[], options: CheckOptions = {}): CheckResult {
  const started = Date.now();
  const files = pythonFilesUnder(paths).filter((f) => !excludedByProject(f));
  const environments = new Set<string>();
  const ledger = new CoverageLedger();
  const order = checkingOrder(files);
  // a bad --python or [tool.torchshape] stops the run: it is the user's input, not one file's trouble
  const environmentOf = new Map(order.map((file) => [file, options.environmentFor?.(file)] as const));
  for (const environment of environmentOf.values()) if (environment) environments.add(describeEnvironment(environment));
  const fileOptions = fileCheckOptions(options);
  const cache = options.outcomeCache ? OutcomeCache.open(fileOptions) : undefined;
  // stored outcomes are looked up before any worker starts: a file replayed costs none
  const stored = new Map<string, StoredOutcome>();
  for (const file of cache ? order : []) {
    const found = cache!.lookup(file, environmentOf.get(file));
    if (found) stored.set(file, found);
  }
  const toAnalyse = order.length - stored.size;
  const jobs = options.jobs === "auto" ? defaultWorkerCount(toAnalyse, availableParallelism(), loadavg()[0]!) : Math.min(options.jobs ?? 1, toAnalyse);
  const outcomes =
    jobs > 1 && workersAvailable()
      ? checkInParallel(order, environmentOf, options, ledger, jobs, { stored, cache })
      : new Map(
          order.map((file, i) => {
            const outcome = replayStored(stored.get(file), ledger)?.outcome ?? checkOneFileStoring(file, environmentOf.get(file), fileOptions, ledger, cache);
            options.progress?.(i + 1, order.length);
            return [file, outcome] as const;
          }),
        );
  const results = new Map<string, CheckedFile>();
  const notes = new Map<string, FileNote>();
  for (const [file, outcome] of outcomes) {
    if ("result" in outcome) results.set(file, outcome.result);
    else notes.set(file, outcome.note);
  }
  // reported in the files' own order, whatever order they were checked in
  const diagnostics: Diagnostic[] = [];
  const models: CheckedModelInfo[] = [];
  const notBuilt: UnbuiltModel[] = [];
  const functions: FunctionSummary[] = [];
  const lines = lineReader();
  const seen = new Set<string>();
  const partly = { models: 0, files: 0, missingPackages: new Set<string>() };
  const cutShort: FileNote[] = [];
  for (const file of files) {
    const result = results.get(file);
    if (!result) continue;
    if (result.cuts.length > 0) cutShort.push({ file, reason: result.cuts[0]! });
    notBuilt.push(...result.notBuilt);
    functions.push(...result.functions);
    if (result.missingPackages.length > 0) {
      if (result.models.length > 0) partly.models += result.models.length;
      else partly.files++;
      for (const p of result.missingPackages) partly.missingPackages.add(p);
    }
    models.push(...result.models);
    for (const d of result.diagnostics) {
      // a fault in a shared helper file shows once, however many checked files import it
      const key = `${d.code}@${d.location.file}:${d.location.span.line}:${d.location.span.col}`;
      if (seen.has(key) || isSuppressed(d, lines)) continue;
      seen.add(key);
      diagnostics.push(d);
    }
  }
  const skipped = files.flatMap((f) => notes.get(f) ?? []);
  const partlyAnalysed = { models: partly.models, files: partly.files, missingPackages: [...partly.missingPackages].sort() };
  return { files, diagnostics, skipped, modelsChecked: models.length, models, functionsChecked: functions.length, functions, notBuilt, classes: ledger.summary(), partlyAnalysed, cutShort, environments: [...environments], elapsedMs: Date.now() - started };
}
