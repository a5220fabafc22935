// The README's pictures are the tool's own output: the article's Mermaid block and
// docs/graph/resnet18.svg are what `torchshape graph` draws today.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { torchvisionFolder } from "../torchvisionSources.js";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "torchshape.cjs");

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the README's graph pictures", () => {
  it("the article's Mermaid block is what `torchshape graph` prints", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const block = /```mermaid\n([\s\S]*?)```/.exec(readme);
    expect(block).not.toBeNull();
    expect(block![1]).toBe(run("graph", "fixtures/models/article_net.py").stdout);
  });

  it("docs/graph/resnet18.svg is what `torchshape graph --format svg` draws for torchvision's resnet18", () => {
    const folder = torchvisionFolder();
    expect(folder, "torchvision's sources: install python3-torchvision or run scripts/torchvision_sources.sh").toBeDefined();
    const r = run("graph", join(folder!, "models", "resnet.py"), "--model", "resnet18()", "--input", "1,3,224,224", "--depth", "3", "--format", "svg");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(root, "docs", "graph", "resnet18.svg"), "utf8"));
  });
});
