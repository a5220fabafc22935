// The shapes a file's lines assign, as the analysed forward passes (and annotated
// functions) saw them: what the editor's inlay hints show after a statement and
// what the MCP tool `shape_at` tells an agent, from one place.
import type { AnalysisResult, ReportedShape } from "../analysis/summary.js";
import { shapeToText } from "./shapeText.js";

/** shapes shown for one line before "…" (a layer loop can run one line many times) */
const maxShapes = 3;

/** One assignment target of a line: every shape it was given (a line run for several calls gives several). */
export interface LineAssignment {
  readonly name: string;
  /** 0-based column of the target */
  readonly col: number;
  readonly shapes: readonly ReportedShape[];
}

function assignmentsOf(result: AnalysisResult) {
  return [...result.models, ...(result.functions ?? [])].flatMap((m) => m.assignments);
}

/** The assignments of every line of `file` (0-based lines), each line's targets in column order. */
export function assignmentsByLine(result: AnalysisResult, file: string): Map<number, LineAssignment[]> {
  const byLine = new Map<number, Map<string, { name: string; col: number; shapes: ReportedShape[] }>>();
  for (const a of assignmentsOf(result)) {
    if (a.location.file !== file) continue;
    const { line, col } = a.location.span;
    const targets = byLine.get(line) ?? new Map<string, { name: string; col: number; shapes: ReportedShape[] }>();
    byLine.set(line, targets);
    const key = `${col}:${a.name}`;
    const known = targets.get(key);
    if (known) known.shapes.push(a.shape);
    else targets.set(key, { name: a.name, col, shapes: [a.shape] });
  }
  return new Map([...byLine].sort((a, b) => a[0] - b[0]).map(([line, targets]) => [line, [...targets.values()].sort((a, b) => a.col - b.col)]));
}

/** The target that speaks for a line: the last one (in `x = y = f(x)` and `a, b = ...`, the rightmost). */
export function lineRepresentative(targets: readonly LineAssignment[]): LineAssignment | undefined {
  return targets.length === 0 ? undefined : targets[targets.length - 1];
}

/** The distinct shapes as one label (`[4, 16, 32, 32] | [4, 32, 16, 16]`); unknown and non-tensors say nothing at a glance. */
export function shapesLabel(shapes: readonly ReportedShape[]): string | undefined {
  const texts = [...new Set(shapes.map(shapeToText))].filter((t) => t !== "?" && t !== "--");
  if (texts.length === 0) return undefined;
  return texts.length > maxShapes ? `${texts.slice(0, maxShapes).join(" | ")} | …` : texts.join(" | ");
}
