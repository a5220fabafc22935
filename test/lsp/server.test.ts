// `torchshape lsp` driven over stdio by a real protocol client: diagnostics as
// `check` reports them, hovers, inlay hints, code lenses, edits and settings.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPaths } from "../../src/check/check.js";
import { LspTestClient, positionOf, repoRoot } from "./client.js";

const article = readFileSync(join(repoRoot, "fixtures", "models", "article_net.py"), "utf8");
// 28×28 images: after two poolings 8·7·7 = 392 features per sample, not the 512 that view() and fc1 expect
const buggy = article.replace("# torchshape: input=1,3,32,32", "# torchshape: input=4,3,28,28");
const fixed = article.replace("# torchshape: input=1,3,32,32", "# torchshape: input=4,3,32,32");
const symbolic = article.replace("# torchshape: input=1,3,32,32\n", "");
const lineCount = article.split("\n").length;

function markdownOf(hover: Awaited<ReturnType<LspTestClient["hover"]>>): string {
  const contents = hover?.contents;
  return contents && typeof contents === "object" && "kind" in contents ? contents.value : "";
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "torchshape-lsp-"));
}

function writeDoc(dir: string, name: string, text: string): { file: string; uri: string } {
  const file = join(dir, name);
  writeFileSync(file, text);
  return { file, uri: pathToFileURL(file).href };
}

