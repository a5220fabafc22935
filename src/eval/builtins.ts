// Python's builtins: functions, types and the methods of str/list/dict/tuple/set
// that model-building code uses.
import { dimIsDataDependent, dimProduct, dimToString, SymDim } from "../shapes/dim.js";
import { zipUncounted } from "./uncountedRows.js";
import { PyException } from "./errors.js";
import type { Interpreter } from "./interpreter.js";
import { genericGetAttr, genericSetAttr } from "./attributes.js";
import { installContainerClassMethods } from "./containerSubclasses.js";
import { computeMro } from "./mro.js";
import { typeName } from "./naming.js";
import { numericValue, pyEquals, pyFormat, pyLess, pyRepr, pyStr, rangeLength } from "./operators.js";
import { Scope } from "./scope.js";
import {
  bool,
  ELLIPSIS,
  float,
  hashKey,
  int,
  list,
  makeDict,
  native,
  NONE,
  str,
  tuple,
  unknown,
  type ClassValue,
  type NativeCall,
  type NativeClassBehaviour,
  type Value,
} from "./values.js";

export function makeClass(name: string, bases: readonly ClassValue[], attrs: Record<string, Value> = {}, nativeBehaviour?: NativeClassBehaviour, module = "builtins"): ClassValue {
  const cls: ClassValue = { kind: "class", name, qualname: name, bases, mro: [], attrs: new Map(Object.entries(attrs)), native: nativeBehaviour, module, decorators: [] };
  cls.mro = computeMro(cls);
  return cls;
}

export function requireInt(v: Value | undefined, what: string): number {
  const n = v ? numericValue(v) : undefined;
  if (typeof n !== "number") throw new PyException("TypeError", `${what} must be an integer`);
  return n;
}

/** the hash keys of an iterable's items, for set comparisons */
function setKeys(interp: Interpreter, v: Value | undefined): Set<string> {
  return new Set(items(interp, v).map(hashKey));
}

function items(interp: Interpreter, v: Value | undefined): Value[] {
  if (!v) return [];
  const out = interp.iterate(v);
  if (!out) throw new PyException("TypeError", `cannot iterate over ${v.kind === "unknown" ? "an unknown value" : `'${typeName(v)}'`}`);
  return out;
}

/** Every name Python 3 binds in builtins: one the evaluator lacks is its gap, never the code's. */
export const pythonBuiltinNames: ReadonlySet<string> = new Set(
  (
    "abs aiter all anext any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile complex copyright credits " +
    "delattr dict dir divmod enumerate eval exec exit filter float format frozenset getattr globals hasattr hash help hex id input " +
    "int isinstance issubclass iter len license list locals map max memoryview min next object oct open ord pow print property quit " +
    "range repr reversed round set setattr slice sorted staticmethod str sum super tuple type vars zip __import__ __build_class__ " +
    "Ellipsis NotImplemented __debug__ BaseException Exception ArithmeticError AssertionError AttributeError BufferError EOFError " +
    "FloatingPointError GeneratorExit ImportError ModuleNotFoundError IndexError KeyError KeyboardInterrupt LookupError MemoryError " +
    "NameError NotImplementedError OSError OverflowError RecursionError ReferenceError RuntimeError StopIteration StopAsyncIteration " +
    "SyntaxError IndentationError TabError SystemError SystemExit TypeError UnboundLocalError UnicodeError UnicodeEncodeError " +
    "UnicodeDecodeError UnicodeTranslateError ValueError ZeroDivisionError EnvironmentError IOError BlockingIOError ChildProcessError " +
    "ConnectionError BrokenPipeError ConnectionAbortedError ConnectionRefusedError ConnectionResetError FileExistsError " +
    "FileNotFoundError InterruptedError IsADirectoryError NotADirectoryError PermissionError ProcessLookupError TimeoutError " +
    "Warning UserWarning DeprecationWarning PendingDeprecationWarning SyntaxWarning RuntimeWarning FutureWarning ImportWarning " +
    "UnicodeWarning BytesWarning ResourceWarning EncodingWarning"
  ).split(" "),
);

