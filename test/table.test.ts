// The terminal table: the hierarchy folds to --depth like torchinfo's.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../src/analysis/analyze.js";
import { renderModelTable } from "../src/report/table.js";
import { rowMultAdds } from "../src/compute/torchinfo.js";

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

describe("table columns (torchinfo's col_names)", () => {
  const article = analyzeFile(join(import.meta.dirname, "..", "fixtures", "models", "article_net.py")).models[0];
  it("shows the chosen columns in the order given, as torchinfo words them", () => {
    const lines = renderModelTable(article, { columns: ["kernel_size", "mult_adds", "trainable", "params_percent"] }).split("\n");
    expect(lines).toContainEqual(expect.stringMatching(/^Layer \(type\)\s+Kernel shape\s+Mult-Adds\s+Trainable\s+Param %$/));
    expect(lines).toContainEqual(expect.stringMatching(/^conv1 \(Conv2d\)\s+\[3, 3\]\s+458,752\s+True\s+2\.48%$/));
    expect(lines).toContainEqual(expect.stringMatching(/^pool1 \(MaxPool2d\)\s+2\s+--\s+--\s+--$/));
    expect(lines.join("\n")).not.toContain("Output shape");
  });
  it("shows flops beyond torchinfo's columns, and their total under the mult-adds", () => {
    const text = renderModelTable(article, { columns: ["output_size", "flops"] });
    expect(text).toMatch(/^conv1 \(Conv2d\)\s+\[1, 16, 32, 32\]\s+884,736$/m);
    expect(text).toMatch(/^act1 \(Tanh\)\s+\[1, 16, 32, 32\]\s+--$/m);
    expect(text).toMatch(/^Total mult-adds \(k\): 772\.19\nTotal flops \(M\): 1\.51$/m);
  });
  it("sums the mult-adds of the rows folded into a line", () => {
    const stage = resnet.layers.map((l, i) => [l, rowMultAdds(resnet)[i]] as const).filter(([l]) => l.name.startsWith("layer2."));
    const sum = stage.reduce((s, [, m]) => s + (m as number), 0);
    expect(sum).toBeGreaterThan(0);
    const text = renderModelTable(resnet, { depth: 1, columns: ["mult_adds"] });
    expect(text).toMatch(new RegExp(`^layer2 \\(Sequential\\)\\s+${sum.toLocaleString("en-US")}$`, "m"));
  });
});
