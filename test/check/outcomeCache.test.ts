// check's outcome cache (src/check/outcomeCache.ts): a warm run prints what a cold
// run and --no-cache print, byte for byte, in every format and with workers; a file
// is analysed again when an import changes, when a module appears where an import
// looked for it, or when the project's config changes; a corrupt entry is ignored
// and rewritten, and a cache that cannot be written costs nothing but speed.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";
import { describe, expect, it } from "vitest";
import { torchvisionFolder } from "../torchvisionSources.js";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "torchshape.cjs");

function check(cacheHome: string, args: string[]) {
  const r = spawnSync(process.execPath, [bin, "check", ...args], { cwd: root, encoding: "utf8", timeout: 600_000, env: { ...process.env, XDG_CACHE_HOME: cacheHome, TORCHSHAPE_NO_CACHE: "" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const newHome = () => mkdtempSync(join(tmpdir(), "torchshape-outcome-cache-"));
const entryFolder = (home: string) => join(home, "torchshape", "check");
const entries = (home: string) => {
  try {
    return readdirSync(entryFolder(home)).filter((f) => f.endsWith(".bin")).sort();
  } catch {
    return [];
  }
};

/** The codes of the errors a JSON run reports. */
const errorCodes = (stdout: string) => (JSON.parse(stdout) as { diagnostics: { severity: string; code: string }[] }).diagnostics.filter((d) => d.severity === "error").map((d) => d.code);

/**
 * A run that fills an empty cache (with `fillJobs`), then warm runs from it in every format (with `warmJobs`), each
 * equal to --no-cache's output and exit code in that format, byte for byte.
 */
function sameWarmColdAndUncached(paths: string[], formats: string[], fillJobs = "1", warmJobs = "1") {
  const home = newHome();
  const uncached = new Map(formats.map((format) => [format, check(newHome(), ["-f", format, "--no-cache", "--jobs", "1", ...paths])] as const));
  const cold = check(home, ["-f", formats[0]!, "--jobs", fillJobs, ...paths]);
  expect(entries(home).length).toBeGreaterThan(0);
  const runs = [["cold", formats[0]!, cold] as const, ...formats.map((format) => ["warm", format, check(home, ["-f", format, "--jobs", warmJobs, ...paths])] as const)];
  for (const [name, format, run] of runs) {
    const reference = uncached.get(format)!;
    expect(reference.stderr).toBe("");
    expect({ name, format, code: run.code, stderr: run.stderr }).toEqual({ name, format, code: reference.code, stderr: "" });
    expect(run.stdout === reference.stdout, `${name} -f ${format} differs from --no-cache`).toBe(true);
  }
}

/** A project: net.py builds Net from lib.py's WIDTH; fc2 takes 8 features, so any WIDTH but 8 is an error. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "torchshape-outcome-project-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const net = (importWidth: string, input = "# torchshape: input=2,8\n") =>
  `import torch.nn as nn\n${importWidth}\n\n\n${input}class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc1 = nn.Linear(8, WIDTH)\n        self.fc2 = nn.Linear(8, 4)\n\n    def forward(self, x):\n        return self.fc2(self.fc1(x))\n`;

/** A later mtime than the file has, as an editor's save gives. */
function touchLater(file: string) {
  const later = new Date(statSync(file).mtimeMs + 5000);
  utimesSync(file, later, later);
}

/** FNV-1a twice over the payload, as outcomeCache.ts writes it before the payload. */
function bytesHash(bytes: Uint8Array): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (const byte of bytes) {
    a = Math.imul(a ^ byte, 0x01000193) >>> 0;
    b = Math.imul(b ^ byte, 0x01000193) >>> 0;
    b = (b + a) >>> 0;
  }
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}

describe("check's outcome cache", () => {
  it("gives a cold run's output, byte for byte, on fixtures/ (errors, skipped files, notes) in every format and with workers", () => {
    sameWarmColdAndUncached(["fixtures"], ["json", "text", "sarif"]);
    // stored from workers' outcomes, replayed on two workers (a file whose stored answers are not the run's is analysed there)
    sameWarmColdAndUncached(["fixtures"], ["json"], "2", "2");
  }, 1_800_000);

  it("gives a cold run's output, byte for byte, on torchvision's models folder", () => {
    const torchvision = torchvisionFolder();
    expect(torchvision, "torchvision's Python sources were not found").toBeDefined();
    sameWarmColdAndUncached([join(torchvision!, "models")], ["json", "text"]);
  }, 1_800_000);

  it("replays the stored outcome: an entry's diagnostic, changed and hashed again, is what the warm run prints", () => {
    const dir = project({ "lib.py": "WIDTH = 6\n", "net.py": net("from lib import WIDTH") });
    const home = newHome();
    const cold = check(home, ["-f", "json", join(dir, "net.py")]);
    expect(errorCodes(cold.stdout)).toEqual(["linear-in-features"]);
    const [entry] = entries(home);
    expect(entries(home)).toHaveLength(1);
    const file = join(entryFolder(home), entry!);
    const stored = deserialize(readFileSync(file).subarray(16)) as { result: { diagnostics: { message: string }[] } };
    stored.result.diagnostics[0]!.message = "replayed from the cache";
    const payload = serialize(stored);
    writeFileSync(file, Buffer.concat([Buffer.from(bytesHash(payload), "latin1"), payload]));
    expect(check(home, ["-f", "json", join(dir, "net.py")]).stdout).toContain("replayed from the cache");
    // the same bytes under a hash that does not match: analysed again
    writeFileSync(file, Buffer.concat([Buffer.from("0".repeat(16), "latin1"), payload]));
    expect(check(home, ["-f", "json", join(dir, "net.py")]).stdout).toBe(cold.stdout);
  });

  it("analyses a file again when a local file it imports changes: its new error appears", () => {
    const dir = project({ "lib.py": "WIDTH = 8\n", "net.py": net("from lib import WIDTH") });
    const home = newHome();
    expect(errorCodes(check(home, ["-f", "json", join(dir, "net.py")]).stdout)).toEqual([]);
    expect(errorCodes(check(home, ["-f", "json", join(dir, "net.py")]).stdout)).toEqual([]);
    // the same size, another width
    writeFileSync(join(dir, "lib.py"), "WIDTH = 6\n");
    touchLater(join(dir, "lib.py"));
    const changed = check(home, ["-f", "json", join(dir, "net.py")]);
    expect(changed.code).toBe(1);
    expect(errorCodes(changed.stdout)).toEqual(["linear-in-features"]);
  });

  it("analyses a file again when a module appears where its import looked for one", () => {
    const dir = project({ "net.py": net("try:\n    from extra import WIDTH\nexcept ImportError:\n    WIDTH = 8") });
    const home = newHome();
    expect(check(home, ["-f", "json", join(dir, "net.py")]).code).toBe(0);
    expect(check(home, ["-f", "json", join(dir, "net.py")]).code).toBe(0);
    writeFileSync(join(dir, "extra.py"), "WIDTH = 6\n");
    // extra.py is checked too now: net.py's error is the one
    const created = check(home, ["-f", "json", join(dir, "net.py")]);
    expect(errorCodes(created.stdout)).toEqual(["linear-in-features"]);
  });

  it("analyses a file again when the project's [tool.torchshape] inputs change", () => {
    const pyproject = (shape: string) => `[tool.torchshape.inputs]\nNet = ["${shape}"]\n`;
    const dir = project({ "pyproject.toml": pyproject("2,8"), "net.py": net("WIDTH = 8", "") });
    const home = newHome();
    expect(errorCodes(check(home, ["-f", "json", join(dir, "net.py")]).stdout)).toEqual([]);
    expect(errorCodes(check(home, ["-f", "json", join(dir, "net.py")]).stdout)).toEqual([]);
    writeFileSync(join(dir, "pyproject.toml"), pyproject("2,5"));
    expect(errorCodes(check(home, ["-f", "json", join(dir, "net.py")]).stdout)).toEqual(["linear-in-features"]);
  });

  it("ignores a truncated or garbage entry and writes it anew", () => {
    const dir = project({ "lib.py": "WIDTH = 6\n", "net.py": net("from lib import WIDTH") });
    const home = newHome();
    const cold = check(home, ["-f", "json", join(dir, "net.py")]);
    const file = join(entryFolder(home), entries(home)[0]!);
    const written = readFileSync(file);
    for (const bad of [written.subarray(0, written.length >> 1), Buffer.from("garbage, not an entry"), Buffer.alloc(0)]) {
      writeFileSync(file, bad);
      const run = check(home, ["-f", "json", join(dir, "net.py")]);
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: cold.code, stderr: "" });
      expect(run.stdout).toBe(cold.stdout);
      expect(readFileSync(file).length).toBe(written.length);
    }
  });

  it("runs as without a cache when its folder cannot be written", () => {
    const dir = project({ "lib.py": "WIDTH = 6\n", "net.py": net("from lib import WIDTH") });
    const home = newHome();
    mkdirSync(join(home, "torchshape"), { recursive: true });
    // a file where the folder should be: no entry can be read or written, even by root
    writeFileSync(entryFolder(home), "");
    const cold = check(newHome(), ["-f", "json", "--no-cache", join(dir, "net.py")]);
    for (let i = 0; i < 2; i++) {
      const run = check(home, ["-f", "json", join(dir, "net.py")]);
      expect({ code: run.code, stderr: run.stderr, stdout: run.stdout }).toEqual({ code: cold.code, stderr: "", stdout: cold.stdout });
    }
  });

  it("stores nothing with --no-cache", () => {
    const dir = project({ "lib.py": "WIDTH = 6\n", "net.py": net("from lib import WIDTH") });
    const home = newHome();
    check(home, ["-f", "json", "--no-cache", join(dir, "net.py")]);
    expect(entries(home)).toEqual([]);
  });
});
