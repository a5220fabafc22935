// The forward graph's JSON, which backs every format: node and edge counts, a
// residual add with its two inputs, a UNet's skip cat, folding by --depth, check
// errors on the edge where shapes stop fitting, and the CLI's bad-input errors.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { GraphView, ViewEdge, ViewNode } from "../../src/graph/graphView.js";
import { torchvisionFolder } from "../torchvisionSources.js";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "torchshape.cjs");
const models = join(root, "fixtures", "models");

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function graphOf(...args: string[]): GraphView {
  const r = run("graph", ...args, "--format", "json");
  expect(r.stderr).toBe("");
  return (JSON.parse(r.stdout) as { graphs: GraphView[] }).graphs[0];
}

const into = (g: GraphView, id: string): ViewEdge[] => g.edges.filter((e) => e.to === id);
const node = (g: GraphView, id: string): ViewNode => g.nodes.find((n) => n.id === id)!;

describe("torchshape graph: structure", () => {
  it("the article: input, nine layers, the view between pool2 and fc1, output; each edge carries its shape", () => {
    const g = graphOf(join(models, "article_net.py"));
    expect(g.nodes.map((n) => n.label)).toEqual([
      "input", "conv1: Conv2d(3→16, k3)", "act1: Tanh", "pool1: MaxPool2d(k2)", "conv2: Conv2d(16→8, k3)", "act2: Tanh", "pool2: MaxPool2d(k2)", "view",
      "fc1: Linear(512→32)", "act3: Tanh", "fc2: Linear(32→2)", "output",
    ]);
    expect(g.edges).toHaveLength(11);
    // a chain: every node but the input takes the one before it
    g.edges.forEach((e, i) => expect([e.from, e.to]).toEqual([g.nodes[i].id, g.nodes[i + 1].id]));
    expect(g.edges.map((e) => e.label)).toEqual([
      "[1, 3, 32, 32]", "[1, 16, 32, 32]", "[1, 16, 32, 32]", "[1, 16, 16, 16]", "[1, 8, 16, 16]", "[1, 8, 16, 16]", "[1, 8, 8, 8]", "[1, 512]", "[1, 32]", "[1, 32]", "[1, 2]",
    ]);
    expect(node(g, "n1")).toMatchObject({ kind: "layer", name: "conv1", type: "Conv2d", params: 448, input_shape: [1, 3, 32, 32], output_shape: [1, 16, 32, 32], line: 8, call_line: 19 });
    expect(node(g, "n7")).toMatchObject({ kind: "op", type: "Tensor.view", output_shape: [1, 512] });
  });

  it("a residual block: the add takes two edges, the block's input (the shortcut) and bn2's output", () => {
    const g = graphOf(join(models, "deep_resnet.py"), "--depth", "3");
    const adds = g.nodes.filter((n) => n.kind === "op" && n.name === "add");
    expect(adds).toHaveLength(24);
    const first = adds[0];
    const inputs = into(g, first.id).map((e) => node(g, e.from));
    expect(inputs.map((n) => n.name).sort()).toEqual(["layer1.0.bn2", "relu"]);
    expect(into(g, first.id).map((e) => e.label)).toEqual(["[1, 16, 32, 32]", "[1, 16, 32, 32]"]);
    // the first block of a stage that downsamples adds its downsample branch: at depth 3 one folded node, at 4 a cluster
    const strided = adds[8];
    const branch = into(g, strided.id).map((e) => node(g, e.from));
    expect(branch.map((n) => [n.name, n.kind]).sort()).toEqual([["layer2.0.bn2", "layer"], ["layer2.0.downsample", "module"]]);
    const deeper = graphOf(join(models, "deep_resnet.py"), "--depth", "4");
    expect(deeper.clusters.find((c) => c.name === "layer2.0.downsample")).toMatchObject({ type: "Sequential", label: "layer2 › 0 › downsample › Sequential", depth: 3 });
    const add = deeper.nodes.filter((n) => n.name === "add")[8];
    expect(into(deeper, add.id).map((e) => node(deeper, e.from).name).sort()).toEqual(["layer2.0.bn2", "layer2.0.downsample.1"]);
  });

  it("a UNet: each cat takes the skip and the upsampled path", () => {
    const g = graphOf(join(models, "unet.py"), "--model", "UNet", "--depth", "2");
    const cats = g.nodes.filter((n) => n.name === "cat");
    expect(cats).toHaveLength(3);
    const up1 = cats[0];
    expect(up1.cluster).toBe(g.clusters.find((c) => c.name === "up1")!.id);
    expect(into(g, up1.id).map((e) => [node(g, e.from).name, e.label])).toEqual([
      ["down2.maxpool_conv", "[1, 32, 8, 8]"],
      ["up1.up", "[1, 32, 8, 8]"],
    ]);
    expect(node(g, up1.id).output_shape).toEqual([1, 64, 8, 8]);
  });

  it("--depth folds module calls below it into one node with the shapes at its boundary", () => {
    const counts = (depth: string) => {
      const g = graphOf(join(models, "deep_resnet.py"), "--depth", depth);
      return [g.nodes.length, g.edges.length, g.clusters.length];
    };
    // input, conv1, bn1, relu, layer1-3, avgpool, flatten, fc, output
    expect(counts("1")).toEqual([11, 10, 0]);
    // each stage's 8 blocks: 24 folded blocks in 3 clusters
    expect(counts("2")).toEqual([32, 31, 3]);
    const g = graphOf(join(models, "deep_resnet.py"), "--depth", "1");
    const layer2 = g.nodes.find((n) => n.name === "layer2")!;
    expect(layer2).toMatchObject({ kind: "module", type: "Sequential", label: "layer2: Sequential" });
    expect(into(g, layer2.id).map((e) => e.label)).toEqual(["[1, 16, 32, 32]"]);
    expect(g.edges.filter((e) => e.from === layer2.id).map((e) => e.label)).toEqual(["[1, 32, 16, 16]"]);
  });

  it("a notebook: places are cells and lines in them", () => {
    const g = graphOf(join(root, "fixtures", "notebooks", "article_net.ipynb"));
    expect(g.nodes).toHaveLength(12);
    expect(node(g, "n1")).toMatchObject({ name: "conv1", file: "fixtures/notebooks/article_net.ipynb", cell: 2, line: 4, call_cell: 2, call_line: 15 });
  });

  it("symbolic and unknown shapes are written as they are", () => {
    const g = graphOf(join(models, "article_net.py"), "--input", "N,3,32,32");
    expect(g.edges[0].label).toBe("[N, 3, 32, 32]");
    expect(g.edges.find((e) => node(g, e.to).name === "fc1")!.label).toBe("[N, 512]");
    const dir = mkdtempSync(join(tmpdir(), "torchshape-graph-"));
    const file = join(dir, "opaque.py");
    writeFileSync(file, "import torch\nimport torch.nn as nn\n\n# torchshape: input=1,8\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 4)\n\n    def forward(self, x):\n        return self.fc(torch.frobnicate(x))\n");
    const opaque = graphOf(file);
    expect(opaque.nodes.map((n) => n.label)).toEqual(["input", "frobnicate", "fc: Linear(8→4)", "output"]);
    expect(opaque.edges.map((e) => e.label)).toEqual(["[1, 8]", "?", "?"]);
  });

  it("a check error is on the edge into the node where the shapes stop fitting, with its message", () => {
    const r = run("graph", join(root, "fixtures", "buggy", "cat_skip_odd_size.py"), "--format", "json");
    expect(r.code).toBe(1);
    const g = (JSON.parse(r.stdout) as { graphs: GraphView[] }).graphs[0];
    const red = g.edges.filter((e) => e.error);
    expect(red.length).toBe(2);
    expect(new Set(red.map((e) => node(g, e.to).name))).toEqual(new Set(["cat"]));
    expect(red[0].error).toMatch(/cat/);
    const clean = run("graph", join(models, "article_net.py"), "--format", "json");
    expect(clean.code).toBe(0);
    expect((JSON.parse(clean.stdout) as { graphs: GraphView[] }).graphs[0].edges.some((e) => e.error)).toBe(false);
  });

  it("torchvision's resnet18 at depths 1, 2, 3 (torchview draws the same counts)", () => {
    const folder = torchvisionFolder();
    expect(folder, "torchvision's sources: install python3-torchvision or run scripts/torchvision_sources.sh").toBeDefined();
    const resnet = join(folder!, "models", "resnet.py");
    const counts = [1, 2, 3].map((d) => {
      const g = graphOf(resnet, "--model", "resnet18()", "--input", "1,3,224,224", "--depth", String(d));
      return [g.nodes.length, g.edges.length];
    });
    expect(counts).toEqual([[13, 12], [17, 16], [68, 75]]);
  });
});

