// The request `torchshape/modelSummary` behind the editor command "Show Summary of the
// Model Under the Cursor": the per-layer table (markdown) of the model whose class the
// cursor is in, from the open document's analysis, so the editor's settings (inputs per
// model, python, search paths, torch version) and unsaved text count, as for the hints.
import type { Position } from "vscode-languageserver";
import type { AnalysisResult, ModelSummary } from "../analysis/summary.js";
import { renderModelMarkdown } from "../report/markdown.js";
import { renderNotes } from "../report/notes.js";

export const modelSummaryMethod = "torchshape/modelSummary";

export interface ModelSummaryParams {
  /** the text document, or a notebook cell's */
  readonly uri: string;
  readonly position: Position;
}

export interface ModelSummaryAnswer {
  /** the model summarised; absent when there is none */
  readonly model?: string;
  readonly markdown: string;
}

/** The model of `file` whose class (or factory) starts last at or above the 0-based line; else the file's first. */
export function modelAt(result: AnalysisResult, file: string, line: number): ModelSummary | undefined {
  const own = result.models.filter((m) => m.file === file);
  const above = own.filter((m) => m.line - 1 <= line);
  return above.length > 0 ? above.reduce((a, b) => (b.line > a.line ? b : a)) : own[0];
}

export function modelSummaryAnswer(result: AnalysisResult, file: string, line: number): ModelSummaryAnswer {
  const model = modelAt(result, file, line);
  if (!model) return { markdown: "torchshape found no model it can build in this file (a class that needs constructor arguments can be given them with `# torchshape: model=Name(...)` above it)." };
  return { model: model.name, markdown: `${renderModelMarkdown(model)}\n${renderNotes(result, "markdown")}` };
}
