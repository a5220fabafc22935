// Every buggy fixture reports exactly the diagnostics written inside it (code and
// line), and real PyTorch's error is recorded beside it; every correct fixture
// gets no error and no warning.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkPaths } from "../../src/check/check.js";
import { diagnosticCodes } from "../../src/diagnostics/codes.js";
import { expectationKey, expectationsIn } from "./expectations.js";
import { goldenTorchVersion } from "../goldenTorch.js";

const root = join(import.meta.dirname, "..", "..");
const buggyDir = join(root, "fixtures", "buggy");
const modelsDir = join(root, "fixtures", "models");
const buggy = readdirSync(buggyDir).filter((f) => f.endsWith(".py")).sort();

describe("expectation comments", () => {
  it("read the line they stand on, or the next line of code", () => {
    const source = ["x = 1", "y = f(x)  # expect-error: view-size", "# expect-warning: rank, broadcast", "", "z = g(y)"].join("\n");
    expect(expectationsIn(source).map(expectationKey)).toEqual(["error[view-size]@2", "warning[rank]@5", "warning[broadcast]@5"]);
  });
});

describe("buggy fixtures", () => {
  it("cover every shape rule, at least 25 of them", () => {
    expect(buggy.length).toBeGreaterThanOrEqual(25);
    const covered = new Set(buggy.flatMap((f) => expectationsIn(readFileSync(join(buggyDir, f), "utf8")).map((e) => e.code)));
    const shapeRules = Object.keys(diagnosticCodes).filter((c) => !["shape-mismatch", "analysis-limit", "analysis-gap", "input-comment", "budget"].includes(c));
    expect(shapeRules.filter((c) => !covered.has(c))).toEqual([]);
  });

  for (const name of buggy) {
    it(name, () => {
      const file = join(buggyDir, name);
      const expected = expectationsIn(readFileSync(file, "utf8"));
      expect(expected.length, "a buggy fixture says what it expects").toBeGreaterThan(0);
      for (const e of expected) expect(Object.hasOwn(diagnosticCodes, e.code), `${e.code} is a registered code`).toBe(true);

      const torchError = join(buggyDir, name.replace(/\.py$/, ".torch-error.txt"));
      expect(existsSync(torchError), "real PyTorch's error is recorded beside it (scripts/make_goldens.py --expect-error)").toBe(true);
      expect(readFileSync(torchError, "utf8")).toMatch(/^\w+(Error|Exception): \S/);

      const result = checkPaths([file], { torchVersion: goldenTorchVersion });
      expect(result.skipped).toEqual([]);
      const actual = result.diagnostics.map((d) => ({ severity: d.severity, code: d.code, line: d.location.span.line + 1 }));
      // errors and warnings exactly as written; infos only where one is expected
      const reported = actual.filter((d) => d.severity !== "info" || expected.some((e) => e.severity === "info")).map(expectationKey).sort();
      expect(reported).toEqual(expected.map(expectationKey).sort());
    });
  }
});

describe("correct models", () => {
  it("give no error without their input comments either: symbolic sizes, guessed ranks", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchshape-symbolic-models-"));
    for (const f of readdirSync(modelsDir).filter((n) => n.endsWith(".py")))
      writeFileSync(join(dir, f), readFileSync(join(modelsDir, f), "utf8").replace(/^\s*#\s*torchshape:.*$/gm, ""));
    const result = checkPaths([dir], { torchVersion: goldenTorchVersion });
    expect(result.skipped).toEqual([]);
    expect(result.modelsChecked).toBeGreaterThan(90);
    expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.location.file}:${d.location.span.line + 1} ${d.code} ${d.message}`)).toEqual([]);
  });

  it("give no error and no warning, every fixture in fixtures/models", () => {
    const result = checkPaths([modelsDir], { torchVersion: goldenTorchVersion });
    expect(result.files.length).toBeGreaterThan(30);
    expect(result.skipped).toEqual([]);
    expect(result.modelsChecked).toBeGreaterThan(90);
    expect(result.diagnostics.filter((d) => d.severity !== "info").map((d) => `${d.location.file}:${d.location.span.line + 1} ${d.code} ${d.message}`)).toEqual([]);
  });
});
