// Compares torchshape's compute and memory figures with torchinfo's own, recorded
// from real runs by scripts/make_torchinfo_goldens.py (X.torchinfo.json beside each golden).
import { existsSync, readFileSync } from "node:fs";
import { expect } from "vitest";
import type { ModelSummary } from "../src/analysis/summary.js";
import { leafMultAdds, leafOutputBytes, torchinfoFigures } from "../src/compute/torchinfo.js";
import { renderModelTable } from "../src/report/table.js";
import { modelFlops } from "../src/compute/flops.js";
import { dimIsDataDependent, dimToJson } from "../src/shapes/dim.js";

export interface TorchinfoModel {
  readonly name: string;
  readonly mult_adds: number;
  readonly input_bytes: number;
  readonly forward_backward_bytes: number;
  readonly params_bytes: number;
  readonly estimated_total_bytes: number;
  readonly footer: readonly string[];
  /** PyTorch's profiler's flops of the matrix products; a reference only when complete */
  readonly profiler_flops?: { readonly total: number; readonly complete: boolean };
  readonly leaf_calls: readonly { name: string; type: string; mult_adds: number; output_bytes: number; params: number }[];
}

export function torchinfoModels(goldenPath: string): TorchinfoModel[] | undefined {
  const path = goldenPath.replace(/\.golden\.json$/, ".torchinfo.json");
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as { models: TorchinfoModel[] }).models : undefined;
}

const FOOTER = /^(Total mult-adds|Input size|Forward\/backward pass size|Params size|Estimated Total Size)/;

/**
 * Every figure exactly: the totals, each leaf call's mult-adds and output bytes, and
 * the footer's text. A count that depends on the data (the boxes a mask kept) is a
 * polynomial on our side and one run's number in torchinfo's: it takes that number
 * (as data-dependent sizes do in the goldens test), and the footer is compared by its labels.
 */
export function expectTorchinfoFigures(model: ModelSummary, expected: TorchinfoModel): void {
  const calls = model.leafCalls.map((c, i) => {
    const theirs = expected.leaf_calls[i];
    return { name: c.name, type: c.type, mult_adds: settled(leafMultAdds(c), theirs?.mult_adds), output_bytes: settled(leafOutputBytes(c), theirs?.output_bytes) };
  });
  expect(calls).toEqual(expected.leaf_calls.map((c) => ({ name: c.name, type: c.type, mult_adds: c.mult_adds, output_bytes: c.output_bytes })));
  const f = torchinfoFigures(model);
  expect({
    mult_adds: settled(f.multAdds, expected.mult_adds),
    input_bytes: settled(f.inputBytes, expected.input_bytes),
    forward_backward_bytes: settled(f.forwardBackwardBytes, expected.forward_backward_bytes),
    params_bytes: settled(f.paramsBytes, expected.params_bytes),
    estimated_total_bytes: settled(f.estimatedTotalBytes, expected.estimated_total_bytes),
  }).toEqual({
    mult_adds: expected.mult_adds,
    input_bytes: expected.input_bytes,
    forward_backward_bytes: expected.forward_backward_bytes,
    params_bytes: expected.params_bytes,
    estimated_total_bytes: expected.estimated_total_bytes,
  });
  const footer = renderModelTable(model).split("\n").filter((l) => FOOTER.test(l));
  const dataDependent = [f.multAdds, f.forwardBackwardBytes, f.estimatedTotalBytes].some((c) => c !== undefined && dimIsDataDependent(c));
  // the label without its unit: a polynomial has no magnitude to pick "(k)" or "(MB)" by
  const label = (l: string) => l.slice(0, l.indexOf(":")).replace(/ \(\w+\)$/, "");
  if (dataDependent) expect(footer.map(label)).toEqual(expected.footer.map(label));
  else expect(footer).toEqual(expected.footer);
}

function settled(ours: ReturnType<typeof leafMultAdds>, theirs: number | undefined): number | string | null {
  return ours !== undefined && theirs !== undefined && dimIsDataDependent(ours) ? theirs : jsonOf(ours);
}

function jsonOf(c: ReturnType<typeof leafMultAdds>): number | string | null {
  return c === undefined ? null : dimToJson(c);
}

/**
 * flops against PyTorch's profiler, when it counted every matrix product the pass ran
 * (returns false when it did not: the model has products it leaves out, such as conv1d).
 */
export function expectProfilerFlops(model: ModelSummary, expected: TorchinfoModel): boolean {
  const ours = modelFlops(model);
  // a count that depends on the data (boxes a mask kept) has one run's number on their side
  if (!expected.profiler_flops?.complete || (ours !== undefined && dimIsDataDependent(ours))) return false;
  expect(jsonOf(ours)).toBe(expected.profiler_flops.total);
  return true;
}
