// A summary's output kept and printed again (src/cli/runReplay.ts, src/cli/recordedRun.ts):
// byte for byte what an analysis prints, and never once anything it looked at has
// changed: the file, an import, a module created where an import looked, the project's
// pyproject.toml, the environment. A kept output is proved to be what a run printed by
// rewriting it in place: a run that prints the rewritten text replayed it.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { shortHash } from "../src/environment/shortHash.js";

const root = join(import.meta.dirname, "..");
const bin = join(root, "bin", "torchshape.cjs");
const rewritten = "REWRITTEN IN THE KEPT OUTPUT\n";

/** PATH gives the system's python3: a version manager's shim on PATH can be rewritten (pyenv rehash) by another test's Python, which changes the environment found. */
function run(cacheHome: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8", timeout: 60_000, env: { ...process.env, PATH: "/usr/bin:/bin", XDG_CACHE_HOME: cacheHome, TORCHSHAPE_NO_CACHE: "", TORCHSHAPE_NO_REPLAY: "", ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const keptFiles = (cacheHome: string): string[] => {
  try {
    return readdirSync(join(cacheHome, "torchshape", "runs")).filter((f) => f.endsWith(".json"));
  } catch {
    return [];
  }
};

/** Rewrites every kept output's stdout, with the hash of its new text, as if an earlier run had printed that. */
function rewriteKept(cacheHome: string): void {
  for (const name of keptFiles(cacheHome)) {
    const file = join(cacheHome, "torchshape", "runs", name);
    const entry = JSON.parse(readFileSync(file, "utf8").slice(16)) as { held: [string, string][] };
    entry.held = [["stdout", rewritten]];
    const payload = JSON.stringify(entry);
    writeFileSync(file, shortHash(payload) + payload);
  }
}

/** A model in main.py whose width comes from a library module beside it, and its outputs from an optional module; and a file that does not parse. */
function project(): { dir: string; main: string; lib: string; broken: string } {
  const dir = mkdtempSync(join(tmpdir(), "torchshape-replay-"));
  mkdirSync(join(dir, "mylib"));
  writeFileSync(join(dir, "mylib", "__init__.py"), "");
  const lib = join(dir, "mylib", "blocks.py");
  writeFileSync(lib, "import torch.nn as nn\n\nWIDTH = 4\n\n\ndef block(c):\n    return nn.Linear(c, WIDTH)\n");
  const main = join(dir, "main.py");
  writeFileSync(
    main,
    "import torch.nn as nn\nfrom mylib.blocks import WIDTH, block\n\ntry:\n    from extra import EXTRA\nexcept ImportError:\n    EXTRA = 3\n\n\n# torchshape: input=2,8\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = block(8)\n        self.out = nn.Linear(WIDTH, EXTRA)\n\n    def forward(self, x):\n        return self.out(self.fc(x))\n",
  );
  const broken = join(dir, "broken.py");
  writeFileSync(broken, "def (:\n");
  return { dir, main, lib, broken };
}

/**
 * Files are trusted to show a later change only once they are two seconds old (recordedRun.ts): the projects are made
 * first, and so are cache folders holding the interpreter's sys.path answer, which a run writes when it is missing.
 */
const projects: ReturnType<typeof project>[] = [];
const homes: string[] = [];
beforeAll(async () => {
  for (let i = 0; i < 8; i++) projects.push(project());
  for (let i = 0; i < 10; i++) {
    homes.push(mkdtempSync(join(tmpdir(), "torchshape-replay-home-")));
    expect(run(homes[i], ["check", projects[7].lib]).code).toBe(0);
  }
  await new Promise((r) => setTimeout(r, 2200));
});

let homesTaken = 0;

/** A cache folder where a first run's output is kept. */
function keptAfterOneRun(args: string[]) {
  const home = homes[homesTaken++]!;
  const first = run(home, args);
  expect(keptFiles(home)).toHaveLength(1);
  return { home, first };
}

