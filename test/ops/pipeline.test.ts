// Ops inside real model code: symbolic sizes flow from x.size(0) into view,
// and faults surface as diagnostics of the analysis.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/analysis/analyze.js";
import { toContractJson } from "../../src/report/json.js";
import { SymDim, type Dim } from "../../src/shapes/dim.js";

function analyse(source: string, ...inputs: (number | string)[][]) {
  const dir = mkdtempSync(join(tmpdir(), "torchshape-ops-"));
  const file = join(dir, "model.py");
  writeFileSync(file, source);
  const result = analyzeFile(file, {
    inputs: inputs.map((dims) => ({ shape: dims.map((d): Dim => (typeof d === "number" ? d : SymDim.variable(d))), dtype: "float32" as const })),
  });
  const json = toContractJson(result);
  return { model: json.models[0], diagnostics: json.diagnostics };
}

const header = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n";

describe("ops in model code", () => {
  it("keeps a symbolic batch through x.view(x.size(0), -1)", () => {
    const { model, diagnostics } = analyse(
      header +
        `class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.fc = nn.Linear(8 * 4 * 4, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv(x)), 2)
        x = x.view(x.size(0), -1)
        return self.fc(x)
`,
      ["N", 3, 8, 8],
    );
    expect(diagnostics).toEqual([]);
    expect(model.layers.map((l: { input_shape: unknown }) => l.input_shape)).toEqual([
      ["N", 3, 8, 8],
      ["N", 128],
    ]);
    expect(model.output_shape).toEqual(["N", 10]);
  });

  it("reports a flatten size that does not match the Linear after it", () => {
    const { diagnostics } = analyse(
      header +
        `class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(100, 10)

    def forward(self, x):
        return self.fc(torch.flatten(x, 1))
`,
      [2, 3, 8, 8],
    );
    expect(diagnostics.map((d: { code: string }) => d.code)).toEqual(["linear-in-features"]);
  });

  it("reports broadcasting faults at the operator", () => {
    const { diagnostics } = analyse(
      header +
        `class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(4, 6)
        self.b = nn.Linear(4, 5)

    def forward(self, x):
        return self.a(x) + self.b(x)
`,
      [2, 4],
    );
    expect(diagnostics.map((d: { code: string; line: number }) => [d.code, d.line])).toEqual([["broadcast", 12]]);
    expect(diagnostics[0].message).toContain("[2, 6]");
    expect(diagnostics[0].message).toContain("[2, 5]");
  });
});
