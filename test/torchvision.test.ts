// torchvision's models (every builder it registers, detection aside), analysed
// from torchvision's own source (the installed Debian package, or the copy .ci/run
// extracts from it) and compared row by row with goldens from real PyTorch 1.13
// forward hooks.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../src/analysis/analyze.js";
import { parseInputSpec } from "../src/analysis/inputSpec.js";
import { toContractJson } from "../src/report/json.js";
import { expectProfilerFlops, expectTorchinfoFigures, torchinfoModels } from "./torchinfoFigures.js";
import type { GoldenModel } from "./goldenFiles.js";
import { readManifest, torchvisionFolder, type ManifestEntry } from "./torchvisionSources.js";
import { goldenTorchVersion } from "./goldenTorch.js";
import { cacheModes, inCacheMode } from "./syntaxCacheModes.js";

const root = join(import.meta.dirname, "..");
const fixtures = join(root, "fixtures", "torchvision");

interface ClassificationEntry extends ManifestEntry {
  /** one forward() argument, or several (RAFT's two images) */
  readonly input: string | readonly string[];
}

const manifest = readManifest<ClassificationEntry>("models.json");

const torchvision = torchvisionFolder();

/** Detection models take lists of images: not covered here yet. */
const notYetCovered = /^models\/detection\//;

/** Every builder torchvision registers (`@register_model` above a `def`), as "file:function". */
function registeredBuilders(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".py")) {
        const file = relative(folder, path);
        for (const m of readFileSync(path, "utf8").matchAll(/^@register_model\([^)]*\)$[\s\S]*?^def (\w+)\(/gm)) found.push(`${file}:${m[1]}`);
      }
    }
  };
  walk(join(folder, "models"));
  return found.filter((b) => !notYetCovered.test(b)).sort();
}

function rowsOf(model: { layers: { name: string; type: string; params: unknown; trainable_params: unknown; input_shape: unknown; output_shape: unknown; depth: number }[] }) {
  return model.layers.map((l) => ({ name: l.name, type: l.type, params: l.params, trainable_params: l.trainable_params, input_shape: l.input_shape, output_shape: l.output_shape, depth: l.depth }));
}

describe("torchvision's models match real PyTorch", () => {
  it("finds torchvision's sources", () => {
    // Loud on purpose: without the sources nothing below can pass.
    expect(
      torchvision,
      "torchvision's Python sources were not found: install python3-torchvision, or run .ci/run (it extracts the Debian package into .cache/torchvision), or set TORCHSHAPE_TORCHVISION to the package folder",
    ).toBeDefined();
  });
  it("has a golden for every manifest entry", () => {
    for (const e of manifest) expect(existsSync(join(fixtures, `${e.name}.golden.json`)), e.name).toBe(true);
  });
  it("covers every builder torchvision registers, detection aside", () => {
    expect(torchvision, "torchvision's sources were not found (see the first test)").toBeDefined();
    const builders = registeredBuilders(torchvision!);
    expect(builders.length).toBe(106);
    const covered = new Set(manifest.map((e) => `${e.file}:${e.model.slice(0, e.model.indexOf("("))}`));
    expect(builders.filter((b) => !covered.has(b))).toEqual([]);
  });

  /** the models whose flops PyTorch's profiler fully counts, compared exactly */
  const profiled: string[] = [];
  for (const entry of manifest) {
    it(entry.name, () => {
      expect(torchvision, "torchvision's sources were not found (see the first test)").toBeDefined();
      const golden = (JSON.parse(readFileSync(join(fixtures, `${entry.name}.golden.json`), "utf8")) as { models: GoldenModel[] }).models[0];
      // with every file read from the syntax cache, and with none: the cache changes no result
      for (const mode of cacheModes) {
        const analysis = inCacheMode(mode, () => analyzeFile(join(torchvision!, entry.file), { model: entry.model, inputs: (typeof entry.input === "string" ? [entry.input] : entry.input).map(parseInputSpec), torchVersion: goldenTorchVersion }));
        const result = toContractJson(analysis);
        expect(result.models.length).toBe(1);
        const m = result.models[0];
        expect(rowsOf(m), mode.name).toEqual(golden.layers);
        expect(m.output_shape).toEqual(golden.output_shape);
        expect(m.total_params).toBe(golden.total_params);
        expect(m.trainable_params).toBe(golden.trainable_params);
        expect(result.diagnostics).toEqual([]);
        const torchinfo = torchinfoModels(join(fixtures, `${entry.name}.golden.json`));
        expect(torchinfo, `${entry.name}.torchinfo.json (scripts/make_torchinfo_goldens.py --manifest)`).toBeDefined();
        expectTorchinfoFigures(analysis.models[0], torchinfo![0]);
        if (expectProfilerFlops(analysis.models[0], torchinfo![0]) && mode.cached) profiled.push(entry.name);
      }
    });
  }

  it("compares flops with PyTorch's profiler on resnet50 and vit_b_16 at least (models it counts fully)", () => {
    expect(profiled).toEqual(expect.arrayContaining(["resnet50", "vit_b_16"]));
  });

  it("the command line gives the same rows (resnet18, as documented)", () => {
    expect(torchvision, "torchvision's sources were not found (see the first test)").toBeDefined();
    const r = spawnSync(process.execPath, [join(root, "bin", "torchshape.cjs"), join(torchvision!, "models", "resnet.py"), "--model", "resnet18()", "--input", "1,3,224,224", "--format", "json", "--torch-version", goldenTorchVersion], { cwd: root, encoding: "utf8", timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const golden = (JSON.parse(readFileSync(join(fixtures, "resnet18.golden.json"), "utf8")) as { models: GoldenModel[] }).models[0];
    const m = JSON.parse(r.stdout).models[0];
    expect(rowsOf(m)).toEqual(golden.layers);
    expect(m.total_params).toBe(golden.total_params);
  });
});
