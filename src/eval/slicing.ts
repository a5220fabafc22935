// Python's indexing and slicing of sequences, with its clamping rules.
import { PyException } from "./errors.js";
import { numericValue } from "./operators.js";
import type { Value } from "./values.js";

/** A negative index counts from the end. */
export function normalizeIndex(i: number, length: number): number {
  return i < 0 ? i + length : i;
}

/** items[lower:upper:step] with Python's clamping; undefined for symbolic bounds. */
export function sliceItems<T>(items: readonly T[], s: SliceBounds): T[] | undefined {
  return slicePositions(items.length, s)?.map((i) => items[i]);
}

export interface SliceBounds {
  readonly lower: Value;
  readonly upper: Value;
  readonly step: Value;
}

/** The positions a slice selects from `length` items, in its order; undefined for symbolic bounds. */
export function slicePositions(length: number, s: SliceBounds): number[] | undefined {
  // a float or a string is no index: Python raises before it looks at the sequence
  if ([s.lower, s.upper, s.step].some((v) => v.kind === "float" || v.kind === "str")) {
    throw new PyException("TypeError", "slice indices must be integers or None or have an __index__ method");
  }
  const step = s.step.kind === "none" ? 1 : numericValue(s.step);
  const lower = s.lower.kind === "none" ? undefined : numericValue(s.lower);
  const upper = s.upper.kind === "none" ? undefined : numericValue(s.upper);
  if (typeof step !== "number" || (lower !== undefined && typeof lower !== "number") || (upper !== undefined && typeof upper !== "number")) return undefined;
  const [start, stop] = sliceBounds(length, lower as number | undefined, upper as number | undefined, step);
  const out: number[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) out.push(i);
  else for (let i = start; i > stop; i += step) out.push(i);
  return out;
}

/** items[lower:upper:step] = values, as Python's list does it: a plain slice is replaced, an extended one assigned position by position. */
export function assignSlice<T>(items: T[], index: SliceBounds, values: readonly T[]): void {
  const step = index.step.kind === "none" ? 1 : numericValue(index.step);
  if (step === 1) {
    const start = numericValue(index.lower);
    const stop = numericValue(index.upper);
    // symbolic bounds: the whole list, as before
    const [s, e] = sliceBounds(items.length, typeof start === "number" ? start : undefined, typeof stop === "number" ? stop : undefined, 1);
    items.splice(s, Math.max(0, e - s), ...values);
    return;
  }
  const positions = slicePositions(items.length, index);
  if (!positions) return;
  if (positions.length !== values.length) throw new PyException("ValueError", `attempt to assign sequence of size ${values.length} to extended slice of size ${positions.length}`);
  positions.forEach((p, k) => (items[p] = values[k]));
}

/** del items[lower:upper:step] */
export function deleteSlice<T>(items: T[], index: SliceBounds): void {
  const positions = slicePositions(items.length, index);
  if (!positions) return;
  const gone = new Set(positions);
  const kept = items.filter((_, i) => !gone.has(i));
  items.splice(0, items.length, ...kept);
}

/**
 * The first position and the stop of a slice over `length` items, clamped as Python's
 * slice.indices clamps them. A step of 0 is Python's ValueError (walking it would never end).
 */
export function sliceBounds(length: number, lower: number | undefined, upper: number | undefined, step: number): [number, number] {
  if (step === 0) throw new PyException("ValueError", "slice step cannot be zero");
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
