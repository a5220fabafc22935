// Honest unknowns: what an unmodelled call or an unresolved module gives, and
// how the values from the two sides of an undecidable branch merge.
import { dimIsDataDependent, type Dim } from "../shapes/dim.js";
import { makeTensor, unknownTensor } from "../shapes/tensor.js";
import { pyEquals } from "./operators.js";
import { forceValue, unknown, type NamespaceValue, type Value } from "./values.js";

/** Two values that may each be what a branch produced: keep what they agree on. */
export function mergeValues(a: Value, b: Value): Value {
  if (a === b) return a;
  if (a.kind === "lazy" || b.kind === "lazy") return mergeValues(forceValue(a), forceValue(b));
  if (a.kind === "tensor" && b.kind === "tensor") {
    const shape = a.shape && b.shape && a.dtype === b.dtype ? mergeShapes(a.shape, b.shape) : undefined;
    if (shape === a.shape) return a;
    return shape ? makeTensor(shape, a.dtype) : unknownTensor("the branches of an undecidable condition give different shapes", a.dtype);
  }
  if (pyEquals(a, b) === true) return a;
  if (a.kind === "tensor" || b.kind === "tensor") return unknownTensor("the branches of an undecidable condition give different values");
  return unknown("the branches of an undecidable condition give different values");
}

/**
 * The shape both branches agree on: equal dims stay; where the branches differ
 * and a side's size already depends on the data (nms on one path, a mask on the
 * other), the result's size depends on the data too, and that side's size says so.
 */
function mergeShapes(a: readonly Dim[], b: readonly Dim[]): readonly Dim[] | undefined {
  if (a.length !== b.length) return undefined;
  if (a.every((d, i) => String(d) === String(b[i]))) return a;
  const merged: Dim[] = [];
  for (let i = 0; i < a.length; i++) {
    if (String(a[i]) === String(b[i])) merged.push(a[i]);
    else if (dimIsDataDependent(a[i])) merged.push(a[i]);
    else if (dimIsDataDependent(b[i])) merged.push(b[i]);
    else return undefined;
  }
  return merged;
}

/** The result of an unmodelled call: a tensor of unknown shape if a tensor went in, else Unknown. */
export function unknownResultOf(args: readonly Value[], why: string): Value {
  return args.some((a) => a.kind === "tensor") ? unknownTensor(why) : unknown(why);
}

/** A module we could not resolve: every name in it is Unknown. */
export function unknownNamespace(name: string): NamespaceValue {
  return { kind: "namespace", name, get: (attr) => unknown(`${name}.${attr} comes from an unresolved module`) };
}
