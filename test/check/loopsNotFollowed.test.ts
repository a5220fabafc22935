// A loop the evaluator cannot follow (over a split of a symbolic size, or under a
// condition it cannot decide) must not leave stale values behind: a list the loop
// would have filled is unknown afterwards, not empty, so torch.cat reports nothing.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/analysis/analyze.js";
import { parseInputSpec } from "../../src/analysis/inputSpec.js";

function analyse(source: string, input?: string) {
  const file = join(mkdtempSync(join(tmpdir(), "torchshape-loops-")), "net.py");
  writeFileSync(file, source);
  return analyzeFile(file, input ? { inputs: [parseInputSpec(input)] } : {});
}

const stepper = (body: string) => `
import torch
import torch.nn as nn

class Stepper(nn.Module):
    def __init__(self):
        super().__init__()
        self.cell = nn.GRUCell(1, 6)
        self.out = nn.Linear(6, 1)

    def forward(self, seq):
        h = torch.zeros(seq.size(0), 6)
${body}
`;

const appendLoop = stepper(`        outputs = []
        for step in seq.split(1, dim=1):
            h = self.cell(step, h)
            outputs.append(self.out(h))
        return torch.cat(outputs, dim=1)`);

const augmentedLoop = stepper(`        outputs = []
        for step in seq.chunk(seq.size(1), dim=1):
            h = self.cell(step, h)
            outputs += [self.out(h)]
        return torch.cat(outputs, dim=1)`);

const comprehension = stepper(`        return torch.cat([self.out(self.cell(step, h)) for step in seq.split(1, dim=1)], dim=1)`);

const whileLoop = stepper(`        outputs = []
        t = 0
        while t < seq.size(1):
            h = self.cell(seq[:, t:t + 1], h)
            outputs.append(self.out(h))
            t += 1
        return torch.cat(outputs, dim=1)`);

describe("loops over a symbolic number of steps", () => {
  for (const [name, source] of [["append", appendLoop], ["+=", augmentedLoop], ["comprehension", comprehension], ["while", whileLoop]] as const) {
    it(`reports nothing without an input (${name})`, () => {
      const r = analyse(source);
      expect(r.diagnostics).toEqual([]);
      expect(r.models[0].outputShape).toBe("unknown");
    });

    it(`follows every step with a concrete input (${name})`, () => {
      const r = analyse(source, "3,4");
      expect(r.diagnostics).toEqual([]);
      expect(r.models[0].outputShape).toEqual([3, 4]);
      expect(r.models[0].layers.length).toBe(8);
    });
  }
});
