// Source spans (0-based lines, columns in UTF-16 code units, as tree-sitter reads
// a JavaScript string) to LSP ranges, which count the same way.
import type { Position, Range } from "vscode-languageserver";
import type { Span } from "../parse/ast.js";

export function rangeOfSpan(span: Span): Range {
  return { start: { line: span.line, character: span.col }, end: { line: span.endLine, character: span.endCol } };
}

/** Whether a position lies within a span, both ends included (a cursor just after a name is still on it). */
export function spanContains(span: Span, p: Position): boolean {
  if (p.line < span.line || p.line > span.endLine) return false;
  if (p.line === span.line && p.character < span.col) return false;
  if (p.line === span.endLine && p.character > span.endCol) return false;
  return true;
}

/** Whether a 0-based line lies within a span's lines. */
export function spanCoversLine(span: Span, line: number): boolean {
  return line >= span.line && line <= span.endLine;
}
