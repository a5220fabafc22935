// Reading a file to analyse, whichever kind it is: a Python file's text, or a
// notebook's code cells joined (notebook.ts). Every command reads its files here,
// so each accepts notebooks; the layout of each notebook read is kept so that
// reporters can say "cell 3, line 12" for a line of its joined text.
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { noteFileRead } from "./diskReads.js";
import { cellPosition, isNotebookPath, NotebookFormatError, notebookPython, type CellPosition, type CellRange } from "./notebook.js";

/** Bad input: a one-line message for the user, exit code 2. */
export class AnalysisInputError extends Error {}

export const maxFileBytes = 2_000_000;

/** The cells of each notebook read so far, by absolute path. */
const notebookLayouts = new Map<string, readonly CellRange[]>();

/** A file's analysable text: Python source as it is, a notebook's code cells joined. Unreadable input is an AnalysisInputError. */
export function readSourceText(file: string): string {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(file);
  } catch {
    throw new AnalysisInputError(`${file}: cannot read file`);
  }
  noteFileRead(resolve(file), stat);
  if (stat.isDirectory()) throw new AnalysisInputError(`${file}: a folder, not a file`);
  if (stat.size > maxFileBytes) throw new AnalysisInputError(`${file}: file is too large (${stat.size} bytes; limit ${maxFileBytes})`);
  const buf = readAtMost(file, maxFileBytes);
  if (!buf) throw new AnalysisInputError(`${file}: file is too large (more than ${maxFileBytes} bytes)`);
  if (buf.includes(0)) throw new AnalysisInputError(`${file}: binary file, not ${isNotebookPath(file) ? "a notebook" : "Python source"}`);
  const text = buf.toString("utf8");
  if (!isNotebookPath(file)) return text;
  try {
    const notebook = notebookPython(text);
    notebookLayouts.set(resolve(file), notebook.cells);
    return notebook.text;
  } catch (e) {
    if (e instanceof NotebookFormatError) throw new AnalysisInputError(`${file}: ${e.message}`);
    throw e;
  }
}

/**
 * The file's bytes, or undefined past `limit`. A device or a pipe has no size to check
 * beforehand (/dev/zero never ends), so the reading itself stops at the limit.
 */
function readAtMost(file: string, limit: number): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    throw new AnalysisInputError(`${file}: cannot read file`);
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 16, limit + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) return Buffer.concat(chunks, total);
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > limit) return undefined;
    }
  } catch {
    throw new AnalysisInputError(`${file}: cannot read file`);
  } finally {
    closeSync(fd);
  }
}

/** The text to read lines of (suppression comments, top-level calls) without the errors: undefined when unreadable. */
export function sourceTextOrUndefined(file: string): string | undefined {
  try {
    return readSourceText(file);
  } catch {
    return undefined;
  }
}

/** A notebook's cell and line for a 0-based line of its joined text; undefined for a Python file. */
export function notebookCellOf(file: string, line: number): CellPosition | undefined {
  if (!isNotebookPath(file)) return undefined;
  const path = resolve(file);
  if (!notebookLayouts.has(path)) sourceTextOrUndefined(path);
  const cells = notebookLayouts.get(path);
  return cells ? cellPosition(cells, line) : undefined;
}

/** A line as the user finds it: 1-based, and within its cell (1-based) in a notebook. */
export interface UserLine {
  readonly cell?: number;
  readonly line: number;
}

/** A 0-based line of the analysed text as the user finds it. */
export function userLine(file: string, line: number): UserLine {
  const inCell = notebookCellOf(file, line);
  return inCell ? { cell: inCell.cell, line: inCell.line + 1 } : { line: line + 1 };
}

/** `net.py:12:5`, or `nb.ipynb:cell 3:12:5` in a notebook: `shown` is the path as printed, line and column 0-based. */
export function placeText(shown: string, file: string, line: number, col?: number): string {
  const at = userLine(file, line);
  return `${shown}:${at.cell !== undefined ? `cell ${at.cell}:` : ""}${at.line}${col !== undefined ? `:${col + 1}` : ""}`;
}
