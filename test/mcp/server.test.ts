// `torchshape mcp` driven by the MCP SDK's own Client over a real stdio transport
// (StdioClientTransport spawning `node bin/torchshape.cjs mcp`): the tools listed,
// each called on fixtures with values checked against PyTorch's goldens and errors,
// and bad arguments answered as tool errors by a server that goes on answering.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GoldenModel } from "../goldenFiles.js";
import { LspTestClient } from "../lsp/client.js";

const root = join(import.meta.dirname, "..", "..");
const article = join(root, "fixtures", "models", "article_net.py");
const articleGolden = (JSON.parse(readFileSync(join(root, "fixtures", "models", "article_net.golden.json"), "utf8")) as { models: GoldenModel[] }).models[0];
const view28 = join(root, "fixtures", "buggy", "article_view_28.py");
const notebook = join(root, "fixtures", "notebooks", "article_net.ipynb");
const notebookGolden = (JSON.parse(readFileSync(join(root, "fixtures", "notebooks", "article_net.golden.json"), "utf8")) as { models: GoldenModel[] }).models[0];

interface TextResult {
  isError?: boolean;
  content: { type: string; text: string }[];
}

let client: Client;

async function call(name: string, args: Record<string, unknown>): Promise<TextResult> {
  return (await client.callTool({ name, arguments: args })) as TextResult;
}

/** The JSON a tool gives after its text. */
async function callJson<T>(name: string, args: Record<string, unknown>): Promise<{ text: string; json: T }> {
  const r = await call(name, args);
  expect(r.isError, r.content[0]?.text).toBeFalsy();
  expect(r.content).toHaveLength(2);
  return { text: r.content[0].text, json: JSON.parse(r.content[1].text) as T };
}

/** The line (1-based) of a fixture's first line containing `needle`. */
function lineOf(file: string, needle: string): number {
  const index = readFileSync(file, "utf8").split("\n").findIndex((l) => l.includes(needle));
  expect(index, needle).toBeGreaterThanOrEqual(0);
  return index + 1;
}

beforeAll(async () => {
  client = new Client({ name: "torchshape-test", version: "1.0.0" });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [join(root, "bin", "torchshape.cjs"), "mcp"], cwd: root, stderr: "pipe" }));
}, 30_000);

afterAll(async () => {
  await client?.close();
});

