// The functions of the builtins module: len, range, zip, isinstance, getattr, min/max, sorted, ...
import { dimIsDataDependent, dimToString, SymDim } from "../../shapes/dim.js";
import { isInstance, type BuiltinTypes } from "../builtins.js";
import { PyException } from "../errors.js";
import { typeName } from "../naming.js";
import { numericValue, pyFormat, pyLess, pyRepr, pyStr, rangeLength } from "../operators.js";
import type { Scope } from "../scope.js";
import { zipUncounted } from "../uncountedRows.js";
import { bool, float, hashKey, int, list, makeDict, native, NONE, str, tuple, unknown, type NativeCall, type Value } from "../values.js";
import { maybeItems, requireInt, sortValues, truth } from "./collect.js";
import { reprOfValue, roundHalfEven, roundToDigits } from "./conversions.js";

/** dir(x): the attribute names of a module, class or instance; undefined when they cannot be listed. */
function attributeNames(x: Value | undefined): Set<string> | undefined {
  if (!x) return undefined;
  if (x.kind === "namespace") return x.attributeNames ? new Set(x.attributeNames()) : undefined;
  if (x.kind === "class") return new Set(x.mro.flatMap((c) => [...c.attrs.keys()]));
  if (x.kind === "object") return new Set([...x.attrs.keys(), ...x.cls.mro.flatMap((c) => [...c.attrs.keys()]), ...(x.module ? [...x.module.children.keys(), ...x.module.params.keys(), ...x.module.buffers.keys()] : [])]);
  return undefined;
}

function superOf(call: NativeCall): Value {
  if (call.args.length >= 2) {
    const cls = call.args[0];
    if (cls.kind !== "class") return unknown("super() of an unknown class");
    return { kind: "super", cls, self: call.args[1] };
  }
  const frame = call.interp.currentFrame();
  const cls = frame?.func.definingClass;
  const first = frame?.func.params[0];
  const self = first ? frame?.scope.vars.get(first.name) : undefined;
  if (!cls || !self) throw new PyException("RuntimeError", "super(): no arguments");
  return { kind: "super", cls, self };
}

