// Honest unknowns: what an unmodelled call or an unresolved module gives, and
// how the values from the two sides of an undecidable branch merge.
import { unknownTensor } from "../shapes/tensor.js";
import { pyEquals } from "./operators.js";
import { forceValue, unknown, type NamespaceValue, type Value } from "./values.js";

/** Two values that may each be what a branch produced: keep what they agree on. */
export function mergeValues(a: Value, b: Value): Value {
  if (a === b) return a;
  if (a.kind === "lazy" || b.kind === "lazy") return mergeValues(forceValue(a), forceValue(b));
  if (a.kind === "tensor" && b.kind === "tensor") {
    const same = a.shape && b.shape && a.shape.length === b.shape.length && a.shape.every((d, i) => String(d) === String(b.shape![i]));
    return same ? a : unknownTensor("the branches of an undecidable condition give different shapes", a.dtype);
  }
  if (pyEquals(a, b) === true) return a;
  if (a.kind === "tensor" || b.kind === "tensor") return unknownTensor("the branches of an undecidable condition give different values");
  return unknown("the branches of an undecidable condition give different values");
}

/** The result of an unmodelled call: a tensor of unknown shape if a tensor went in, else Unknown. */
export function unknownResultOf(args: readonly Value[], why: string): Value {
  return args.some((a) => a.kind === "tensor") ? unknownTensor(why) : unknown(why);
}

/** A module we could not resolve: every name in it is Unknown. */
export function unknownNamespace(name: string): NamespaceValue {
  return { kind: "namespace", name, get: (attr) => unknown(`${name}.${attr} comes from an unresolved module`) };
}
