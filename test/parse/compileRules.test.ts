// What Python's compiler refuses but tree-sitter takes without an ERROR node is a syntax
// error with Python's own words and line, and what Python compiles still parses
// (fixtures/syntax/cases.json, judged by real Python in expected.json through
// scripts/record_syntax_errors.py).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parsePython, parseTree, PythonSyntaxError } from "../../src/parse/parser.js";

const cases = JSON.parse(readFileSync("fixtures/syntax/cases.json", "utf8")) as { refused: string[]; accepted: string[] };
const expected = JSON.parse(readFileSync("fixtures/syntax/expected.json", "utf8")) as { refused: [string, number][]; accepted: null[] };

function verdict(source: string): [string, number] | null {
  try {
    parsePython(source);
    return null;
  } catch (e) {
    if (e instanceof PythonSyntaxError) return [e.message, e.line + 1];
    throw e;
  }
}

describe("code tree-sitter takes and Python refuses", () => {
  it("every snippet is one tree-sitter takes without an error node (else the case proves nothing here)", () => {
    expect([...cases.refused, ...cases.accepted].filter((s) => parseTree(s).rootNode.hasError)).toEqual([]);
  });

  it("is a syntax error with Python's message and line", () => {
    const wrong = cases.refused.flatMap((s, i) => {
      const ours = verdict(s);
      return JSON.stringify(ours) === JSON.stringify(expected.refused[i]) ? [] : [`${JSON.stringify(s)}: Python ${JSON.stringify(expected.refused[i])}, ours ${JSON.stringify(ours)}`];
    });
    expect(wrong).toEqual([]);
  });

  it("while what Python compiles parses", () => {
    expect(cases.accepted.flatMap((s) => (verdict(s) === null ? [] : [`${JSON.stringify(s)}: ${JSON.stringify(verdict(s))}`]))).toEqual([]);
  });

  it("reaches the user as one line and exit 2 (self.features(,) no longer analysed as self.features())", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchshape-syntax-"));
    const file = join(dir, "net.py");
    writeFileSync(file, "import torch.nn as nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.features = nn.Linear(2, 3)\n\n    def forward(self, x):\n        return self.features(,)\n");
    const r = spawnSync(process.execPath, [join(import.meta.dirname, "..", "..", "bin", "torchshape.cjs"), file], { encoding: "utf8", timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`torchshape: ${file}:10:30: syntax error: invalid syntax`);
    expect(r.stdout).toBe("");
  });
});
