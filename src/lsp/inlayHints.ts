// Inlay hints: after each assignment of forward, the shape it assigns
// (`x = self.pool1(...)` ⟶ `[N, 16, 16, 16]`). The last assignment of a line
// speaks for it; a line run for several calls shows each distinct shape.
import { InlayHintKind, type InlayHint, type Position, type Range } from "vscode-languageserver";
import type { AnalysisResult, ReportedShape } from "../analysis/summary.js";
import { shapeToText } from "../report/shapeText.js";

/** shapes shown for one line before "…" (a layer loop can run one line many times) */
const maxShapes = 3;

interface LineAssignments {
  col: number;
  shapes: ReportedShape[];
}

function isInside(p: Position, range: Range): boolean {
  const afterStart = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const beforeEnd = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return afterStart && beforeEnd;
}

function label(shapes: readonly ReportedShape[]): string | undefined {
  // "?" (unknown) and "--" (not a tensor) tell nothing at a glance
  const texts = [...new Set(shapes.map(shapeToText))].filter((t) => t !== "?" && t !== "--");
  if (texts.length === 0) return undefined;
  return texts.length > maxShapes ? `${texts.slice(0, maxShapes).join(" | ")} | …` : texts.join(" | ");
}

/**
 * @param statementEnd where the statement of an assignment target ends, if it is a simple statement
 * @param lineEnd the length of a line of the document
 */
export function inlayHintsFor(result: AnalysisResult, file: string, range: Range, statementEnd: (line: number, col: number) => Position | undefined, lineEnd: (line: number) => number): InlayHint[] {
  const byLine = new Map<number, LineAssignments>();
  for (const a of [...result.models, ...(result.functions ?? [])].flatMap((m) => m.assignments)) {
    if (a.location.file !== file) continue;
    const { line, col } = a.location.span;
    const known = byLine.get(line);
    if (!known || col > known.col) byLine.set(line, { col, shapes: [a.shape] });
    else if (col === known.col) known.shapes.push(a.shape);
  }
  const hints: InlayHint[] = [];
  for (const [line, { col, shapes }] of [...byLine].sort((a, b) => a[0] - b[0])) {
    const text = label(shapes);
    if (text === undefined) continue;
    const position = statementEnd(line, col) ?? { line, character: lineEnd(line) };
    if (!isInside(position, range)) continue;
    hints.push({ position, label: text, kind: InlayHintKind.Type, paddingLeft: true });
  }
  return hints;
}
