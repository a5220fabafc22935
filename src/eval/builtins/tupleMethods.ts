// tuple's methods (count, index), namedtuple's (_asdict, _replace) and torch.Size's numel.
import { dimProduct } from "../../shapes/dim.js";
import { PyException } from "../errors.js";
import { numericValue, pyEquals, pyStr } from "../operators.js";
import { sliceBounds } from "../slicing.js";
import { int, makeDict, unknown, type NativeCall, type Value } from "../values.js";
import { requireInt } from "./collect.js";
import { selfOf, type MethodTable } from "./methodTables.js";

/** seq.index(x[, start[, end]]): the first equal item in the window; unknown when an item's equality is not known */
export function sequenceIndex(call: NativeCall, items: readonly Value[], kind: string): Value {
  const bound = (v: Value | undefined) => (v && v.kind !== "none" ? requireInt(v, "slice indices") : undefined);
  const [start, end] = sliceBounds(items.length, bound(call.args[2]), bound(call.args[3]), 1);
  for (let i = start; i < end; i++) {
    const same = pyEquals(items[i], call.args[1]);
    if (same === true) return int(i);
    if (same === undefined) return unknown(`${kind}.index over values whose equality is not known`);
  }
  throw new PyException("ValueError", `${kind}.index(x): x not in ${kind}`);
}

export const tupleMethods: MethodTable = {
  count: (call) => int(selfOf(call, "tuple").items.filter((x) => pyEquals(x, call.args[1]) === true).length),
  index: (call) => sequenceIndex(call, selfOf(call, "tuple").items, "tuple"),
  numel: (call) => int(dimProduct(selfOf(call, "tuple").items.map((x) => numericValue(x) ?? 0))),
  _asdict: (call) => {
    const t = selfOf(call, "tuple");
    const fields = t.namedtuple?.attrs.get("_fields");
    const names = fields?.kind === "tuple" ? fields.items : [];
    return makeDict(names.map((n, i) => [n, t.items[i]] as const), true);
  },
  _replace: (call) => {
    const t = selfOf(call, "tuple");
    const fields = t.namedtuple?.attrs.get("_fields");
    const names = fields?.kind === "tuple" ? fields.items.map((f) => pyStr(f)) : [];
    return { kind: "tuple", items: t.items.map((x, i) => call.kwargs.get(names[i]) ?? x), namedtuple: t.namedtuple };
  },
};
