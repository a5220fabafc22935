// `torchshape check`: every nn.Module class of every file that can be built with
// its defaults, diagnostics only. One file's trouble (a syntax error, a binary
// file, nesting too deep, the time budget) is a note on that file; the run goes
// on to the next.
import { analyzeFile, AnalysisInputError } from "../analysis/analyze.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { isSuppressed, lineReader } from "./suppressions.js";
import { pythonFilesUnder } from "./walk.js";

/** A file that was not checked, and why. */
export interface FileNote {
  readonly file: string;
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
  readonly elapsedMs: number;
}

export interface CheckOptions {
  /** wall-clock budget per file, ms */
  readonly timeLimitMs?: number;
  readonly searchPaths?: readonly string[];
}

export const defaultCheckTimeLimitMs = 10_000;

/** An analysis failure as a note: the file path and position taken out of the message. */
export function fileNote(file: string, message: string): FileNote {
  const positioned = message.startsWith(`${file}:`) ? /^:(\d+):(\d+): (.*)$/s.exec(message.slice(file.length)) : null;
  if (positioned) return { file, line: Number(positioned[1]), column: Number(positioned[2]), reason: positioned[3] };
  const reason = message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message;
  return { file, reason };
}

function noteFor(file: string, e: unknown): FileNote {
  if (e instanceof AnalysisInputError) return fileNote(file, e.message);
  // JavaScript's own stack ran out in a deeply nested expression: that file only
  if (e instanceof RangeError) return { file, reason: "nested too deeply to analyse" };
  return { file, reason: `internal error: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}` };
}

export function checkPaths(paths: readonly string[], options: CheckOptions = {}): CheckResult {
  const started = Date.now();
  const files = pythonFilesUnder(paths);
  const diagnostics: Diagnostic[] = [];
  const skipped: FileNote[] = [];
  const lines = lineReader();
  const seen = new Set<string>();
  let modelsChecked = 0;
  for (const file of files) {
    try {
      const result = analyzeFile(file, { searchPaths: options.searchPaths, interpreter: { timeLimitMs: options.timeLimitMs ?? defaultCheckTimeLimitMs }, allowNoModels: true });
      modelsChecked += result.models.length;
      for (const d of result.diagnostics) {
        // a fault in a shared helper file shows once, however many checked files import it
        const key = `${d.code}@${d.location.file}:${d.location.span.line}:${d.location.span.col}`;
        if (seen.has(key) || isSuppressed(d, lines)) continue;
        seen.add(key);
        diagnostics.push(d);
      }
    } catch (e) {
      skipped.push(noteFor(file, e));
    }
  }
  return { files, diagnostics, skipped, modelsChecked, elapsedMs: Date.now() - started };
}
