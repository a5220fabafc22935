// workspace/executeCommand "torchshape.graph" over stdio: the graph of the model
// under the cursor as SVG or HTML, what the VS Code extension's Show Graph opens.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExecuteCommandRequest, type InitializeResult } from "vscode-languageserver-protocol/node";
import { XMLValidator } from "fast-xml-parser";
import { LspTestClient, positionOf, repoRoot } from "./client.js";

const unet = readFileSync(join(repoRoot, "fixtures", "models", "unet.py"), "utf8");

describe("torchshape lsp: the graph command", () => {
  const dir = mkdtempSync(join(tmpdir(), "torchshape-lsp-"));
  const file = join(dir, "unet.py");
  writeFileSync(file, unet);
  const uri = pathToFileURL(file).href;
  let client: LspTestClient;
  let initialized: InitializeResult;

  beforeAll(async () => {
    ({ client, initialized } = await LspTestClient.start({ rootDir: dir }));
    await client.open(uri, unet);
    await client.waitForDiagnostics(uri);
  }, 30_000);
  afterAll(async () => {
    expect(await client?.stop()).toBe(0);
  }, 30_000);

  const graph = (args: unknown) => client.connection.sendRequest(ExecuteCommandRequest.type, { command: "torchshape.graph", arguments: [args] }) as Promise<{ model: string; format: string; content: string }>;

  it("is offered as a command", () => {
    expect(initialized.capabilities.executeCommandProvider?.commands).toContain("torchshape.graph");
  });

  it("draws the model under the cursor as SVG", async () => {
    const inTiny = positionOf(unet, "e2 = self.enc2");
    const result = await graph({ uri, position: inTiny, format: "svg" });
    expect(result.model).toBe("TinyUNet");
    expect(result.format).toBe("svg");
    expect(XMLValidator.validate(result.content)).toBe(true);
    for (const name of ["enc1.double_conv.0: Conv2d(1→4, k3)", "head: Conv2d(4→1, k1)", "cat", "interpolate"]) expect(result.content).toContain(name);
    const inUnet = positionOf(unet, "x = self.up1(x4, x3)");
    expect((await graph({ uri, position: inUnet, format: "svg", depth: 1 })).model).toBe("UNet");
  });

  it("gives a self-contained HTML page by default, with the graph's data in it", async () => {
    const result = await graph({ uri, position: positionOf(unet, "e2 = self.enc2") });
    expect(result.format).toBe("html");
    expect(result.content.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(result.content).toContain('<script type="application/json" id="graph-data">');
    expect(result.content).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });

  it("answers bad arguments with an error and goes on serving", async () => {
    await expect(graph({ position: { line: 0, character: 0 } })).rejects.toThrow(/takes one argument/);
    await expect(graph({ uri, format: "png" })).rejects.toThrow(/format is "svg" or "html"/);
    await expect(graph({ uri: pathToFileURL(join(dir, "other.py")).href })).rejects.toThrow(/is not open/);
    expect((await graph({ uri, format: "svg" })).model).toBe("UNet");
  });
});
