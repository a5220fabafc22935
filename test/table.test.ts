// The terminal table: the hierarchy folds to --depth like torchinfo's.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../src/analysis/analyze.js";
import { renderModelTable } from "../src/report/table.js";

const resnet = analyzeFile(join(import.meta.dirname, "..", "fixtures", "models", "resnet_basic.py")).models.find((m) => m.name === "ResNetCifar")!;

describe("table depth", () => {
  it("folds each stage into one line at depth 1, first input to last output, with the stage's parameters", () => {
    const table = renderModelTable(resnet, 1);
    expect(table).toMatch(/^layer2 \(Sequential\)\s+\[2, 16, 32, 32\]\s+\[2, 32, 16, 16\]\s+33,088$/m);
    expect(table).not.toContain("BasicBlock");
  });
  it("shows the containers as headers above the blocks folded at depth 2", () => {
    const lines = renderModelTable(resnet, 2).split("\n");
    const header = lines.findIndex((l) => /^layer2 \(Sequential\)\s+--$/.test(l));
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 1]).toMatch(/^└─0 \(BasicBlock\)\s+\[2, 16, 32, 32\]\s+\[2, 32, 16, 16\]\s+14,528$/);
  });
  it("lists every layer at full depth, and the totals", () => {
    const table = renderModelTable(resnet, 10);
    expect(table).toMatch(/│ └─conv1 \(Conv2d\)/);
    expect(table).toContain("Total params: 175,258");
    expect(table).toContain("Non-trainable params: 0");
  });
});
