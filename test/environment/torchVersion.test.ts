// The torch version an analysis models: read from the environment's
// torch/version.py (as text), overridden by --torch-version, else the latest
// stable release. Names and arguments newer than the modelled version do not
// exist (hasattr is False, a call with them is PyTorch's TypeError), and
// torch.__version__ compares as a version the way TorchVersion does.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/analysis/analyze.js";
import { findEnvironment } from "../../src/environment/discover.js";
import { readTorchVersion } from "../../src/environment/torchVersion.js";
import { compareVersions, parseVersion } from "../../src/eval/versionOrder.js";
import { toContractJson } from "../../src/report/json.js";
import { latestTorchVersion } from "../../src/torch/torchApi.js";
import { goldenTorchVersion } from "../goldenTorch.js";
import { fakeVenv } from "./fakePython.js";

const root = join(import.meta.dirname, "..", "..");
const fixture = join(root, "fixtures", "models", "torch_version_branches.py");
const golden = JSON.parse(readFileSync(join(root, "fixtures", "models", "torch_version_branches.golden.json"), "utf8")).models[0];
const scratch = mkdtempSync(join(tmpdir(), "torchshape-torch-version-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function rows(result: ReturnType<typeof toContractJson>, model = "VersionedBlock") {
  const m = result.models.find((x) => x.name === model)!;
  return m.layers.map((l) => [l.name, l.type, l.params]);
}

/** A virtual environment whose torch says it is `version`. */
function environmentWithTorch(version: string) {
  const venv = fakeVenv(join(scratch, `torch-${version}`));
  mkdirSync(join(venv.sitePackages, "torch"), { recursive: true });
  writeFileSync(join(venv.sitePackages, "torch", "__init__.py"), "");
  writeFileSync(join(venv.sitePackages, "torch", "version.py"), `__version__ = '${version}'\ndebug = False\ncuda = None\n`);
  return { venv, environment: findEnvironment(fixture, { env: { VIRTUAL_ENV: venv.prefix, PATH: "" }, cacheDir: join(scratch, "cache"), usualPlaces: () => [] }) };
}

describe("version order, as packaging.version.Version has it", () => {
  const order = ["1.12.1", "1.13.0a0", "1.13", "1.13.1", "2.0.0.dev20230101", "2.0.0rc1", "2.0.0", "2.0.0.post1", "2.1.0+cu118", "2.1.1"];
  it("sorts pre-releases before, dev releases before pre-releases, post and local releases after", () => {
    for (let i = 0; i + 1 < order.length; i++) expect(compareVersions(parseVersion(order[i])!, parseVersion(order[i + 1])!), `${order[i]} < ${order[i + 1]}`).toBe(-1);
  });
  it("ignores trailing zeros and rejects what is no version", () => {
    expect(compareVersions(parseVersion("2.0")!, parseVersion("2.0.0")!)).toBe(0);
    expect(parseVersion("parrot")).toBeUndefined();
  });
});

describe("the environment's torch version", () => {
  it("is read from torch/version.py as text", () => {
    const { venv, environment } = environmentWithTorch("2.1.0+cu118");
    expect(readTorchVersion(join(venv.sitePackages, "torch"))).toBe("2.1.0+cu118");
    expect(environment.torchVersion).toBe("2.1.0+cu118");
  });

  it("decides which branch code that tests torch takes: 1.13 as the golden, 2.1 fused and with a LayerNorm", () => {
    const old = rows(toContractJson(analyzeFile(fixture, { environment: environmentWithTorch(goldenTorchVersion).environment })));
    expect(old).toEqual(golden.layers.map((l: { name: string; type: string; params: number }) => [l.name, l.type, l.params]));
    const recent = rows(toContractJson(analyzeFile(fixture, { environment: environmentWithTorch("2.1.0").environment })));
    // from 2.0 F.scaled_dot_product_attention exists: no attn_drop; '2.1.0' >= '1.13': a LayerNorm instead of an Identity
    const expected = golden.layers
      .filter((l: { name: string }) => l.name !== "attn.attn_drop")
      .map((l: { name: string; type: string; params: number }) => (l.name === "norm" ? ["norm", "LayerNorm", 64] : [l.name, l.type, l.params]));
    expect(recent).toEqual(expected);
  });

  it("without an environment, the latest stable release is modelled", () => {
    const result = analyzeFile(fixture, { model: "VersionedBlock" });
    expect(latestTorchVersion).toMatch(/^2\.\d+\.\d+$/);
    expect(rows(toContractJson(result)).map((r) => r[0])).not.toContain("attn.attn_drop");
  });
});

describe("arguments newer than the modelled torch", () => {
  const source = [
    "import torch",
    "from torch import nn",
    "",
    "class Causal(nn.Module):",
    "    def __init__(self):",
    "        super().__init__()",
    "        self.attn = nn.MultiheadAttention(16, 2, batch_first=True)",
    "",
    "    def forward(self, x):",
    "        mask = torch.ones(5, 5).triu(1).bool()",
    "        return self.attn(x, x, x, attn_mask=mask, is_causal=True)[0]",
  ].join("\n");
  const file = join(scratch, "causal.py");
  writeFileSync(file, source);

  it("MultiheadAttention(..., is_causal=True) is PyTorch's TypeError on 1.13 and fine from 2.0", () => {
    const old = analyzeFile(file, { source, inputs: [{ shape: [2, 5, 16], dtype: "float32" }], torchVersion: "1.13.1" });
    expect(old.models[0].incomplete).toMatch(/TypeError: MultiheadAttention.forward\(\) got an unexpected keyword argument 'is_causal'/);
    const recent = analyzeFile(file, { source, inputs: [{ shape: [2, 5, 16], dtype: "float32" }], torchVersion: "2.0" });
    expect(recent.models[0].incomplete).toBeUndefined();
    expect(recent.models[0].outputShape).toEqual([2, 5, 16]);
  });
});

describe("--torch-version", () => {
  const bin = join(root, "bin", "torchshape.cjs");
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, fixture, "--model", "VersionedBlock", "--format", "json", ...args], { cwd: root, encoding: "utf8", timeout: 60_000, env: { ...process.env, XDG_CACHE_HOME: join(scratch, "cache") } });

  it("pins the version whatever the environment has (a 2.x fixture run through the flag)", () => {
    const { venv } = environmentWithTorch(goldenTorchVersion);
    const r = run("--python", venv.python.path, "--torch-version", "2.1");
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).models[0].layers.map((l: { name: string }) => l.name)).not.toContain("attn.attn_drop");
    const pinned = run("--python", venv.python.path, "--torch-version", goldenTorchVersion);
    expect(JSON.parse(pinned.stdout).models[0].total_params).toBe(golden.total_params);
  });

  it("refuses what is no version with exit 2", () => {
    const r = run("--torch-version", "latest");
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("torchshape: --torch-version 'latest' is not a version (e.g. 1.13 or 2.1.0)\n");
  });
});
