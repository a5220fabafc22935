// Reading Python iterables and arguments for the builtins: items, sets of hash keys, ints, sorting.
import { PyException } from "../errors.js";
import type { Interpreter } from "../interpreter.js";
import { typeName } from "../naming.js";
import { numericValue, pyLess } from "../operators.js";
import { bool, hashKey, type Value } from "../values.js";

export function requireInt(v: Value | undefined, what: string): number {
  const n = v ? numericValue(v) : undefined;
  if (typeof n !== "number") throw new PyException("TypeError", `${what} must be an integer`);
  return n;
}

/** the hash keys of an iterable's items, for set comparisons */
export function setKeys(interp: Interpreter, v: Value | undefined): Set<string> {
  return new Set(items(interp, v).map(hashKey));
}

export function items(interp: Interpreter, v: Value | undefined): Value[] {
  if (!v) return [];
  const out = interp.iterate(v);
  if (!out) throw new PyException("TypeError", `cannot iterate over ${v.kind === "unknown" ? "an unknown value" : `'${typeName(v)}'`}`);
  return out;
}

/**
 * items, or undefined when the iterable is unknown, or a tensor whose length is
 * not a number (its rows depend on the data): the caller returns Unknown instead of failing.
 */
export function maybeItems(interp: Interpreter, v: Value | undefined): Value[] | undefined {
  if (!v || v.kind === "unknown") return undefined;
  if (v.kind === "tensor") return interp.iterate(v);
  return items(interp, v);
}

export function truth(interp: Interpreter, x: Value): { kind: "bool"; value: boolean } {
  const t = interp.truthy(x);
  return bool(t === true);
}

export function sortValues(interp: Interpreter, xs: Value[], key?: Value, reverse?: Value): Value[] {
  const keyed = xs.map((x) => ({ x, k: key && key.kind !== "none" ? interp.callValue(key, [x]) : x }));
  keyed.sort((a, b) => (pyLess(a.k, b.k) ? -1 : pyLess(b.k, a.k) ? 1 : 0));
  if (reverse && interp.truthy(reverse)) keyed.reverse();
  return keyed.map((e) => e.x);
}