describe("torchshape graph: formats and errors", () => {
  const article = join(models, "article_net.py");

  it("mermaid: a flowchart TD with a node per row and an edge per tensor, the error edge red", () => {
    const r = run("graph", article);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("flowchart TD");
    expect(lines.filter((l) => /^ {2}n\d+ -->\|/.test(l))).toHaveLength(11);
    expect(r.stdout).toContain('n7("view"):::op');
    expect(r.stdout).toContain('n6 -->|"[1, 8, 8, 8]"| n7');
    const buggy = run("graph", join(root, "fixtures", "buggy", "article_view_28.py"));
    expect(buggy.stdout).toMatch(/linkStyle 6 stroke:#d00000/);
  });

  it("dot: a digraph whose nodes, edges and clusters carry the JSON's ids", () => {
    const r = run("graph", join(models, "unet.py"), "--model", "TinyUNet", "--depth", "2", "--format", "dot");
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('digraph "TinyUNet" {')).toBe(true);
    expect(r.stdout).toMatch(/subgraph "cluster_c\d+" \{/);
    expect(r.stdout).toMatch(/"n0" -> "m\d+" \[id="e0", label="\[1, 1, 24, 24\]"\]/);
  });

  it("svg: well-formed XML, made in-process, with every row's name", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchshape-graph-"));
    const out = join(dir, "resnet.svg");
    const r = run("graph", join(models, "resnet_basic.py"), "--model", "ResNetCifar", "--depth", "9", "--format", "svg", "-o", out);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    const svg = readFileSync(out, "utf8");
    expect(XMLValidator.validate(svg)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(svg) as { svg: unknown };
    expect(parsed.svg).toBeDefined();
    const summary = JSON.parse(run(join(models, "resnet_basic.py"), "--model", "ResNetCifar", "--format", "json").stdout) as { models: { layers: { name: string }[] }[] };
    const rows = summary.models[0].layers.map((l) => l.name);
    expect(rows.length).toBeGreaterThan(20);
    for (const name of rows) expect(svg).toContain(`${name}: `);
  });

  it("a file with no module, an unknown --model, several models without --model: one line, exit 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchshape-graph-"));
    const plain = join(dir, "plain.py");
    writeFileSync(plain, "x = 1\n");
    for (const [args, message] of [
      [[plain], /no nn\.Module class found/],
      [[article, "--model", "Nope"], /--model 'Nope': name 'Nope' is not defined/],
      [[join(models, "unet.py"), "--format", "svg"], /has 3 models \(UNet, BilinearUNet, TinyUNet\): choose one with --model/],
      [[article, "--depth", "two"], /--depth must be a non-negative integer/],
      [[article, "--format", "png"], /argument 'png' is invalid/],
      [[article, "-o", join(dir, "missing", "graph.mmd")], /cannot write .*graph\.mmd: ENOENT/],
    ] as const) {
      const r = run("graph", ...args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
