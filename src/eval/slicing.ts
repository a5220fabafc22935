// Python's indexing and slicing of sequences, with its clamping rules.
import { numericValue } from "./operators.js";
import type { Value } from "./values.js";

/** A negative index counts from the end. */
export function normalizeIndex(i: number, length: number): number {
  return i < 0 ? i + length : i;
}

/** items[lower:upper:step] with Python's clamping; undefined for symbolic bounds. */
export function sliceItems<T>(items: readonly T[], s: { lower: Value; upper: Value; step: Value }): T[] | undefined {
  const step = s.step.kind === "none" ? 1 : numericValue(s.step);
  const lower = s.lower.kind === "none" ? undefined : numericValue(s.lower);
  const upper = s.upper.kind === "none" ? undefined : numericValue(s.upper);
  if (typeof step !== "number" || (lower !== undefined && typeof lower !== "number") || (upper !== undefined && typeof upper !== "number")) return undefined;
  const [start, stop] = sliceBounds(items.length, lower as number | undefined, upper as number | undefined, step);
  const out: T[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) out.push(items[i]);
  else for (let i = start; i > stop; i += step) out.push(items[i]);
  return out;
}

export function sliceBounds(length: number, lower: number | undefined, upper: number | undefined, step: number): [number, number] {
  const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));
  if (step > 0) {
    const start = lower === undefined ? 0 : clamp(lower < 0 ? lower + length : lower, 0, length);
    const stop = upper === undefined ? length : clamp(upper < 0 ? upper + length : upper, 0, length);
    return [start, stop];
  }
  const start = lower === undefined ? length - 1 : clamp(lower < 0 ? lower + length : lower, -1, length - 1);
  const stop = upper === undefined ? -1 : clamp(upper < 0 ? upper + length : upper, -1, length - 1);
  return [start, stop];
}
