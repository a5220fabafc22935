// The command line: parse options, run the analysis, pick a reporter, set the
// exit code. Bad input is one line on stderr and exit 2, never a stack trace.
import { Command, CommanderError, Option } from "commander";
import { analyzeFile, AnalysisInputError } from "../analysis/analyze.js";
import type { AnalysisResult } from "../analysis/summary.js";
import { memoryDType, parseByteSize } from "../compute/memory.js";
import { symbolicBatchMemory } from "../compute/batchFit.js";
import type { DType } from "../shapes/tensor.js";
import { renderJson } from "../report/json.js";
import { renderModelMarkdown } from "../report/markdown.js";
import { renderModelTable, TABLE_COLUMNS, type TableColumn } from "../report/table.js";
import { renderNotes } from "../report/notes.js";
import { checkPaths } from "../check/check.js";
import { checkProgress } from "./checkProgress.js";
import { diagnosticCodes } from "../diagnostics/codes.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { renderCheckText } from "../report/checkText.js";
import { renderCheckJson } from "../report/checkJson.js";
import { renderSarif } from "../report/sarif.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../packageRoot.js";
import { EnvironmentError, findEnvironment, type Environment } from "../environment/discover.js";
import { ProjectConfigError } from "../environment/projectConfig.js";
import { checkedTorchVersion, TorchVersionError } from "../environment/torchVersion.js";
import { registerAnnotateCommand } from "./annotateCommand.js";
import { disableSyntaxCache } from "../analysis/syntaxCache.js";
import { markReplayableCommand, recordRun, type RecordedRun } from "./recordedRun.js";
import { isStackOverflow, SmallStackExhausted, stackOverflowOnSmallStack } from "../eval/hostStack.js";
import { registerGraphCommand } from "./graphCommand.js";
import { UsageError } from "./usageError.js";
import { parseDepthOption, parseInputOptions } from "./optionParsers.js";
import { startMcpServer } from "../mcp/server.js";

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

interface CheckCliOptions {
  format: string;
  failOn: string;
  timeout: string;
  memoryLimit: string;
  searchPath: string[];
  python?: string;
  torchVersion?: string;
  cache: boolean;
  jobs?: string;
}

/** --torch-version, checked; bad input is a usage error. */
function torchVersionOption(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    return checkedTorchVersion(text, "--torch-version");
  } catch (e) {
    if (e instanceof TorchVersionError) throw new UsageError(e.message);
    throw e;
  }
}

/** The environment of each analysed file, found once per project (findEnvironment memoises); bad settings are usage errors. */
function environmentFinder(python: string | undefined): (file: string) => Environment {
  return (file) => {
    try {
      return findEnvironment(file, { python });
    } catch (e) {
      if (e instanceof EnvironmentError || e instanceof ProjectConfigError) throw new UsageError(e.message);
      throw e;
    }
  };
}

function runCheck(paths: string[], opts: CheckCliOptions, out: (s: string) => void): number {
  if (!opts.cache) disableSyntaxCache();
  const seconds = Number(opts.timeout);
  if (!(seconds > 0)) throw new UsageError(`--timeout must be a positive number of seconds, not '${opts.timeout}'`);
  const fails = failingDiagnostic(opts.failOn);
  const megabytes = Number(opts.memoryLimit);
  if (!(megabytes > 0)) throw new UsageError(`--memory-limit must be a positive number of megabytes, not '${opts.memoryLimit}'`);
  const jobs = opts.jobs === undefined ? "auto" : Number(opts.jobs);
  if (jobs !== "auto" && !(Number.isInteger(jobs) && jobs >= 1)) throw new UsageError(`--jobs must be a whole number of worker threads, 1 or more, not '${opts.jobs}'`);
  const result = checkPaths(paths, { timeLimitMs: seconds * 1000, memoryLimitBytes: megabytes * 2 ** 20, searchPaths: opts.searchPath, environmentFor: environmentFinder(opts.python), torchVersion: torchVersionOption(opts.torchVersion), jobs, progress: checkProgress(opts.format), outcomeCache: true });
  switch (opts.format) {
    case "text":
      out(renderCheckText(result));
      break;
    case "json":
      out(renderCheckJson(result));
      break;
    case "sarif":
      out(renderSarif(result, packageVersion()));
      break;
    default:
      throw new UsageError(`unknown format '${opts.format}' (text, json, sarif)`);
  }
  return result.diagnostics.some(fails) ? 1 : 0;
}