describe("torchshape lsp without settings", () => {
  const dir = tempDir();
  const net = writeDoc(dir, "net.py", buggy);
  let client: LspTestClient;

  beforeAll(async () => {
    ({ client } = await LspTestClient.start({ rootDir: dir }));
    await client.open(net.uri, buggy);
  }, 30_000);
  afterAll(async () => {
    expect(await client?.stop()).toBe(0);
  }, 30_000);

  it("publishes check's diagnostic for the buggy file, with its code and range", async () => {
    const published = await client.waitForDiagnostics(net.uri, (p) => p.version === 1);
    const view = positionOf(buggy, "x.view(-1, 8 * 8 * 8)");
    expect(published.diagnostics).toHaveLength(1);
    const [d] = published.diagnostics;
    expect(d).toMatchObject({ code: "view-size", source: "torchshape", severity: 1 });
    expect(d.range).toEqual({ start: view, end: { line: view.line, character: view.character + "x.view(-1, 8 * 8 * 8)".length } });
    // the same rule, code and place as `torchshape check` on the file
    const checked = checkPaths([net.file]).diagnostics;
    expect(checked.map((c) => ({ code: c.code, line: c.location.span.line, col: c.location.span.col, endCol: c.location.span.endCol }))).toEqual([
      { code: d.code, line: d.range.start.line, col: d.range.start.character, endCol: d.range.end.character },
    ]);
    expect(d.message.startsWith(checked[0].message)).toBe(true);
    // check's related locations become relatedInformation, in this document
    expect(d.relatedInformation ?? []).toEqual(
      checked[0].related.map((r) => ({
        location: { uri: net.uri, range: { start: { line: r.location.span.line, character: r.location.span.col }, end: { line: r.location.span.endLine, character: r.location.span.endCol } } },
        message: r.message,
      })),
    );
  });

  it("hovers on self.fc1 where it is built and where it is called", async () => {
    const built = markdownOf(await client.hover(net.uri, positionOf(buggy, "self.fc1 =", 6)));
    expect(built).toContain("**fc1**: Linear, 16,416 params");
    const called = markdownOf(await client.hover(net.uri, positionOf(buggy, "self.fc1(x)", 6)));
    expect(called).toContain("**fc1**: Linear, 16,416 params");
  });

  it("hovers on a layer with its input → output shape", async () => {
    const conv1 = markdownOf(await client.hover(net.uri, positionOf(buggy, "self.conv1(x)", 7)));
    expect(conv1).toContain("**conv1**: Conv2d, 448 params");
    expect(conv1).toContain("`[4, 3, 28, 28]` → `[4, 16, 28, 28]`");
  });

  it("hovers on a tensor variable of forward: assigned, read, and the forward argument", async () => {
    const assigned = markdownOf(await client.hover(net.uri, positionOf(buggy, "x = self.pool2")));
    expect(assigned).toBe("**x**: `[4, 8, 7, 7]`");
    const read = markdownOf(await client.hover(net.uri, positionOf(buggy, "x.view")));
    expect(read).toBe("**x**: `[4, 8, 7, 7]`");
    const rightSide = markdownOf(await client.hover(net.uri, positionOf(buggy, "self.conv2(x)", 11)));
    expect(rightSide).toBe("**x**: `[4, 16, 14, 14]`");
    const argument = markdownOf(await client.hover(net.uri, positionOf(buggy, "def forward(self, x)", 18)));
    expect(argument).toBe("**x** (input): `[4, 3, 28, 28]`");
    expect(await client.hover(net.uri, positionOf(buggy, "import torch", 2))).toBeNull();
  });

  it("shows the shape of each forward assignment at the end of its line", async () => {
    const hints = (await client.inlayHints(net.uri, lineCount)) ?? [];
    const lines = buggy.split("\n");
    const pool1 = positionOf(buggy, "x = self.pool1").line;
    const pool2 = positionOf(buggy, "x = self.pool2").line;
    expect(hints.find((h) => h.position.line === pool1)).toMatchObject({ label: "[4, 16, 14, 14]", position: { line: pool1, character: lines[pool1].length } });
    expect(hints.find((h) => h.position.line === pool2)).toMatchObject({ label: "[4, 8, 7, 7]", position: { line: pool2, character: lines[pool2].length } });
    // hints only on forward's assignments, and none that says nothing ("?")
    const forwardLines = lines.map((l, i) => (/^\s+x = /.test(l) ? i : -1)).filter((i) => i >= 0);
    for (const h of hints) {
      expect(forwardLines).toContain(h.position.line);
      expect(h.label).not.toBe("?");
    }
  });

  it("puts the model's parameter count on its class line", async () => {
    const lenses = (await client.codeLenses(net.uri)) ?? [];
    expect(lenses).toHaveLength(1);
    expect(lenses[0].range.start.line).toBe(positionOf(buggy, "class Net").line);
    expect(lenses[0].command?.title).toMatch(/^Net: 18,090 params · \[4, 3, 28, 28\] → /);
  });

  it("clears the diagnostic after the edit that fixes the input, and the shapes follow", async () => {
    const at = positionOf(buggy, "input=4,3,28,28", "input=4,3,".length);
    await client.change(net.uri, 2, [{ range: { start: at, end: { line: at.line, character: at.character + 5 } }, text: "32,32" }]);
    const published = await client.waitForDiagnostics(net.uri, (p) => p.version === 2);
    expect(published.diagnostics).toEqual([]);
    const fc1 = markdownOf(await client.hover(net.uri, positionOf(fixed, "self.fc1(x)", 6)));
    expect(fc1).toContain("`[4, 512]` → `[4, 32]`");
    const hints = (await client.inlayHints(net.uri, lineCount)) ?? [];
    expect(hints.find((h) => h.position.line === positionOf(fixed, "x = self.fc2").line)?.label).toBe("[4, 2]");
  });

  it("analyses a burst of edits once, after the last", async () => {
    const at = positionOf(fixed, "input=4,3,32,32", "input=4,3,".length);
    const edit = (text: string) => [{ range: { start: at, end: { line: at.line, character: at.character + 5 } }, text }];
    await client.change(net.uri, 3, edit("28,28"));
    await client.change(net.uri, 4, edit("30,30"));
    await client.change(net.uri, 5, edit("32,32"));
    const published = await client.waitForDiagnostics(net.uri, (p) => p.version === 5);
    expect(published.diagnostics).toEqual([]);
    expect(client.published.filter((p) => p.uri === net.uri && (p.version === 3 || p.version === 4))).toEqual([]);
  });

  it("honours `# torchshape: ignore[code]` on the diagnostic's line, as check does", async () => {
    const text = buggy.replace("x = x.view(-1, 8 * 8 * 8)", "x = x.view(-1, 8 * 8 * 8)  # torchshape: ignore[view-size]");
    const doc = writeDoc(dir, "suppressed.py", text);
    await client.open(doc.uri, text);
    expect((await client.waitForDiagnostics(doc.uri)).diagnostics).toEqual([]);
    expect(checkPaths([doc.file]).diagnostics).toEqual([]);
  });

  it("keeps dimensions symbolic when nothing gives an input", async () => {
    const doc = writeDoc(dir, "symbolic.py", symbolic);
    await client.open(doc.uri, symbolic);
    await client.waitForDiagnostics(doc.uri);
    const hints = (await client.inlayHints(doc.uri, lineCount)) ?? [];
    expect(hints.find((h) => h.position.line === positionOf(symbolic, "x = self.pool1").line)?.label).toBe("[N, 16, H // 2, W // 2]");
  });

  it("survives a file it cannot analyse: no diagnostics, and it goes on serving", async () => {
    const broken = "import torch.nn as nn\nclass Net(nn.Module:\n    pass\n";
    const doc = writeDoc(dir, "broken.py", broken);
    await client.open(doc.uri, broken);
    expect((await client.waitForDiagnostics(doc.uri)).diagnostics).toEqual([]);
    expect(await client.hover(doc.uri, { line: 1, character: 7 })).toBeNull();
    expect(markdownOf(await client.hover(net.uri, positionOf(fixed, "self.fc1(x)", 6)))).toContain("Linear");
  });
});

