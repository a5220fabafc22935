// Shapes as JSON values and as text.
import { dimToJson, dimToString, type Dim } from "../shapes/dim.js";
import type { ReportedShape } from "../analysis/summary.js";

export type JsonShape = (number | string)[] | JsonShape[] | null | "unknown";

function isDimList(s: readonly unknown[]): s is readonly Dim[] {
  return s.every((d) => typeof d === "number" || (typeof d === "object" && d !== null && !Array.isArray(d)));
}

export function shapeToJson(shape: ReportedShape): JsonShape {
  if (shape === null || shape === "unknown") return shape;
  if (isDimList(shape)) return shape.map(dimToJson);
  return (shape as readonly ReportedShape[]).map(shapeToJson) as JsonShape[];
}

export function shapeToText(shape: ReportedShape): string {
  if (shape === null) return "--";
  if (shape === "unknown") return "?";
  if (isDimList(shape)) return `[${shape.map(dimToString).join(", ")}]`;
  return `(${(shape as readonly ReportedShape[]).map(shapeToText).join(", ")})`;
}
