// How the CLI starts (bin/): the bundle compiled from V8's code cache (the one the
// build keeps beside the bundle, else the user's), and the run on the main thread,
// redone on a large-stack worker only when the stack runs out. A cache never changes
// a result: a corrupt one is rejected and written anew.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { LspTestClient } from "./lsp/client.js";

const root = join(import.meta.dirname, "..");
const bin = join(root, "bin", "torchshape.cjs");
const article = join(root, "fixtures", "models", "article_net.py");

/** A run as an installation without the code cache its build made would start, so that the user's is written. */
function run(cacheHome: string, ...args: string[]) {
  return runWith({ XDG_CACHE_HOME: cacheHome, TORCHSHAPE_IGNORE_INSTALLED_CODE_CACHE: "1" }, [], args);
}

/** Each run loads the bundle: a summary's kept output is never replayed here (src/cli/runReplay.ts). */
function runWith(env: Record<string, string>, nodeFlags: string[], args: string[]) {
  const r = spawnSync(process.execPath, [...nodeFlags, bin, ...args], { cwd: root, encoding: "utf8", timeout: 60_000, env: { ...process.env, TORCHSHAPE_NO_REPLAY: "1", ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const codeCacheFiles = (cacheHome: string) => readdirSync(join(cacheHome, "torchshape", "code")).filter((f) => f.endsWith(".v8"));

describe("the code cache the build keeps beside the bundle", () => {
  const installed = () => readdirSync(join(root, "dist")).filter((f) => f.endsWith(".v8"));

  it("is there for this node, and a run from an empty cache folder starts from it, writing no code cache of its own", () => {
    expect(installed()).toEqual([expect.stringMatching(new RegExp(`^torchshape\\.cjs-[0-9a-f]{16}-\\d+-${process.version.replace(/\./g, "\\.")}\\.v8$`))]);
    const home = mkdtempSync(join(tmpdir(), "torchshape-code-cache-"));
    const fromInstalled = runWith({ XDG_CACHE_HOME: home }, [], [article, "--format", "json"]);
    expect(fromInstalled.code).toBe(0);
    // V8 accepted it: a rejected cache is written anew in the user's folder
    expect(existsSync(join(home, "torchshape", "code"))).toBe(false);
    expect(fromInstalled).toEqual(run(mkdtempSync(join(tmpdir(), "torchshape-code-cache-")), article, "--format", "json"));
  });

  it("turned down by V8 (other flags), the run's own is written in the user's folder and read from then on", () => {
    const home = mkdtempSync(join(tmpdir(), "torchshape-code-cache-"));
    const flags = ["--max-old-space-size=3000"];
    const first = runWith({ XDG_CACHE_HOME: home }, flags, [article, "--format", "json"]);
    expect(first.code).toBe(0);
    const [own] = codeCacheFiles(home);
    expect(own).toMatch(/^torchshape\.cjs-[0-9a-f]{8}-[0-9a-f]{16}-\d+-v[\d.]+\.v8$/);
    const written = readFileSync(join(home, "torchshape", "code", own));
    const writtenAt = statSync(join(home, "torchshape", "code", own)).mtimeMs;
    // read before the installation's, and accepted: not written again
    expect(runWith({ XDG_CACHE_HOME: home }, flags, [article, "--format", "json"])).toEqual(first);
    expect(statSync(join(home, "torchshape", "code", own)).mtimeMs).toBe(writtenAt);
    expect(readFileSync(join(home, "torchshape", "code", own)).equals(written)).toBe(true);
    expect(installed()).toHaveLength(1);
  });
});

describe("the V8 code cache of the CLI bundle", () => {
  it("is written by a first run, and runs from it or from a corrupt copy give the same output", () => {
    const home = mkdtempSync(join(tmpdir(), "torchshape-code-cache-"));
    const first = run(home, article, "--format", "json");
    expect(first.code).toBe(0);
    const [cacheFile] = codeCacheFiles(home);
    expect(cacheFile).toMatch(/^torchshape\.cjs-[0-9a-f]{8}-[0-9a-f]{16}-\d+-v[\d.]+\.v8$/);
    const written = readFileSync(join(home, "torchshape", "code", cacheFile));
    expect(written.length).toBeGreaterThan(10_000);

    const second = run(home, article, "--format", "json");
    expect(second).toEqual(first);

    const garbage = Buffer.from("not V8's cached data ".repeat(100));
    writeFileSync(join(home, "torchshape", "code", cacheFile), garbage);
    const third = run(home, article, "--format", "json");
    expect(third).toEqual(first);
    // rejected by V8, then written anew
    expect(codeCacheFiles(home)).toEqual([cacheFile]);
    expect(readFileSync(join(home, "torchshape", "code", cacheFile)).equals(garbage)).toBe(false);
  });

  it("a cache folder that cannot be written costs nothing but speed", () => {
    const notAFolder = join(mkdtempSync(join(tmpdir(), "torchshape-code-cache-")), "file");
    writeFileSync(notAFolder, "");
    const r = run(notAFolder, article, "--format", "json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).models[0].total_params).toBe(18090);
  });
});

describe("the language server's code cache", () => {
  it("is its own, written after its first analysis, and the summary's stays beside it", async () => {
    const home = mkdtempSync(join(tmpdir(), "torchshape-code-cache-"));
    expect(run(home, article, "--format", "json").code).toBe(0);
    const [summaryCache] = codeCacheFiles(home);
    const serve = async (beforeOpen: () => void = () => {}) => {
      const { client } = await LspTestClient.start({ rootDir: root, env: { ...process.env, XDG_CACHE_HOME: home } });
      beforeOpen();
      const uri = pathToFileURL(article).href;
      await client.open(uri, readFileSync(article, "utf8"));
      const published = await client.waitForDiagnostics(uri);
      expect(await client.stop()).toBe(0);
      return published.diagnostics;
    };
    // started, not yet written: the analysis is what the cache is for
    const first = await serve(() => expect(codeCacheFiles(home)).toEqual([summaryCache]));
    const written = codeCacheFiles(home);
    expect(written).toHaveLength(2);
    expect(written).toContain(summaryCache);
    expect(written.find((f) => f !== summaryCache)).toMatch(/^torchshape\.cjs\.lsp-[0-9a-f]{8}-[0-9a-f]{16}-\d+-v[\d.]+\.v8$/);
    // a server started from it publishes the same, and a summary run after it leaves it in place
    expect(await serve()).toEqual(first);
    expect(run(home, article, "--format", "json").code).toBe(0);
    expect(codeCacheFiles(home).sort()).toEqual(written.sort());
  }, 60_000);
});

describe("one bundle for the summary and the language server", () => {
  it("the server reads the syntax trees a summary stored, without converting them again", async () => {
    const home = mkdtempSync(join(tmpdir(), "torchshape-shared-syntax-"));
    const dir = mkdtempSync(join(tmpdir(), "torchshape-shared-syntax-"));
    writeFileSync(join(dir, "blocks.py"), "import torch.nn as nn\n\n\nclass Block(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 8)\n\n    def forward(self, x):\n        return self.fc(x)\n");
    const main = join(dir, "net.py");
    const text = "import torch.nn as nn\nfrom blocks import Block\n\n\n# torchshape: input=2,8\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.block = Block()\n\n    def forward(self, x):\n        return self.block(x)\n";
    writeFileSync(main, text);
    expect(run(home, main, "--format", "json").code).toBe(0);
    const syntaxDir = join(home, "torchshape", "syntax");
    const stored = readdirSync(syntaxDir).filter((f) => f.startsWith("blocks.py-"));
    expect(stored).toHaveLength(1);
    const before = statSync(join(syntaxDir, stored[0])).mtimeMs;

    const { client } = await LspTestClient.start({ rootDir: dir, env: { ...process.env, XDG_CACHE_HOME: home } });
    const uri = pathToFileURL(main).href;
    await client.open(uri, text);
    expect((await client.waitForDiagnostics(uri)).diagnostics).toEqual([]);
    expect(await client.stop()).toBe(0);
    // an entry is rewritten when the code that converts differs (src/analysis/syntaxCache.ts): the server's is the summary's
    expect(statSync(join(syntaxDir, stored[0])).mtimeMs).toBe(before);
  }, 60_000);
});

describe("what a summary loads of node", () => {
  it("none of node's modules that only check's workers and cache, and the servers, use (src/nodeOnDemand.ts)", () => {
    // the bundle as bin/torchshape.cjs runs it, then the list of node's own modules the process has loaded
    const script = `const cli = require(${JSON.stringify(join(root, "dist", "torchshape.cjs"))}); cli.main(process.argv.slice(1)); process.stderr.write(JSON.stringify(process.moduleLoadList));`;
    const r = spawnSync(process.execPath, ["-e", script, article, "--format", "json"], { cwd: root, encoding: "utf8", timeout: 60_000 });
    expect(JSON.parse(r.stdout).models[0].total_params).toBe(18090);
    const loaded = JSON.parse(r.stderr) as string[];
    expect(loaded).toContain("NativeModule fs");
    expect(loaded.filter((m) => /^NativeModule (v8|worker_threads|internal\/worker)$/.test(m))).toEqual([]);
  });
});

describe("the stack the analysis runs on", () => {
  it("recursion past the main thread's stack is redone on the large stack: nothing of the first try is printed", () => {
    const home = mkdtempSync(join(tmpdir(), "torchshape-stack-"));
    const r = run(home, "--torch-version", "2.1.0", join(root, "fixtures", "limits", "recursion.py"));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    // one table: the main thread's try (which ran out at a few hundred calls) printed nothing
    expect(r.stdout.match(/Total params/g)).toHaveLength(1);
    expect(r.stdout).toMatch(/recursion\.py:11: note: recursion deeper than 1000 calls \(Python's limit\) raised RecursionError/);
    expect(r.stdout).not.toMatch(/stack can follow/);
  });
});
