// Subclasses of dict and list (OrderedDict-based output records, attribute dicts,
// typed lists): an instance is an object of its own class that keeps its items in
// a built-in container, its payload. The methods of dict and list, reached through
// the subclass or through super(), act on that payload.
import { PyException } from "./errors.js";
import type { Interpreter } from "./interpreter.js";
import { keyError } from "./builtins/exceptions.js";
import { numericValue, pyStr } from "./operators.js";
import type { Scope } from "./scope.js";
import { bool, hashKey, int, native, NONE, unknown, type ClassValue, type DictValue, type ListValue, type NativeCall, type Value } from "./values.js";

export type ContainerPayload = DictValue | ListValue;

/** The container a dict or list method works on: the value itself, or a subclass instance's payload. */
function payloadOf(v: Value | undefined, kind: ContainerPayload["kind"]): ContainerPayload {
  const target = v?.kind === "object" ? v.payload : v;
  if (target?.kind !== kind) throw new PyException("TypeError", `descriptor of '${kind}' objects needs a '${kind}' instance`);
  return target;
}

/** dict.__init__ / list.__init__ on an existing payload: what dict(...) / list(...) would hold, added to it. */
function fillPayload(payload: ContainerPayload, call: NativeCall, build: ClassValue): void {
  const made = call.interp.callValue(build, call.args.slice(1), call.kwargs);
  if (payload.kind === "dict" && made.kind === "dict") for (const [k, e] of made.entries) payload.entries.set(k, e);
  else if (payload.kind === "list" && made.kind === "list") payload.items.push(...made.items);
}

/** Installs the dict and list methods as class attributes, so that subclasses and super() find them. */
export function installContainerClassMethods(scope: Scope, classes: { dict: ClassValue; list: ClassValue }): void {
  for (const kind of ["dict", "list"] as const) {
    const cls = classes[kind];
    const table = scope.vars.get(`__methods_${kind}__`);
    if (table?.kind === "dict") {
      for (const e of table.entries.values()) {
        const method = e.value;
        cls.attrs.set(pyStr(e.key), native(`${kind}.${pyStr(e.key)}`, (call) => call.interp.callValue(method, [payloadOf(call.args[0], kind), ...call.args.slice(1)], call.kwargs)));
      }
    }
    const on = (call: NativeCall) => payloadOf(call.args[0], kind);
    const dunders: Record<string, (call: NativeCall) => Value> = {
      __init__: (call) => {
        fillPayload(on(call), call, cls);
        return NONE;
      },
      __getitem__: (call) => call.interp.getItem(on(call), call.args[1] ?? NONE, call.site),
      __setitem__: (call) => {
        call.interp.setItem(on(call), call.args[1] ?? NONE, call.args[2] ?? NONE);
        return NONE;
      },
      __delitem__: (call) => {
        deleteItem(on(call), call.args[1] ?? NONE);
        return NONE;
      },
      __len__: (call) => {
        const p = on(call);
        return int(p.kind === "dict" ? p.entries.size : p.items.length);
      },
      __iter__: (call) => on(call),
      __contains__: (call) => {
        const found = call.interp.contains(on(call), call.args[1] ?? NONE);
        return found === undefined ? unknown("membership not known") : bool(found);
      },
    };
    for (const [name, fn] of Object.entries(dunders)) cls.attrs.set(name, native(`${kind}.${name}`, fn));
  }
}

function deleteItem(payload: ContainerPayload, key: Value): void {
  if (payload.kind === "dict") {
    if (!payload.entries.delete(hashKey(key))) throw keyError(key);
    return;
  }
  const i = numericValue(key);
  if (typeof i !== "number") throw new PyException("TypeError", "list indices must be integers");
  const at = i < 0 ? payload.items.length + i : i;
  if (at < 0 || at >= payload.items.length) throw new PyException("IndexError", "list assignment index out of range");
  payload.items.splice(at, 1);
}

/** The dict or list a user subclass stores its items in: its first native base's empty container, or undefined for other bases. */
export function emptyPayloadFor(cls: ClassValue, interp: Interpreter): ContainerPayload | undefined {
  const base = cls.mro.find((c) => c.native?.construct);
  if (!base || base === cls) return undefined;
  const containers = [interp.builtins.vars.get("dict"), interp.builtins.vars.get("list")];
  if (!base.mro.some((c) => containers.includes(c))) return undefined;
  const empty = base.native!.construct!(base, { args: [], kwargs: new Map(), interp });
  return empty.kind === "dict" || empty.kind === "list" ? empty : undefined;
}
