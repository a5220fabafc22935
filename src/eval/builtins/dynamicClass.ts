// type(name, bases, namespace): a class made at run time, as a class statement would make it.
import type { NativeCall, Value } from "../values.js";
import { unknown, type ClassValue } from "../values.js";
import { makeClass } from "./makeClass.js";

export function classFromTypeCall(call: NativeCall, object: ClassValue): Value {
  const [name, bases, namespace] = call.args;
  if (name?.kind !== "str" || bases?.kind !== "tuple" || namespace?.kind !== "dict") return unknown("type() with three arguments of unknown value");
  if (!bases.items.every((b) => b.kind === "class")) return unknown("type() with a base that is not a known class");
  const baseClasses = bases.items.length > 0 ? (bases.items as ClassValue[]) : [object];
  const attrs: Record<string, Value> = {};
  for (const e of namespace.entries.values()) if (e.key.kind === "str") attrs[e.key.value] = e.value;
  const cls = makeClass(name.value, baseClasses, attrs, undefined, call.interp.currentFrame()?.scope.moduleName ?? "builtins");
  cls.metaclass = baseClasses.find((b) => b.metaclass)?.metaclass;
  for (const v of cls.attrs.values()) {
    const f = v.kind === "function" ? v : (v.kind === "staticmethod" || v.kind === "classmethod" || v.kind === "property") && v.func.kind === "function" ? v.func : undefined;
    if (f && !f.definingClass) f.definingClass = cls;
  }
  return cls;
}
