// How the CLI starts (bin/): the bundle compiled from V8's code cache, and the run
// on the main thread, redone on a large-stack worker only when the stack runs out.
// A cache never changes a result: a corrupt one is rejected and written anew.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const bin = join(root, "bin", "torchshape.cjs");
const article = join(root, "fixtures", "models", "article_net.py");

function run(cacheHome: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8", timeout: 60_000, env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const codeCacheFiles = (cacheHome: string) => readdirSync(join(cacheHome, "torchshape", "code")).filter((f) => f.endsWith(".v8"));

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