/** dir(x): the attribute names of a module, class or instance; undefined when they cannot be listed. */
function attributeNames(x: Value | undefined): Set<string> | undefined {
  if (!x) return undefined;
  if (x.kind === "namespace") return x.attributeNames ? new Set(x.attributeNames()) : undefined;
  if (x.kind === "class") return new Set(x.mro.flatMap((c) => [...c.attrs.keys()]));
  if (x.kind === "object") return new Set([...x.attrs.keys(), ...x.cls.mro.flatMap((c) => [...c.attrs.keys()]), ...(x.module ? [...x.module.children.keys(), ...x.module.params.keys(), ...x.module.buffers.keys()] : [])]);
  return undefined;
}

/**
 * items, or undefined when the iterable is unknown, or a tensor whose length is
 * not a number (its rows depend on the data): the caller returns Unknown instead of failing.
 */
function maybeItems(interp: Interpreter, v: Value | undefined): Value[] | undefined {
  if (!v || v.kind === "unknown") return undefined;
  if (v.kind === "tensor") return interp.iterate(v);
  return items(interp, v);
}

export function typeOf(v: Value, b: BuiltinTypes): ClassValue {
  switch (v.kind) {
    case "object":
      return v.cls;
    case "bool":
      return b.bool;
    case "int":
      return b.int;
    case "float":
      return b.float;
    case "str":
      return b.str;
    case "list":
      return b.list;
    case "tuple":
      return v.namedtuple ?? b.tuple;
    case "dict":
      return b.dict;
    case "set":
      return b.set;
    case "none":
      return b.NoneType;
    case "class":
      return b.type;
    case "partial":
      return b.partial;
    case "function":
    case "native":
    case "boundmethod":
      return b.function;
    case "tensor":
      return (v.isParameter ? b.parameterClass : b.tensorClass) ?? b.object;
    default:
      return b.object;
  }
}

export interface BuiltinTypes {
  object: ClassValue;
  type: ClassValue;
  int: ClassValue;
  float: ClassValue;
  bool: ClassValue;
  str: ClassValue;
  list: ClassValue;
  tuple: ClassValue;
  dict: ClassValue;
  set: ClassValue;
  NoneType: ClassValue;
  function: ClassValue;
  /** functools.partial: its objects are not functions (isinstance(p, types.FunctionType) is False) */
  partial: ClassValue;
  BaseException: ClassValue;
  Exception: ClassValue;
  /** what importlib's own errors derive from */
  ImportError: ClassValue;
  /** torch.Tensor, filled in by the torch model */
  tensorClass?: ClassValue;
  /** torch.nn.Parameter, filled in by the torch model */
  parameterClass?: ClassValue;
}

export function isInstance(v: Value, cls: Value, b: BuiltinTypes): boolean | undefined {
  if (cls.kind === "tuple") {
    let result: boolean | undefined = false;
    for (const c of cls.items) {
      const r = isInstance(v, c, b);
      if (r) return true;
      if (r === undefined) result = undefined;
    }
    return result;
  }
  if (cls.kind === "native" && cls.instanceCheck) return v.kind === "unknown" ? undefined : cls.instanceCheck(v);
  if (cls.kind !== "class") return undefined;
  if (v.kind === "unknown") return undefined;
  if (typeOf(v, b).mro.includes(cls)) return true;
  return cls.native?.instanceCheck?.(v) ?? false;
}

function constructor(fn: (call: NativeCall) => Value): NativeClassBehaviour {
  return { construct: (_cls, call) => fn(call) };
}

