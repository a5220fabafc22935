// set's and frozenset's methods (Python 3.11 "Set Types"); one value kind holds both.
import { keyError } from "./exceptions.js";
import { bool, hashKey, NONE, str } from "../values.js";
import { items, setKeys } from "./collect.js";
import { selfOf, type MethodTable } from "./methodTables.js";

export const setMethods: MethodTable = {
  add: (call) => {
    selfOf(call, "set").entries.set(hashKey(call.args[1]), call.args[1]);
    return NONE;
  },
  update: (call) => {
    for (const other of call.args.slice(1)) for (const x of items(call.interp, other)) selfOf(call, "set").entries.set(hashKey(x), x);
    return NONE;
  },
  discard: (call) => {
    selfOf(call, "set").entries.delete(hashKey(call.args[1]));
    return NONE;
  },
  remove: (call) => {
    const s = selfOf(call, "set");
    if (!s.entries.delete(hashKey(call.args[1]))) throw keyError(call.args[1]);
    return NONE;
  },
  copy: (call) => ({ kind: "set", entries: new Map(selfOf(call, "set").entries) }),
  pop: (call) => {
    const entries = selfOf(call, "set").entries;
    const first = entries.entries().next();
    if (first.done) throw keyError(str("pop from an empty set"));
    entries.delete(first.value[0]);
    return first.value[1];
  },
  clear: (call) => {
    selfOf(call, "set").entries.clear();
    return NONE;
  },
  symmetric_difference: (call) => {
    const mine = selfOf(call, "set").entries;
    const other = setKeys(call.interp, call.args[1]);
    const out = new Map([...mine].filter(([k]) => !other.has(k)));
    for (const x of items(call.interp, call.args[1])) if (!mine.has(hashKey(x))) out.set(hashKey(x), x);
    return { kind: "set", entries: out };
  },
  intersection_update: (call) => {
    const mine = selfOf(call, "set").entries;
    const others = call.args.slice(1).map((o) => setKeys(call.interp, o));
    for (const k of [...mine.keys()]) if (!others.every((o) => o.has(k))) mine.delete(k);
    return NONE;
  },
  difference_update: (call) => {
    const mine = selfOf(call, "set").entries;
    const others = call.args.slice(1).map((o) => setKeys(call.interp, o));
    for (const k of [...mine.keys()]) if (others.some((o) => o.has(k))) mine.delete(k);
    return NONE;
  },
  symmetric_difference_update: (call) => {
    const mine = selfOf(call, "set").entries;
    for (const x of items(call.interp, call.args[1])) {
      const k = hashKey(x);
      if (mine.has(k)) mine.delete(k);
      else mine.set(k, x);
    }
    return NONE;
  },
  issubset: (call) => {
    const other = setKeys(call.interp, call.args[1]);
    return bool([...selfOf(call, "set").entries.keys()].every((k) => other.has(k)));
  },
  issuperset: (call) => bool([...setKeys(call.interp, call.args[1])].every((k) => selfOf(call, "set").entries.has(k))),
  isdisjoint: (call) => bool([...setKeys(call.interp, call.args[1])].every((k) => !selfOf(call, "set").entries.has(k))),
  union: (call) => {
    const out = new Map(selfOf(call, "set").entries);
    for (const other of call.args.slice(1)) for (const x of items(call.interp, other)) out.set(hashKey(x), x);
    return { kind: "set", entries: out };
  },
  intersection: (call) => {
    const others = call.args.slice(1).map((o) => setKeys(call.interp, o));
    return { kind: "set", entries: new Map([...selfOf(call, "set").entries].filter(([k]) => others.every((o) => o.has(k)))) };
  },
  difference: (call) => {
    const others = call.args.slice(1).map((o) => setKeys(call.interp, o));
    return { kind: "set", entries: new Map([...selfOf(call, "set").entries].filter(([k]) => others.every((o) => !o.has(k)))) };
  },
};