describe("torchshape lsp with settings", () => {
  const dir = tempDir();
  let client: LspTestClient;

  beforeAll(async () => {
    ({ client } = await LspTestClient.start({ rootDir: dir, initializationOptions: { input: ["2,3,32,32"] }, configuration: { input: ["3,3,32,32"], searchPaths: [] } }));
  }, 30_000);
  afterAll(async () => {
    expect(await client?.stop()).toBe(0);
  }, 30_000);

  it("asks for the torchshape section and uses its input for a model without one", async () => {
    const doc = writeDoc(dir, "plain.py", symbolic);
    await expect.poll(() => client.configurationRequests.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await client.open(doc.uri, symbolic);
    await client.waitForDiagnostics(doc.uri);
    const lenses = (await client.codeLenses(doc.uri)) ?? [];
    expect(lenses[0]?.command?.title).toBe("Net: 18,090 params · [3, 3, 32, 32] → [3, 2]");
  });

  it("leaves a model's own input comment in charge", async () => {
    const doc = writeDoc(dir, "commented.py", buggy);
    await client.open(doc.uri, buggy);
    const published = await client.waitForDiagnostics(doc.uri);
    expect(published.diagnostics.map((d) => d.code)).toEqual(["view-size"]);
    const x = markdownOf(await client.hover(doc.uri, positionOf(buggy, "def forward(self, x)", 18)));
    expect(x).toBe("**x** (input): `[4, 3, 28, 28]`");
  });
});

describe("torchshape lsp with initializationOptions only", () => {
  it("uses initializationOptions.input, then what didChangeConfiguration pushes, when the client has no workspace configuration", async () => {
    const dir = tempDir();
    const { client } = await LspTestClient.start({ rootDir: dir, initializationOptions: { torchshape: { input: "2,3,32,32" } } });
    try {
      const doc = writeDoc(dir, "plain.py", symbolic);
      await client.open(doc.uri, symbolic);
      await client.waitForDiagnostics(doc.uri);
      const hints = (await client.inlayHints(doc.uri, lineCount)) ?? [];
      expect(hints.find((h) => h.position.line === positionOf(symbolic, "x = self.pool1").line)?.label).toBe("[2, 16, 16, 16]");
      // settings pushed with didChangeConfiguration: the open document is analysed again
      const before = client.published.filter((p) => p.uri === doc.uri).length;
      await client.changeConfiguration({ torchshape: { input: ["5,3,32,32"] } });
      await client.waitForDiagnostics(doc.uri, () => client.published.filter((p) => p.uri === doc.uri).length > before);
      const after = (await client.inlayHints(doc.uri, lineCount)) ?? [];
      expect(after.find((h) => h.position.line === positionOf(symbolic, "x = self.pool1").line)?.label).toBe("[5, 16, 16, 16]");
    } finally {
      expect(await client.stop()).toBe(0);
    }
  });
});

describe("torchshape lsp with per-model inputs", () => {
  it("answers torchshape/modelSummary (Show Summary) with the model under the cursor, as the settings and the unsaved text make it", async () => {
    const dir = tempDir();
    const { client } = await LspTestClient.start({ rootDir: dir, initializationOptions: { inputs: { Net: ["6,3,32,32"] } } });
    try {
      // a second class below Net: the cursor in it summarises it, the cursor in Net summarises Net
      const tiny = "\n\nclass Tiny(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 3)\n\n    def forward(self, x):\n        return self.fc(x)\n";
      const text = `${symbolic}${tiny}`;
      const doc = writeDoc(dir, "two.py", text);
      await client.open(doc.uri, text);
      await client.waitForDiagnostics(doc.uri);
      const summary = (line: number) => client.connection.sendRequest("torchshape/modelSummary", { uri: doc.uri, position: { line, character: 4 } }) as Promise<{ model?: string; markdown: string }>;
      const lines = text.split("\n");
      const inNet = await summary(lines.findIndex((l) => l.includes("self.fc2 = ")));
      expect(inNet.model).toBe("Net");
      // the per-model input of the settings, which the command line's summary of the saved file would not know
      expect(inNet.markdown).toContain("| conv1 | Conv2d | 448 | [6, 3, 32, 32] → [6, 16, 32, 32] |");
      expect(inNet.markdown).toContain("| fc2 | Linear | 66 | [6, 32] → [6, 2] |");
      expect(inNet.markdown).toContain("Total: 18,090 parameters");
      const inTiny = await summary(lines.findIndex((l) => l.includes("return self.fc(x)")));
      expect(inTiny.model).toBe("Tiny");
      expect(inTiny.markdown).toContain("Total: 15 parameters");
      // an unsaved edit counts: fc = nn.Linear(4, 5) has 25 parameters
      const edited = text.replace("nn.Linear(4, 3)", "nn.Linear(4, 5)");
      await client.change(doc.uri, 2, [{ text: edited }]);
      expect((await summary(lines.findIndex((l) => l.includes("return self.fc(x)")))).markdown).toContain("Total: 25 parameters");
      // a document the server does not have: no answer, and the command falls back to the command line
      expect(await client.connection.sendRequest("torchshape/modelSummary", { uri: pathToFileURL(join(dir, "closed.py")).href, position: { line: 0, character: 0 } })).toBeNull();
    } finally {
      expect(await client.stop()).toBe(0);
    }
  });

  it("uses inputs[model] (as [tool.torchshape.inputs] gives them) over the input for any model", async () => {
    const dir = tempDir();
    const { client } = await LspTestClient.start({ rootDir: dir, initializationOptions: { input: ["2,3,32,32"], inputs: { Net: ["6,3,32,32"], Other: ["not a shape"] } } });
    try {
      const doc = writeDoc(dir, "plain.py", symbolic);
      await client.open(doc.uri, symbolic);
      await client.waitForDiagnostics(doc.uri);
      const lenses = (await client.codeLenses(doc.uri)) ?? [];
      expect(lenses[0]?.command?.title).toBe("Net: 18,090 params · [6, 3, 32, 32] → [6, 2]");
    } finally {
      expect(await client.stop()).toBe(0);
    }
  });
});
