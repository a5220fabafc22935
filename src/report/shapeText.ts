// Shapes as JSON values and as text.
import { dimToJson, dimToString, type Dim } from "../shapes/dim.js";
import type { InputSpec, ReportedShape } from "../analysis/summary.js";
import { formatShape } from "../shapes/shape.js";

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

/** A forward argument as JSON: its shape, a list input's shapes, or "unknown". */
export function inputToJson(input: InputSpec): JsonShape {
  if (input.items) return input.items.map(inputToJson) as JsonShape[];
  return input.unknown ? "unknown" : shapeToJson(input.shape);
}

/** A forward argument as text: `[1, 3, 32, 32]`, `[2, 10] int64`, a list input `[[3, 320, 320], [3, 320, 320]]`. */
export function inputToText(input: InputSpec): string {
  if (input.items) return `[${input.items.map(inputToText).join(", ")}]`;
  return (input.unknown ? "?" : formatShape(input.shape)) + (input.dtype !== "float32" ? ` ${input.dtype}` : "");
}
