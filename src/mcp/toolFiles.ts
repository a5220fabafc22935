// The files and lines a tool is asked about: paths from the server's working folder
// (where the agent started it), a 1-based line as editors and `check` count it, and
// in a notebook the cell (1-based, markdown cells counted) and the line in that cell.
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { readSourceText } from "../analysis/sourceFile.js";
import { isNotebookPath, notebookPython } from "../analysis/notebook.js";
import { ToolInputError } from "./toolResult.js";

/** An absolute path to an existing file or folder; otherwise a tool error naming it. */
export function existingPath(path: string, what: "file" | "file or folder" = "file"): string {
  const absolute = resolve(path);
  let isFile: boolean;
  try {
    isFile = statSync(absolute).isFile();
  } catch {
    throw new ToolInputError(`${path}: no such ${what}`);
  }
  if (what === "file" && !isFile) throw new ToolInputError(`${path}: not a file (a .py file or a notebook)`);
  return absolute;
}

export interface SourceOfFile {
  readonly file: string;
  /** the analysable text: the file's, or a notebook's code cells joined */
  readonly text: string;
  readonly lineCount: number;
}

export function sourceOf(path: string): SourceOfFile {
  const file = existingPath(path);
  const text = readSourceText(file);
  return { file, text, lineCount: text.split("\n").length };
}

/** The 0-based line of the analysed text that a 1-based line (of a cell, in a notebook) names. */
export function textLine(source: SourceOfFile, line: number, cell: number | undefined): number {
  if (!isNotebookPath(source.file)) {
    if (cell !== undefined) throw new ToolInputError(`${source.file} is not a notebook: give no cell`);
    if (line > source.lineCount) throw new ToolInputError(`line ${line} is past the end of ${source.file} (${source.lineCount} lines)`);
    return line - 1;
  }
  if (cell === undefined) throw new ToolInputError(`${source.file} is a notebook: give the cell (1-based, as the editor numbers them) and the line in it`);
  const range = notebookPython(readFileSync(source.file, "utf8")).cells.find((c) => c.cell === cell);
  if (!range) throw new ToolInputError(`cell ${cell} of ${source.file} is not a code cell`);
  if (line > range.lineCount) throw new ToolInputError(`line ${line} is past the end of cell ${cell} (${range.lineCount} lines)`);
  return range.startLine + line - 1;
}