describe("a summary's kept output", () => {
  it("is printed again byte for byte, with its status, for a model with imports and one with a shape error", () => {
    for (const args of [[projects[0].main], [projects[0].main, "--format", "json"], [join(root, "fixtures", "buggy", "annotated_cat.py")]]) {
      const { home, first } = keptAfterOneRun(args);
      const analysed = run(home, [...args, "--no-cache"]);
      expect(first).toEqual(analysed);
      expect(run(home, args)).toEqual(analysed);
      rewriteKept(home);
      expect(run(home, args)).toEqual({ ...analysed, stdout: rewritten, stderr: "" });
    }
    expect(run(mkdtempSync(join(tmpdir(), "torchshape-replay-home-")), [join(root, "fixtures", "buggy", "annotated_cat.py")]).code).toBe(1);
  });

  it("is not replayed once the file, an import, a module where an import looked, or the project's pyproject.toml changes", () => {
    // Linear(8, WIDTH) then Linear(WIDTH, EXTRA): 51 parameters as made
    const changes: [string, (p: ReturnType<typeof project>) => void, number][] = [
      ["the file", (p) => writeFileSync(p.main, readFileSync(p.main, "utf8").replace("EXTRA = 3", "EXTRA = 5")), 61],
      ["an import, the same size", (p) => writeFileSync(p.lib, readFileSync(p.lib, "utf8").replace("WIDTH = 4", "WIDTH = 6")), 75],
      ["a module created where an import looked", (p) => writeFileSync(join(p.dir, "extra.py"), "EXTRA = 7\n"), 71],
      ["pyproject.toml created", (p) => writeFileSync(join(p.dir, "pyproject.toml"), "[tool.torchshape]\n"), 51],
    ];
    changes.forEach(([what, change, params], i) => {
      const p = projects[1 + i];
      const args = [p.main, "--format", "json"];
      const { home, first } = keptAfterOneRun(args);
      expect(JSON.parse(first.stdout).models[0].total_params, what).toBe(51);
      rewriteKept(home);
      change(p);
      const after = run(home, args);
      expect(after.stdout, what).not.toBe(rewritten);
      expect(JSON.parse(after.stdout).models[0].total_params, what).toBe(params);
      expect(after).toEqual(run(home, [...args, "--no-cache"]));
    });
  });

  it("is not replayed in another environment, with --no-cache or TORCHSHAPE_NO_REPLAY, nor from a corrupt entry", () => {
    const args = [projects[5].main];
    const { home, first } = keptAfterOneRun(args);
    // the runs in another environment below may keep entries of their own
    const [kept] = keptFiles(home);
    rewriteKept(home);
    expect(run(home, args).stdout).toBe(rewritten);
    expect(run(home, args, { PYTHONPATH: "/nowhere" })).toEqual(first);
    expect(run(home, args, { TORCHSHAPE_NO_REPLAY: "1" })).toEqual(first);
    expect(run(home, [...args, "--no-cache"])).toEqual(first);
    const file = join(home, "torchshape", "runs", kept!);
    writeFileSync(file, readFileSync(file, "utf8").replace(rewritten.trim(), "REWRITTEN WITHOUT A NEW HASH"));
    expect(run(home, args)).toEqual(first);
    // the corrupt entry was written anew
    expect(readFileSync(file, "utf8")).not.toContain("REWRITTEN");
  });

  it("is kept only for a summary that ended with status 0 or 1 and read nothing changed in the last two seconds", () => {
    const home = homes[homesTaken++]!;
    const p = projects[6];
    for (let i = 0; i < 2; i++) {
      expect(run(home, ["check", p.dir]).code).toBe(0);
      expect(run(home, ["graph", p.main, "--format", "dot"]).code).toBe(0);
      expect(run(home, [p.broken]).code).toBe(2);
      expect(run(home, [p.main, "--no-cache"]).code).toBe(0);
    }
    expect(keptFiles(home)).toEqual([]);
    const fresh = project();
    for (let i = 0; i < 2; i++) expect(run(home, [fresh.main]).code).toBe(0);
    expect(keptFiles(home)).toEqual([]);
  });
});
