// Inlay hints: after each assignment of forward, the shape it assigns
// (`x = self.pool1(...)` ⟶ `[N, 16, 16, 16]`). Which shapes a line assigns, and
// the label, come from report/lineShapes (the MCP tool shape_at says the same).
import { InlayHintKind, type InlayHint, type Position, type Range } from "vscode-languageserver";
import type { AnalysisResult } from "../analysis/summary.js";
import { assignmentsByLine, lineRepresentative, shapesLabel } from "../report/lineShapes.js";

function isInside(p: Position, range: Range): boolean {
  const afterStart = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const beforeEnd = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return afterStart && beforeEnd;
}

/**
 * @param statementEnd where the statement of an assignment target ends, if it is a simple statement
 * @param lineEnd the length of a line of the document
 */
export function inlayHintsFor(result: AnalysisResult, file: string, range: Range, statementEnd: (line: number, col: number) => Position | undefined, lineEnd: (line: number) => number): InlayHint[] {
  const hints: InlayHint[] = [];
  for (const [line, targets] of assignmentsByLine(result, file)) {
    const last = lineRepresentative(targets);
    const text = last && shapesLabel(last.shapes);
    if (!last || text === undefined) continue;
    const position = statementEnd(line, last.col) ?? { line, character: lineEnd(line) };
    if (!isInside(position, range)) continue;
    hints.push({ position, label: text, kind: InlayHintKind.Type, paddingLeft: true });
  }
  return hints;
}
