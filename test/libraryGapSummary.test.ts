// A failure inside library code never loses the run with exit 2, which is for the user's
// own bad input: the summary reports it as analysis-gap with the library's file and line,
// and the other models of the file are still summarised.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../src/analysis/analyze.js";

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "torchshape-libgap-"));
  mkdirSync(join(dir, "mylib"));
  writeFileSync(join(dir, "mylib", "__init__.py"), "");
  // pad = (1, 1) - 1: the evaluator raises there, in code taken as correct
  writeFileSync(join(dir, "mylib", "blocks.py"), "import torch.nn as nn\n\ndef make_block(width):\n    pad = (1, 1) - 1\n    return nn.Conv2d(width, width, 3, padding=pad)\n");
  writeFileSync(
    join(dir, "net.py"),
    `import torch.nn as nn
from mylib.blocks import make_block

# torchshape: input=1,8
class Plain(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc(x)

# torchshape: model=Uses(8) input=1,8,4,4
class Uses(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.block = make_block(width)

    def forward(self, x):
        return self.block(x)
`,
  );
  return join(dir, "net.py");
}

describe("a failure inside library code in the summary", () => {
  it("--model: a warning at the library's file and line, exit 0, not a usage error", () => {
    const file = project();
    const r = analyzeFile(file, { model: "Uses(8)" });
    expect(r.models).toEqual([]);
    expect(r.diagnostics.map((d) => [d.severity, d.code])).toEqual([["warning", "analysis-gap"]]);
    expect(r.diagnostics[0].message).toMatch(/could not follow the code that builds Uses\(8\) \(in mylib\/blocks\.py:4; its evaluator stopped on TypeError/);
    const cli = spawnSync("node", ["bin/torchshape.cjs", file, "--model", "Uses(8)"], { encoding: "utf8" });
    expect(cli.status).toBe(0);
    expect(cli.stdout + cli.stderr).toMatch(/mylib\/blocks\.py:4/);
  });

  it("a model comment's call that fails in library code: the file's other models are still summarised", () => {
    const r = analyzeFile(project());
    expect(r.models.map((m) => m.name)).toEqual(["Plain"]);
    expect(r.diagnostics.map((d) => [d.code, d.model])).toEqual([["analysis-gap", "Uses"]]);
  });

  it("the user's own bad --model stays a usage error (exit 2)", () => {
    const file = project();
    const cli = spawnSync("node", ["bin/torchshape.cjs", file, "--model", "Missing(3)"], { encoding: "utf8" });
    expect(cli.status).toBe(2);
    expect(cli.stderr).toMatch(/name 'Missing' is not defined/);
  });
});
