// A notebook as one Python text (src/analysis/notebook.ts): code cells joined in
// order, IPython syntax out of the way, every line mapped back to its cell.
import { describe, expect, it } from "vitest";
import { cellPosition, joinCells, NotebookFormatError, notebookPython } from "../../dist/analysis/notebook.js";

describe("joining a notebook's cells", () => {
  it("joins the code cells in order and maps each line back to its cell, markdown cells counted", () => {
    const nb = joinCells([
      { kind: "markdown", source: "# A model\nsome prose" },
      { kind: "code", source: "import torch\n" },
      { kind: "code", source: "x = 1\ny = 2" },
      { kind: "raw", source: "raw text" },
      { kind: "code", source: "z = x + y\n" },
    ]);
    expect(nb.text).toBe("import torch\nx = 1\ny = 2\nz = x + y\n");
    expect(nb.cells).toEqual([
      { cell: 2, startLine: 0, lineCount: 1 },
      { cell: 3, startLine: 1, lineCount: 2 },
      { cell: 5, startLine: 3, lineCount: 1 },
    ]);
    expect(cellPosition(nb.cells, 2)).toEqual({ cell: 3, line: 1 });
    expect(cellPosition(nb.cells, 3)).toEqual({ cell: 5, line: 0 });
    expect(cellPosition(nb.cells, 4)).toBeUndefined();
  });

  it("keeps IPython's line magics, shell escapes and help queries out, line for line", () => {
    const source = ["%matplotlib inline", "!pip install torch", "files = !ls", "t = %timeit -o f()", "torch.randn?", "?torch", "for i in range(2):", "    !echo $i", "y = a % b", "s = '!not a shell line'"].join("\n");
    const nb = joinCells([{ kind: "code", source }]);
    expect(nb.text.split("\n").slice(0, -1)).toEqual(["", "", "", "", "", "", "for i in range(2):", "    pass", "y = a % b", "s = '!not a shell line'"]);
  });

  it("reads the body of a Python cell magic (%%time) and leaves out any other (%%bash)", () => {
    const nb = joinCells([
      { kind: "code", source: "%%time\nnet = Net()" },
      { kind: "code", source: "%%bash\necho hi\nls -l" },
    ]);
    expect(nb.text).toBe("\nnet = Net()\n\n\n\n");
    expect(nb.cells.map((c) => c.lineCount)).toEqual([2, 3]);
  });

  it("reads nbformat 4's JSON, source as a list of lines or as one string", () => {
    const nb = notebookPython(JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "code", source: ["a = 1\n", "b = 2"] }, { cell_type: "code", source: "c = 3" }] }));
    expect(nb.text).toBe("a = 1\nb = 2\nc = 3\n");
  });

  it("says in one line why a file is not a notebook it reads", () => {
    const why = (json: string) => {
      try {
        notebookPython(json);
      } catch (e) {
        expect(e).toBeInstanceOf(NotebookFormatError);
        return (e as Error).message;
      }
      return "read";
    };
    expect(why('{"cells": [')).toMatch(/^not a notebook: invalid JSON \(.+\)$/);
    expect(why('{"nbformat": 4}')).toBe("not a notebook: no 'cells' list");
    expect(why("[1, 2]")).toBe("not a notebook: the file is not a JSON object");
    expect(why('{"nbformat": 3, "worksheets": []}')).toMatch(/^nbformat 3 notebooks are not read/);
    expect(why('{"nbformat": 4, "cells": [{"cell_type": "code"}]}')).toBe("not a notebook: cell 1 has no source text");
  });
});
