// Security, locked in: the evaluator reads Python, it never runs it. Code that would open,
// write or copy files, spawn processes, read the environment, import by __import__ or
// importlib, or run strings with eval/exec/compile creates, reads and runs nothing; a
// sys.path.append to a folder outside the project is not followed.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSession } from "../src/analysis/session.js";
import { pyRepr } from "../src/eval/operators.js";

const secret = `TOP-SECRET-${process.pid}-${Date.now()}`;
const envSecret = `ENV-SECRET-${process.pid}-${Date.now()}`;
let markerDir: string;
let file: string;
let cliOutput: string;

beforeAll(() => {
  const root = mkdtempSync(join(tmpdir(), "torchshape-security-"));
  markerDir = join(root, "markers");
  const project = join(root, "project");
  const outside = join(root, "outside");
  for (const d of [markerDir, project, outside]) mkdirSync(d);
  const secretFile = join(root, "secret.txt");
  writeFileSync(secretFile, `${secret}\n`);
  writeFileSync(join(outside, "outside_module.py"), "WIDTH = 7\n");
  file = join(project, "hostile.py");
  writeFileSync(
    file,
    readFileSync("fixtures/security/hostile.py", "utf8").replaceAll("@MARKER_DIR@", markerDir).replaceAll("@SECRET_FILE@", secretFile).replaceAll("@OUTSIDE_DIR@", outside),
  );
  process.env.TORCHSHAPE_TEST_SECRET = envSecret;
  cliOutput = execFileSync("node", ["bin/torchshape.cjs", file, "--format", "json"], { encoding: "utf8", env: { ...process.env } });
});

afterAll(() => {
  delete process.env.TORCHSHAPE_TEST_SECRET;
});

describe("hostile code is read, never run", () => {
  it("analyses the model in the same file as usual", () => {
    const report = JSON.parse(cliOutput) as { models: { layers: { name: string; params: number }[] }[] };
    expect(report.models[0].layers.map((l) => [l.name, l.params])).toEqual([["fc", 10]]);
  });

  it("creates nothing: no file, folder or process output appears", () => {
    startSession(file, {});
    expect(readdirSync(markerDir)).toEqual([]);
  });

  it("reads no file and no environment variable: the secrets appear nowhere", () => {
    const vars = startSession(file, {}).main.scope.vars;
    for (const name of ["secret_text", "secret_lines", "secret_env", "secret_getenv"]) {
      const v = vars.get(name);
      expect(v, name).toBeDefined();
      expect(pyRepr(v!)).not.toContain("SECRET");
    }
    expect(cliOutput).not.toContain(secret);
    expect(cliOutput).not.toContain(envSecret);
  });

  it("does not follow sys.path to a folder outside the project and the environment", () => {
    const width = startSession(file, {}).main.scope.vars.get("outside_width");
    expect(width && pyRepr(width)).not.toBe("7");
  });
});
