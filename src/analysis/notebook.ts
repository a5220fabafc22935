// A Jupyter notebook as one Python text: its code cells joined in order, so a model
// defined in one cell and called in a later one is found. IPython's own syntax
// (line magics, shell escapes, help queries, cell magics) becomes blank or `pass`
// lines rather than syntax errors, keeping every line where it was so that a place
// in the joined text maps back to its cell and the line in that cell.

/** A notebook that cannot be read: bad JSON, no cells list, an old format. */
export class NotebookFormatError extends Error {}

/** One cell of a notebook, as the file or an editor gives it. */
export interface NotebookCellText {
  readonly kind: "code" | "markdown" | "raw";
  readonly source: string;
}

/** Where a code cell's lines stand in the joined text. */
export interface CellRange {
  /** 1-based position among all the notebook's cells (markdown counted), as the editor shows them */
  readonly cell: number;
  /** 0-based first line in the joined text */
  readonly startLine: number;
  readonly lineCount: number;
}

export interface NotebookPython {
  readonly text: string;
  readonly cells: readonly CellRange[];
}

/** A place in a notebook: its cell (1-based) and the 0-based line within it. */
export interface CellPosition {
  readonly cell: number;
  readonly line: number;
}

export function isNotebookPath(file: string): boolean {
  return file.toLowerCase().endsWith(".ipynb");
}

/** Cell magics whose body is Python that runs in the notebook's namespace; any other (%%bash, %%writefile, ...) is not Python. */
const pythonBodyCellMagics = new Set(["time", "timeit", "capture", "prun", "debug", "tb"]);

/** `%matplotlib inline`, `!pip install x`, `files = !ls`, `t = %timeit -o f()`, `obj?`, `?obj`. */
const ipythonLine = /^\s*(?:[%!?]|[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*[%!]|[A-Za-z_][\w.]*\?{1,2}\s*$)/;

/** The line, with IPython syntax replaced: nothing at the top level, `pass` where a block expects a statement. */
function pythonLine(line: string): string {
  if (!ipythonLine.test(line)) return line;
  const indent = /^\s*/.exec(line)![0];
  return indent.length > 0 ? `${indent}pass` : "";
}

/** A code cell's text as Python, with exactly as many lines as the cell has. */
export function cellPython(source: string): string {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const magic = /^%%(\w+)/.exec(lines[0] ?? "");
  if (magic) {
    const body = pythonBodyCellMagics.has(magic[1]) ? lines.slice(1).map(pythonLine) : lines.slice(1).map(() => "");
    return ["", ...body].join("\n");
  }
  return lines.map(pythonLine).join("\n");
}

/** The code cells joined in order, each starting on a line of its own. */
export function joinCells(cells: readonly NotebookCellText[]): NotebookPython {
  const parts: string[] = [];
  const ranges: CellRange[] = [];
  let line = 0;
  cells.forEach((c, i) => {
    if (c.kind !== "code") return;
    // a cell's final newline ends its last line; it does not start another
    const text = cellPython(c.source.replace(/\r?\n$/, ""));
    const lineCount = text.split("\n").length;
    ranges.push({ cell: i + 1, startLine: line, lineCount });
    parts.push(text);
    line += lineCount;
  });
  return { text: parts.join("\n") + (parts.length > 0 ? "\n" : ""), cells: ranges };
}

/** The cell and the line in it of a 0-based line of the joined text. */
export function cellPosition(cells: readonly CellRange[], line: number): CellPosition | undefined {
  const range = cells.find((c) => line >= c.startLine && line < c.startLine + c.lineCount);
  return range ? { cell: range.cell, line: line - range.startLine } : undefined;
}

/** nbformat 4's JSON (an .ipynb file) as Python; a file that is not one is a NotebookFormatError with one line of why. */
export function notebookPython(json: string): NotebookPython {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (e) {
    throw new NotebookFormatError(`not a notebook: invalid JSON (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new NotebookFormatError("not a notebook: the file is not a JSON object");
  const nb = doc as { nbformat?: unknown; cells?: unknown; worksheets?: unknown };
  if (typeof nb.nbformat === "number" && nb.nbformat < 4)
    throw new NotebookFormatError(`nbformat ${nb.nbformat} notebooks are not read (convert it: jupyter nbconvert --to notebook --nbformat 4)`);
  if (!Array.isArray(nb.cells)) throw new NotebookFormatError("not a notebook: no 'cells' list");
  const cells = nb.cells.map((c: unknown, i): NotebookCellText => {
    const cell = (typeof c === "object" && c !== null ? c : {}) as { cell_type?: unknown; source?: unknown };
    const source = Array.isArray(cell.source) && cell.source.every((s) => typeof s === "string") ? cell.source.join("") : cell.source;
    if (typeof source !== "string") throw new NotebookFormatError(`not a notebook: cell ${i + 1} has no source text`);
    const kind = cell.cell_type === "code" ? "code" : cell.cell_type === "markdown" ? "markdown" : "raw";
    return { kind, source };
  });
  return joinCells(cells);
}