export function createBuiltins(): { scope: Scope; types: BuiltinTypes } {
  const scope = new Scope("builtins", undefined, "<builtins>", "builtins");
  const object = makeClass("object", []);
  object.attrs.set("__init__", native("object.__init__", () => NONE));
  // object's own lookup and assignment, which a class's __getattribute__/__setattr__ reach through super()
  object.attrs.set("__getattribute__", native("object.__getattribute__", (call) => (call.args[0]?.kind === "object" ? genericGetAttr(call.interp, call.args[0], pyStr(call.args[1]), false) : call.interp.getAttr(call.args[0], pyStr(call.args[1])))));
  object.attrs.set("__setattr__", native("object.__setattr__", (call) => {
    const self = call.args[0];
    if (self?.kind === "object") genericSetAttr(call.interp, self, pyStr(call.args[1]), call.args[2] ?? NONE);
    else call.interp.setAttr(self, pyStr(call.args[1]), call.args[2] ?? NONE);
    return NONE;
  }));
  const type = makeClass("type", [object], {}, constructor((call) => (call.args.length === 1 ? typeOf(call.args[0], types) : unknown("type() with three arguments"))));
  const intCls = makeClass("int", [object], {}, constructor((call) => toInt(call)));
  const types: BuiltinTypes = {
    object,
    type,
    int: intCls,
    float: makeClass("float", [object], {}, constructor((call) => toFloat(call.args[0]?.kind === "tensor" ? call.interp.callValue(call.interp.getAttr(call.args[0], "item"), []) : call.args[0]))),
    bool: makeClass("bool", [intCls], {}, constructor((call) => (call.args[0] ? truth(call.interp, call.args[0]) : bool(false)))),
    str: makeClass("str", [object], {}, constructor((call) => strOf(call))),
    list: makeClass("list", [object], {}, constructor((call) => list(call.args[0] ? (maybeItems(call.interp, call.args[0]) ?? []) : []))),
    tuple: makeClass("tuple", [object], {}, constructor((call) => (call.args[0]?.kind === "unknown" ? call.args[0] : tuple(call.args[0] ? items(call.interp, call.args[0]) : [])))),
    dict: makeClass("dict", [object], {}, constructor((call) => dictFrom(call))),
    set: makeClass("set", [object], {}, constructor((call) => setFrom(call.interp, call.args[0]))),
    NoneType: makeClass("NoneType", [object]),
    function: makeClass("function", [object]),
    // what type() gives for a functools.partial object: not a function
    partial: makeClass("partial", [object], {}, undefined, "functools"),
    BaseException: makeClass("BaseException", [object]),
    Exception: object,
    ImportError: object,
  };
  const exceptionInit = native("BaseException.__init__", (call) => {
    const self = call.args[0];
    if (self.kind === "object") self.attrs.set("args", tuple(call.args.slice(1)));
    return NONE;
  });
  types.BaseException.attrs.set("__init__", exceptionInit);
  types.Exception = makeClass("Exception", [types.BaseException]);
  const exceptionTree: Record<string, string> = {
    ArithmeticError: "Exception",
    ZeroDivisionError: "ArithmeticError",
    LookupError: "Exception",
    KeyError: "LookupError",
    IndexError: "LookupError",
    ValueError: "Exception",
    TypeError: "Exception",
    AttributeError: "Exception",
    NameError: "Exception",
    ImportError: "Exception",
    ModuleNotFoundError: "ImportError",
    RuntimeError: "Exception",
    NotImplementedError: "RuntimeError",
    AssertionError: "Exception",
    StopIteration: "Exception",
    OSError: "Exception",
    FileNotFoundError: "OSError",
    Warning: "Exception",
    UserWarning: "Warning",
    DeprecationWarning: "Warning",
    PendingDeprecationWarning: "Warning",
    FutureWarning: "Warning",
    RuntimeWarning: "Warning",
    SyntaxWarning: "Warning",
    ImportWarning: "Warning",
    ResourceWarning: "Warning",
    SyntaxError: "Exception",
    IndentationError: "SyntaxError",
    TabError: "IndentationError",
    KeyboardInterrupt: "BaseException",
    SystemExit: "BaseException",
    GeneratorExit: "BaseException",
    FloatingPointError: "ArithmeticError",
    OverflowError: "ArithmeticError",
    BufferError: "Exception",
    EOFError: "Exception",
    MemoryError: "Exception",
    ReferenceError: "Exception",
    SystemError: "Exception",
    StopAsyncIteration: "Exception",
    RecursionError: "RuntimeError",
    UnboundLocalError: "NameError",
    UnicodeError: "ValueError",
    UnicodeEncodeError: "UnicodeError",
    UnicodeDecodeError: "UnicodeError",
    UnicodeTranslateError: "UnicodeError",
    BlockingIOError: "OSError",
    ChildProcessError: "OSError",
    ConnectionError: "OSError",
    BrokenPipeError: "ConnectionError",
    ConnectionAbortedError: "ConnectionError",
    ConnectionRefusedError: "ConnectionError",
    ConnectionResetError: "ConnectionError",
    FileExistsError: "OSError",
    InterruptedError: "OSError",
    IsADirectoryError: "OSError",
    NotADirectoryError: "OSError",
    PermissionError: "OSError",
    ProcessLookupError: "OSError",
    TimeoutError: "OSError",
    UnicodeWarning: "Warning",
    BytesWarning: "Warning",
    EncodingWarning: "Warning",
  };
  const classes: Record<string, ClassValue> = { BaseException: types.BaseException, Exception: types.Exception };
  for (const [name, base] of Object.entries(exceptionTree)) classes[name] = makeClass(name, [classes[base]]);
  // old names of OSError
  classes.EnvironmentError = classes.IOError = classes.OSError;
  types.ImportError = classes.ImportError;

  const v = scope.vars;
  for (const [name, cls] of Object.entries({ object, type, int: intCls, float: types.float, bool: types.bool, str: types.str, list: types.list, tuple: types.tuple, dict: types.dict, set: types.set, frozenset: types.set, ...classes })) v.set(name, cls);
  v.set("None", NONE);
  v.set("NotImplemented", unknown("NotImplemented"));
  v.set("Ellipsis", ELLIPSIS);
  v.set("__name__", str("builtins"));
  v.set("__debug__", bool(true));

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
  def("repr", (call) => str(pyRepr(call.args[0])));
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
      const f = 10 ** requireInt(nd, "ndigits");
      return float(roundHalfEven(n * f) / f);
    }
    return int(roundHalfEven(n));
  });
  def("divmod", (call) => {
    const a = requireInt(call.args[0], "divmod");
    const b = requireInt(call.args[1], "divmod");
    return tuple([int(Math.floor(a / b)), int(a - Math.floor(a / b) * b)]);
  });
  def("pow", (call) => call.interp.binary("**", call.args[0], call.args[1]));
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
    const names = attributeNames(call.args[0]);
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
  def("hex", (call) => str(`0x${requireInt(call.args[0], "hex").toString(16)}`));
  def("bin", (call) => str(`0b${requireInt(call.args[0], "bin").toString(2)}`));
  v.set("staticmethod", native("staticmethod", (call) => ({ kind: "staticmethod", func: call.args[0] })));
  v.set("classmethod", native("classmethod", (call) => ({ kind: "classmethod", func: call.args[0] })));
  v.set("property", native("property", (call) => ({ kind: "property", func: call.args[0] ?? call.kwargs.get("fget") ?? NONE, setter: call.args[1] })));

  installTypeMethods(scope, types);
  installContainerClassMethods(scope, types);
  return { scope, types };

  function toInt(call: NativeCall): Value {
    const x = call.args[0];
    if (!x) return int(0);
    if (x.kind === "float") return int(Math.trunc(x.value));
    if (x.kind === "str") {
      const base = call.args[1] ? requireInt(call.args[1], "base") : 10;
      const n = parseInt(x.value.trim(), base);
      if (Number.isNaN(n)) throw new PyException("ValueError", `invalid literal for int() with base ${base}: ${pyRepr(x)}`);
      return int(n);
    }
    const n = numericValue(x);
    if (n !== undefined) return int(n);
    if (x.kind === "tensor") {
      // int(t) is int(t.item()): known only for a one-element tensor of known value
      const item = call.interp.callValue(call.interp.getAttr(x, "item"), []);
      if (item.kind === "float") return int(Math.trunc(item.value));
      return item.kind === "int" || item.kind === "bool" ? int(numericValue(item)!) : unknown("int() of tensor data");
    }
    if (x.kind === "object") {
      const m = call.interp.lookupSpecial(x, "__int__") ?? call.interp.lookupSpecial(x, "__index__");
      if (m) return call.interp.callValue(m, []);
    }
    return unknown("int() of an unknown value");
  }
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function toFloat(x: Value | undefined): Value {
  if (!x) return float(0);
  if (x.kind === "float") return x;
  if (x.kind === "str") {
    const t = x.value.trim().toLowerCase();
    if (t === "inf" || t === "+inf") return float(Infinity);
    if (t === "-inf") return float(-Infinity);
    if (t === "nan") return float(NaN);
    return float(Number(t));
  }
  const n = numericValue(x);
  if (typeof n === "number") return float(n);
  return unknown("float() of a symbolic or unknown value");
}