/** --fail-on: severities and codes, any of which makes `check` exit 1 (`error,budget`: errors, and budgets exceeded). */
function failingDiagnostic(text: string): (d: Diagnostic) => boolean {
  const wanted = text.split(",").map((w) => w.trim()).filter((w) => w !== "");
  const severities = ["error", "warning", "info"];
  const unknown = wanted.find((w) => !severities.includes(w) && !(w in diagnosticCodes));
  if (unknown !== undefined || wanted.length === 0)
    throw new UsageError(`--fail-on takes severities (error, warning, info) and diagnostic codes, comma-separated; '${unknown ?? text}' is neither`);
  // a severity includes those above it: --fail-on warning fails on errors too
  const worst = Math.min(...wanted.map((w) => severities.indexOf(w)).filter((i) => i >= 0));
  return (d) => severities.indexOf(d.severity) <= worst || wanted.includes(d.code);
}

/**
 * Loaded on demand (the bundle initialises the server's modules, and requires the LSP
 * libraries, only here), so the summary and check commands never load them. Runs until the client says exit.
 */
function runLanguageServer(): void {
  import("../lsp/server.js")
    .then((server) => server.startLanguageServer())
    .catch((e: unknown) => {
      process.stderr.write(`torchshape: the language server could not start: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2;
    });
}

/** The MCP server; its SDK is loaded from its own bundle, only here. Runs until the client closes stdin. */
function runMcpServer(): void {
  startMcpServer().catch((e: unknown) => {
    process.stderr.write(`torchshape: the MCP server could not start: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  });
}

interface SummaryOptions {
  model?: string;
  input: string[];
  format: string;
  depth: string;
  columns?: string;
  memoryBudget?: string;
  dtype?: string;
  debug?: boolean;
  searchPath: string[];
  python?: string;
  torchVersion?: string;
  cache: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function mergeResults(results: AnalysisResult[]): AnalysisResult {
  return {
    files: results.flatMap((r) => r.files),
    models: results.flatMap((r) => r.models),
    functions: results.flatMap((r) => r.functions ?? []),
    diagnostics: results.flatMap((r) => r.diagnostics),
    // one environment note per distinct environment, not one per file
    notes: results.flatMap((r) => r.notes).filter((n, i, all) => !n.message.startsWith("environment: ") || all.findIndex((m) => m.message === n.message) === i),
    missingPackages: [...new Set(results.flatMap((r) => r.missingPackages ?? []))],
  };
}

/** --columns input_size,mult_adds: torchinfo's column names, comma-separated, in the order shown. */
function parseColumns(text: string): TableColumn[] {
  const names = text.split(",").map((c) => c.trim());
  const bad = names.find((c) => !(TABLE_COLUMNS as readonly string[]).includes(c));
  if (bad !== undefined) throw new UsageError(`unknown column '${bad}' in --columns (${TABLE_COLUMNS.join(", ")})`);
  return names as TableColumn[];
}

/** --dtype: a floating dtype (float32, bf16, fp16, ...). */
function parseMemoryDType(text: string): DType {
  const dtype = memoryDType(text);
  if (!dtype) throw new UsageError(`unknown --dtype '${text}' (float32, bf16, fp16, float64)`);
  return dtype;
}

function runSummary(files: string[], opts: SummaryOptions, out: (s: string) => void): number {
  markReplayableCommand();
  if (!opts.cache) disableSyntaxCache();
  const inputs = parseInputOptions(opts.input);
  const depth = parseDepthOption(opts.depth);
  const columns = opts.columns === undefined ? undefined : parseColumns(opts.columns);
  const dtype = parseMemoryDType(opts.dtype ?? "float32");
  let budget: number | undefined;
  if (opts.memoryBudget !== undefined) {
    budget = parseByteSize(opts.memoryBudget);
    if (budget === undefined) throw new UsageError(`--memory-budget must be a positive size such as 24GB or 8000MiB, not '${opts.memoryBudget}'`);
  }
  const environmentOf = environmentFinder(opts.python);
  const torchVersion = torchVersionOption(opts.torchVersion);
  // of several files, one that cannot be read (a malformed notebook, a syntax error) is one line on stderr and exit 2; the others are still summarised
  let unreadable = false;
  const results = files.flatMap((f) => {
    try {
      return [analyzeFile(f, { model: opts.model, inputs, searchPaths: opts.searchPath, environment: environmentOf(f), torchVersion })];
    } catch (e) {
      if (!(e instanceof AnalysisInputError) || files.length === 1) throw e;
      process.stderr.write(`torchshape: ${e.message}\n`);
      unreadable = true;
      return [];
    }
  });
  const result = mergeResults(results);
  const memory = budget === undefined ? undefined : result.models.map((m) => symbolicBatchMemory(m, budget, dtype, { searchPaths: opts.searchPath, environment: environmentOf(m.file), torchVersion }));
  switch (opts.format) {
    case "json":
      out(renderJson(result, { memory }));
      break;
    case "markdown":
      out(`${result.models.map(renderModelMarkdown).join("\n\n")}\n${renderNotes(result, "markdown")}`);
      break;
    case "table":
      out(`${result.models.map((m, i) => renderModelTable(m, { depth, columns, memory: memory?.[i] })).join("\n\n")}\n${renderNotes(result, "text")}`);
      break;
    default:
      throw new UsageError(`unknown format '${opts.format}' (table, markdown, json)`);
  }
  if (unreadable) return 2;
  return result.diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}

export function buildProgram(out: (s: string) => void, setExit: (code: number | Promise<number>) => void): Command {
  const program = new Command();
  // a subcommand's options (check -f sarif) belong to the subcommand, not to the summary
  program
    .enablePositionalOptions()
    .name("torchshape")
    .description("Per-layer shapes and parameter counts of PyTorch nn.Module source, without running Python")
    .argument("<files...>", "Python files (or Jupyter notebooks) with nn.Module classes")
    .option("-m, --model <expr>", 'which model: a class or factory name, or a call, e.g. "resnet18(num_classes=10)"')
    .option("-i, --input <shape>", "one forward() argument, batch included: 1,3,32,32 or N,3,H,W or 4,50:int64 (repeatable)", collect, [])
    .addOption(new Option("-f, --format <name>", "output format").choices(["table", "markdown", "json"]).default("table"))
    .option("-d, --depth <n>", "nesting depth shown in the table", "3")
    .option("--memory-budget <size>", "the largest training batch (SGD, Adam) whose estimated memory fits this size, e.g. 24GB")
    .option("--dtype <name>", "element type for --memory-budget: float32 (default), bf16, fp16")
    .option("--columns <names>", `the table's columns, comma-separated, among torchinfo's: ${TABLE_COLUMNS.join(", ")} (default input_size,output_size,num_params)`)
    .option("--search-path <dir>", "extra folder for absolute imports (repeatable)", collect, [])
    .option("--python <path>", "the Python whose installed packages resolve imports (an interpreter or a virtual environment's folder)")
    .option("--torch-version <version>", "the torch version to model (default: the environment's torch, else the latest stable release)")
    .option("--no-cache", "read every file afresh: no syntax trees from, or into, the cache ($XDG_CACHE_HOME/torchshape)")
    .option("--debug", "show stack traces of internal failures")
    .version(packageVersion(), "-V, --version")
    // `check --format sarif` belongs to check, wherever it stands on the line
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: (s) => out(s), writeErr: (s) => process.stderr.write(s) })
    .action((files: string[], opts: SummaryOptions) => setExit(runSummary(files, opts, out)));
  program
    .command("check")
    .description("diagnostics only, for hooks and CI: exit 1 when a shape error is found")
    .argument("<paths...>", "files and folders")
    .addOption(new Option("-f, --format <name>", "output format").choices(["text", "json", "sarif"]).default("text"))
    .option("--timeout <seconds>", "time budget per file, and per model it builds", "10")
    .option("--fail-on <list>", "severities and codes that make check exit 1, comma-separated (error,budget: errors and budgets exceeded)", "error")
    .option("--memory-limit <MB>", "memory budget per file, in megabytes", "512")
    .option("--search-path <dir>", "extra folder for absolute imports (repeatable)", collect, [])
    .option("--python <path>", "the Python whose installed packages resolve imports (an interpreter or a virtual environment's folder)")
    .option("--torch-version <version>", "the torch version to model (default: the environment's torch, else the latest stable release)")
    .option("--no-cache", "analyse every file afresh: no syntax trees or check outcomes from, or into, the cache ($XDG_CACHE_HOME/torchshape)")
    .option("-j, --jobs <n>", "files analysed at once, on worker threads (default: one thread on 2 cores; with more, a worker for each idle core, one for every 8 files at most)")
    .action((paths: string[], opts: CheckCliOptions) => setExit(runCheck(paths, opts, out)));
  registerAnnotateCommand(program, out, setExit);
  registerGraphCommand(program, out, setExit, environmentFinder, torchVersionOption);
  program
    .command("lsp")
    .description("language server over stdio: shape diagnostics, hovers, inlay hints and code lenses in any LSP editor")
    .option("--stdio", "talk over stdin/stdout (the default; accepted for clients that pass it)")
    .allowUnknownOption() // clients add their own flags (--clientProcessId=...)
    .action(runLanguageServer);
  program
    .command("mcp")
    .description("Model Context Protocol server over stdio for AI coding agents: tools summarize, check, shape_at, explain, fit")
    .action(runMcpServer);
  return program;
}