/** ascii()'s escape of one non-ASCII code point */
function asciiEscape(code: number): string {
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, "0")}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, "0")}`;
  return `\\U${code.toString(16).padStart(8, "0")}`;
}

export function installBuiltinFunctions(scope: Scope, types: BuiltinTypes): void {
  const v = scope.vars;
  const def = (name: string, fn: (call: NativeCall) => Value) => v.set(name, native(name, fn));
  def("print", () => NONE);
  def("len", (call) => {
    const x = call.args[0];
    switch (x.kind) {
      case "list":
      case "tuple":
        return int(x.items.length);
      case "str":
        return int(x.value.length);
      case "dict":
      case "set":
        return int(x.entries.size);
      case "range":
        return int(rangeLength(x.start, x.stop, x.step));
      case "tensor":
        if (!x.shape) return unknown("len() of a tensor of unknown shape");
        if (x.shape.length === 0) throw new PyException("TypeError", "len() of a 0-d tensor");
        return int(x.shape[0]);
      case "object": {
        const m = call.interp.lookupSpecial(x, "__len__");
        if (m) return call.interp.callValue(m, []);
        break;
      }
      case "unknown":
        return x.rows ? int(x.rows.count) : x;
      default:
        break;
    }
    const its = call.interp.iterate(x);
    if (its) return int(its.length);
    throw new PyException("TypeError", `object of type '${typeName(x)}' has no len()`);
  });
  def("slice", (call) => {
    const [a, b, c] = call.args;
    if (!a) throw new PyException("TypeError", "slice expected at least 1 argument, got 0");
    return call.args.length === 1 ? { kind: "slice", lower: NONE, upper: a, step: NONE } : { kind: "slice", lower: a, upper: b ?? NONE, step: c ?? NONE };
  });
  def("range", (call) => {
    const nums = call.args.map((a) => numericValue(a));
    if (nums.some((n) => typeof n !== "number")) return unknown("range() with a symbolic bound");
    const [a, b, c] = nums as number[];
    if (c === 0) throw new PyException("ValueError", "range() arg 3 must not be zero");
    return call.args.length === 1 ? { kind: "range", start: 0, stop: a, step: 1 } : { kind: "range", start: a, stop: b, step: c ?? 1 };
  });
  def("enumerate", (call) => {
    const xs = maybeItems(call.interp, call.args[0]);
    if (!xs) return unknown("enumerate() over an unknown value");
    const start = call.args[1] ?? call.kwargs.get("start");
    const s = start ? requireInt(start, "start") : 0;
    return { kind: "iterator", items: xs.map((x, i) => tuple([int(i + s), x])), position: 0 };
  });
  def("zip", (call) => {
    const seqs = call.args.map((a) => maybeItems(call.interp, a));
    if (seqs.some((s) => !s)) return zipUncounted(call.args) ?? unknown("zip() over an unknown value");
    const n = Math.min(...seqs.map((s) => s!.length));
    const out: Value[] = [];
    for (let i = 0; i < n; i++) out.push(tuple(seqs.map((s) => s![i])));
    return { kind: "iterator", items: out, position: 0 };
  });
  def("map", (call) => {
    const seqs = call.args.slice(1).map((a) => maybeItems(call.interp, a));
    if (seqs.some((s) => !s)) return unknown("map() over an unknown value");
    const n = Math.min(...seqs.map((s) => s!.length));
    const out: Value[] = [];
    for (let i = 0; i < n; i++) out.push(call.interp.callValue(call.args[0], seqs.map((s) => s![i])));
    return { kind: "iterator", items: out, position: 0 };
  });
  def("filter", (call) => {
    const xs = maybeItems(call.interp, call.args[1]);
    if (!xs) return unknown("filter() over an unknown value");
    const f = call.args[0];
    return { kind: "iterator", items: xs.filter((x) => truth(call.interp, f.kind === "none" ? x : call.interp.callValue(f, [x])).value), position: 0 };
  });
  def("iter", (call) => {
    const xs = maybeItems(call.interp, call.args[0]);
    return xs ? { kind: "iterator", items: xs, position: 0 } : unknown("iter() of an unknown value");
  });
  def("next", (call) => {
    const it = call.args[0];
    if (it.kind === "iterator") {
      if (it.position < it.items.length) return it.items[it.position++];
      if (call.args[1]) return call.args[1];
      throw new PyException("StopIteration", "");
    }
    const xs = maybeItems(call.interp, it);
    if (xs && xs.length > 0) return xs[0];
    if (call.args[1]) return call.args[1];
    return unknown("next() of an unknown iterator");
  });
  def("isinstance", (call) => {
    const r = isInstance(call.args[0], call.args[1], types);
    return r === undefined ? unknown("isinstance() of an unknown value") : bool(r);
  });
  def("issubclass", (call) => {
    const c = call.args[0];
    const targets = call.args[1].kind === "tuple" ? call.args[1].items : [call.args[1]];
    if (c.kind !== "class") return unknown("issubclass() of an unknown class");
    return bool(targets.some((t) => t.kind === "class" && c.mro.includes(t)));
  });
  def("hasattr", (call) => {
    const name = call.args[1];
    if (name.kind !== "str" || call.args[0].kind === "unknown") return unknown("hasattr() on an unknown value");
    try {
      const r = call.interp.getAttr(call.args[0], name.value);
      return r.kind === "unknown" && call.args[0].kind === "namespace" ? unknown("hasattr() on an unmodelled module") : bool(true);
    } catch (e) {
      if (e instanceof PyException && e.pyType === "AttributeError") return bool(false);
      throw e;
    }
  });
  def("getattr", (call) => {
    const name = call.args[1];
    if (name.kind !== "str") return unknown("getattr() with an unknown name");
    try {
      return call.interp.getAttr(call.args[0], name.value);
    } catch (e) {
      if (e instanceof PyException && e.pyType === "AttributeError" && call.args[2]) return call.args[2];
      throw e;
    }
  });
  def("setattr", (call) => {
    const name = call.args[1];
    if (name.kind === "str") call.interp.setAttr(call.args[0], name.value, call.args[2]);
    return NONE;
  });
  def("delattr", (call) => {
    const obj = call.args[0];
    const name = call.args[1];
    if (obj.kind === "object" && name.kind === "str") {
      obj.attrs.delete(name.value);
      obj.module?.children.delete(name.value);
    }
    return NONE;
  });
  def("callable", (call) => {
    const x = call.args[0];
    return bool(["function", "native", "boundmethod", "class", "partial"].includes(x.kind) || (x.kind === "object" && call.interp.lookupSpecial(x, "__call__") !== undefined));
  });
  def("id", (call) => int(Number(hashKey(call.args[0]).replace(/\D/g, "")) || 0));
  def("hash", (call) => int(hashKey(call.args[0]).length));
  def("repr", (call) => reprOfValue(call.interp, call.args[0]));
  def("format", (call) => str(pyFormat(call.args[0], call.args[1]?.kind === "str" ? call.args[1].value : undefined)));
  def("abs", (call) => {
    const x = call.args[0];
    if (x.kind === "float") return float(Math.abs(x.value));
    const n = numericValue(x);
    if (typeof n === "number") return int(Math.abs(n));
    if (x.kind === "tensor") return x;
    return unknown("abs() of a symbolic value");
  });
  def("round", (call) => {
    const x = call.args[0];
    const nd = call.args[1] ?? call.kwargs.get("ndigits");
    const n = x.kind === "float" ? x.value : numericValue(x);
    if (typeof n !== "number") return unknown("round() of a symbolic value");
    if (nd && nd.kind !== "none") {
      return x.kind === "float" ? float(roundToDigits(n as number, requireInt(nd, "ndigits"))) : int(n);
    }
    return int(roundHalfEven(n));
  });
  def("divmod", (call) => {
    const a = requireInt(call.args[0], "divmod");
    const b = requireInt(call.args[1], "divmod");
    return tuple([int(Math.floor(a / b)), int(a - Math.floor(a / b) * b)]);
  });
  def("pow", (call) => {
    const power = call.interp.binary("**", call.args[0], call.args[1]);
    const mod = call.args[2] ?? call.kwargs.get("mod");
    return mod && mod.kind !== "none" ? call.interp.binary("%", power, mod) : power;
  });
  def("sum", (call) => {
    const xs = maybeItems(call.interp, call.args[0]);
    if (!xs) return unknown("sum() over an unknown value");
    let acc: Value = call.args[1] ?? call.kwargs.get("start") ?? int(0);
    for (const x of xs) acc = call.interp.binary("+", acc, x);
    return acc;
  });
  const minmax = (name: string, pickSecond: (a: Value, b: Value) => boolean | undefined) =>
    def(name, (call) => {
      const xs = call.args.length === 1 ? maybeItems(call.interp, call.args[0]) : [...call.args];
      if (!xs) return unknown(`${name}() over an unknown value`);
      const key = call.kwargs.get("key");
      if (xs.length === 0) {
        const d = call.kwargs.get("default");
        if (d) return d;
        throw new PyException("ValueError", `${name}() arg is an empty sequence`);
      }
      let best = xs[0];
      let bestKey = key ? call.interp.callValue(key, [best]) : best;
      for (const x of xs.slice(1)) {
        const k = key ? call.interp.callValue(key, [x]) : x;
        const r = pickSecond(bestKey, k);
        if (r === undefined) {
          // min(1000, n) where n depends on the data (the boxes a threshold kept): a data-dependent size
          const a = numericValue(bestKey);
          const b = numericValue(k);
          if (key || a === undefined || b === undefined || !(dimIsDataDependent(a) || dimIsDataDependent(b))) return unknown(`${name}() of symbolic values`);
          // the size first, as a slice writes it (keep[:100] is min(n, 100)), so the two are one dim
          const [first, second] = typeof a === "number" ? [b, a] : [a, b];
          best = bestKey = int(SymDim.opaque(`${name}(${dimToString(first)}, ${dimToString(second)})`, true));
          continue;
        }
        if (r) {
          best = x;
          bestKey = k;
        }
      }
      return best;
    });
  minmax("max", (a, b) => pyLess(a, b));
  minmax("min", (a, b) => pyLess(b, a));
  def("any", (call) => {
    const xs = maybeItems(call.interp, call.args[0]);
    if (!xs) return unknown("any() over an unknown value");
    let result: boolean | undefined = false;
    for (const x of xs) {
      const t = call.interp.truthy(x);
      if (t === true) return bool(true);
      if (t === undefined) result = undefined;
    }
    return result === undefined ? unknown("any() of undecidable values") : bool(false);
  });
  def("all", (call) => {
    const xs = maybeItems(call.interp, call.args[0]);
    if (!xs) return unknown("all() over an unknown value");
    let result: boolean | undefined = true;
    for (const x of xs) {
      const t = call.interp.truthy(x);
      if (t === false) return bool(false);
      if (t === undefined) result = undefined;
    }
    return result === undefined ? unknown("all() of undecidable values") : bool(true);
  });
  def("sorted", (call) => {
    const xs = maybeItems(call.interp, call.args[0]);
    if (!xs) return unknown("sorted() of an unknown value");
    return list(sortValues(call.interp, xs, call.kwargs.get("key"), call.kwargs.get("reverse")));
  });
  def("reversed", (call) => {
    const xs = maybeItems(call.interp, call.args[0]);
    return xs ? { kind: "iterator", items: xs.reverse(), position: 0 } : unknown("reversed() of an unknown value");
  });
  def("super", (call) => superOf(call));
  def("vars", (call) => {
    const x = call.args[0];
    return x?.kind === "object" ? makeDict([...x.attrs].map(([k, val]) => [str(k), val] as const)) : unknown("vars()");
  });
  def("dir", (call) => {
    const x = call.args[0];
    const table = x && x.kind !== "object" && x.kind !== "class" ? call.interp.builtins.vars.get(`__methods_${x.kind}__`) : undefined;
    const names = table?.kind === "dict" ? new Set([...table.entries.values()].map((e) => pyStr(e.key))) : attributeNames(x);
    return names ? list([...names].sort().map(str)) : unknown("dir() of a value whose attributes are not listed");
  });
  def("globals", () => unknown("globals()"));
  def("locals", () => unknown("locals()"));
  def("open", () => unknown("open() is never executed"));
  def("input", () => unknown("input() is never executed"));
  def("exec", () => unknown("exec() is never executed"));
  def("eval", () => unknown("eval() is never executed"));
  def("__import__", () => unknown("__import__()"));
  def("chr", (call) => str(String.fromCharCode(requireInt(call.args[0], "chr"))));
  def("ord", (call) => int(call.args[0].kind === "str" ? call.args[0].value.charCodeAt(0) : 0));
  const radix = (name: string, prefix: string, base: number) =>
    def(name, (call) => {
      const n = requireInt(call.args[0], name);
      return str(`${n < 0 ? "-" : ""}${prefix}${Math.abs(n).toString(base)}`);
    });
  radix("hex", "0x", 16);
  radix("oct", "0o", 8);
  radix("bin", "0b", 2);
  def("ascii", (call) => str(pyRepr(call.args[0]).replace(/[^\x00-\x7f]/gu, (c) => asciiEscape(c.codePointAt(0)!))));
  // bound so that code naming them reads, never run: bytes and complex numbers are not modelled,
  // and the rest reads the world, runs code or waits on a user
  for (const name of ["aiter", "anext", "breakpoint", "compile", "help", "memoryview"]) def(name, () => unknown(`${name}() is not modelled`));
  v.set("staticmethod", native("staticmethod", (call) => ({ kind: "staticmethod", func: call.args[0] })));
  v.set("classmethod", native("classmethod", (call) => ({ kind: "classmethod", func: call.args[0] })));
  v.set("property", native("property", (call) => ({ kind: "property", func: call.args[0] ?? call.kwargs.get("fget") ?? NONE, setter: call.args[1] })));
}
