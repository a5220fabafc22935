// The VS Code extension (editors/vscode) is built by `npm test` (tsc -p editors/vscode)
// against the real vscode-languageclient and @types/vscode; VS Code itself is not here,
// so this checks what VS Code reads: the manifest, and the compiled entry point.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./client.js";

const extensionDir = join(repoRoot, "editors", "vscode");

interface Manifest {
  main: string;
  activationEvents: string[];
  engines: { vscode: string };
  contributes: { configuration: { properties: Record<string, { type: string; default: unknown }> } };
  dependencies: Record<string, string>;
}

describe("the VS Code extension", () => {
  const manifest = JSON.parse(readFileSync(join(extensionDir, "package.json"), "utf8")) as Manifest;
  const rootPackage = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { devDependencies: Record<string, string> };

  it("activates on Python and contributes the settings the server reads", () => {
    expect(manifest.activationEvents).toContain("onLanguage:python");
    const properties = manifest.contributes.configuration.properties;
    expect(properties["torchshape.input"]).toMatchObject({ type: "array", default: [] });
    expect(properties["torchshape.searchPaths"]).toMatchObject({ type: "array", default: [] });
  });

  it("contributes Show Graph, which opens the server's torchshape.graph HTML in a webview", () => {
    const commands = (manifest.contributes as unknown as { commands: { command: string; title: string }[] }).commands;
    expect(commands.find((c) => c.command === "torchshape.showGraph")?.title).toBe("Show Graph of the Model Under the Cursor");
    const compiled = readFileSync(join(extensionDir, "out", "graphCommand.js"), "utf8");
    expect(compiled).toContain('executeCommand("torchshape.graph"');
    expect(compiled).toContain("createWebviewPanel");
    expect(readFileSync(join(extensionDir, "out", "commands.js"), "utf8")).toContain('registerCommand("torchshape.showGraph"');
  });

  it("is compiled to its main entry, with the client the root builds it against", () => {
    const main = join(extensionDir, manifest.main);
    expect(existsSync(main), `${main} missing: npm test compiles it with tsc -p editors/vscode`).toBe(true);
    const compiled = readFileSync(main, "utf8");
    expect(compiled).toMatch(/exports\.activate = activate/);
    expect(compiled).toContain('args: ["lsp"]');
    expect(manifest.dependencies["vscode-languageclient"]).toBe(rootPackage.devDependencies["vscode-languageclient"]);
  });
});
