// A file's outcome crosses from a worker thread as a structured clone, which keeps
// plain objects, arrays, maps and sets, and drops every other prototype: symbolic
// dimensions (SymDim) arrive as bare { poly } objects and get their class back here.
// The worker sends only outcomes made of those (foreignClassIn); any other object is
// a file analysed again on the main thread, never a result changed by the crossing.
import { SymDim } from "../shapes/dim.js";

const plainPrototypes = new Set<object | null>([Object.prototype, Array.prototype, Map.prototype, Set.prototype, SymDim.prototype, null]);

/** The name of the first object in `value` that a structured clone would not give back as it is; undefined when there is none. */
export function foreignClassIn(value: unknown, seen = new Set<object>()): string | undefined {
  if (typeof value === "function") return "function";
  if (typeof value !== "object" || value === null || seen.has(value)) return undefined;
  seen.add(value);
  const proto = Object.getPrototypeOf(value) as object | null;
  if (!plainPrototypes.has(proto)) return (proto as { constructor?: { name?: string } }).constructor?.name ?? "an object";
  const parts = value instanceof Map ? [...value.keys(), ...value.values()] : value instanceof Set ? [...value] : Object.values(value);
  for (const part of parts) {
    const found = foreignClassIn(part, seen);
    if (found) return found;
  }
  return undefined;
}

/** `value` with its symbolic dimensions made SymDims again, in place. */
export function reviveSymbolicDims<T>(value: T, seen = new Set<object>()): T {
  if (typeof value !== "object" || value === null || seen.has(value)) return value;
  seen.add(value);
  if (value instanceof Map) {
    for (const v of value.values()) reviveSymbolicDims(v, seen);
    return value;
  }
  if (value instanceof Set) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === "poly" && (value as unknown as { poly: unknown }).poly instanceof Map && Object.getPrototypeOf(value) === Object.prototype) {
    Object.setPrototypeOf(value, SymDim.prototype);
    return value;
  }
  for (const v of Object.values(value)) reviveSymbolicDims(v, seen);
  return value;
}
