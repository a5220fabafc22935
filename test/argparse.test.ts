// argparse in training scripts: parse_args() gives the declared defaults; what the
// command line must supply (a required option, a positional) is unknown, never invented.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../src/analysis/analyze.js";
import { parseInputSpec } from "../src/analysis/inputSpec.js";

function analyse(source: string, model: string, input: string) {
  const file = join(mkdtempSync(join(tmpdir(), "torchshape-argparse-")), "train.py");
  writeFileSync(file, source);
  return analyzeFile(file, { model, inputs: [parseInputSpec(input)] });
}

const script = (parse: string) => `
import argparse
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("data")
parser.add_argument("--hidden", type=int, default=32)
parser.add_argument("--classes", type=int, required=True)
parser.add_argument("--in-features", dest="features", type=int, default=8)
opt = ${parse}

class Head(nn.Module):
    def __init__(self, n_out):
        super().__init__()
        self.fc = nn.Linear(opt.features, opt.hidden)
        self.out = nn.Linear(opt.hidden, n_out)

    def forward(self, x):
        return self.out(self.fc(x))
`;

describe("argparse", () => {
  it("reads the defaults the script declares", () => {
    const r = analyse(script("parser.parse_args()"), "Head(3)", "2,8");
    expect(r.models[0].layers.map((l) => [l.name, l.params])).toEqual([["fc", 288], ["out", 99]]);
    expect(r.notes.some((n) => n.message.includes("parse_args() gives the defaults"))).toBe(true);
  });

  it("leaves a required option unknown", () => {
    expect(() => analyse(script("parser.parse_args()"), "Head(opt.classes)", "2,8")).toThrow(/'out_features' is unknown: command-line argument 'classes' has no default/);
  });

  it("does not pretend to parse an explicit command line", () => {
    expect(() => analyse(script('parser.parse_args(["x", "--hidden", "5", "--classes", "2"])'), "Head(3)", "2,8")).toThrow(/'in_features' is unknown: parse_args\(\) of an explicit command line is not modelled/);
  });
});