export function main(argv: string[]): number | Promise<number> {
  let exitCode: number | Promise<number> = 0;
  const out = (s: string) => void process.stdout.write(s.endsWith("\n") ? s : `${s}\n`);
  const program = buildProgram(out, (c) => (exitCode = c));
  const debug = argv.includes("--debug");
  try {
    program.parse(argv, { from: "user" });
    // a command that renders asynchronously (graph's svg and html) fails the same way when it fails later
    const code = exitCode as number | Promise<number>;
    return typeof code === "number" ? code : code.catch((e: unknown) => failureExitCode(e, debug));
  } catch (e) {
    return failureExitCode(e, debug);
  }
}

/** main(), with what its output depends on recorded: the host keeps a summary's output to replay (src/cli/runReplay.ts). */
export function mainRecorded(argv: string[]): RecordedRun {
  return recordRun(() => main(argv));
}

/** What a failure prints (one line, a stack trace only with --debug) and its exit code. */
function failureExitCode(e: unknown, debug: boolean): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
  if (e instanceof AnalysisInputError || e instanceof UsageError) {
    process.stderr.write(`torchshape: ${e.message}\n`);
    return 2;
  }
  // on the main thread's small stack the host redoes the run on a large one (hostStack.ts)
  if (e instanceof SmallStackExhausted || (isStackOverflow(e) && stackOverflowOnSmallStack())) return 2;
  // JavaScript's own stack ran out in a deeply nested expression: bad input, not a crash
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    process.stderr.write("torchshape: the file is nested too deeply to analyse\n");
    return 2;
  }
  if (debug && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  process.stderr.write(`torchshape: internal error: ${e instanceof Error ? e.message.split("\n")[0] : String(e)} (rerun with --debug for details)\n`);
  return 2;
}

// the host (bin/torchshape.cjs) runs main() on the main thread first, and again on a large stack when that ran out
export { runOnSmallStack, smallStackExhausted } from "../eval/hostStack.js";
// bin/checkWorker.cjs: a worker thread of check --jobs
export { serveCheckWorker } from "../check/checkWorker.js";
// bin/largeStack.cjs: when the language server's code cache is worth writing
export { onTypicalCodeCompiled } from "./codeCacheMoment.js";
