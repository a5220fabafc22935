// The package as people who never clone the repository get it: `npm pack` of this
// work tree installed into an empty folder (from npm's local cache only, as the
// pre-commit test does: .ci/run puts the runtime dependencies there), then
// `npx torchshape` on the article from that folder, and `torchshape mcp` from there
// (the MCP SDK is a devDependency, bundled into dist/mcpSdk.cjs: nothing to install).
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const offline: NodeJS.ProcessEnv = { ...process.env, npm_config_offline: "true", npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" };

function run(cmd: string, args: readonly string[], cwd: string, timeout: number) {
  const r = spawnSync(cmd, args, { cwd, env: offline, encoding: "utf8", timeout, killSignal: "SIGKILL" });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}`, stdout: r.stdout };
}

describe("npm pack", () => {
  it("installs into an empty folder and `npx torchshape` summarises the article from there", async () => {
    const work = mkdtempSync(join(tmpdir(), "torchshape-pack-"));
    // dist/ is built already (npm test builds first): the tarball takes it as it is
    const packed = run("npm", ["pack", "--ignore-scripts", "--pack-destination", work], root, 120_000);
    expect(packed.code, packed.out).toBe(0);
    const tarball = readdirSync(work).find((f) => /^torchshape-.+\.tgz$/.test(f));
    expect(tarball, packed.out).toBeDefined();

    const project = join(work, "project");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), '{ "name": "uses-torchshape", "private": true }\n');
    const installed = run("npm", ["install", join(work, tarball!)], project, 480_000);
    expect(installed.code, installed.out).toBe(0);
    expect(existsSync(join(project, "node_modules", ".bin", "torchshape"))).toBe(true);

    copyFileSync(join(root, "fixtures", "models", "article_net.py"), join(project, "net.py"));
    const summary = run("npx", ["--offline", "torchshape", "net.py", "--format", "json"], project, 60_000);
    expect(summary.code, summary.out).toBe(0);
    const model = JSON.parse(summary.stdout).models[0];
    expect(model.layers.map((l: { name: string; params: number }) => `${l.name} ${l.params}`)).toEqual(["conv1 448", "act1 0", "pool1 0", "conv2 1160", "act2 0", "pool2 0", "fc1 16416", "act3 0", "fc2 66"]);
    expect(model.total_params).toBe(18090);

    // the installed package has no node_modules of the SDK: its own bundle must serve
    expect(existsSync(join(project, "node_modules", "@modelcontextprotocol"))).toBe(false);
    const client = new Client({ name: "pack-test", version: "1.0.0" });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [join(project, "node_modules", "torchshape", "bin", "torchshape.cjs"), "mcp"], cwd: project, stderr: "pipe" }));
    try {
      const result = (await client.callTool({ name: "summarize", arguments: { file: "net.py" } })) as { isError?: boolean; content: { text: string }[] };
      expect(result.isError, result.content[0]?.text).toBeFalsy();
      expect(JSON.parse(result.content[1].text).models[0].total_params).toBe(18090);
    } finally {
      await client.close();
    }
  }, 600_000);
});
