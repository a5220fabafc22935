// Notebook document sync (LSP 3.17 notebookDocument/*) driven by the protocol client:
// the article as a notebook of three cells, its diagnostic and inlay hints sent to
// the cell they belong to, an edit of another cell clearing it, closing clearing all.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DidChangeNotebookDocumentNotification, DidCloseNotebookDocumentNotification, DidOpenNotebookDocumentNotification, ExecuteCommandRequest, NotebookCellKind } from "vscode-languageserver-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LspTestClient, positionOf, repoRoot } from "./client.js";

const notebookJson = JSON.parse(readFileSync(join(repoRoot, "fixtures", "notebooks", "article_net.ipynb"), "utf8")) as { cells: { source: string[] }[] };
const [imports, netClass, call] = notebookJson.cells.map((c) => c.source.join(""));
const call28 = call.replace("torch.randn(4, 3, 32, 32)", "torch.randn(4, 3, 28, 28)");
const notebookUri = pathToFileURL(join(repoRoot, "fixtures", "notebooks", "article_net_28.ipynb")).href;
const cellUris = [1, 2, 3].map((n) => `vscode-notebook-cell:${notebookUri.slice("file:".length)}#cell${n}`);

describe("torchshape lsp on a notebook", () => {
  let client: LspTestClient;
  let initialized: Awaited<ReturnType<typeof LspTestClient.start>>["initialized"];

  beforeAll(async () => {
    ({ client, initialized } = await LspTestClient.start({ rootDir: join(repoRoot, "fixtures", "notebooks"), initializationOptions: { torchVersion: "1.13" } }));
    await client.connection.sendNotification(DidOpenNotebookDocumentNotification.type, {
      notebookDocument: { uri: notebookUri, notebookType: "jupyter-notebook", version: 1, cells: cellUris.map((document) => ({ kind: NotebookCellKind.Code, document })) },
      cellTextDocuments: [imports, netClass, call28].map((text, i) => ({ uri: cellUris[i], languageId: "python", version: 1, text })),
    });
  }, 30_000);
  afterAll(async () => {
    expect(await client?.stop()).toBe(0);
  }, 30_000);

  it("advertises notebook sync for Jupyter's Python cells", () => {
    expect(initialized.capabilities.notebookDocumentSync).toEqual({ notebookSelector: [{ notebook: { notebookType: "jupyter-notebook" }, cells: [{ language: "python" }] }] });
  });

  it("sends the view's diagnostic to the class's cell, at the line in that cell, with the input from cell 3", async () => {
    const published = await client.waitForDiagnostics(cellUris[1], (p) => p.diagnostics.length > 0);
    const view = positionOf(netClass, "x.view(-1, 8 * 8 * 8)");
    expect(published.diagnostics).toHaveLength(1);
    expect(published.diagnostics[0]).toMatchObject({ code: "view-size", severity: 1, range: { start: view, end: { line: view.line, character: view.character + "x.view(-1, 8 * 8 * 8)".length } } });
    expect(published.diagnostics[0].message).toContain("392 = 8 × 7 × 7");
    const fc1 = positionOf(netClass, "nn.Linear(8 * 8 * 8, 32)");
    expect(published.diagnostics[0].relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line])).toContainEqual([cellUris[1], fc1.line]);
    for (const other of [cellUris[0], cellUris[2]]) expect((await client.waitForDiagnostics(other)).diagnostics).toEqual([]);
  });

  it("gives the class's cell its inlay hints, at the cell's lines", async () => {
    const hints = (await client.inlayHints(cellUris[1], netClass.split("\n").length)) ?? [];
    const pool1 = positionOf(netClass, "x = self.pool1");
    expect(hints.find((h) => h.position.line === pool1.line)?.label).toBe("[4, 16, 14, 14]");
    expect(await client.inlayHints(cellUris[2], 2)).toEqual([]);
  });

  it("draws the notebook's model for the graph command from a cell, with the red edge into view", async () => {
    const result = (await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: "torchshape.graph",
      arguments: [{ uri: cellUris[1], position: positionOf(netClass, "x = self.pool1"), format: "svg" }],
    })) as { model: string; content: string };
    expect(result.model).toBe("Net");
    expect(result.content).toContain("conv1: Conv2d(3→16, k3)");
    expect(result.content).toContain("[4, 8, 7, 7]");
    expect(result.content).toMatch(/class="edge error"/);
    const whole = (await client.connection.sendRequest(ExecuteCommandRequest.type, { command: "torchshape.graph", arguments: [{ uri: notebookUri, format: "svg" }] })) as { model: string };
    expect(whole.model).toBe("Net");
  });

  it("summarises the model of the class's cell for Show Summary (torchshape/modelSummary), with the input of cell 3", async () => {
    const answer = (await client.connection.sendRequest("torchshape/modelSummary", { uri: cellUris[1], position: positionOf(netClass, "x = self.pool1") })) as { model?: string; markdown: string };
    expect(answer.model).toBe("Net");
    expect(answer.markdown).toContain("| pool1 | MaxPool2d | 0 | [4, 16, 28, 28] → [4, 16, 14, 14] |");
  });

  it("clears the diagnostic when cell 3 is edited to 32 × 32, and everything when the notebook closes", async () => {
    const before = client.published.length;
    await client.connection.sendNotification(DidChangeNotebookDocumentNotification.type, {
      notebookDocument: { uri: notebookUri, version: 2 },
      change: { cells: { textContent: [{ document: { uri: cellUris[2], version: 2 }, changes: [{ text: call }] }] } },
    });
    const cleared = await client.waitForDiagnostics(cellUris[1], (p) => client.published.indexOf(p) >= before && p.diagnostics.length === 0);
    expect(cleared.diagnostics).toEqual([]);
    const open = client.published.length;
    await client.connection.sendNotification(DidCloseNotebookDocumentNotification.type, { notebookDocument: { uri: notebookUri }, cellTextDocuments: cellUris.map((uri) => ({ uri })) });
    const closed = await client.waitForDiagnostics(cellUris[1], (p) => client.published.indexOf(p) >= open && p.diagnostics.length === 0);
    expect(closed.diagnostics).toEqual([]);
  });
});
