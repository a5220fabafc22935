// The syntax cache (src/analysis/syntaxCache.ts): a changed file is read again, a
// corrupt entry is ignored and rebuilt, --no-cache stores nothing, and what comes
// from the cache analyses as what was read afresh.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const bin = join(root, "bin", "torchshape.cjs");

/** Each run analyses: a summary's kept output is never replayed here (src/cli/runReplay.ts). */
function run(cacheHome: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args, "--format", "json"], { cwd: root, encoding: "utf8", timeout: 60_000, env: { ...process.env, XDG_CACHE_HOME: cacheHome, TORCHSHAPE_NO_CACHE: "", TORCHSHAPE_NO_REPLAY: "1" } });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { models: { name: string; total_params: number; output_shape: number[]; layers: { name: string; params: number }[] }[] };
}

const entries = (cacheHome: string) => {
  try {
    return readdirSync(join(cacheHome, "torchshape", "syntax")).filter((f) => f.endsWith(".json")).sort();
  } catch {
    return [];
  }
};

/** A model in main.py built from a library module beside it, whose width decides the parameters. */
function project(width: number): { dir: string; main: string; lib: string } {
  const dir = mkdtempSync(join(tmpdir(), "torchshape-syntax-cache-"));
  mkdirSync(join(dir, "mylib"));
  writeFileSync(join(dir, "mylib", "__init__.py"), "");
  const lib = join(dir, "mylib", "blocks.py");
  writeFileSync(lib, `import torch.nn as nn\n\nWIDTH = ${width}\n\n\ndef block(c):\n    return nn.Linear(c, WIDTH)\n`);
  const main = join(dir, "main.py");
  writeFileSync(main, "import torch.nn as nn\nfrom mylib.blocks import block\n\n\n# torchshape: input=2,8\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = block(8)\n\n    def forward(self, x):\n        return self.fc(x)\n");
  return { dir, main, lib };
}

describe("the syntax cache", () => {
  it("stores the analysed file and its imports, and gives the same result from them", () => {
    const home = mkdtempSync(join(tmpdir(), "torchshape-cache-home-"));
    const { main } = project(4);
    const first = run(home, main);
    expect(entries(home).map((e) => e.replace(/-[0-9a-f]{16}-/, "-#-"))).toEqual(["blocks.py-#-imported.json", "main.py-#-analysed.json"]);
    const second = run(home, main);
    expect(second).toEqual(first);
    expect(first.models[0].total_params).toBe(8 * 4 + 4);
  });

  it("reads a changed library file again: no stale result, even when its size stays the same", () => {
    const home = mkdtempSync(join(tmpdir(), "torchshape-cache-home-"));
    const { main, lib } = project(4);
    expect(run(home, main).models[0].output_shape).toEqual([2, 4]);
    // same size, another width and a later mtime
    writeFileSync(lib, readFileSync(lib, "utf8").replace("WIDTH = 4", "WIDTH = 6"));
    const later = new Date(statSync(lib).mtimeMs + 5000);
    utimesSync(lib, later, later);
    const changed = run(home, main);
    expect(changed.models[0].output_shape).toEqual([2, 6]);
    expect(changed.models[0].total_params).toBe(8 * 6 + 6);
  });

  it("ignores a corrupt or foreign entry and writes it anew", () => {
    const home = mkdtempSync(join(tmpdir(), "torchshape-cache-home-"));
    const { main, lib } = project(5);
    const fresh = run(home, main);
    const dir = join(home, "torchshape", "syntax");
    const stored = entries(home);
    const [library, analysed] = stored;
    writeFileSync(join(dir, library), "{ not json");
    // valid JSON, another file's key
    writeFileSync(join(dir, analysed), JSON.stringify({ key: { path: "/elsewhere.py", use: "analysed", size: 1, mtimeMs: 1, converter: "x" }, lineCount: 1, comments: [], body: [] }));
    expect(run(home, main)).toEqual(fresh);
    expect(entries(home)).toEqual(stored);
    // written anew, for the files they belong to
    expect(stored.map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")).key.path as string)).toEqual([lib, main]);
    // cut short, as a write that never finished would be (never seen: writes are renamed into place)
    for (const f of stored) writeFileSync(join(dir, f), readFileSync(join(dir, f), "utf8").slice(0, 80));
    expect(run(home, main)).toEqual(fresh);
  });

  it("keeps a file whose syntax holds a word null, and refuses one holding a number JSON cannot (1e999): same result both runs", () => {
    const home = mkdtempSync(join(tmpdir(), "torchshape-cache-home-"));
    const dir = mkdtempSync(join(tmpdir(), "torchshape-syntax-cache-"));
    const model = (width: string) =>
      `import math\nimport torch.nn as nn\n\nnull = 2\nBIG = ${width}\n\n\n# torchshape: input=2,8\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 4 if math.isinf(BIG) else 5)\n        self.out = nn.Linear(self.fc.out_features, null)\n\n    def forward(self, x):\n        return self.out(self.fc(x))\n`;
    writeFileSync(join(dir, "words.py"), model("1e300"));
    writeFileSync(join(dir, "infinite.py"), model("1e999"));
    const runs = [0, 1].map(() => [run(home, join(dir, "words.py")), run(home, join(dir, "infinite.py"))].map((r) => r.models[0].total_params));
    // Linear(8, 5) then Linear(5, 2); Linear(8, 4) then Linear(4, 2)
    expect(runs).toEqual([
      [57, 46],
      [57, 46],
    ]);
    expect(entries(home).map((e) => e.replace(/-[0-9a-f]{16}-/, "-#-"))).toEqual(["words.py-#-analysed.json"]);
  });

  it("--no-cache reads and writes nothing", () => {
    const home = mkdtempSync(join(tmpdir(), "torchshape-cache-home-"));
    const { main } = project(3);
    expect(run(home, main, "--no-cache").models[0].output_shape).toEqual([2, 3]);
    expect(entries(home)).toEqual([]);
  });

  it("keeps a syntax error the analysed file's error, cached or not", () => {
    const home = mkdtempSync(join(tmpdir(), "torchshape-cache-home-"));
    const dir = mkdtempSync(join(tmpdir(), "torchshape-syntax-cache-"));
    const file = join(dir, "broken.py");
    writeFileSync(file, "import torch.nn as nn\nclass Net(nn.Module):\n    def forward(self, x:\n        return x\n");
    for (let i = 0; i < 2; i++) {
      const r = spawnSync(process.execPath, [bin, file], { cwd: root, encoding: "utf8", env: { ...process.env, XDG_CACHE_HOME: home } });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/broken\.py:\d+:\d+: syntax error/);
    }
  });
});
