// list's methods (Python 3.11: the common and mutable sequence operations, and list.sort).
import { PyException } from "../errors.js";
import { pyEquals } from "../operators.js";
import { int, list, NONE } from "../values.js";
import { maybeItems, requireInt, sortValues } from "./collect.js";
import { arg, selfOf, type MethodTable } from "./methodTables.js";
import { sequenceIndex } from "./tupleMethods.js";

export const listMethods: MethodTable = {
  append: (call) => {
    selfOf(call, "list").items.push(call.args[1]);
    return NONE;
  },
  clear: (call) => {
    selfOf(call, "list").items.length = 0;
    return NONE;
  },
  copy: (call) => list([...selfOf(call, "list").items]),
  count: (call) => int(selfOf(call, "list").items.filter((x) => pyEquals(x, call.args[1]) === true).length),
  extend: (call) => {
    selfOf(call, "list").items.push(...(maybeItems(call.interp, call.args[1]) ?? []));
    return NONE;
  },
  index: (call) => sequenceIndex(call, selfOf(call, "list").items, "list"),
  insert: (call) => {
    const l = selfOf(call, "list");
    let i = requireInt(call.args[1], "index");
    if (i < 0) i = Math.max(0, l.items.length + i);
    l.items.splice(i, 0, call.args[2]);
    return NONE;
  },
  pop: (call) => {
    const l = selfOf(call, "list");
    if (l.items.length === 0) throw new PyException("IndexError", "pop from empty list");
    const given = arg(call, 1, "index");
    const i = given ? requireInt(given, "index") : -1;
    const idx = i < 0 ? l.items.length + i : i;
    if (idx < 0 || idx >= l.items.length) throw new PyException("IndexError", "pop index out of range");
    return l.items.splice(idx, 1)[0];
  },
  remove: (call) => {
    const l = selfOf(call, "list");
    const i = l.items.findIndex((x) => pyEquals(x, call.args[1]) === true);
    if (i < 0) throw new PyException("ValueError", "list.remove(x): x not in list");
    l.items.splice(i, 1);
    return NONE;
  },
  reverse: (call) => {
    selfOf(call, "list").items.reverse();
    return NONE;
  },
  sort: (call) => {
    const l = selfOf(call, "list");
    l.items = sortValues(call.interp, l.items, call.kwargs.get("key"), call.kwargs.get("reverse"));
    return NONE;
  },
};
