// Without an input the sizes stay symbolic: a fixed size after a flatten is an
// equation in the input's size. Sizes that fit are an info; an error only when
// no positive integer input fits.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/analysis/analyze.js";
import { parseInputSpec } from "../../src/analysis/inputSpec.js";
import { fitText, inputsThatFit } from "../../src/shapes/solve.js";
import { dimFloorDiv, dimMul, SymDim } from "../../src/shapes/dim.js";

function analyse(source: string, input?: string) {
  const file = join(mkdtempSync(join(tmpdir(), "torchshape-sym-")), "net.py");
  writeFileSync(file, source);
  return analyzeFile(file, input ? { inputs: [parseInputSpec(input)] } : {});
}

const lenet = (flatten: string, inFeatures: string, channels = 8) => `
import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(16, ${channels}, 3, padding=1)
        self.pool2 = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(${inFeatures}, 32)

    def forward(self, x):
        x = self.pool1(torch.relu(self.conv1(x)))
        x = self.pool2(torch.relu(self.conv2(x)))
        x = ${flatten}
        return self.fc1(x)
`;

describe("solving a size for the input", () => {
  const H = SymDim.variable("H");
  const W = SymDim.variable("W");
  const perSample = dimMul(dimMul(8, dimFloorDiv(H, 4)), dimFloorDiv(W, 4));

  it("finds the square inputs that fit", () => {
    const fit = inputsThatFit(perSample, 512, ["H", "W"]);
    expect(fit.kind).toBe("fits");
    expect(fit.kind === "fits" && fitText(fit)).toBe("32–35 × 32–35");
  });

  it("proves that no input fits a size off the lattice", () => {
    expect(inputsThatFit(perSample, 500, ["H", "W"])).toEqual({ kind: "none", why: ": it is always a multiple of 8" });
  });

  it("finds a rectangle when no square fits", () => {
    // (H // 4) × (W // 4) = 128 is no square: the first row that fits is H // 4 = 1
    const fit = inputsThatFit(perSample, 1024, ["H", "W"]);
    expect(fit.kind === "fits" && fitText(fit)).toBe("4–7 × 512–515");
    const oneVariable = inputsThatFit(dimMul(4, dimFloorDiv(SymDim.variable("L"), 2)), 40, ["L"]);
    expect(oneVariable.kind === "fits" && fitText(oneVariable)).toBe("L = 20–21");
  });
});

describe("symbolic models", () => {
  it("say which inputs a Linear after a flatten fits, as an info, not an error", () => {
    const r = analyse(lenet("torch.flatten(x, 1)", "8 * 8 * 8"));
    expect(r.diagnostics.map((d) => [d.severity, d.code])).toEqual([["info", "linear-in-features"]]);
    expect(r.diagnostics[0].message).toBe(
      "fc1 = nn.Linear(8 * 8 * 8, 32) fits inputs of 32–35 × 32–35: it expects 512 input features, and x has 8 × (H // 4) × (W // 4) after pool2 (input H × W)",
    );
  });

  it("report an error when no positive integer input fits", () => {
    const r = analyse(lenet("torch.flatten(x, 1)", "500", 16));
    expect(r.diagnostics.map((d) => [d.severity, d.code])).toEqual([["error", "linear-in-features"]]);
    expect(r.diagnostics[0].message).toContain("which no input size makes 500: it is always a multiple of 16");
  });

  it("say which inputs view(-1, K) keeps the batch for, and that a Linear shares the assumption", () => {
    const r = analyse(lenet("x.view(-1, 8 * 8 * 8)", "8 * 8 * 8"));
    expect(r.diagnostics.map((d) => [d.severity, d.code])).toEqual([["info", "view-folds-batch"]]);
    expect(r.diagnostics[0].message).toContain("keeps samples apart only for inputs of 32–35 × 32–35");
    expect(r.diagnostics[0].message).toContain("fc1 = nn.Linear(8 * 8 * 8, 32) shares the assumption");
    expect(r.diagnostics[0].fix).toBe("x.flatten(1) (or x.view(x.size(0), -1)) to keep the batch dimension; fc1: nn.LazyLinear(32)");
  });

  it("warn when view(-1, K) folds a symbolic batch", () => {
    const r = analyse(lenet("x.view(-1, 8 * 8 * 8)", "8 * 8 * 8"), "N,3,28,28");
    expect(r.diagnostics.map((d) => [d.severity, d.code])).toEqual([["warning", "view-folds-batch"]]);
    expect(r.diagnostics[0].message).toContain("its N × 392 elements fill rows of 512 only when N is a multiple of 64");
  });

  it("stay silent on a flatten that keeps the batch", () => {
    const r = analyse(lenet("x.view(x.size(0), -1)", "8 * 8 * 8"), "4,3,32,32");
    expect(r.diagnostics).toEqual([]);
  });
});
