// The methods of the builtin types, looked up by the interpreter as `__methods_<kind>__`
// (attributes.ts builtinMethod), and reachable unbound through the class (str.isalnum).
import type { BuiltinTypes } from "../builtins.js";
import type { Scope } from "../scope.js";
import { makeDict, native, str, unknown, type NativeCall, type Value } from "../values.js";
import { dictMethods } from "./dictMethods.js";
import { listMethods } from "./listMethods.js";
import { floatMethods, intMethods } from "./numberMethods.js";
import { rangeMethods, sliceMethods } from "./rangeSliceMethods.js";
import { setMethods } from "./setMethods.js";
import { strMethods } from "./strMethods.js";
import { tupleMethods } from "./tupleMethods.js";
import { PyException } from "../errors.js";

export type Method = (call: NativeCall) => Value;
export type MethodTable = Record<string, Method>;

/** The method's receiver, which the interpreter passes as the first argument. */
export function selfOf<K extends Value["kind"]>(call: NativeCall, kind: K): Extract<Value, { kind: K }> {
  return call.args[0] as Extract<Value, { kind: K }>;
}

/** A method's argument by position (the receiver is 0) or by keyword. */
export function arg(call: NativeCall, position: number, keyword?: string): Value | undefined {
  const v = call.args[position] ?? (keyword ? call.kwargs.get(keyword) : undefined);
  return v?.kind === "none" ? undefined : v;
}

const iteratorMethods: MethodTable = {
  __next__: (call) => {
    const it = selfOf(call, "iterator");
    if (it.position < it.items.length) return it.items[it.position++];
    throw new PyException("StopIteration", "");
  },
};

/** Installs every table; str, tuple, set, int and float also get them as class attributes (dict and list: containerSubclasses.ts). */
export function installTypeMethods(scope: Scope, types: BuiltinTypes): void {
  const tables: Record<string, MethodTable> = {
    str: strMethods,
    list: listMethods,
    tuple: tupleMethods,
    dict: dictMethods,
    set: setMethods,
    int: intMethods,
    bool: intMethods,
    float: floatMethods,
    range: rangeMethods,
    slice: sliceMethods,
    iterator: iteratorMethods,
  };
  for (const [kind, methods] of Object.entries(tables)) {
    scope.vars.set(`__methods_${kind}__`, makeDict(Object.entries(methods).map(([name, fn]) => [str(name), native(`${kind}.${name}`, fn)] as const)));
  }
  const unbound: [keyof BuiltinTypes, Value["kind"][], MethodTable][] = [
    ["str", ["str"], strMethods],
    ["tuple", ["tuple"], tupleMethods],
    ["set", ["set"], setMethods],
    ["int", ["int", "bool"], intMethods],
    ["float", ["float"], floatMethods],
  ];
  for (const [name, kinds, methods] of unbound) {
    const cls = types[name];
    if (!cls || cls.kind !== "class") continue;
    for (const [method, fn] of Object.entries(methods)) {
      if (cls.attrs.has(method)) continue;
      cls.attrs.set(
        method,
        native(`${name}.${method}`, (call) => {
          const self = call.args[0];
          // an instance of a user subclass (class Mode(str, Enum)) keeps no payload of the builtin kind
          if (!self || !kinds.includes(self.kind)) return unknown(`${name}.${method} on a value that is not a plain ${name}`);
          return fn(call);
        }),
      );
    }
  }
}
