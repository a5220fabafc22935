// An error needs proof: both sides of a mismatch must be known for every input the
// analysis allows. Each case here once gave an error on correct library code (or
// on code PyTorch stops earlier, for another reason); each now gives no error.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/analysis/analyze.js";
import { parseInputSpec } from "../../src/analysis/inputSpec.js";
import { checkPaths } from "../../src/check/check.js";

function write(source: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "torchshape-proof-")), "net.py");
  writeFileSync(file, source);
  return file;
}

function analyse(source: string, input?: string) {
  return analyzeFile(write(source), input ? { inputs: [parseInputSpec(input)] } : {});
}

const errorsOf = (r: { diagnostics: readonly { severity: string; code: string }[] }) => r.diagnostics.filter((d) => d.severity === "error").map((d) => d.code);

describe("torch._assert", () => {
  // CoaT built with its defaults: PyTorch stops at the assertion, before the view
  const asserted = `
import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.grid = (4, 4)
        self.proj = nn.Conv2d(8, 8, 3, padding=1)

    def forward(self, x):
        B, N, C = x.shape
        H, W = self.grid
        torch._assert(N == H * W, f"{N} tokens do not fill a {H}x{W} grid")
        return self.proj(x.transpose(1, 2).view(B, C, H, W))
`;

  it("stops the pass where a known-false condition stops PyTorch: no error from what follows", () => {
    const r = analyse(asserted, "2,9,8");
    expect(errorsOf(r)).toEqual([]);
    expect(r.notes.map((n) => n.message)).toContain("Net: forward raised AssertionError: 9 tokens do not fill a 4x4 grid");
  });

  it("lets a true or undecidable condition pass", () => {
    expect(analyse(asserted, "2,16,8").models[0].outputShape).toEqual([2, 8, 4, 4]);
    expect(errorsOf(analyse(asserted))).toEqual([]);
  });
});

describe("a container filled from what the analysis cannot see", () => {
  // NesT: the levels come from a loop over a list the analysis could not compute
  const levels = (wrap: string, use: string) => `
import torch
import torch.nn as nn
from somewhere_unresolvable import level_widths

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        levels = []
        prev = 8
        for width in level_widths():
            levels.append(nn.Conv2d(prev, width, 3, padding=1))
            prev = width
        ${wrap}
        self.norm = nn.BatchNorm2d(32)

    def forward(self, x):
        x = self.stem(x)
        ${use}
        return self.norm(x)
`;

  const cases = [
    ["nn.Sequential(*levels)", "self.levels = nn.Sequential(*levels)", "x = self.levels(x)"],
    ["nn.ModuleList(levels)", "self.levels = nn.ModuleList(levels)", "for level in self.levels:\n            x = level(x)"],
    ["ModuleList.extend", "self.levels = nn.ModuleList()\n        self.levels.extend(levels)", "for level in self.levels:\n            x = level(x)"],
    ["Sequential indexed", "self.levels = nn.Sequential(*levels)", "x = self.levels[-1](x)"],
  ] as const;

  for (const [name, wrap, use] of cases) {
    it(`is not an empty one that passes x through unchanged (${name})`, () => {
      const r = analyse(levels(wrap, use), "1,3,16,16");
      expect(errorsOf(r)).toEqual([]);
      expect(r.models[0].outputShape).toBe("unknown");
      expect(r.notes.some((n) => /modules of this (Sequential|ModuleList) are not known/.test(n.message))).toBe(true);
    });
  }
});

describe("classes built with defaults of our choosing", () => {
  // transformers' OneFormerTextMLP(hidden_size=None, ...): only ever built with arguments
  const placeholders = `
import torch.nn as nn

class TextMLP(nn.Module):
    def __init__(self, hidden_size=None, intermediate_size=None):
        super().__init__()
        self.fc1 = nn.Linear(hidden_size, intermediate_size)

    def forward(self, x):
        return self.fc1(x)

class Broken(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(None, 4)

    def forward(self, x):
        return self.fc(x)
`;

  it("a layer rejecting a None placeholder is a note that the class needs arguments, not an error", () => {
    const r = checkPaths([write(placeholders)]);
    expect(r.diagnostics.filter((d) => d.model === "TextMLP")).toEqual([]);
  });

  it("a None written as the argument itself, with no placeholder default, is still an error", () => {
    const r = checkPaths([write(placeholders)]);
    expect(r.diagnostics.filter((d) => d.model === "Broken").map((d) => `${d.severity} ${d.code}`)).toEqual(["error build-error"]);
  });
});

describe("layer settings the analysis does not know", () => {
  // nn.LSTM(..., bidirectional=settings.bidirectional): once guessed True, the
  // doubled width made Linear(16, ...) an error
  const source = `
import torch.nn as nn
from nowhere import settings

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(8, 16, batch_first=True, bidirectional=settings.bidirectional)
        self.pool = nn.MaxPool1d(2, ceil_mode=settings.ceil_mode)
        self.fc = nn.Linear(16, 4)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out)

class Pooled(nn.Module):
    def __init__(self):
        super().__init__()
        self.pool = nn.MaxPool1d(2, ceil_mode=settings.ceil_mode)
        self.fc = nn.Linear(3, 4)

    def forward(self, x):
        return self.fc(self.pool(x))
`;

  it("make the layer's output unknown, not a guess that becomes an error downstream", () => {
    const r = checkPaths([write(source)]);
    expect(r.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
    const file = write(source);
    const net = analyzeFile(file, { model: "Net", inputs: [parseInputSpec("2,5,8")] });
    const pooled = analyzeFile(file, { model: "Pooled", inputs: [parseInputSpec("2,4,5")] });
    expect([net.models[0].outputShape, pooled.models[0].outputShape]).toEqual(["unknown", "unknown"]);
  });

  it("a known setting still decides the shape", () => {
    const file = write(source.replace("bidirectional=settings.bidirectional", "bidirectional=True").replace(/ceil_mode=settings.ceil_mode/g, "ceil_mode=False"));
    const net = analyzeFile(file, { model: "Net", inputs: [parseInputSpec("2,5,8")] });
    const pooled = analyzeFile(file, { model: "Pooled", inputs: [parseInputSpec("2,4,5")] });
    expect([...errorsOf(net), ...errorsOf(pooled)]).toEqual(["linear-in-features", "linear-in-features"]);
  });
});

describe("branches of a condition the analysis cannot decide", () => {
  const model = (prelude: string, width: string) => `
import torch.nn as nn
from nowhere import flags
${prelude}

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 32)
        self.fc2 = nn.Linear(${width}, 4)

    def forward(self, x):
        return self.fc2(self.fc1(x))
`;

  it("merge at module level: neither side's value is taken for the other's (the last one used to win)", () => {
    const r = analyse(model("if flags.narrow:\n    WIDTH = 32\nelse:\n    WIDTH = 64", "WIDTH"), "2,8");
    expect(errorsOf(r)).toEqual([]);
  });

  it("a function returning on one side only may return either value (the returning side used to decide)", () => {
    const r = analyse(model("def width():\n    if flags.wide:\n        return 64\n    return 32", "width()"), "2,8");
    expect(errorsOf(r)).toEqual([]);
  });

  it("still agree where both sides give the same value", () => {
    const r = analyse(model("def width():\n    if flags.wide:\n        return 64\n    return 64", "width()"), "2,8");
    expect(errorsOf(r)).toEqual(["linear-in-features"]);
    const m = analyse(model("if flags.narrow:\n    WIDTH = 64\nelse:\n    WIDTH = 64", "WIDTH"), "2,8");
    expect(errorsOf(m)).toEqual(["linear-in-features"]);
  });
});
