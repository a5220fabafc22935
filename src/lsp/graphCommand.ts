// workspace/executeCommand "torchshape.graph": the forward graph of the model under
// the cursor as SVG or a self-contained HTML page (what the VS Code extension opens
// in a webview). Arguments: { uri, position?, format?: "svg" | "html", depth? }.
import { analyzeFile } from "../analysis/analyze.js";
import type { AnalysisResult } from "../analysis/summary.js";
import { findEnvironment } from "../environment/discover.js";
import { graphView } from "../graph/graphView.js";
import { renderGraph } from "../graph/render.js";
import type { TorchshapeSettings } from "./settings.js";

export const graphCommandName = "torchshape.graph";

export interface GraphCommandArguments {
  readonly uri: string;
  /** 0-based line and character of the cursor */
  readonly position?: { readonly line: number; readonly character: number };
  readonly format?: "svg" | "html";
  readonly depth?: number;
}

export interface GraphCommandResult {
  readonly model: string;
  readonly format: "svg" | "html";
  readonly content: string;
}

/** The arguments as the client sent them, checked; a message saying what is wrong otherwise. */
export function graphCommandArguments(args: readonly unknown[] | undefined): GraphCommandArguments | string {
  const a = args?.[0] as Partial<GraphCommandArguments> | undefined;
  if (!a || typeof a.uri !== "string") return `${graphCommandName} takes one argument { uri, position?, format?, depth? }`;
  if (a.format !== undefined && a.format !== "svg" && a.format !== "html") return `${graphCommandName}: format is "svg" or "html", not ${JSON.stringify(a.format)}`;
  if (a.depth !== undefined && !(Number.isInteger(a.depth) && a.depth >= 0)) return `${graphCommandName}: depth is a non-negative integer`;
  return a as GraphCommandArguments;
}

/** The model whose class (or factory) starts last at or above the cursor's line; the file's first model otherwise. */
export function modelUnderCursor(result: AnalysisResult, line: number | undefined): string | undefined {
  const models = [...result.models].sort((a, b) => a.line - b.line);
  if (line === undefined) return models[0]?.name;
  const above = models.filter((m) => m.line - 1 <= line);
  return (above[above.length - 1] ?? models[0])?.name;
}

/** Analyse the text again with the graph recorded, for the model under the cursor. */
export async function graphOfDocument(file: string, text: string, analysed: AnalysisResult, settings: TorchshapeSettings, args: GraphCommandArguments): Promise<GraphCommandResult | string> {
  const model = modelUnderCursor(analysed, args.position?.line);
  if (!model) return `torchshape: ${file} has no model to draw`;
  const result = analyzeFile(file, {
    source: text,
    model,
    defaultInputs: settings.defaultInputs,
    searchPaths: settings.searchPaths,
    environment: findEnvironment(file, { python: settings.python }),
    torchVersion: settings.torchVersion,
    graph: true,
  });
  const summary = result.models[0];
  if (!summary) return `torchshape: ${model} could not be built`;
  const format = args.format ?? "html";
  const content = await renderGraph([graphView(summary, result.diagnostics, args.depth ?? 3)], format);
  return { model, format, content };
}
