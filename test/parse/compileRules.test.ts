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

const cases = JSON.parse(readFileSync("fixtures/syntax/cases.json", "utf8")) as { refused: string[]; accepted: string[]; repaired: string[]; refusedWithError: string[] };
const expected = JSON.parse(readFileSync("fixtures/syntax/expected.json", "utf8")) as { refused: [string, number][]; accepted: null[]; repaired: null[]; refusedWithError: [string, number][] };

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

  it("the recorded verdicts are Python's: the repaired snippets compile, the others do not", () => {
    expect(expected.repaired).toEqual(cases.repaired.map(() => null));
    expect(expected.refusedWithError.every((v) => v !== null)).toBe(true);
    expect(expected.refusedWithError.length).toBe(cases.refusedWithError.length);
  });

  it("a tuple with a starred item tree-sitter refuses (host, *rest = endpoint, *[]) parses as Python reads it, and its positions are the file's", () => {
    expect(cases.repaired.filter((s) => !parseTree(s).rootNode.hasError)).toEqual([]);
    expect(cases.repaired.flatMap((s) => (verdict(s) === null ? [] : [`${JSON.stringify(s)}: ${JSON.stringify(verdict(s))}`]))).toEqual([]);
    const [assign] = parsePython("host, *rest = endpoint, *[]  # c\n").body;
    expect(assign.kind === "assign" && assign.value).toMatchObject({ kind: "tuple", span: { line: 0, col: 14, endLine: 0, endCol: 27 }, elts: [{ kind: "name", id: "endpoint" }, { kind: "starred", span: { col: 24, endCol: 27 }, value: { kind: "list" } }] });
    // a second statement on the line, after two inserted characters, and text before that is not ASCII
    const body = parsePython("x = 'é', *['ü']; y = z\n").body;
    expect(body[1]).toMatchObject({ kind: "assign", span: { line: 0, col: 17, endCol: 22 }, value: { kind: "name", id: "z", span: { col: 21, endCol: 22 } } });
  });

  it("a model file written so is analysed: no false syntax error, and check's errors point at the file's columns", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchshape-starred-"));
    const file = join(dir, "net.py");
    const source = "import torch.nn as nn\n\nwidths = 8, *[16, 32]\n\n\n# torchshape: input=2,8\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc, *rest = nn.Linear(widths[0], widths[2]), *[nn.Linear(widths[1], 4)]\n        self.out = rest[0]\n\n    def forward(self, x):\n        return self.out(self.fc(x))\n";
    writeFileSync(file, source);
    const r = spawnSync(process.execPath, [join(import.meta.dirname, "..", "..", "bin", "torchshape.cjs"), "check", file, "--format", "json"], { encoding: "utf8", timeout: 60_000 });
    expect(r.stderr).toBe("");
    const diagnostics = (JSON.parse(r.stdout) as { diagnostics: { code: string; line: number; column: number }[] }).diagnostics;
    // Linear(8, 32) feeds Linear(16, 4): the second layer's call, after the inserted "(" on line 10
    expect(diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([["linear-in-features", 10, 61]]);
    expect(source.split("\n")[9].slice(60, 69)).toBe("nn.Linear");
  });

  it("what looks like such a tuple and Python refuses stays a syntax error", () => {
    expect(cases.refusedWithError.filter((s) => verdict(s) === null)).toEqual([]);
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
