// `check --jobs N`: the files analysed on worker threads give the serial run's
// output byte for byte (the coverage ledger's answers replayed in the checking
// order, a file whose answers differ analysed again), on torchvision's models and
// on fixtures/; the progress line shows on a terminal only.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CoverageLedger, type LedgerEvent } from "../../src/check/coverage.js";
import { torchvisionFolder } from "../torchvisionSources.js";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "torchshape.cjs");
const cacheHome = mkdtempSync(join(tmpdir(), "torchshape-parallel-"));

function check(args: string[], env: Record<string, string> = {}) {
  // no outcome stored by an earlier run (src/check/outcomeCache.ts): every file is analysed, on the workers asked for
  rmSync(join(cacheHome, "torchshape", "check"), { recursive: true, force: true });
  const r = spawnSync(process.execPath, [bin, "check", ...args], { cwd: root, encoding: "utf8", timeout: 600_000, env: { ...process.env, XDG_CACHE_HOME: cacheHome, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `jobs` of "default": no --jobs (src/check/workerCount.ts) */
function sameOutputAtEveryJobs(paths: string[], jobs: (number | "default")[]) {
  for (const format of ["json", "text"]) {
    const serial = check(["-f", format, "--jobs", "1", ...paths]);
    expect(serial.stderr).toBe("");
    for (const n of jobs) {
      const parallel = check(["-f", format, ...(n === "default" ? [] : ["--jobs", String(n)]), ...paths]);
      expect({ jobs: n, format, code: parallel.code, stderr: parallel.stderr }).toEqual({ jobs: n, format, code: serial.code, stderr: "" });
      expect(parallel.stdout === serial.stdout, `--jobs ${n} -f ${format} differs from --jobs 1`).toBe(true);
    }
  }
}

describe("check --jobs", () => {
  it("gives --jobs 1's output, byte for byte, on torchvision's models folder", () => {
    const torchvision = torchvisionFolder();
    expect(torchvision, "torchvision's Python sources were not found").toBeDefined();
    const models = join(torchvision!, "models");
    const serial = JSON.parse(check(["-f", "json", "--jobs", "1", models]).stdout);
    expect(serial.files.length).toBeGreaterThan(50);
    sameOutputAtEveryJobs([models], ["default", 3]);
  }, 900_000);

  it("gives --jobs 1's output, byte for byte, on fixtures/ (errors, skipped files, notes)", () => {
    const serial = check(["-f", "json", "--jobs", "1", "fixtures"]);
    expect(serial.code).toBe(1);
    expect(JSON.parse(serial.stdout).diagnostics.length).toBeGreaterThan(20);
    sameOutputAtEveryJobs(["fixtures"], [2, 4]);
  }, 900_000);

  it("a file whose ledger answers depend on an earlier file is analysed as the serial run does", () => {
    // app.py builds Net at its top level, so it is checked first, and Net holds blocks.py's Block: blocks.py's
    // Block is then analysed already, and not built again with its defaults; copy.py builds the same model again.
    // With three workers the three files are sent at once, on empty ledgers: blocks.py's and copy.py's answers are
    // not the run's, and both are analysed again on the main thread
    const dir = mkdtempSync(join(tmpdir(), "torchshape-ledger-"));
    writeFileSync(join(dir, "blocks.py"), "import torch.nn as nn\n\nclass Block(nn.Module):\n    def __init__(self, width=8):\n        super().__init__()\n        self.fc = nn.Linear(width, width)\n\n    def forward(self, x):\n        return self.fc(x)\n");
    const app = "import torch.nn as nn\nfrom blocks import Block\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.block = Block(16)\n\n    def forward(self, x):\n        return self.block(x)\n\nnet = Net()  # torchshape: input=2,16\n";
    writeFileSync(join(dir, "app.py"), app);
    writeFileSync(join(dir, "copy.py"), "from app import Net\n\nnet2 = Net()  # torchshape: input=2,16\n");
    const serial = check(["-f", "json", "--jobs", "1", dir]);
    const parsed = JSON.parse(serial.stdout);
    // Net's model once, and Block counted as analysed inside it
    expect({ models: parsed.models_checked, classes: parsed.model_classes }).toEqual({ models: 1, classes: { found: 2, analysed: 2, not_analysed: [] } });
    for (const n of [2, 3]) expect(check(["-f", "json", "--jobs", String(n), dir]).stdout).toBe(serial.stdout);
    expect(check(["--jobs", "3", dir]).stdout).toBe(check(["--jobs", "1", dir]).stdout);
  }, 120_000);

  it("--no-cache holds on the workers: nothing is written to the cache", () => {
    const empty = mkdtempSync(join(tmpdir(), "torchshape-nocache-"));
    const r = check(["-f", "json", "--jobs", "2", "--no-cache", join(root, "fixtures", "models")], { XDG_CACHE_HOME: empty });
    expect(JSON.parse(r.stdout).files.length).toBeGreaterThan(5);
    const syntax = join(empty, "torchshape", "syntax");
    expect(existsSync(syntax) ? readdirSync(syntax) : []).toEqual([]);
  }, 120_000);

  it("a bad --jobs is a one-line usage error, exit 2", () => {
    for (const bad of ["0", "-1", "1.5", "many"]) {
      const r = check(["--jobs", bad, "fixtures/models/article_net.py"]);
      expect({ bad, code: r.code, stdout: r.stdout }).toEqual({ bad, code: 2, stdout: "" });
      expect(r.stderr).toBe(`torchshape: --jobs must be a whole number of worker threads, 1 or more, not '${bad}'\n`);
    }
  });

  it("shows a progress line on a terminal for a run over a second, and never for JSON or a pipe", () => {
    const torchvision = torchvisionFolder();
    expect(torchvision).toBeDefined();
    const models = join(torchvision!, "models");
    // script(1) gives the run a terminal, and writes what the terminal showed to stdout
    const onTerminal = (format: string) => {
      const command = [process.execPath, bin, "check", "-f", format, "--jobs", "2", models].map((a) => `'${a}'`).join(" ");
      const env: Record<string, string | undefined> = { ...process.env, XDG_CACHE_HOME: cacheHome };
      delete env.CI;
      // a run replayed from stored outcomes takes well under a second: this one analyses
      rmSync(join(cacheHome, "torchshape", "check"), { recursive: true, force: true });
      return spawnSync("script", ["-qec", command, "/dev/null"], { encoding: "utf8", env, timeout: 600_000 }).stdout;
    };
    const text = onTerminal("text");
    expect(text).toMatch(/\rtorchshape: checked \d+ of \d+ files\x1b\[K/);
    // the line is cleared before the report is printed
    expect(text).toMatch(/\r\x1b\[K/);
    expect(onTerminal("json")).not.toMatch(/checked \d+ of/);
    expect(check(["--jobs", "2", models]).stderr).toBe("");
  }, 900_000);
});

describe("the coverage ledger's replay", () => {
  const block = "/p/blocks.py:3";
  it("takes a file whose answers the run's ledger gives too, with its additions", () => {
    const run = new CoverageLedger();
    const events: LedgerEvent[] = [
      { kind: "found", key: block, name: "Block", file: "/p/blocks.py", line: 4 },
      { kind: "isAnalysed", key: block, answer: false },
      { kind: "modelIsNew", print: "m1", answer: true },
      { kind: "analysed", keys: [block] },
      { kind: "isAnalysed", key: block, answer: true },
    ];
    expect(run.replay(events)).toEqual({ prints: ["m1"], analysedKeys: [block] });
    expect(run.summary()).toEqual({ found: 1, analysed: 1, notAnalysed: [] });
  });

  it("refuses, changing nothing, a file that was answered otherwise than the run's ledger answers", () => {
    const run = new CoverageLedger();
    run.replay([{ kind: "analysed", keys: [block] }]);
    const before = run.sizes();
    // a worker's own ledger had not seen Block analysed
    expect(run.replay([{ kind: "found", key: "/p/x.py:1", name: "X", file: "/p/x.py", line: 2 }, { kind: "isAnalysed", key: block, answer: false }])).toBeUndefined();
    expect(run.sizes()).toEqual(before);
    expect(run.summary().found).toBe(0);
    run.replay([{ kind: "modelIsNew", print: "m1", answer: true }]);
    expect(run.replay([{ kind: "modelIsNew", print: "m1", answer: true }])).toBeUndefined();
    expect(run.replay([{ kind: "modelIsNew", print: "m1", answer: false }])).toEqual({ prints: [], analysedKeys: [] });
  });

  it("keeps the first reason a class was skipped for, in the run's order, and only for a class found", () => {
    const run = new CoverageLedger();
    run.replay([{ kind: "skipped", key: block, reason: { kind: "needs constructor arguments" } }]);
    run.replay([{ kind: "found", key: block, name: "Block", file: "/p/blocks.py", line: 4 }]);
    run.replay([{ kind: "skipped", key: block, reason: { kind: "could not build", detail: "ValueError" } }]);
    run.replay([{ kind: "skipped", key: block, reason: { kind: "needs constructor arguments" } }]);
    expect(run.summary().notAnalysed).toEqual([{ name: "Block", file: "/p/blocks.py", line: 4, reason: { kind: "could not build", detail: "ValueError" } }]);
  });
});
