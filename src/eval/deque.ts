// collections.deque: an object holding a list, with the double-ended methods
// (appendleft, popleft, maxlen) that a plain list does not have.
import { makeClass, requireInt, type BuiltinTypes } from "./builtins.js";
import { PyException } from "./errors.js";
import { numericValue } from "./operators.js";
import { normalizeIndex } from "./slicing.js";
import { int, list, makeObject, native, NONE, type ClassValue, type ListValue, type NativeCall, type Value } from "./values.js";

function itemsOf(self: Value): ListValue {
  const items = self.kind === "object" ? self.attrs.get("__deque_items__") : undefined;
  if (items?.kind !== "list") throw new PyException("TypeError", "descriptor requires a 'collections.deque' object");
  return items;
}

/** maxlen drops items from the other end, as deque does */
function trim(self: Value, fromLeft: boolean): void {
  const max = self.kind === "object" ? self.attrs.get("maxlen") : undefined;
  const n = max ? numericValue(max) : undefined;
  const items = itemsOf(self).items;
  if (typeof n !== "number") return;
  while (items.length > n) fromLeft ? items.shift() : items.pop();
}

function method(name: string, f: (self: Value, call: NativeCall) => Value): Value {
  return native(`deque.${name}`, (call) => f(call.args[0], { ...call, args: call.args.slice(1) }));
}

export function dequeClass(types: BuiltinTypes): ClassValue {
  const cls: ClassValue = makeClass(
    "deque",
    [types.object],
    {
      append: method("append", (self, c) => (itemsOf(self).items.push(c.args[0]), trim(self, true), NONE)),
      appendleft: method("appendleft", (self, c) => (itemsOf(self).items.unshift(c.args[0]), trim(self, false), NONE)),
      extend: method("extend", (self, c) => (itemsOf(self).items.push(...(c.interp.iterate(c.args[0]) ?? [])), trim(self, true), NONE)),
      extendleft: method("extendleft", (self, c) => (itemsOf(self).items.unshift(...(c.interp.iterate(c.args[0]) ?? []).reverse()), trim(self, false), NONE)),
      pop: method("pop", (self) => {
        const items = itemsOf(self).items;
        if (items.length === 0) throw new PyException("IndexError", "pop from an empty deque");
        return items.pop()!;
      }),
      popleft: method("popleft", (self) => {
        const items = itemsOf(self).items;
        if (items.length === 0) throw new PyException("IndexError", "pop from an empty deque");
        return items.shift()!;
      }),
      clear: method("clear", (self) => ((itemsOf(self).items.length = 0), NONE)),
      rotate: method("rotate", (self, c) => {
        const items = itemsOf(self).items;
        const n = items.length ? ((c.args[0] ? requireInt(c.args[0], "rotate") : 1) % items.length + items.length) % items.length : 0;
        items.unshift(...items.splice(items.length - n, n));
        return NONE;
      }),
      copy: method("copy", (self) => makeDeque(cls, [...itemsOf(self).items], self.kind === "object" ? (self.attrs.get("maxlen") ?? NONE) : NONE)),
      __iter__: method("__iter__", (self) => list([...itemsOf(self).items])),
      __len__: method("__len__", (self) => int(itemsOf(self).items.length)),
      __getitem__: method("__getitem__", (self, c) => {
        const items = itemsOf(self).items;
        const i = normalizeIndex(requireInt(c.args[0], "deque index"), items.length);
        if (i < 0 || i >= items.length) throw new PyException("IndexError", "deque index out of range");
        return items[i];
      }),
      __setitem__: method("__setitem__", (self, c) => {
        const items = itemsOf(self).items;
        items[normalizeIndex(requireInt(c.args[0], "deque index"), items.length)] = c.args[1];
        return NONE;
      }),
      __contains__: method("__contains__", (self, c) => ({ kind: "bool", value: itemsOf(self).items.some((x) => c.interp.equals(x, c.args[0]) === true) })),
    },
    {
      construct: (_c, call) => {
        const source = call.args[0] ?? call.kwargs.get("iterable");
        const maxlen = call.args[1] ?? call.kwargs.get("maxlen") ?? NONE;
        // a negative maxlen would trim forever: Python refuses it
        const n = numericValue(maxlen);
        if (typeof n === "number" && n < 0) throw new PyException("ValueError", "maxlen must be non-negative");
        const items = source && source.kind !== "none" ? call.interp.iterate(source) : [];
        if (!items) throw new PyException("TypeError", "deque() of something that cannot be iterated");
        const d = makeDeque(cls, items, maxlen);
        trim(d, true);
        return d;
      },
    },
    "collections",
  );
  return cls;
}

function makeDeque(cls: ClassValue, items: Value[], maxlen: Value): Value {
  const obj = makeObject(cls);
  obj.attrs.set("__deque_items__", list(items));
  obj.attrs.set("maxlen", maxlen);
  return obj;
}
