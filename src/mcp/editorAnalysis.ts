// shape_at and explain read a file as the language server reads an open document
// (lsp/documentAnalysis: check's rules and suppressions, annotated functions too),
// so an agent is told what the editor shows.
import { parseInputSpec } from "../analysis/inputSpec.js";
import type { AnalysisResult } from "../analysis/summary.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { analyseText } from "../lsp/documentAnalysis.js";
import type { SourceOfFile } from "./toolFiles.js";
import { ToolInputError } from "./toolResult.js";

export interface EditorAnalysisOptions {
  /** inputs of models whose file gives none (as the editor's torchshape.input setting) */
  readonly inputs?: readonly string[];
  readonly searchPaths?: readonly string[];
}

export function editorAnalysis(source: SourceOfFile, options: EditorAnalysisOptions): { result: AnalysisResult; diagnostics: readonly Diagnostic[] } {
  const settings = { defaultInputs: (options.inputs ?? []).map(parseInputSpec), modelInputs: new Map<string, string[]>(), searchPaths: options.searchPaths ?? [] };
  const analysis = analyseText(source.file, source.text, settings);
  if (analysis.kind === "failed") throw new ToolInputError(analysis.reason);
  return analysis;
}
