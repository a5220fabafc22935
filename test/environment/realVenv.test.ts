// Discovery on real virtual environments made by the system's Python (Debian's
// python3-venv): a plain one and one with --system-site-packages, each with a
// model package of our own (fixtures/environment/site-packages/patchnet) copied
// into its site-packages. A user file that imports it is analysed through the
// CLI with no flags (.venv at the project root), through --python, through
// VIRTUAL_ENV and as the python3 on PATH, and must match the golden that real
// PyTorch made for it.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "torchshape.cjs");
const fixtures = join(root, "fixtures", "environment");
const systemPython = "/usr/bin/python3";
const golden = JSON.parse(readFileSync(join(fixtures, "uses_installed_package.golden.json"), "utf8")).models[0];

const scratch = mkdtempSync(join(tmpdir(), "torchshape-venv-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The environment of the run: no active environment of the developer's, a cache of the test's own. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: join(scratch, "cache"), ...extra };
  if (!("VIRTUAL_ENV" in extra)) delete env.VIRTUAL_ENV;
  if (!("CONDA_PREFIX" in extra)) delete env.CONDA_PREFIX;
  return env;
}

function makeVenv(prefix: string, systemSite: boolean): string {
  const args = ["-m", "venv", "--without-pip", ...(systemSite ? ["--system-site-packages"] : []), prefix];
  const r = spawnSync(systemPython, args, { encoding: "utf8", timeout: 60_000 });
  expect(r.status, `python3 -m venv failed (Debian: apt-get install python3-venv): ${r.stderr}`).toBe(0);
  const site = spawnSync(join(prefix, "bin", "python"), ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], { encoding: "utf8", env: cleanEnv() }).stdout.trim();
  // installing our package: a copy into site-packages, as pip would leave it (no network)
  cpSync(join(fixtures, "site-packages", "patchnet"), join(site, "patchnet"), { recursive: true });
  return site;
}

function analyse(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [bin, file, "--format", "json", ...args], { cwd, encoding: "utf8", timeout: 60_000, env });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { models: { name: string; total_params: number; output_shape: unknown; layers: { name: string; type: string; params: number; output_shape: unknown }[] }[] };
}

function analyseText(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): string {
  const r = spawnSync(process.execPath, [bin, file, ...args], { cwd, encoding: "utf8", timeout: 60_000, env });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

function expectGolden(result: ReturnType<typeof analyse>): void {
  const m = result.models.find((x) => x.name === golden.name)!;
  expect(m, "model analysed").toBeDefined();
  expect(m.layers.map((l) => [l.name, l.type, l.params, l.output_shape])).toEqual(golden.layers.map((l: { name: string; type: string; params: number; output_shape: unknown }) => [l.name, l.type, l.params, l.output_shape]));
  expect(m.output_shape).toEqual(golden.output_shape);
  expect(m.total_params).toBe(golden.total_params);
}

describe("a real virtual environment with our package installed", () => {
  let project: string;
  let userFile: string;
  let plain: string;
  let withSystem: string;
  let systemSite: string;
  beforeAll(() => {
    project = join(scratch, "project");
    mkdirSync(project);
    mkdirSync(join(project, ".git"));
    userFile = join(project, "train.py");
    cpSync(join(fixtures, "uses_installed_package.py"), userFile);
    plain = join(project, ".venv");
    makeVenv(plain, false);
    withSystem = join(scratch, "system-venv");
    systemSite = makeVenv(withSystem, true);
  }, 120_000);

  it("without the environment, the package is named with how to point at it", () => {
    const outside = join(scratch, "elsewhere");
    mkdirSync(outside, { recursive: true });
    const lone = join(outside, "train.py");
    cpSync(userFile, lone);
    const text = analyseText(lone, ["--python", systemPython], outside, cleanEnv());
    expect(text).toMatch(/note: package 'patchnet' not found in the environment \(--python \/usr\/bin\/python3\): point torchshape at the Python that has it with --python, or add its folder with --search-path or \[tool.torchshape\] search-path/);
  });

  it("no flags: the .venv at the project root", () => {
    expectGolden(analyse(userFile, [], project, cleanEnv()));
    expect(analyseText(userFile, [], project, cleanEnv())).toContain(`note: environment: .venv at the project root (${join(plain, "bin", "python")})`);
  });

  it("--python, from outside the project", () => {
    expectGolden(analyse(userFile, ["--python", join(withSystem, "bin", "python")], scratch, cleanEnv()));
    expect(analyseText(userFile, ["--python", withSystem], scratch, cleanEnv())).toContain(`note: environment: --python (${join(withSystem, "bin", "python")})`);
  });

  it("VIRTUAL_ENV: an activated --system-site-packages venv, whose sys.path includes the system's packages", () => {
    const env = cleanEnv({ VIRTUAL_ENV: withSystem });
    expectGolden(analyse(userFile, [], project, env));
    expect(analyseText(userFile, [], project, env)).toContain(`note: environment: VIRTUAL_ENV (${join(withSystem, "bin", "python")})`);
    // what the interpreter was asked, cached: the venv's own site-packages and the system's
    const cached = spawnSync("sh", ["-c", `cat ${join(scratch, "cache", "torchshape")}/sys-path-*.json`], { encoding: "utf8" }).stdout;
    expect(cached).toContain(systemSite);
    expect(cached).toContain("/usr/lib/python3/dist-packages");
  });

  it("the python3 on PATH", () => {
    const env = cleanEnv({ PATH: `${join(withSystem, "bin")}${delimiter}${process.env.PATH}` });
    // outside the project: no .venv to find first
    const outside = join(scratch, "elsewhere2");
    mkdirSync(outside, { recursive: true });
    const lone = join(outside, "train.py");
    cpSync(userFile, lone);
    expectGolden(analyse(lone, [], outside, env));
    expect(analyseText(lone, [], outside, env)).toContain(`note: environment: python3 on PATH (${join(withSystem, "bin", "python3")})`);
  });
});