describe("torchshape mcp", () => {
  it("lists its six tools, each saying when to call it, all read-only", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["annotate", "check", "explain", "fit", "shape_at", "summarize"]);
    for (const t of tools) {
      expect(t.description, t.name).toMatch(/Call it (before|after|when)/);
      expect(t.annotations?.readOnlyHint, t.name).toBe(true);
    }
    const required = Object.fromEntries(tools.map((t) => [t.name, [...(t.inputSchema.required ?? [])].sort()]));
    expect(required).toEqual({ summarize: ["file"], check: ["paths"], shape_at: ["file", "line"], explain: ["file", "line"], fit: ["budget", "file"], annotate: ["file"] });
  });

  it("summarize gives the table and the contract's JSON, row for row as PyTorch's hooks saw them", async () => {
    const { text, json } = await callJson<{ models: { name: string; layers: Record<string, unknown>[]; total_params: number; output_shape: unknown }[] }>("summarize", { file: article });
    expect(text).toContain("Total params: 18,090");
    expect(text).toMatch(/fc1 \(Linear\)\s+\[1, 512\]\s+\[1, 32\]\s+16,416/);
    const [net] = json.models;
    expect(net.name).toBe(articleGolden.name);
    expect(net.total_params).toBe(articleGolden.total_params);
    expect(net.output_shape).toEqual(articleGolden.output_shape);
    expect(net.layers.map((l) => [l.name, l.type, l.params, l.input_shape, l.output_shape])).toEqual(articleGolden.layers.map((l) => [l.name, l.type, l.params, l.input_shape, l.output_shape]));
  });

  it("summarize takes the model and the inputs: a symbolic batch stays a name", async () => {
    const { json } = await callJson<{ models: { name: string; inputs: unknown[]; output_shape: unknown }[] }>("summarize", { file: article, model: "Net", inputs: ["B,3,32,32"] });
    expect(json.models.map((m) => [m.name, m.inputs, m.output_shape])).toEqual([["Net", [["B", 3, 32, 32]], ["B", 2]]]);
  });

  it("summarize reads a notebook as the golden of its cells run in PyTorch", async () => {
    const { json } = await callJson<{ models: { layers: Record<string, unknown>[]; total_params: number }[] }>("summarize", { file: notebook });
    expect(json.models[0].total_params).toBe(notebookGolden.total_params);
    expect(json.models[0].layers.map((l) => [l.name, l.output_shape])).toEqual(notebookGolden.layers.map((l) => [l.name, l.output_shape]));
  });

  it("check reports the 28 × 28 article's view with its fix, and a clean file as clean", async () => {
    const { text, json } = await callJson<{ diagnostics: { code: string; line: number; severity: string; fix?: string; related: { line: number }[] }[]; models_checked: number }>("check", { paths: [view28] });
    expect(json.models_checked).toBe(1);
    expect(json.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([["error", "view-size", lineOf(view28, "x.view(-1")]]);
    expect(json.diagnostics[0].related.map((r) => r.line)).toEqual([lineOf(view28, "self.fc1 = ")]);
    expect(json.diagnostics[0].fix).toContain("nn.Linear(8 * 7 * 7, 32)");
    // PyTorch's own error on it: shape '[-1, 512]' is invalid for input of size 1568
    const torchError = readFileSync(view28.replace(/\.py$/, ".torch-error.txt"), "utf8");
    const size = /input of size (\d+)/.exec(torchError)![1];
    expect(text).toContain(`4 × 392 = ${size} elements`);
    expect(text).toContain("help: x.flatten(1)");
    const clean = await callJson<{ diagnostics: unknown[] }>("check", { paths: [article] });
    expect(clean.json.diagnostics).toEqual([]);
    expect(clean.text).toMatch(/^No shape errors/m);
  });

  it("shape_at gives each line's shapes as the language server's inlay hints show them", async () => {
    const { client: lsp } = await LspTestClient.start({ rootDir: root });
    try {
      const uri = pathToFileURL(article).href;
      const text = readFileSync(article, "utf8");
      await lsp.open(uri, text);
      const hints = (await lsp.inlayHints(uri, text.split("\n").length)) ?? [];
      expect(hints.length).toBe(5);
      for (const hint of hints) {
        const { json } = await callJson<{ hint: string }>("shape_at", { file: article, line: hint.position.line + 1 });
        expect(json.hint, `line ${hint.position.line + 1}`).toBe(hint.label);
      }
    } finally {
      await lsp.stop();
    }
  });

  it("shape_at names the assigned tensor and the layers called on the line, with PyTorch's shapes", async () => {
    const line = lineOf(article, "x = self.pool1(");
    const { text, json } = await callJson<{ hint: string; assignments: { name: string; shapes: unknown[] }[]; layer_calls: { name: string; input_shape: unknown; output_shape: unknown }[] }>("shape_at", { file: article, line });
    const golden = (name: string) => articleGolden.layers.find((l) => l.name === name)!;
    expect(json.assignments).toEqual([{ name: "x", column: 9, shapes: [golden("pool1").output_shape] }]);
    expect(json.layer_calls.map((c) => [c.name, c.input_shape, c.output_shape])).toEqual(["conv1", "act1", "pool1"].map((n) => [n, golden(n).input_shape, golden(n).output_shape]));
    expect(text).toContain("x = [1, 16, 16, 16]");
    // a line that assigns nothing says so and lists the lines that do
    const empty = await call("shape_at", { file: article, line: 1 });
    expect(empty.isError).toBeFalsy();
    expect(empty.content[0].text).toContain(`Lines that assign tensors: ${line}, ${line + 1}, ${line + 2}, ${line + 3}, ${line + 4}`);
  });

  it("shape_at reads a notebook by cell and line", async () => {
    const { json } = await callJson<{ assignments: { name: string; shapes: unknown[] }[] }>("shape_at", { file: notebook, cell: 2, line: 15 });
    expect(json.assignments).toEqual([{ name: "x", column: 9, shapes: [notebookGolden.layers.find((l) => l.name === "pool1")!.output_shape] }]);
  });

  it("explain gives the chain of sizes up to the fault, from the fault's line or the related layer's", async () => {
    for (const line of [lineOf(view28, "x.view(-1"), lineOf(view28, "self.fc1 = ")]) {
      const { text, json } = await callJson<{ diagnostics: { code: string; chain: { inputs: unknown[]; calls: { name: string; output_shape: unknown }[] } }[] }>("explain", { file: view28, line });
      expect(json.diagnostics.map((d) => d.code)).toEqual(["view-size"]);
      const { chain } = json.diagnostics[0];
      expect(chain.inputs).toEqual([[4, 3, 28, 28]]);
      // conv (padding 1) keeps 28, each 2× pool halves: 28 → 14 → 7
      expect(chain.calls.map((c) => [c.name, c.output_shape])).toEqual([
        ["conv1", [4, 16, 28, 28]],
        ["act1", [4, 16, 28, 28]],
        ["pool1", [4, 16, 14, 14]],
        ["conv2", [4, 8, 14, 14]],
        ["act2", [4, 8, 14, 14]],
        ["pool2", [4, 8, 7, 7]],
      ]);
      expect(text).toContain("392 = 8 × 7 × 7 after pool2 (input 28 × 28)");
      expect(text).toContain("pool2 (MaxPool2d) (line 23): [4, 8, 14, 14] -> [4, 8, 7, 7]");
      expect(text).toContain("help: ");
    }
  });

  it("explain on a line without a diagnostic says so and lists the file's", async () => {
    const r = await call("explain", { file: view28, line: lineOf(view28, "self.conv1 = ") });
    expect(r.isError).toBeFalsy();
    expect(r.content[0].text).toContain("no diagnostic on this line");
    expect(r.content[0].text).toContain(`article_view_28.py:${lineOf(view28, "x.view(-1")}:13: error[view-size]`);
  });

  it("fit solves the largest batch from the goldens' activations and parameters", async () => {
    const { text, json } = await callJson<{ models: { name: string; memory: { batch: string; largest_batch: { sgd: number; adam: number }; total_bytes: { sgd: string } } }[] }>("fit", { file: article, model: "Net", budget: "24GB" });
    // per sample: every row's output and the input, 4 bytes each; fixed: parameters and gradients (SGD), and Adam's two moments
    const elements = (s: unknown) => (s as number[]).reduce((p, d) => p * d, 1);
    const perSample = (articleGolden.layers.reduce((s, l) => s + elements(l.output_shape), 0) + elements(articleGolden.inputs[0])) * 4;
    const params = articleGolden.total_params * 4;
    const [net] = json.models;
    expect(net.memory.batch).toBe("N");
    expect(net.memory.largest_batch).toEqual({ sgd: Math.floor((24e9 - 2 * params) / perSample), adam: Math.floor((24e9 - 4 * params) / perSample) });
    expect(net.memory.total_bytes.sgd).toBe(`${perSample} * N + ${2 * params}`);
    expect(text).toContain(`largest batch in 24.00 GB: ${net.memory.largest_batch.sgd}`);
    const bf16 = await callJson<{ models: { memory: { largest_batch: { sgd: number } } }[] }>("fit", { file: article, budget: "24GB", dtype: "bf16" });
    expect(bf16.json.models[0].memory.largest_batch.sgd).toBe(Math.floor((24e9 - params) / (perSample / 2)));
  });

  it("annotate gives forward's shapes as PyTorch ran them, as a diff and edits that leave nothing to annotate once applied", async () => {
    const { text, json } = await callJson<{ edits: { line: number; column: number; end_line: number; end_column: number; text: string }[] }>("annotate", { file: article });
    const dims = (s: unknown) => (s as number[]).join(" ");
    expect(text).toContain(`+    def forward(self, x: Float[torch.Tensor, "${dims(articleGolden.inputs[0])}"]) -> Float[torch.Tensor, "${dims(articleGolden.output_shape)}"]:`);
    expect(text).toContain("+from jaxtyping import Float");
    // the file is not changed; the edits applied (from the last) give a file with nothing left to annotate
    const source = readFileSync(article, "utf8");
    expect(readFileSync(article, "utf8")).toBe(source);
    const lines = source.split("\n");
    for (const e of [...json.edits].reverse()) {
      expect(e.end_line).toBe(e.line);
      const l = lines[e.line - 1];
      lines[e.line - 1] = l.slice(0, e.column - 1) + e.text + l.slice(e.end_column - 1);
    }
    const annotated = join(mkdtempSync(join(tmpdir(), "torchshape-mcp-")), "net.py");
    writeFileSync(annotated, lines.join("\n"));
    const again = await call("annotate", { file: annotated });
    expect(again.isError).toBeFalsy();
    expect(again.content[0].text).toContain("nothing to annotate");
    expect(JSON.parse(again.content[1].text).edits).toEqual([]);
  });

  it("answers bad arguments with a one-line tool error and goes on answering", async () => {
    const bad: [string, Record<string, unknown>, RegExp][] = [
      ["summarize", { file: "no/such/net.py" }, /^no\/such\/net\.py: no such file$/],
      ["summarize", { file: article, inputs: ["1,3,x:int31"] }, /unknown dtype 'int31'/],
      ["summarize", { file: article, inputs: ["1,3,,32"] }, /malformed input shape '1,3,,32'/],
      ["summarize", { file: article, model: "Nope" }, /'Nope' is not defined/],
      ["summarize", {}, /file/],
      ["check", { paths: ["no/such/folder"] }, /no such file or folder/],
      ["check", { paths: [] }, /paths/],
      ["shape_at", { file: article, line: 999 }, /line 999 is past the end/],
      ["shape_at", { file: article, line: "three" }, /line/],
      ["shape_at", { file: notebook, line: 3 }, /is a notebook: give the cell/],
      ["explain", { file: root, line: 1 }, /not a file/],
      ["fit", { file: article, budget: "lots" }, /budget must be a positive size/],
      ["fit", { file: article, budget: "24GB", dtype: "int8" }, /unknown dtype 'int8'/],
      ["fit", { file: article, budget: "24GB", model: "Nope" }, /'Nope' is not defined/],
      ["annotate", { file: article, style: "numpydoc" }, /unknown style 'numpydoc'/],
    ];
    for (const [name, args, message] of bad) {
      const r = await call(name, args);
      expect(r.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
      expect(r.content[0].text, `${name} ${JSON.stringify(args)}`).toMatch(message);
      expect(r.content[0].text).not.toMatch(/\n\s+at /); // no stack trace
    }
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(6);
    const { json } = await callJson<{ models: { total_params: number }[] }>("summarize", { file: article });
    expect(json.models[0].total_params).toBe(18090);
  });
});
