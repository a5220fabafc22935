// `torchshape check`: every nn.Module class of every file that can be built with
// its defaults, diagnostics only. One file's trouble is a note on that file;
// the run goes on to the next.
import { analyzeFile, AnalysisInputError } from "../analysis/analyze.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { isSuppressed, lineReader } from "./suppressions.js";
import { pythonFilesUnder } from "./walk.js";

export interface FileProblem {
  readonly file: string;
  readonly message: string;
}

export interface CheckResult {
  readonly files: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
  /** files that could not be analysed (syntax errors, binary, budgets), with why */
  readonly skipped: readonly FileProblem[];
  readonly modelsChecked: number;
}

export interface CheckOptions {
  /** wall-clock budget per file, ms */
  readonly timeLimitMs?: number;
  readonly searchPaths?: readonly string[];
}

export function checkPaths(paths: readonly string[], options: CheckOptions = {}): CheckResult {
  const files = pythonFilesUnder(paths);
  const diagnostics: Diagnostic[] = [];
  const skipped: FileProblem[] = [];
  const lines = lineReader();
  let modelsChecked = 0;
  for (const file of files) {
    try {
      const result = analyzeFile(file, { searchPaths: options.searchPaths, interpreter: { timeLimitMs: options.timeLimitMs ?? 10_000 }, allowNoModels: true });
      modelsChecked += result.models.length;
      diagnostics.push(...result.diagnostics.filter((d) => !isSuppressed(d, lines)));
    } catch (e) {
      if (e instanceof AnalysisInputError) skipped.push({ file, message: e.message });
      else if (e instanceof RangeError) skipped.push({ file, message: `${file}: too deeply nested to analyse` });
      else skipped.push({ file, message: `${file}: internal error: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}` });
    }
  }
  return { files, diagnostics, skipped, modelsChecked };
}
