// Compares torchshape's compute and memory figures with torchinfo's own, recorded
// from real runs by scripts/make_torchinfo_goldens.py (X.torchinfo.json beside each golden).
import { existsSync, readFileSync } from "node:fs";
import { expect } from "vitest";
import type { ModelSummary } from "../src/analysis/summary.js";
import { leafMultAdds, leafOutputBytes, torchinfoFigures } from "../src/compute/torchinfo.js";
import { renderModelTable } from "../src/report/table.js";
import { dimToJson } from "../src/shapes/dim.js";

export interface TorchinfoModel {
  readonly name: string;
  readonly mult_adds: number;
  readonly input_bytes: number;
  readonly forward_backward_bytes: number;
  readonly params_bytes: number;
  readonly estimated_total_bytes: number;
  readonly footer: readonly string[];
  readonly leaf_calls: readonly { name: string; type: string; mult_adds: number; output_bytes: number; params: number }[];
}

export function torchinfoModels(goldenPath: string): TorchinfoModel[] | undefined {
  const path = goldenPath.replace(/\.golden\.json$/, ".torchinfo.json");
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as { models: TorchinfoModel[] }).models : undefined;
}

const FOOTER = /^(Total mult-adds|Input size|Forward\/backward pass size|Params size|Estimated Total Size)/;

/** Every figure exactly: the totals, each leaf call's mult-adds and output bytes, and the footer's text. */
export function expectTorchinfoFigures(model: ModelSummary, expected: TorchinfoModel): void {
  const calls = model.leafCalls.map((c) => ({ name: c.name, type: c.type, mult_adds: jsonOf(leafMultAdds(c)), output_bytes: jsonOf(leafOutputBytes(c)) }));
  expect(calls).toEqual(expected.leaf_calls.map((c) => ({ name: c.name, type: c.type, mult_adds: c.mult_adds, output_bytes: c.output_bytes })));
  const f = torchinfoFigures(model);
  expect({
    mult_adds: jsonOf(f.multAdds),
    input_bytes: jsonOf(f.inputBytes),
    forward_backward_bytes: jsonOf(f.forwardBackwardBytes),
    params_bytes: jsonOf(f.paramsBytes),
    estimated_total_bytes: jsonOf(f.estimatedTotalBytes),
  }).toEqual({
    mult_adds: expected.mult_adds,
    input_bytes: expected.input_bytes,
    forward_backward_bytes: expected.forward_backward_bytes,
    params_bytes: expected.params_bytes,
    estimated_total_bytes: expected.estimated_total_bytes,
  });
  expect(renderModelTable(model).split("\n").filter((l) => FOOTER.test(l))).toEqual(expected.footer);
}

function jsonOf(c: ReturnType<typeof leafMultAdds>): number | string | null {
  return c === undefined ? null : dimToJson(c);
}
