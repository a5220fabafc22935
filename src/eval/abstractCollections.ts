// collections.abc: abstract classes that isinstance() answers from what a value
// can do (a list is a Sequence, a dict a Mapping, a function Callable). typing's
// Sequence, Mapping, Iterable, Callable, ... are the same classes.
import { makeClass, type BuiltinTypes } from "./builtins.js";
import { nativeNamespace } from "./stdlib.js";
import type { ClassValue, NamespaceValue, Value } from "./values.js";

type Kind = Value["kind"];

function hasMethod(v: Value, names: readonly string[]): boolean {
  return v.kind === "object" && names.every((n) => v.cls.mro.some((c) => c.attrs.has(n)));
}

const abstractClasses: Record<string, (v: Value) => boolean> = {
  Sequence: (v) => (["list", "tuple", "str", "range"] as Kind[]).includes(v.kind) || hasMethod(v, ["__getitem__", "__len__"]),
  MutableSequence: (v) => v.kind === "list",
  Mapping: (v) => v.kind === "dict" || hasMethod(v, ["__getitem__", "keys"]),
  MutableMapping: (v) => v.kind === "dict",
  Set: (v) => v.kind === "set",
  MutableSet: (v) => v.kind === "set",
  Iterable: (v) => (["list", "tuple", "str", "range", "dict", "set", "iterator", "tensor"] as Kind[]).includes(v.kind) || hasMethod(v, ["__iter__"]),
  Iterator: (v) => v.kind === "iterator" || hasMethod(v, ["__next__"]),
  Collection: (v) => (["list", "tuple", "str", "range", "dict", "set"] as Kind[]).includes(v.kind) || hasMethod(v, ["__len__", "__iter__"]),
  Sized: (v) => (["list", "tuple", "str", "range", "dict", "set"] as Kind[]).includes(v.kind) || hasMethod(v, ["__len__"]),
  Container: (v) => (["list", "tuple", "str", "range", "dict", "set"] as Kind[]).includes(v.kind) || hasMethod(v, ["__contains__"]),
  Hashable: (v) => !(["list", "dict", "set"] as Kind[]).includes(v.kind),
  Callable: (v) => (["function", "native", "boundmethod", "class", "partial"] as Kind[]).includes(v.kind) || hasMethod(v, ["__call__"]),
};

/** The abstract classes by name, made once per evaluator (typing and collections.abc share them). */
export function abstractCollectionClasses(types: BuiltinTypes): ReadonlyMap<string, ClassValue> {
  const made = abstractByTypes.get(types);
  if (made) return made;
  const classes = new Map(Object.entries(abstractClasses).map(([name, check]) => [name, makeClass(name, [types.object], {}, { instanceCheck: check }, "collections.abc")] as const));
  abstractByTypes.set(types, classes);
  return classes;
}
const abstractByTypes = new WeakMap<BuiltinTypes, ReadonlyMap<string, ClassValue>>();

export function collectionsAbcModule(types: BuiltinTypes): NamespaceValue {
  return nativeNamespace("collections.abc", Object.fromEntries(abstractCollectionClasses(types)));
}
