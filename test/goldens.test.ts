// Every fixture against its golden: JSON written by real PyTorch 1.13 forward
// hooks (scripts/make_goldens.py). Row by row: name, type, params, shapes; then totals.
// A size that depends on the data (what a mask or nms keeps) is a named symbolic
// dim on our side and a number in PyTorch's run: it takes the golden's number
// before the comparison (test/dataDependentShapes.ts); every other size must match.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../src/analysis/analyze.js";
import { toContractJson } from "../src/report/json.js";
import { expectProfilerFlops, expectTorchinfoFigures, torchinfoModels } from "./torchinfoFigures.js";
import { modelFlops } from "../src/compute/flops.js";
import { dimIsDataDependent } from "../src/shapes/dim.js";
import { settledShape } from "./dataDependentShapes.js";
import type { GoldenModel } from "./goldenFiles.js";
import { goldenTorchVersion } from "./goldenTorch.js";
import { cacheModes, inCacheMode, type CacheMode } from "./syntaxCacheModes.js";

const fixtures = join(import.meta.dirname, "..", "fixtures", "models");

const goldenFiles = readdirSync(fixtures).filter((f) => f.endsWith(".golden.json")).sort();

/** Models known not to match yet, each with the reason; the test checks they still differ, so a fix must remove them. */
const pending: Readonly<Record<string, string>> = JSON.parse(readFileSync(join(import.meta.dirname, "goldens.pending.json"), "utf8"));

/** torchinfo's figures known not to match yet, with the reason (checked to still differ, like `pending`). */
const torchinfoPending: Readonly<Record<string, string>> = JSON.parse(readFileSync(join(import.meta.dirname, "torchinfo.pending.json"), "utf8"));

const analysed = new Map<string, ReturnType<typeof modelsOf>>();
function modelsOf(file: string, mode: CacheMode) {
  const analysis = inCacheMode(mode, () => analyzeFile(join(fixtures, file), { torchVersion: goldenTorchVersion }));
  const result = toContractJson(analysis);
  return { json: new Map(result.models.map((m) => [m.name, m])), summaries: new Map(analysis.models.map((m) => [m.name, m])) };
}
/** Analyse each fixture once, inside the first test that needs it (a failure fails that test, not the collection). */
function cachedModelsOf(file: string, mode: CacheMode) {
  let m = analysed.get(`${mode.name}:${file}`);
  if (!m) analysed.set(`${mode.name}:${file}`, (m = modelsOf(file, mode)));
  return m;
}

for (const mode of cacheModes) {
  describe(`fixtures match real PyTorch, ${mode.name}`, () => {
    it("has goldens", () => expect(goldenFiles.length).toBeGreaterThanOrEqual(31));
    for (const goldenFile of goldenFiles) {
      const golden = JSON.parse(readFileSync(join(fixtures, goldenFile), "utf8")) as { models: GoldenModel[] };
      const pyFile = goldenFile.replace(".golden.json", ".py");
      describe(pyFile, () => {
        for (const g of golden.models) {
          const key = `${pyFile}:${g.name}`;
          const compare = () => {
            const m = cachedModelsOf(pyFile, mode).json.get(g.name);
            const summary = cachedModelsOf(pyFile, mode).summaries.get(g.name);
            expect(m, `model ${g.name} analysed`).toBeDefined();
            const rows = m!.layers.map((l, i) => {
              const ours = summary!.layers[i];
              const gold = g.layers[i];
              return { name: l.name, type: l.type, params: l.params, trainable_params: l.trainable_params, input_shape: settledShape(ours.inputShape, gold?.input_shape), output_shape: settledShape(ours.outputShape, gold?.output_shape), depth: l.depth };
            });
            expect(rows).toEqual(g.layers);
            expect(settledShape(summary!.outputShape, g.output_shape)).toEqual(g.output_shape);
            expect(m!.total_params).toBe(g.total_params);
            expect(m!.trainable_params).toBe(g.trainable_params);
          };
          if (pending[key]) it(`${g.name} (pending: ${pending[key]}) still differs`, () => expect(compare).toThrow());
          else it(g.name, compare);
          const torchinfo = torchinfoModels(join(fixtures, goldenFile))?.find((t) => t.name === g.name);
          const compareTorchinfo = () => {
            expect(torchinfo, `${goldenFile.replace(".golden.json", ".torchinfo.json")} records ${g.name}: run scripts/make_torchinfo_goldens.py (DEVELOPERS.md)`).toBeDefined();
            const m = cachedModelsOf(pyFile, mode).summaries.get(g.name);
            expect(m, `model ${g.name} analysed`).toBeDefined();
            expectTorchinfoFigures(m!, torchinfo!);
          };
          if (torchinfoPending[key]) it(`${g.name}: torchinfo's figures (pending: ${torchinfoPending[key]}) still differ`, () => expect(compareTorchinfo).toThrow());
          else it(`${g.name}: torchinfo's figures`, compareTorchinfo);
          if (torchinfo?.profiler_flops?.complete)
            it(`${g.name}: flops as PyTorch's profiler counts them`, () => {
              const m = cachedModelsOf(pyFile, mode).summaries.get(g.name);
              expect(m, `model ${g.name} analysed`).toBeDefined();
              // false only for a count that depends on the data (the boxes a mask kept): PyTorch's is one run's number, ours must say it depends
              if (!expectProfilerFlops(m!, torchinfo)) expect(dimIsDataDependent(modelFlops(m!) ?? 0)).toBe(true);
            });
        }
      });
    }
  });
}
