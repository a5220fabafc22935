// The headline: a user's model wrapping torchvision's resnet18, analysed with no
// flags in an environment that has torchvision, matches real PyTorch (11,179,077
// parameters). The environment is a virtual environment whose python reports the
// folder holding torchvision's sources (test/torchvisionSources.ts) as its
// site-packages, so the test needs no torchvision installed. Without torchvision,
// `check` says what it could not analyse instead of claiming a clean result.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { torchvisionFolder } from "../torchvisionSources.js";
import { fakeVenv } from "./fakePython.js";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "torchshape.cjs");
const wrapper = join(root, "fixtures", "environment", "resnet_wrapper.py");
const golden = JSON.parse(readFileSync(join(root, "fixtures", "environment", "resnet_wrapper.golden.json"), "utf8")).models[0];
const scratch = mkdtempSync(join(tmpdir(), "torchshape-tv-env-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(args: string[], env: NodeJS.ProcessEnv) {
  const clean: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: join(scratch, "cache"), ...env };
  if (!env.CONDA_PREFIX) delete clean.CONDA_PREFIX;
  return spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8", timeout: 60_000, env: clean });
}

describe("a user's wrapper of torchvision's resnet18", () => {
  it("gives PyTorch's rows and 11,179,077 parameters with no flags in an environment that has torchvision", () => {
    const torchvision = torchvisionFolder();
    expect(torchvision, "torchvision's sources were not found (see test/torchvision.test.ts)").toBeDefined();
    const venv = fakeVenv(join(scratch, "with-torchvision"), [dirname(torchvision!)]);
    const r = run([wrapper, "--format", "json"], { VIRTUAL_ENV: venv.prefix });
    expect(r.status, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout).models[0];
    expect(m.total_params).toBe(11_179_077);
    expect(m.total_params).toBe(golden.total_params);
    expect(m.layers.map((l: { name: string; type: string; params: number; input_shape: unknown; output_shape: unknown }) => [l.name, l.type, l.params, l.input_shape, l.output_shape])).toEqual(
      golden.layers.map((l: { name: string; type: string; params: number; input_shape: unknown; output_shape: unknown }) => [l.name, l.type, l.params, l.input_shape, l.output_shape]),
    );
    expect(m.output_shape).toEqual(golden.output_shape);
  });

  it("--memory-budget analyses the model again in the same environment: torchvision's parameters are counted", () => {
    const torchvision = torchvisionFolder();
    expect(torchvision, "torchvision's sources were not found (see test/torchvision.test.ts)").toBeDefined();
    const venv = fakeVenv(join(scratch, "with-torchvision-memory"), [dirname(torchvision!)]);
    const r = run([wrapper, "--format", "json", "--memory-budget", "24GB"], { VIRTUAL_ENV: venv.prefix });
    expect(r.status, r.stderr).toBe(0);
    const memory = JSON.parse(r.stdout).models[0].memory;
    // parameters and gradients of all 11,179,077 parameters; per sample every row's output (but resnet's ReLU(inplace=True), which allocates nothing) and the input, 4 bytes each (the golden ran a batch of 2)
    const batch = golden.inputs[0][0];
    const elements = (s: number[]) => s.reduce((p, d) => p * d, 1) / batch;
    const perSample = (golden.layers.reduce((n: number, l: { type: string; output_shape: number[] }) => (l.type === "ReLU" ? n : n + elements(l.output_shape)), 0) + elements(golden.inputs[0])) * 4;
    expect(memory.params_bytes).toBe(golden.total_params * 4);
    expect(memory.largest_batch.sgd).toBe(Math.floor((24e9 - 2 * golden.total_params * 4) / perSample));
  });

  it("without torchvision, check counts the model as partly analysed and claims no clean result", () => {
    // an environment with torch but no torchvision (torch's presence stops the fallback to the system's packages)
    const venv = fakeVenv(join(scratch, "without-torchvision"));
    mkdirSync(join(venv.sitePackages, "torch"));
    writeFileSync(join(venv.sitePackages, "torch", "__init__.py"), "");
    writeFileSync(join(venv.sitePackages, "torch", "version.py"), "__version__ = '2.3.1'\n");
    const r = run(["check", wrapper], { VIRTUAL_ENV: venv.prefix });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toEqual([
      `note: environment: VIRTUAL_ENV (${venv.python.path}); torch 2.3.1 in ${join(venv.sitePackages, "torch")}`,
      "No shape errors in what could be analysed in 1 file (1 model checked, 1 model partly analysed: torchvision not found)",
    ]);
    const json = JSON.parse(run(["check", wrapper, "--format", "json"], { VIRTUAL_ENV: venv.prefix }).stdout);
    expect(json.partly_analysed).toEqual({ models: 1, files: 0, missing_packages: ["torchvision"] });
    // the summary names the package and how to point at it
    const summary = run([wrapper], { VIRTUAL_ENV: venv.prefix }).stdout;
    expect(summary).toContain(`note: package 'torchvision' not found in the environment (VIRTUAL_ENV ${venv.python.path}): point torchshape at the Python that has it with --python`);
  });
});
