// torchvision's detection models (a list of images in, a list of dicts out),
// analysed from torchvision's own source and compared with goldens from real
// PyTorch 1.13. Every row before the data-dependent point (the first row whose
// sizes depend on the boxes NMS keeps) must match exactly; from there on every
// size torchshape knows must match, and every size it does not know must be a
// named data-dependent dimension where PyTorch's run has a number.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../src/analysis/analyze.js";
import { parseInputSpec } from "../src/analysis/inputSpec.js";
import { toContractJson } from "../src/report/json.js";
import { hasDataDependentDim, settledShape } from "./dataDependentShapes.js";
import type { GoldenModel } from "./goldenFiles.js";
import { goldenTorchVersion } from "./goldenTorch.js";
import { readManifest, torchvisionFolder, type ManifestEntry } from "./torchvisionSources.js";

const root = join(import.meta.dirname, "..");
const fixtures = join(root, "fixtures", "torchvision");

interface DetectionEntry extends ManifestEntry {
  readonly input: string;
  /** the first row whose sizes depend on the data; null when only the output does (no layer runs after the NMS) */
  readonly data_dependent_from: string | null;
}

const manifest = readManifest<DetectionEntry>("detection.json");
const torchvision = torchvisionFolder();

describe("torchvision detection models match real PyTorch up to the data-dependent point", () => {
  it("finds torchvision's sources and a golden for every manifest entry", () => {
    expect(torchvision, "torchvision's Python sources were not found (see test/torchvision.test.ts)").toBeDefined();
    for (const e of manifest) expect(existsSync(join(fixtures, `${e.name}.golden.json`)), e.name).toBe(true);
  });

  for (const entry of manifest) {
    it(entry.name, () => {
      expect(torchvision, "torchvision's sources were not found").toBeDefined();
      const golden = (JSON.parse(readFileSync(join(fixtures, `${entry.name}.golden.json`), "utf8")) as { models: GoldenModel[] }).models[0];
      const result = analyzeFile(join(torchvision!, entry.file), { model: entry.model, inputs: [parseInputSpec(entry.input)], torchVersion: goldenTorchVersion });
      expect(result.models.length).toBe(1);
      const summary = result.models[0];
      expect(summary.incomplete).toBeUndefined();
      const contract = toContractJson(result).models[0];
      const rows = contract.layers.map((l) => ({ name: l.name, type: l.type, params: l.params, trainable_params: l.trainable_params, input_shape: l.input_shape, output_shape: l.output_shape, depth: l.depth }));

      // the data-dependent point: ours is where the first data-dependent size appears, and it is the manifest's row
      const found = summary.layers.findIndex((l) => hasDataDependentDim(l.inputShape) || hasDataDependentDim(l.outputShape));
      const point = found < 0 ? rows.length : found;
      const expected = entry.data_dependent_from === null ? golden.layers.length : golden.layers.findIndex((l) => l.name === entry.data_dependent_from);
      expect(point, "the first row with a data-dependent size").toBe(expected);
      expect(point).toBeGreaterThan(0);
      // before it, every row exactly as PyTorch's
      expect(rows.slice(0, point)).toEqual(golden.layers.slice(0, point));
      // from it on, the data-dependent sizes take PyTorch's numbers, and then every row is PyTorch's
      const settled = rows.map((r, i) => ({ ...r, input_shape: settledShape(summary.layers[i].inputShape, golden.layers[i]?.input_shape), output_shape: settledShape(summary.layers[i].outputShape, golden.layers[i]?.output_shape) }));
      expect(settled).toEqual(golden.layers);
      expect(hasDataDependentDim(summary.outputShape)).toBe(true);
      expect(settledShape(summary.outputShape, golden.output_shape)).toEqual(golden.output_shape);
      expect(contract.total_params).toBe(golden.total_params);
      expect(contract.trainable_params).toBe(golden.trainable_params);
      expect(result.diagnostics).toEqual([]);
    });
  }
});
