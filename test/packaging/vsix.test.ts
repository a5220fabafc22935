// `npm run package:vscode` (scripts/package_vscode.mjs) builds the .vsix; unpacked
// here (it is a zip), it has VS Code's manifest, the bundled entry point, and the
// language server with what it needs to run, which runs from the unpacked folder.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");

describe("the packaged VS Code extension", () => {
  it("is one .vsix with the manifest, the entry point and the language server", () => {
    const packed = spawnSync("npm", ["run", "--silent", "package:vscode"], { cwd: root, encoding: "utf8", timeout: 240_000 });
    expect(packed.status, `${packed.stdout}\n${packed.stderr}`).toBe(0);
    const vsix = packed.stdout.trim().split("\n").pop()!.split(" ")[0];
    expect(vsix).toMatch(/editors\/vscode\/torchshape-vscode-\d+\.\d+\.\d+\.vsix$/);
    const unpacked = mkdtempSync(join(tmpdir(), "torchshape-vsix-"));
    const unzip = spawnSync("unzip", ["-q", vsix, "-d", unpacked], { encoding: "utf8" });
    expect(unzip.status, unzip.stderr).toBe(0);

    // built for this machine's platform (tree-sitter's native addon is inside)
    expect(readFileSync(join(unpacked, "extension.vsixmanifest"), "utf8")).toContain(`TargetPlatform="${process.platform}-${process.arch}"`);
    const extension = join(unpacked, "extension");
    const manifest = JSON.parse(readFileSync(join(extension, "package.json"), "utf8"));
    expect(manifest.main).toBe("./out/extension.js");
    expect(manifest.activationEvents).toEqual(expect.arrayContaining(["onLanguage:python", "onNotebook:jupyter-notebook"]));
    expect(Object.keys(manifest.contributes.configuration.properties)).toEqual(expect.arrayContaining(["torchshape.input", "torchshape.inputs", "torchshape.python", "torchshape.searchPaths"]));
    expect(manifest.contributes.commands.map((c: { command: string }) => c.command)).toContain("torchshape.showSummary");

    // the entry point carries its client (no node_modules beside it) and looks for the bundled server
    const entry = readFileSync(join(extension, "out", "extension.js"), "utf8");
    expect(entry).toMatch(/exports, \{|module\.exports/);
    expect(entry).toContain("server/bin/torchshape.cjs");
    expect(entry).toContain("LanguageClient");
    expect(existsSync(join(extension, "node_modules"))).toBe(false);
    expect(existsSync(join(extension, "readme.md")), "vsce stores the README as readme.md").toBe(true);

    // the server, with its runtime dependencies, summarises the article from the unpacked folder
    for (const part of ["bin/torchshape.cjs", "dist/torchshape.cjs", "dist/lsp/server.js", "node_modules/tree-sitter", "node_modules/tree-sitter-python", "node_modules/vscode-languageserver", "node_modules/commander"]) expect(existsSync(join(extension, "server", part)), part).toBe(true);
    const run = spawnSync(process.execPath, [join(extension, "server", "bin", "torchshape.cjs"), join(root, "fixtures", "models", "article_net.py"), "--format", "json"], { encoding: "utf8", timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).models[0].total_params).toBe(18090);
  }, 300_000);
});
