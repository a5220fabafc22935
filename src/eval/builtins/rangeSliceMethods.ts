// range's methods (count, index) and slice's indices(), as Python 3.11 documents them.
import { PyException } from "../errors.js";
import { numericValue } from "../operators.js";
import { sliceBounds } from "../slicing.js";
import { int, tuple, unknown, type Value } from "../values.js";
import { requireInt } from "./collect.js";
import { selfOf, type MethodTable } from "./methodTables.js";

/** the position of n in the range, or -1 */
function rangePosition(r: { start: number; stop: number; step: number }, n: number): number {
  const offset = n - r.start;
  if (offset % r.step !== 0) return -1;
  const i = offset / r.step;
  const length = Math.max(0, Math.ceil((r.stop - r.start) / r.step));
  return i >= 0 && i < length ? i : -1;
}

function numberOf(v: Value | undefined): number | undefined {
  if (v?.kind === "float" && Number.isInteger(v.value)) return v.value;
  const n = v && (v.kind === "int" || v.kind === "bool") ? numericValue(v) : undefined;
  return typeof n === "number" ? n : undefined;
}

export const rangeMethods: MethodTable = {
  count: (call) => {
    const n = numberOf(call.args[1]);
    return int(n !== undefined && rangePosition(selfOf(call, "range"), n) >= 0 ? 1 : 0);
  },
  index: (call) => {
    const x = call.args[1];
    const n = numberOf(x);
    const i = n === undefined ? -1 : rangePosition(selfOf(call, "range"), n);
    if (x?.kind === "int" && typeof x.value !== "number") return unknown("range.index of a symbolic value");
    if (i < 0) throw new PyException("ValueError", `${n ?? "value"} is not in range`);
    return int(i);
  },
};

export const sliceMethods: MethodTable = {
  indices: (call) => {
    const s = selfOf(call, "slice");
    const length = requireInt(call.args[1], "length");
    const bound = (v: Value) => (v.kind === "none" ? undefined : numericValue(v));
    const [lower, upper, step] = [bound(s.lower), bound(s.upper), bound(s.step) ?? 1];
    if ([lower, upper, step].some((v) => v !== undefined && typeof v !== "number")) return unknown("slice.indices of a symbolic slice");
    const [start, stop] = sliceBounds(length, lower as number | undefined, upper as number | undefined, step as number);
    return tuple([int(start), int(stop), int(step as number)]);
  },
};
