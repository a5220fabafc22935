// dict's methods (Python 3.11 "Mapping Types"). values/items give lists and keys an ordered set,
// not live views: what model code does with them (iterate, list(), len, in, keys' set operations) reads the same.
import { keyError } from "./exceptions.js";
import { hashKey, list, makeDict, NONE, str, tuple, type NativeCall, type Value } from "../values.js";
import { items } from "./collect.js";
import { dictFrom } from "./conversions.js";
import { selfOf, type MethodTable } from "./methodTables.js";

/** dict.fromkeys(iterable, value=None), from the class or an instance */
export function dictFromKeys(call: NativeCall, first: number): Value {
  const value = call.args[first + 1] ?? call.kwargs.get("value") ?? NONE;
  return makeDict(items(call.interp, call.args[first]).map((k) => [k, value] as const));
}

export const dictMethods: MethodTable = {
  // a set in insertion order: iteration, len and `in` as a view gives them, and its set operations (d.keys() - {...})
  keys: (call) => ({ kind: "set", entries: new Map([...selfOf(call, "dict").entries].map(([h, e]) => [h, e.key] as const)) }),
  values: (call) => list([...selfOf(call, "dict").entries.values()].map((e) => e.value)),
  items: (call) => list([...selfOf(call, "dict").entries.values()].map((e) => tuple([e.key, e.value]))),
  get: (call) => selfOf(call, "dict").entries.get(hashKey(call.args[1]))?.value ?? call.args[2] ?? NONE,
  pop: (call) => {
    const d = selfOf(call, "dict");
    const k = hashKey(call.args[1]);
    const e = d.entries.get(k);
    if (e) {
      d.entries.delete(k);
      return e.value;
    }
    if (call.args[2]) return call.args[2];
    throw keyError(call.args[1]);
  },
  setdefault: (call) => {
    const d = selfOf(call, "dict");
    const k = hashKey(call.args[1]);
    const e = d.entries.get(k);
    if (e) return e.value;
    const val = call.args[2] ?? NONE;
    d.entries.set(k, { key: call.args[1], value: val });
    return val;
  },
  update: (call) => {
    const d = selfOf(call, "dict");
    // a mapping, or an iterable of key/value pairs, as dict(...) takes
    const given = dictFrom({ ...call, args: call.args.slice(1) });
    if (given.kind !== "dict") return given;
    for (const [k, e] of given.entries) d.entries.set(k, e);
    return NONE;
  },
  copy: (call) => ({ kind: "dict", entries: new Map(selfOf(call, "dict").entries), ordered: selfOf(call, "dict").ordered }),
  clear: (call) => {
    selfOf(call, "dict").entries.clear();
    return NONE;
  },
  fromkeys: (call) => dictFromKeys(call, 1),
  popitem: (call) => {
    const d = selfOf(call, "dict");
    const last = [...d.entries.keys()].pop();
    if (last === undefined) throw keyError(str("popitem(): dictionary is empty"));
    const e = d.entries.get(last)!;
    d.entries.delete(last);
    return tuple([e.key, e.value]);
  },
};
