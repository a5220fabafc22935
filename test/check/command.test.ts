// `torchshape check` end to end, as hooks and CI run it: a fresh process per run.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Validator } from "@cfworker/json-schema";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "torchshape.cjs");
const article = readFileSync(join(root, "fixtures", "models", "article_net.py"), "utf8");
const at28 = article.replace("# torchshape: input=1,3,32,32", "# torchshape: input=4,3,28,28");

function check(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, "check", ...args], { cwd, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The text output without its one line naming the environment (which differs between machines), which must be there. */
function withoutEnvironmentNote(stdout: string): string {
  const lines = stdout.split("\n");
  const notes = lines.filter((l) => /^note: environment: .+; (torch .+ in \/.+|no torch installed)$/.test(l));
  expect(notes.length, stdout).toBe(1);
  return lines.filter((l) => l !== notes[0]).join("\n");
}

function folder(files: Readonly<Record<string, string | Buffer>>): string {
  const dir = mkdtempSync(join(tmpdir(), "torchshape-check-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

describe("check's text output", () => {
  it("prints path:line:col: error[code] message, the related notes and the fix, and exits 1", () => {
    const dir = folder({ "net.py": at28 });
    const r = check(dir, "net.py");
    expect(r.code).toBe(1);
    expect(withoutEnvironmentNote(r.stdout).split("\n")).toEqual([
      "net.py:21:13: error[view-size] x.view(-1, 8 * 8 * 8) assumes 512 = 8 * 8 * 8 features per sample, but x has 392 = 8 × 7 × 7 after pool2 (input 28 × 28): its 4 × 392 = 1568 elements do not divide into rows of 512; fc1 = nn.Linear(8 * 8 * 8, 32) shares the assumption",
      "  net.py:14:20: note: fc1 = nn.Linear(8 * 8 * 8, 32) shares the assumption of 512 input features",
      "  help: x.flatten(1) (or x.view(x.size(0), -1)) to keep the batch dimension; fc1: nn.Linear(8 * 7 * 7, 32) (or nn.LazyLinear(32))",
      "1 error in 1 file (1 model checked)",
      "",
    ]);
  });

  it("exits 0 on a correct model", () => {
    const r = check(folder({ "net.py": article }), "net.py");
    expect(r.code).toBe(0);
    expect(withoutEnvironmentNote(r.stdout)).toBe("No shape errors in 1 file (1 model checked)\n");
  });

  it("exits 0 when only warnings are found", () => {
    const r = check(folder({ "net.py": article.replace("input=1,3,32,32", "input=64,3,28,28") }), "net.py");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("warning[view-folds-batch]");
    expect(r.stdout).toContain("No shape errors, 1 warning in 1 file");
  });

  it("refuses an unknown format with exit 2", () => {
    expect(check(folder({ "net.py": article }), "--format", "xml", "net.py").code).toBe(2);
  });
});

describe("suppression comments", () => {
  const viewLine = "        x = x.view(-1, 8 * 8 * 8)";
  it("silence the named code on that line", () => {
    const r = check(folder({ "net.py": at28.replace(viewLine, `${viewLine}  # torchshape: ignore[view-size]`) }), "net.py");
    expect(r.code).toBe(0);
    expect(withoutEnvironmentNote(r.stdout)).toBe("No shape errors in 1 file (1 model checked)\n");
  });
  it("silence every code when none is named", () => {
    expect(check(folder({ "net.py": at28.replace(viewLine, `${viewLine}  # torchshape: ignore`) }), "net.py").code).toBe(0);
  });
  it("leave other codes alone", () => {
    const r = check(folder({ "net.py": at28.replace(viewLine, `${viewLine}  # torchshape: ignore[rank, broadcast]`) }), "net.py");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("error[view-size]");
  });
});

describe("walking folders", () => {
  it("checks the Python files, skipping .git, node_modules, virtual environments and what .gitignore ignores", () => {
    const dir = folder({
      "pkg/model.py": at28,
      "pkg/helpers.py": "def helper():\n    return 1\n",
      "node_modules/dep/bad.py": at28,
      "venv/pyvenv.cfg": "home = /usr/bin\n",
      "venv/lib/site.py": at28,
      "env38/pyvenv.cfg": "home = /usr/bin\n",
      "env38/lib/python3.8/site.py": at28,
      "build_out/ignored.py": at28,
      ".gitignore": "build_out/\n",
      "notes.txt": "not python",
    });
    expect(spawnSync("git", ["init", "-q"], { cwd: dir }).status).toBe(0);
    const r = check(dir, ".", "--format", "json");
    const out = JSON.parse(r.stdout) as { files: string[]; diagnostics: { file: string }[] };
    expect(out.files.sort()).toEqual(["pkg/helpers.py", "pkg/model.py"]);
    expect(out.diagnostics.map((d) => d.file)).toEqual(["pkg/model.py"]);
    expect(r.code).toBe(1);
  });
});

describe("check --format json", () => {
  it("gives the contract's diagnostics and the files not checked", () => {
    const dir = folder({ "net.py": at28, "old.py": 'print "hello"\n' });
    const r = check(dir, "net.py", "old.py", "--format", "json");
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.diagnostics).toHaveLength(1);
    expect(out.diagnostics[0]).toMatchObject({ severity: "error", code: "view-size", file: "net.py", line: 21, column: 13, end_line: 21, end_column: 34, model: "Net" });
    expect(out.diagnostics[0].related).toEqual([{ file: "net.py", line: 14, message: "fc1 = nn.Linear(8 * 8 * 8, 32) shares the assumption of 512 input features" }]);
    expect(out.not_checked).toEqual([{ file: "old.py", line: 1, column: 1, reason: "syntax error: Python 2 syntax (print statement)" }]);
  });
});

describe("check --format sarif", () => {
  const require = createRequire(import.meta.url);
  const schema = JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
  const validator = new Validator(schema, "4", false);

  it("is valid SARIF 2.1.0 by the published JSON schema", () => {
    const dir = folder({ "net.py": at28, "flat.py": at28.replace("x = x.view(-1, 8 * 8 * 8)", "x = torch.flatten(x, 1)"), "bin.py": Buffer.from([0, 1, 2, 3]) });
    const r = check(dir, "net.py", "flat.py", "bin.py", "--format", "sarif");
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    const verdict = validator.validate(log);
    expect(verdict.errors.map((e) => `${e.instanceLocation}: ${e.error}`)).toEqual([]);
    expect(verdict.valid).toBe(true);
    const run = log.runs[0];
    expect(run.results.map((x: { ruleId: string }) => x.ruleId)).toEqual(["view-size", "linear-in-features"]);
    expect(run.results[1].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "flat.py" }, region: { startLine: 14, startColumn: 20, endLine: 14, endColumn: 44 } });
    expect(run.results[1].relatedLocations[0].message.text).toBe("the tensor arrives here");
    expect(run.tool.driver.rules[run.results[1].ruleIndex].id).toBe("linear-in-features");
    expect(run.invocations[0].toolExecutionNotifications[0].message.text).toBe("not checked: binary file, not Python source");
  });

  it("rejects what is not SARIF (the validator is not a rubber stamp)", () => {
    expect(validator.validate({ version: "2.1.0", runs: [{ tool: {} }] }).valid).toBe(false);
  });
});

describe("bad input: a note for that file, and the run goes on", () => {
  const deepParens = `x = ${"(".repeat(2000)}1${")".repeat(2000)}\n`;
  const deepLists = `x = ${"[".repeat(3000)}1${"]".repeat(3000)}\n`;
  const deepSum = `x = ${"1 + ".repeat(20000)}1\n`;
  const longFile = ["import torch", ...Array.from({ length: 50_000 }, (_, i) => `v${i} = ${i} * 2`)].join("\n");

  it("notes a binary file, Python 2, deep nesting and a 50,000-line file, and still checks the good file", () => {
    const dir = folder({
      "a_binary.py": Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]),
      "b_python2.py": 'print "hello"\nexec "x = 1"\n',
      "c_deep_parens.py": deepParens,
      "d_deep_lists.py": deepLists,
      "e_deep_sum.py": deepSum,
      "f_long.py": longFile,
      "z_net.py": at28,
    });
    const started = Date.now();
    const r = check(dir, ".", "--format", "json");
    expect(Date.now() - started).toBeLessThan(45_000);
    const out = JSON.parse(r.stdout) as { files: string[]; diagnostics: { file: string; code: string }[]; not_checked: { file: string; reason: string }[] };
    expect(out.files).toHaveLength(7);
    const reasons = Object.fromEntries(out.not_checked.map((n) => [n.file, n.reason]));
    expect(reasons["a_binary.py"]).toBe("binary file, not Python source");
    expect(reasons["b_python2.py"]).toMatch(/^syntax error: Python 2 syntax/);
    expect(reasons["d_deep_lists.py"]).toBe("nested too deeply to analyse");
    expect(reasons["e_deep_sum.py"]).toBe("nested too deeply to analyse");
    // 2,000 parentheses are within reach: analysed, nothing to report
    expect(reasons["c_deep_parens.py"]).toBeUndefined();
    expect(reasons["f_long.py"]).toBeUndefined();
    expect(out.diagnostics.map((d) => [d.file, d.code])).toEqual([["z_net.py", "view-size"]]);
    expect(r.code).toBe(1);
  });

  it("reads a device named on the command line as a file, within the size limit, beside a folder", () => {
    // /dev/null was walked as a folder (an internal error); /dev/zero never ends
    const dir = folder({ "z_net.py": at28 });
    const r = check(dir, "/dev/null", "/dev/zero", ".", "--format", "json");
    expect(r.stderr).not.toMatch(/internal error/);
    const out = JSON.parse(r.stdout) as { files: string[]; diagnostics: { file: string; code: string }[]; not_checked: { file: string; reason: string }[] };
    expect(out.files).toEqual(["/dev/null", "/dev/zero", "z_net.py"]);
    expect(out.not_checked).toEqual([{ file: "/dev/zero", reason: "file is too large (more than 2000000 bytes)" }]);
    expect(out.diagnostics.map((d) => [d.file, d.code])).toEqual([["z_net.py", "view-size"]]);
  });

  it("stops a file at the time budget and goes on to the next", () => {
    // each turn of the loop is slow enough (and allocates nothing) that the time or step budget, not the loop's iteration limit, stops it
    const dir = folder({ "a_spin.py": "while True:\n    for i in range(100):\n        pass\n", "b_net.py": at28 });
    const started = Date.now();
    const r = check(dir, ".", "--timeout", "1", "--format", "json");
    expect(Date.now() - started).toBeLessThan(20_000);
    const out = JSON.parse(r.stdout) as { diagnostics: { file: string; code: string }[]; not_checked: { file: string; reason: string }[] };
    expect(out.not_checked).toEqual([{ file: "a_spin.py", reason: expect.stringMatching(/analysis stopped while loading the module: (time|step) budget/) }]);
    expect(out.diagnostics.map((d) => [d.file, d.code])).toEqual([["b_net.py", "view-size"]]);
  });

  it("stops a forward pass that never ends with a warning, not an error", () => {
    const spin = `import torch.nn as nn\n\n# torchshape: input=1,4\nclass Spin(nn.Module):\n    def forward(self, x):\n        while True:\n            x = x + 1\n        return x\n`;
    const r = check(folder({ "spin.py": spin }), "spin.py", "--timeout", "1");
    expect(r.stdout).toMatch(/^spin\.py:4:1: warning\[analysis-limit\] analysis of Spin stopped: (time|step) budget/);
    expect(r.code).toBe(0);
  });
});
