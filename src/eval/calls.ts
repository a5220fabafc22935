// Calls: calling any value (functions, bound methods, natives, partials,
// classes, callable objects) and instantiating a class. The frame a Python
// function runs in is the interpreter's own state (Interpreter.callFunction).
import { leastArguments } from "./builtins/leastArguments.js";
import { ValueTooLarge } from "./sizeLimits.js";
import { emptyPayloadFor } from "./containerSubclasses.js";
import { PyException } from "./errors.js";
import type { Interpreter } from "./interpreter.js";
import { typeName } from "./naming.js";
import { unknownResultOf } from "./unknowns.js";
import { forceValue, makeObject, unknown, type ClassValue, type NativeFunctionValue, type SourceLocation, type Value } from "./values.js";

/** Call a value; the result is computed (never lazy), for natives and rules that look at it. */
export function callValue(interp: Interpreter, func: Value, args: readonly Value[], kwargs: ReadonlyMap<string, Value> = new Map(), site: SourceLocation | undefined = interp.site): Value {
  const v = callValueRaw(interp, func, args, kwargs, site);
  return v.kind === "lazy" ? v.force() : v;
}

/**
 * A native (a builtin or a torch rule) called. One asked for more items than JavaScript
 * can hold (`x.tensor_split(10**13)`) gives an unknown and a cut, as the operators do.
 */
function callNative(interp: Interpreter, func: NativeFunctionValue, args: readonly Value[], kwargs: ReadonlyMap<string, Value>, site: SourceLocation | undefined): Value {
  // fewer arguments than Python's own signature needs: Python's TypeError, before the native reads one that is not there
  const least = leastArguments.get(func.name);
  if (least !== undefined && args.length + kwargs.size < least) throw new PyException("TypeError", `${func.name}() takes at least ${least} argument${least === 1 ? "" : "s"} (${args.length + kwargs.size} given)`);
  try {
    if (func.keepsLazyArgs) return func.call({ args, kwargs, interp, site });
    return func.call({ args: forcedAll(args), kwargs: forcedMap(kwargs), interp, site });
  } catch (e) {
    // a rule asked to build past the analysis's limit (split into 10**9 pieces) said so before building
    if (e instanceof ValueTooLarge) {
      interp.cut(`${func.name}(...): ${e.message}`, site);
      return unknown(e.message);
    }
    // plain string comparisons: near the end of the stack, compiling a regular expression overflows it
    if (!(e instanceof RangeError && (e.message === "Invalid array length" || e.message === "Invalid string length"))) throw e;
    const why = `${func.name}(...) would build more items than the analysis can hold; its value is unknown`;
    interp.cut(why, site);
    return unknown(why);
  }
}

/** Call a value; a function that returns an imported name it was given returns it still lazy. */
export function callValueRaw(interp: Interpreter, func: Value, args: readonly Value[], kwargs: ReadonlyMap<string, Value>, site: SourceLocation | undefined): Value {
  interp.tick();
  const saved = interp.site;
  interp.site = site;
  try {
    switch (func.kind) {
      case "function":
        return interp.callFunction(func, args, kwargs);
      case "boundmethod":
        return callValueRaw(interp, func.func, [func.self, ...args], kwargs, site);
      case "native":
        return callNative(interp, func, args, kwargs, site);
      case "lazy":
        return callValueRaw(interp, func.force(), args, kwargs, site);
      case "partial": {
        const merged = new Map(func.kwargs);
        for (const [k, v] of kwargs) merged.set(k, v);
        return callValueRaw(interp, func.func, [...func.args, ...args], merged, site);
      }
      case "class":
        return instantiate(interp, func, args, kwargs, site);
      case "object": {
        const call = interp.lookupSpecial(func, "__call__");
        if (call) return callValueRaw(interp, call, args, kwargs, site);
        throw new PyException("TypeError", `'${func.cls.name}' object is not callable`);
      }
      case "staticmethod":
      case "classmethod":
        return callValueRaw(interp, func.func, args, kwargs, site);
      case "unknown":
        return unknownResultOf(args, func.why);
      default:
        throw new PyException("TypeError", `'${typeName(func)}' object is not callable`);
    }
  } finally {
    interp.site = saved;
  }
}

export function instantiate(interp: Interpreter, cls: ClassValue, args: readonly Value[], kwargs: ReadonlyMap<string, Value>, site?: SourceLocation): Value {
  // a metaclass's own __call__ decides what calling the class gives (Format('NHWC') is the member, not a new str)
  const metaCall = cls.metaclass ? interp.lookupInMro(cls.metaclass, "__call__") : undefined;
  if (metaCall?.value.kind === "native") return metaCall.value.call({ args: [cls, ...forcedAll(args)], kwargs: forcedMap(kwargs), interp, site });
  const payload = emptyPayloadFor(cls, interp);
  if (payload) {
    // a subclass of dict or list: an object of its own class whose items live in the payload
    const obj = makeObject(cls);
    obj.payload = payload;
    const init = interp.lookupInMro(cls, "__init__");
    if (init) callValue(interp, interp.bindDescriptor(init.value, obj, cls), args, kwargs, site);
    return obj;
  }
  for (const c of cls.mro) if (c.native?.construct) return c.native.construct(cls, { args: forcedAll(args), kwargs: forcedMap(kwargs), interp, site });
  const obj = makeObject(cls);
  const prepare = cls.mro.find((c) => c.native?.onCreate)?.native?.onCreate;
  prepare?.(obj, site, interp);
  const init = interp.lookupInMro(cls, "__init__");
  if (init) callValue(interp, interp.bindDescriptor(init.value, obj, cls), args, kwargs, site);
  return obj;
}

/** The arguments as a native sees them: computed (a plain loop: this runs for every native call). */
function forcedAll(values: readonly Value[]): readonly Value[] {
  for (let i = 0; i < values.length; i++) if (values[i].kind === "lazy") return values.map(forceValue);
  return values;
}

function forcedMap(values: ReadonlyMap<string, Value>): ReadonlyMap<string, Value> {
  if (values.size === 0) return values;
  for (const v of values.values()) if (v.kind === "lazy") return new Map([...values].map(([k, x]) => [k, forceValue(x)] as const));
  return values;
}
