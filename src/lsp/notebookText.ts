// A notebook open in the editor (LSP 3.17 notebook sync) as the one Python text the
// analysis reads: its code cells joined as a notebook file's are (analysis/notebook.ts),
// and places in that text mapped to the cell document they belong to and back.
import { NotebookCellKind, type NotebookDocument, type Position, type Range } from "vscode-languageserver";
import { joinCells, type CellRange } from "../analysis/notebook.js";

export interface CellDocumentRange extends CellRange {
  /** the cell's own text document */
  readonly uri: string;
}

export interface NotebookText {
  readonly text: string;
  /** the code cells, in order */
  readonly cells: readonly CellDocumentRange[];
}

/** The notebook's code cells joined; `textOf` gives a cell document's current text. */
export function notebookText(notebook: NotebookDocument, textOf: (cellUri: string) => string | undefined): NotebookText {
  const joined = joinCells(notebook.cells.map((c) => ({ kind: c.kind === NotebookCellKind.Code ? "code" : "markdown", source: textOf(c.document) ?? "" })));
  return { text: joined.text, cells: joined.cells.map((r) => ({ ...r, uri: notebook.cells[r.cell - 1].document })) };
}

/** The cell holding a 0-based line of the joined text. */
function cellAt(nb: NotebookText, line: number): CellDocumentRange | undefined {
  return nb.cells.find((c) => line >= c.startLine && line < c.startLine + c.lineCount);
}

/** A range of the joined text as a cell document's range; undefined when it starts outside the code cells. */
export function rangeInCell(nb: NotebookText, range: Range): { uri: string; range: Range } | undefined {
  const cell = cellAt(nb, range.start.line);
  if (!cell) return undefined;
  const shift = (p: Position): Position => ({ line: Math.min(p.line, cell.startLine + cell.lineCount - 1) - cell.startLine, character: p.character });
  return { uri: cell.uri, range: { start: shift(range.start), end: shift(range.end) } };
}

/** A cell document's position as a position of the joined text. */
export function positionInNotebook(nb: NotebookText, cellUri: string, position: Position): Position | undefined {
  const cell = nb.cells.find((c) => c.uri === cellUri);
  return cell ? { line: cell.startLine + position.line, character: position.character } : undefined;
}
