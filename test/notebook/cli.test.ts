// Notebooks end to end with the CLI: the article as a notebook of three cells
// (imports with a magic, the class, the call on torch.randn) against the golden
// PyTorch recorded from the same cells; at 28 × 28 check names the cell and line.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { GoldenModel } from "../goldenFiles.js";
import { goldenTorchVersion } from "../goldenTorch.js";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "torchshape.cjs");
const notebookFile = join(root, "fixtures", "notebooks", "article_net.ipynb");
const notebook = readFileSync(notebookFile, "utf8");
const golden = (JSON.parse(readFileSync(join(root, "fixtures", "notebooks", "article_net.golden.json"), "utf8")) as { models: GoldenModel[] }).models[0];
const at28 = notebook.replace("torch.randn(4, 3, 32, 32)", "torch.randn(4, 3, 28, 28)");

function run(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args, "--torch-version", goldenTorchVersion], { cwd, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function folder(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), "torchshape-notebook-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

describe("the article as a notebook", () => {
  it("gives the rows and totals PyTorch recorded running the notebook's cells, the input found in cell 3", () => {
    expect(notebook).toContain("torch.randn(4, 3, 32, 32)");
    const r = run(root, notebookFile, "--format", "json");
    expect(r.code, r.stderr).toBe(0);
    const model = JSON.parse(r.stdout).models[0];
    expect(model.inputs).toEqual(golden.inputs);
    expect(model.layers.map((l: Record<string, unknown>) => ({ name: l.name, type: l.type, params: l.params, trainable_params: l.trainable_params, input_shape: l.input_shape, output_shape: l.output_shape, depth: l.depth }))).toEqual(golden.layers);
    expect([model.output_shape, model.total_params, model.trainable_params]).toEqual([golden.output_shape, golden.total_params, golden.trainable_params]);
    // places are cells and lines in them: the class is the first line of cell 2, fc1 its 10th, called on its 18th
    expect({ cell: model.cell, line: model.line }).toEqual({ cell: 2, line: 1 });
    const fc1 = model.layers.find((l: { name: string }) => l.name === "fc1");
    expect([fc1.cell, fc1.line, fc1.call_cell, fc1.call_line]).toEqual([2, 10, 2, 18]);
  });

  it("prints the same table as the article's Python file at the same input, headed by the cell", () => {
    const fromNotebook = run(root, notebookFile);
    const fromFile = run(root, join(root, "fixtures", "models", "article_net.py"), "--input", "4,3,32,32");
    expect(fromNotebook.stdout).toContain("Net  (fixtures/notebooks/article_net.ipynb:cell 2:1)  input [4, 3, 32, 32]");
    const body = (s: string) => s.split("\n").filter((l) => !l.startsWith("Net  ("));
    expect(body(fromNotebook.stdout)).toEqual(body(fromFile.stdout));
  });

  it("at 28 × 28, check refuses it naming the cell and the line in it, in text, JSON and SARIF", () => {
    const dir = folder({ "net.ipynb": at28 });
    const text = run(dir, "check", "net.ipynb");
    expect(text.code, text.stderr).toBe(1);
    expect(text.stdout).toMatch(/^net\.ipynb:cell 2:17:13: error\[view-size\] /m);
    expect(text.stdout).toMatch(/^ {2}net\.ipynb:cell 2:10:20: note: /m);
    const json = JSON.parse(run(dir, "check", "net.ipynb", "--format", "json").stdout);
    expect(json.diagnostics[0]).toMatchObject({ code: "view-size", file: "net.ipynb", cell: 2, line: 17, column: 13, end_line: 17 });
    expect(json.models[0]).toMatchObject({ name: "Net()", cell: 3, line: 1 }); // built by the call in cell 3
    const sarif = JSON.parse(run(dir, "check", "net.ipynb", "--format", "sarif").stdout);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "net.ipynb" }, region: { startLine: 17, startColumn: 13, endLine: 17, endColumn: 34, properties: { cell: 2 } } });
  });

  it("is found in a folder with the Python files, its checkpoint copies left out", () => {
    const dir = folder({ "nb/net.ipynb": at28, "nb/.ipynb_checkpoints/net-checkpoint.ipynb": at28, "nb/plain.py": "x = 1\n" });
    const r = run(dir, "check", "nb", "--format", "json");
    const json = JSON.parse(r.stdout);
    expect(json.files).toEqual(["nb/net.ipynb", "nb/plain.py"]);
    expect(json.diagnostics.map((d: { file: string; cell: number; line: number }) => `${d.file}:${d.cell}:${d.line}`)).toEqual(["nb/net.ipynb:2:17"]);
  });

  it("a syntax error in a cell is placed in that cell", () => {
    const broken = notebook.replace('"net = Net()\\n"', '"net = Net(\\n"');
    expect(broken).not.toBe(notebook);
    const r = run(folder({ "broken.ipynb": broken }), "check", "broken.ipynb");
    expect(r.stdout).toMatch(/^broken\.ipynb:cell 3:\d+:\d+: note: not checked: syntax error/m);
  });
});

describe("a malformed notebook", () => {
  const files = { "a.ipynb": '{"cells": [', "b.ipynb": '{"nbformat": 4, "metadata": {}}', "c.ipynb": '{"nbformat": 3, "worksheets": []}', "d.ipynb": notebook };

  it("is one note in check, and the next file goes on", () => {
    const r = run(folder(files), "check", "a.ipynb", "b.ipynb", "c.ipynb", "d.ipynb");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^a\.ipynb: note: not checked: not a notebook: invalid JSON \(.+\)$/m);
    expect(r.stdout).toMatch(/^b\.ipynb: note: not checked: not a notebook: no 'cells' list$/m);
    expect(r.stdout).toMatch(/^c\.ipynb: note: not checked: nbformat 3 notebooks are not read .+$/m);
    expect(r.stdout).toMatch(/1 model checked, 3 files not checked/);
  });

  it("is one line on stderr in the summary, the other files still summarised, exit 2", () => {
    const r = run(folder(files), "a.ipynb", "b.ipynb", "d.ipynb", "--format", "json");
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^torchshape: a\.ipynb: not a notebook: invalid JSON/), "torchshape: b.ipynb: not a notebook: no 'cells' list"]);
    expect(JSON.parse(r.stdout).models.map((m: { name: string; file: string }) => `${m.name} ${m.file}`)).toEqual(["Net d.ipynb"]);
  });
});