function truth(interp: Interpreter, x: Value): { kind: "bool"; value: boolean } {
  const t = interp.truthy(x);
  return bool(t === true);
}

/** str(x): an object's own __str__ (or __repr__) when its class has one. */
function strOf(call: NativeCall): Value {
  const x = call.args[0];
  if (!x) return str("");
  if (x.kind === "object") {
    const m = call.interp.lookupSpecial(x, "__str__") ?? call.interp.lookupSpecial(x, "__repr__");
    if (m) return call.interp.callValue(m, []);
  }
  return str(pyStr(x));
}

function dictFrom(call: NativeCall): Value {
  const d = makeDict();
  const src = call.args[0];
  if (src) {
    if (src.kind === "dict" || (src.kind === "object" && call.interp.lookupSpecial(src, "keys"))) {
      for (const [k, val] of call.interp.mappingEntries(src)) d.entries.set(hashKey(k), { key: k, value: val });
    } else {
      for (const pair of items(call.interp, src)) {
        const kv = items(call.interp, pair);
        d.entries.set(hashKey(kv[0]), { key: kv[0], value: kv[1] });
      }
    }
  }
  for (const [k, val] of call.kwargs) d.entries.set(hashKey(str(k)), { key: str(k), value: val });
  return d;
}

function setFrom(interp: Interpreter, src: Value | undefined): Value {
  const entries = new Map<string, Value>();
  for (const x of src ? items(interp, src) : []) entries.set(hashKey(x), x);
  return { kind: "set", entries };
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

export function sortValues(interp: Interpreter, xs: Value[], key?: Value, reverse?: Value): Value[] {
  const keyed = xs.map((x) => ({ x, k: key && key.kind !== "none" ? interp.callValue(key, [x]) : x }));
  keyed.sort((a, b) => (pyLess(a.k, b.k) ? -1 : pyLess(b.k, a.k) ? 1 : 0));
  if (reverse && interp.truthy(reverse)) keyed.reverse();
  return keyed.map((e) => e.x);
}

/** str/list/dict/tuple/set methods, looked up by the interpreter as `__methods_<kind>__`. */
function installTypeMethods(scope: Scope, _types: BuiltinTypes): void {
  const table = (kind: string, methods: Record<string, (call: NativeCall) => Value>) =>
    scope.vars.set(`__methods_${kind}__`, makeDict(Object.entries(methods).map(([name, fn]) => [str(name), native(`${kind}.${name}`, fn)] as const)));
  const self = <K extends Value["kind"]>(call: NativeCall, kind: K) => call.args[0] as Extract<Value, { kind: K }>;

  table("str", {
    format: (call) => str(strFormat(self(call, "str").value, call.args.slice(1), call.kwargs)),
    join: (call) => {
      const parts = items(call.interp, call.args[1]);
      return str(parts.map((p) => pyStr(p)).join(self(call, "str").value));
    },
    split: (call) => {
      const s = self(call, "str").value;
      const sep = call.args[1];
      const parts = sep && sep.kind === "str" ? s.split(sep.value) : s.trim().split(/\s+/).filter(Boolean);
      return list(parts.map(str));
    },
    rsplit: (call) => {
      const s = self(call, "str").value;
      const sep = call.args[1]?.kind === "str" ? (call.args[1] as { value: string }).value : " ";
      const max = call.args[2] ? requireInt(call.args[2], "maxsplit") : -1;
      const parts = s.split(sep);
      if (max >= 0 && parts.length > max + 1) return list([parts.slice(0, parts.length - max).join(sep), ...parts.slice(parts.length - max)].map(str));
      return list(parts.map(str));
    },
    startswith: (call) => {
      const s = self(call, "str").value;
      const p = call.args[1];
      const opts = p.kind === "tuple" ? p.items : [p];
      return bool(opts.some((o) => o.kind === "str" && s.startsWith(o.value)));
    },
    endswith: (call) => {
      const s = self(call, "str").value;
      const p = call.args[1];
      const opts = p.kind === "tuple" ? p.items : [p];
      return bool(opts.some((o) => o.kind === "str" && s.endsWith(o.value)));
    },
    lower: (call) => str(self(call, "str").value.toLowerCase()),
    upper: (call) => str(self(call, "str").value.toUpperCase()),
    strip: (call) => str(self(call, "str").value.trim()),
    lstrip: (call) => str(self(call, "str").value.trimStart()),
    rstrip: (call) => str(self(call, "str").value.trimEnd()),
    replace: (call) => str(self(call, "str").value.split(pyStr(call.args[1])).join(pyStr(call.args[2]))),
    isdigit: (call) => bool(/^\d+$/.test(self(call, "str").value)),
    find: (call) => int(self(call, "str").value.indexOf(pyStr(call.args[1]))),
    count: (call) => int(self(call, "str").value.split(pyStr(call.args[1])).length - 1),
    title: (call) => str(self(call, "str").value.replace(/\b\w/g, (c) => c.toUpperCase())),
    capitalize: (call) => {
      const s = self(call, "str").value;
      return str(s.charAt(0).toUpperCase() + s.slice(1).toLowerCase());
    },
  });
  table("list", {
    append: (call) => {
      self(call, "list").items.push(call.args[1]);
      return NONE;
    },
    extend: (call) => {
      self(call, "list").items.push(...(maybeItems(call.interp, call.args[1]) ?? []));
      return NONE;
    },
    insert: (call) => {
      const l = self(call, "list");
      let i = requireInt(call.args[1], "index");
      if (i < 0) i = Math.max(0, l.items.length + i);
      l.items.splice(i, 0, call.args[2]);
      return NONE;
    },
    pop: (call) => {
      const l = self(call, "list");
      if (l.items.length === 0) throw new PyException("IndexError", "pop from empty list");
      const i = call.args[1] ? requireInt(call.args[1], "index") : -1;
      const idx = i < 0 ? l.items.length + i : i;
      return l.items.splice(idx, 1)[0];
    },
    remove: (call) => {
      const l = self(call, "list");
      const i = l.items.findIndex((x) => pyEquals(x, call.args[1]) === true);
      if (i < 0) throw new PyException("ValueError", "list.remove(x): x not in list");
      l.items.splice(i, 1);
      return NONE;
    },
    index: (call) => {
      const i = self(call, "list").items.findIndex((x) => pyEquals(x, call.args[1]) === true);
      if (i < 0) throw new PyException("ValueError", `${pyRepr(call.args[1])} is not in list`);
      return int(i);
    },
    count: (call) => int(self(call, "list").items.filter((x) => pyEquals(x, call.args[1]) === true).length),
    reverse: (call) => {
      self(call, "list").items.reverse();
      return NONE;
    },
    sort: (call) => {
      const l = self(call, "list");
      l.items = sortValues(call.interp, l.items, call.kwargs.get("key"), call.kwargs.get("reverse"));
      return NONE;
    },
    copy: (call) => list([...self(call, "list").items]),
    clear: (call) => {
      self(call, "list").items.length = 0;
      return NONE;
    },
  });
  table("tuple", {
    index: (call) => int(self(call, "tuple").items.findIndex((x) => pyEquals(x, call.args[1]) === true)),
    count: (call) => int(self(call, "tuple").items.filter((x) => pyEquals(x, call.args[1]) === true).length),
    numel: (call) => int(dimProduct(self(call, "tuple").items.map((x) => numericValue(x) ?? 0))),
    _asdict: (call) => {
      const t = self(call, "tuple");
      const fields = t.namedtuple?.attrs.get("_fields");
      const names = fields?.kind === "tuple" ? fields.items : [];
      return makeDict(names.map((n, i) => [n, t.items[i]] as const), true);
    },
    _replace: (call) => {
      const t = self(call, "tuple");
      const fields = t.namedtuple?.attrs.get("_fields");
      const names = fields?.kind === "tuple" ? fields.items.map((f) => pyStr(f)) : [];
      return { kind: "tuple", items: t.items.map((x, i) => call.kwargs.get(names[i]) ?? x), namedtuple: t.namedtuple };
    },
  });
  table("dict", {
    keys: (call) => list([...self(call, "dict").entries.values()].map((e) => e.key)),
    values: (call) => list([...self(call, "dict").entries.values()].map((e) => e.value)),
    items: (call) => list([...self(call, "dict").entries.values()].map((e) => tuple([e.key, e.value]))),
    get: (call) => self(call, "dict").entries.get(hashKey(call.args[1]))?.value ?? call.args[2] ?? NONE,
    pop: (call) => {
      const d = self(call, "dict");
      const k = hashKey(call.args[1]);
      const e = d.entries.get(k);
      if (e) {
        d.entries.delete(k);
        return e.value;
      }
      if (call.args[2]) return call.args[2];
      throw new PyException("KeyError", pyRepr(call.args[1]));
    },
    setdefault: (call) => {
      const d = self(call, "dict");
      const k = hashKey(call.args[1]);
      const e = d.entries.get(k);
      if (e) return e.value;
      const val = call.args[2] ?? NONE;
      d.entries.set(k, { key: call.args[1], value: val });
      return val;
    },
    update: (call) => {
      const d = self(call, "dict");
      if (call.args[1]) for (const [k, val] of call.interp.mappingEntries(call.args[1])) d.entries.set(hashKey(k), { key: k, value: val });
      for (const [k, val] of call.kwargs) d.entries.set(hashKey(str(k)), { key: str(k), value: val });
      return NONE;
    },
    copy: (call) => ({ kind: "dict", entries: new Map(self(call, "dict").entries), ordered: self(call, "dict").ordered }),
    clear: (call) => {
      self(call, "dict").entries.clear();
      return NONE;
    },
  });
  table("set", {
    add: (call) => {
      self(call, "set").entries.set(hashKey(call.args[1]), call.args[1]);
      return NONE;
    },
    update: (call) => {
      for (const x of items(call.interp, call.args[1])) self(call, "set").entries.set(hashKey(x), x);
      return NONE;
    },
    discard: (call) => {
      self(call, "set").entries.delete(hashKey(call.args[1]));
      return NONE;
    },
    remove: (call) => {
      const s = self(call, "set");
      if (!s.entries.delete(hashKey(call.args[1]))) throw new PyException("KeyError", pyRepr(call.args[1]));
      return NONE;
    },
    copy: (call) => ({ kind: "set", entries: new Map(self(call, "set").entries) }),
    pop: (call) => {
      const entries = self(call, "set").entries;
      const first = entries.entries().next();
      if (first.done) throw new PyException("KeyError", "'pop from an empty set'");
      entries.delete(first.value[0]);
      return first.value[1];
    },
    clear: (call) => {
      self(call, "set").entries.clear();
      return NONE;
    },
    symmetric_difference: (call) => {
      const mine = self(call, "set").entries;
      const other = setKeys(call.interp, call.args[1]);
      const out = new Map([...mine].filter(([k]) => !other.has(k)));
      for (const x of items(call.interp, call.args[1])) if (!mine.has(hashKey(x))) out.set(hashKey(x), x);
      return { kind: "set", entries: out };
    },
    intersection_update: (call) => {
      const mine = self(call, "set").entries;
      const others = call.args.slice(1).map((o) => setKeys(call.interp, o));
      for (const k of [...mine.keys()]) if (!others.every((o) => o.has(k))) mine.delete(k);
      return NONE;
    },
    difference_update: (call) => {
      const mine = self(call, "set").entries;
      const others = call.args.slice(1).map((o) => setKeys(call.interp, o));
      for (const k of [...mine.keys()]) if (others.some((o) => o.has(k))) mine.delete(k);
      return NONE;
    },
    symmetric_difference_update: (call) => {
      const mine = self(call, "set").entries;
      for (const x of items(call.interp, call.args[1])) {
        const k = hashKey(x);
        if (mine.has(k)) mine.delete(k);
        else mine.set(k, x);
      }
      return NONE;
    },
    issubset: (call) => {
      const other = setKeys(call.interp, call.args[1]);
      return bool([...self(call, "set").entries.keys()].every((k) => other.has(k)));
    },
    issuperset: (call) => bool([...setKeys(call.interp, call.args[1])].every((k) => self(call, "set").entries.has(k))),
    isdisjoint: (call) => bool([...setKeys(call.interp, call.args[1])].every((k) => !self(call, "set").entries.has(k))),
    union: (call) => {
      const out = new Map(self(call, "set").entries);
      for (const other of call.args.slice(1)) for (const x of items(call.interp, other)) out.set(hashKey(x), x);
      return { kind: "set", entries: out };
    },
    intersection: (call) => {
      const others = call.args.slice(1).map((o) => setKeys(call.interp, o));
      return { kind: "set", entries: new Map([...self(call, "set").entries].filter(([k]) => others.every((o) => o.has(k)))) };
    },
    difference: (call) => {
      const others = call.args.slice(1).map((o) => setKeys(call.interp, o));
      return { kind: "set", entries: new Map([...self(call, "set").entries].filter(([k]) => others.every((o) => !o.has(k)))) };
    },
  });
  table("int", {
    bit_length: (call) => int(requireInt(call.args[0], "int").toString(2).length),
  });
  table("float", {
    is_integer: (call) => bool(Number.isInteger((call.args[0] as { value: number }).value)),
  });
  table("iterator", {
    __next__: (call) => {
      const it = self(call, "iterator");
      if (it.position < it.items.length) return it.items[it.position++];
      throw new PyException("StopIteration", "");
    },
  });
}

function strFormat(template: string, args: readonly Value[], kwargs: ReadonlyMap<string, Value>): string {
  let auto = 0;
  return template.replace(/\{\{|\}\}|\{([^{}:!]*)(?:![rsa])?(?::([^{}]*))?\}/g, (m, field: string | undefined, spec: string | undefined) => {
    if (m === "{{") return "{";
    if (m === "}}") return "}";
    const name = field ?? "";
    const value = name === "" ? args[auto++] : /^\d+$/.test(name) ? args[Number(name)] : kwargs.get(name);
    return value ? pyFormat(value, spec) : m;
  });
}


