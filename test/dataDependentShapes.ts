// Comparing with a golden where a size depends on the data. PyTorch's run gives
// a number there (the boxes NMS kept that time); torchshape gives a named
// data-dependent dimension. To compare, each data-dependent dim of ours takes
// the golden's number at the same place; every other size must then match as is.
import type { ReportedShape } from "../src/analysis/summary.js";
import { shapeToJson, type JsonShape } from "../src/report/shapeText.js";
import { dimIsDataDependent, dimToJson, type Dim } from "../src/shapes/dim.js";

function isDimList(s: readonly unknown[]): s is readonly Dim[] {
  return s.every((d) => typeof d === "number" || (typeof d === "object" && d !== null && !Array.isArray(d)));
}

/** Whether a data-dependent size appears in the shape. */
export function hasDataDependentDim(shape: ReportedShape): boolean {
  if (shape === null || shape === "unknown") return false;
  if (isDimList(shape)) return shape.some(dimIsDataDependent);
  return (shape as readonly ReportedShape[]).some(hasDataDependentDim);
}

/** Our shape as JSON, each data-dependent dim replaced by the golden's number at its place (when the golden has one there). */
export function settledShape(ours: ReportedShape, golden: unknown): JsonShape {
  if (ours === null || ours === "unknown" || !Array.isArray(golden)) return shapeToJson(ours);
  if (isDimList(ours)) return ours.map((d, i) => (dimIsDataDependent(d) && typeof golden[i] === "number" ? (golden[i] as number) : dimToJson(d)));
  return (ours as readonly ReportedShape[]).map((s, i) => settledShape(s, golden[i])) as JsonShape[];
}
