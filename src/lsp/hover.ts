// Hover: on `self.<layer>` its type, parameters and input → output shape (every
// call of it, in __init__ where it is built or in forward where it is called); on a
// variable of forward, the shape it holds there.
import { MarkupKind, type Hover, type Position } from "vscode-languageserver";
import type { AnalysisResult, FunctionSummary, LayerRow, ModelSummary, ReportedShape } from "../analysis/summary.js";
import { shapeToText } from "../report/shapeText.js";
import { formatCount } from "../report/table.js";
import { rangeOfSpan, spanContains, spanCoversLine } from "./ranges.js";
import type { CursorTarget, EnclosingFunction } from "./syntaxAtPosition.js";

/** Calls listed in one hover; a layer in a loop of 100 blocks shows the first few. */
const maxEntries = 8;

function distinct(lines: readonly string[]): string[] {
  return [...new Set(lines)];
}

function withLimit(entries: readonly string[], separator: string): string {
  const shown = entries.slice(0, maxEntries);
  const more = entries.length - shown.length;
  return `${shown.join(separator)}${more > 0 ? `${separator}… and ${more} more` : ""}`;
}

/** The row's module is the one `self.<path>` names: its own name, or the same attribute of a nested instance. */
function namesPath(rowName: string, path: string): boolean {
  return rowName === path || rowName.endsWith(`.${path}`);
}

function rowEntry(row: LayerRow): string {
  return `**${row.name}**: ${row.type}, ${formatCount(row.params)} params  \n\`${shapeToText(row.inputShape)}\` → \`${shapeToText(row.outputShape)}\``;
}

function layerHover(models: readonly ModelSummary[], file: string, path: string, line: number, inClass: string | undefined): string | undefined {
  const rows = models.flatMap((m) => m.layers).filter((r) => namesPath(r.name, path));
  const here = rows.filter((r) => (r.calledAt?.file === file && spanCoversLine(r.calledAt.span, line)) || (r.definedAt?.file === file && spanCoversLine(r.definedAt.span, line)));
  // elsewhere in the model's own class (another method), its own attribute by name
  const ownModels = models.filter((m) => m.name === inClass);
  const chosen = here.length > 0 ? here : ownModels.flatMap((m) => m.layers).filter((r) => r.name === path);
  if (chosen.length > 0) return withLimit(distinct(chosen.map(rowEntry)), "\n\n");
  // a container or a module with children is not a row: its type and parameters
  const modules = ownModels.flatMap((m) => m.modules.filter((x) => x.name === path));
  if (modules.length > 0) return withLimit(distinct(modules.map((x) => `**${x.name}**: ${x.type}, ${formatCount(x.params)} params`)), "\n\n");
  return undefined;
}

function shapeList(shapes: readonly ReportedShape[]): string {
  return withLimit(distinct(shapes.map((s) => `\`${shapeToText(s)}\``)), " or ");
}

function inFunction(span: { line: number }, fn: EnclosingFunction | undefined): boolean {
  return fn === undefined || (span.line >= fn.span.line && span.line <= fn.span.endLine);
}

function variableHover(models: readonly ModelSummary[], functions: readonly FunctionSummary[], file: string, name: string, p: Position, fn: EnclosingFunction | undefined, inClass: string | undefined): string | undefined {
  const assigned = [...models, ...functions].flatMap((m) => m.assignments).filter((a) => a.name === name && a.location.file === file && inFunction(a.location.span, fn));
  // on the name being assigned: the value it gets there
  const atCursor = assigned.filter((a) => spanContains(a.location.span, p));
  if (atCursor.length > 0) return `**${name}**: ${shapeList(atCursor.map((a) => a.shape))}`;
  // a use: the value of its last assignment on an earlier line (the right side of `x = f(x)` reads the old x)
  const earlier = assigned.filter((a) => a.location.span.line < p.line);
  if (earlier.length > 0) {
    const last = earlier.reduce((a, b) => (b.location.span.line > a.location.span.line || (b.location.span.line === a.location.span.line && b.location.span.col > a.location.span.col) ? b : a));
    const same = earlier.filter((a) => a.location.span.line === last.location.span.line && a.location.span.col === last.location.span.col);
    return `**${name}**: ${shapeList(same.map((a) => a.shape))}`;
  }
  // a parameter of a function analysed from its annotations: the input they describe
  const annotated = inClass === undefined ? functions.find((f) => f.file === file && f.name === fn?.name)?.inputs.find((i) => i.name === name) : undefined;
  if (annotated) return `**${name}** (annotated input): ${shapeList([annotated.shape])}`;
  // a parameter of a model's forward: the model's input
  const index = fn?.name === "forward" ? fn.params.indexOf(name) : -1;
  if (index >= 1) {
    const inputs = models.filter((m) => m.name === inClass && m.inputSource !== "unknown").map((m) => m.inputs[index - 1]).filter((i) => i !== undefined);
    if (inputs.length > 0) return `**${name}** (input): ${shapeList(inputs.map((i) => i.shape))}`;
  }
  return undefined;
}

export function hoverFor(result: AnalysisResult, file: string, target: CursorTarget, p: Position): Hover | undefined {
  const models = result.models;
  const text = target.kind === "selfAttribute" ? layerHover(models, file, target.path, p.line, target.inClass) : variableHover(models, result.functions ?? [], file, target.name, p, target.inFunction, target.inClass);
  return text === undefined ? undefined : { contents: { kind: MarkupKind.Markdown, value: text }, range: rangeOfSpan(target.span) };
}
