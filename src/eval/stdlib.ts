// The parts of Python's standard library that model-building code reaches for:
// math, functools, collections, dataclasses, typing, enum, copy, itertools,
// operator, warnings, argparse (argparseModule.ts). Each is a native namespace.
import type { BinaryOperator } from "../parse/ast.js";
import { PyException } from "./errors.js";
import type { Interpreter } from "./interpreter.js";
import { makeClass, requireInt, type BuiltinTypes } from "./builtins.js";
import { argparseModule } from "./argparseModule.js";
import { inspectModule, typesModule } from "./introspection.js";
import { numpyModule } from "./numpyModule.js";
import { dequeClass } from "./deque.js";
import { osModule, urllibParseModule } from "./pathModules.js";
import { reModule } from "./reModule.js";
import { itertoolsExtras } from "./stdlib/itertoolsExtras.js";
import { mathExtras } from "./stdlib/mathExtras.js";
import { operatorExtras } from "./stdlib/operatorExtras.js";
import { keywordModule, stringModule } from "./stdlib/textModules.js";
import { loggingModule } from "./loggingModule.js";
import { importlibModule } from "./importlibModule.js";
import { abstractCollectionClasses, collectionsAbcModule } from "./abstractCollections.js";
import { keyError } from "./builtins/exceptions.js";
import { numericValue, pyEquals, pyRepr, pyStr } from "./operators.js";
import {
  bool,
  float,
  hashKey,
  int,
  list,
  makeDict,
  makeObject,
  native,
  NONE,
  str,
  tuple,
  unknown,
  type ClassValue,
  type NamespaceValue,
  type NativeCall,
  type ObjectValue,
  type Value,
} from "./values.js";

export function nativeNamespace(name: string, members: Record<string, Value>, fallback?: (attr: string) => Value | undefined): NamespaceValue {
  const map = new Map(Object.entries(members));
  return {
    kind: "namespace",
    name,
    get: (attr) => map.get(attr) ?? fallback?.(attr),
    publicNames: () => [...map.keys()].filter((k) => !k.startsWith("_")),
  };
}

function fn(name: string, call: (c: NativeCall) => Value): Value {
  return native(name, call);
}

function num(v: Value | undefined): number {
  if (!v) throw new PyException("TypeError", "missing argument");
  if (v.kind === "float") return v.value;
  const n = numericValue(v);
  if (typeof n !== "number") throw new PyException("TypeError", "math on a symbolic or unknown value");
  return n;
}

/** math functions return Unknown (not an error) for symbolic sizes. */
function mathFn(name: string, f: (...xs: number[]) => number, returnsInt: boolean): Value {
  return fn(`math.${name}`, (call) => {
    if (call.args.some((a) => a.kind === "unknown" || (a.kind === "int" && typeof a.value !== "number"))) return unknown(`math.${name} of a symbolic value`);
    const r = f(...call.args.map(num));
    return returnsInt ? int(r) : float(r);
  });
}

/** The error function, within a few units in the last place: its Taylor series near 0, the continued fraction of erfc further out. */
function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a < 2.5) {
    let term = a;
    let sum = a;
    for (let n = 1; n < 100 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= (-a * a) / n;
      sum += term / (2 * n + 1);
    }
    return Math.sign(x) * ((2 / Math.sqrt(Math.PI)) * sum);
  }
  if (a > 6) return Math.sign(x);
  // erfc(a) = exp(-a²)/√π · 1/(a + 1/2/(a + 1/(a + 3/2/(a + ...)))) evaluated from the tail
  let f = a;
  for (let k = 60; k >= 1; k--) f = a + k / 2 / f;
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

function mathModule(): NamespaceValue {
  return nativeNamespace("math", {
    pi: float(Math.PI),
    e: float(Math.E),
    inf: float(Infinity),
    nan: float(NaN),
    tau: float(2 * Math.PI),
    floor: mathFn("floor", Math.floor, true),
    ceil: mathFn("ceil", Math.ceil, true),
    trunc: mathFn("trunc", Math.trunc, true),
    sqrt: mathFn("sqrt", Math.sqrt, false),
    exp: mathFn("exp", Math.exp, false),
    log: mathFn("log", (x, b) => (b === undefined ? Math.log(x) : Math.log(x) / Math.log(b)), false),
    log2: mathFn("log2", Math.log2, false),
    log10: mathFn("log10", Math.log10, false),
    pow: mathFn("pow", Math.pow, false),
    sin: mathFn("sin", Math.sin, false),
    cos: mathFn("cos", Math.cos, false),
    tan: mathFn("tan", Math.tan, false),
    atan: mathFn("atan", Math.atan, false),
    fabs: mathFn("fabs", Math.abs, false),
    asin: mathFn("asin", Math.asin, false),
    acos: mathFn("acos", Math.acos, false),
    atan2: mathFn("atan2", Math.atan2, false),
    sinh: mathFn("sinh", Math.sinh, false),
    cosh: mathFn("cosh", Math.cosh, false),
    tanh: mathFn("tanh", Math.tanh, false),
    expm1: mathFn("expm1", Math.expm1, false),
    log1p: mathFn("log1p", Math.log1p, false),
    hypot: mathFn("hypot", Math.hypot, false),
    copysign: mathFn("copysign", (x, y) => (Math.sign(y) < 0 || Object.is(y, -0) ? -Math.abs(x) : Math.abs(x)), false),
    degrees: mathFn("degrees", (x) => (x * 180) / Math.PI, false),
    radians: mathFn("radians", (x) => (x * Math.PI) / 180, false),
    erf: mathFn("erf", erf, false),
    erfc: mathFn("erfc", (x) => 1 - erf(x), false),
    gcd: mathFn("gcd", gcd, true),
    isqrt: mathFn("isqrt", (x) => Math.floor(Math.sqrt(x)), true),
    prod: fn("math.prod", (call) => {
      let acc: Value = int(1);
      for (const x of call.interp.iterate(call.args[0]) ?? []) acc = call.interp.binary("*", acc, x);
      return acc;
    }),
    isclose: fn("math.isclose", (call) => bool(Math.abs(num(call.args[0]) - num(call.args[1])) <= 1e-9 * Math.max(Math.abs(num(call.args[0])), Math.abs(num(call.args[1]))))),
    isfinite: fn("math.isfinite", (call) => bool(Number.isFinite(num(call.args[0])))),
    isinf: fn("math.isinf", (call) => bool(!Number.isFinite(num(call.args[0])) && !Number.isNaN(num(call.args[0])))),
    isnan: fn("math.isnan", (call) => bool(Number.isNaN(num(call.args[0])))),
    ...mathExtras(),
  });
}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

function functoolsModule(): NamespaceValue {
  return nativeNamespace("functools", {
    // partial only stores what it is given: an imported class stays lazy until the partial is called
    partial: {
      kind: "native",
      name: "functools.partial",
      keepsLazyArgs: true,
      call: (call) => {
        const func = call.args[0];
        // a partial of a partial is one partial, as Python flattens it (its func is the innermost callable)
        if (func?.kind === "partial") return { kind: "partial", func: func.func, args: [...func.args, ...call.args.slice(1)], kwargs: new Map([...func.kwargs, ...call.kwargs]) };
        return { kind: "partial", func, args: call.args.slice(1), kwargs: call.kwargs };
      },
      instanceCheck: (v) => v.kind === "partial",
    },
    reduce: fn("functools.reduce", (call) => {
      const items = call.interp.iterate(call.args[1]);
      if (!items) return unknown("reduce() over an unknown value");
      let acc = call.args[2] ?? items.shift();
      if (!acc) throw new PyException("TypeError", "reduce() of empty iterable with no initial value");
      for (const x of items) acc = call.interp.callValue(call.args[0], [acc, x]);
      return acc;
    }),
    // wraps/update_wrapper copy the wrapped function's identity and set __wrapped__ (inspect.signature follows it)
    wraps: fn("functools.wraps", (call) => fn("wraps", (c) => updateWrapper(c.args[0], call.args[0]))),
    lru_cache: fn("functools.lru_cache", (call) => (call.args[0] && call.args[0].kind === "function" ? call.args[0] : fn("lru_cache", (c) => c.args[0]))),
    cache: fn("functools.cache", (call) => call.args[0]),
    // computed on first access, then the same value for that object
    cached_property: fn("functools.cached_property", (call) => {
      const getter = call.args[0];
      const cache = new WeakMap<object, Value>();
      const cached = fn("cached_property", (c) => {
        const self = c.args[0];
        let v = cache.get(self);
        if (!v) cache.set(self, (v = c.interp.callValue(getter, [self])));
        return v;
      });
      return { kind: "property", func: cached };
    }),
    total_ordering: fn("functools.total_ordering", (call) => call.args[0]),
    cmp_to_key: fn("functools.cmp_to_key", () => unknown("functools.cmp_to_key is not modelled")),
    partialmethod: fn("functools.partialmethod", () => unknown("functools.partialmethod is not modelled")),
    WRAPPER_ASSIGNMENTS: tuple(["__module__", "__name__", "__qualname__", "__doc__", "__annotations__"].map(str)),
    WRAPPER_UPDATES: tuple([str("__dict__")]),
    update_wrapper: fn("functools.update_wrapper", (call) => updateWrapper(call.args[0], call.args[1])),
  });
}

function updateWrapper(wrapper: Value, wrapped: Value | undefined): Value {
  if (wrapper.kind !== "function" || !wrapped) return wrapper;
  if (wrapped.kind === "function") {
    // the wrapped function's __dict__ (its own __name__ if it is itself a wrapper), then its identity
    for (const [k, v] of wrapped.attrs) wrapper.attrs.set(k, v);
    if (!wrapped.attrs.has("__name__")) wrapper.attrs.set("__name__", str(wrapped.name));
    if (!wrapped.attrs.has("__qualname__")) wrapper.attrs.set("__qualname__", str(wrapped.qualname));
    if (!wrapped.attrs.has("__module__")) wrapper.attrs.set("__module__", str(wrapped.closure.moduleName));
  }
  wrapper.attrs.set("__wrapped__", wrapped);
  return wrapper;
}

function collectionsModule(types: BuiltinTypes): NamespaceValue {
  const ordered = makeClass("OrderedDict", [types.dict], {}, {
    construct: (_cls, call) => {
      const d = types.dict.native!.construct!(types.dict, call);
      return d.kind === "dict" ? { ...d, ordered: true } : d;
    },
  }, "collections");
  const defaultdict = makeClass("defaultdict", [types.dict], {}, {
    construct: (_cls, call) => {
      const d = types.dict.native!.construct!(types.dict, { ...call, args: call.args.slice(1) });
      return d.kind === "dict" ? { ...d, defaultFactory: call.args[0] ?? NONE } : d;
    },
  }, "collections");
  return nativeNamespace("collections", {
    OrderedDict: ordered,
    defaultdict,
    namedtuple: fn("collections.namedtuple", (call) => namedtuple(call, types)),
    Counter: fn("collections.Counter", () => makeDict()),
    deque: dequeClass(types),
    abc: collectionsAbcModule(types),
  });
}

function namedtuple(call: NativeCall, types: BuiltinTypes): Value {
  const name = pyStr(call.args[0]);
  const spec = call.args[1] ?? call.kwargs.get("field_names");
  const fields = spec.kind === "str" ? spec.value.replace(/,/g, " ").split(/\s+/).filter(Boolean) : (call.interp.iterate(spec) ?? []).map((f) => pyStr(f));
  const defaultsValue = call.kwargs.get("defaults");
  const defaults = defaultsValue ? (call.interp.iterate(defaultsValue) ?? []) : [];
  return namedTupleClass(name, fields, defaults, types);
}

/** A namedtuple class: a tuple whose items are also properties by field name. */
export function namedTupleClass(name: string, fields: readonly string[], defaults: readonly Value[], types: BuiltinTypes, module = "collections"): ClassValue {
  const cls: ClassValue = makeClass(name, [types.tuple], {}, {
    construct: (c, ncall) => {
      const values: Value[] = [];
      fields.forEach((f, i) => {
        const d = i - (fields.length - defaults.length);
        const v = ncall.args[i] ?? ncall.kwargs.get(f) ?? (d >= 0 ? defaults[d] : undefined);
        if (!v) throw new PyException("TypeError", `${name}() missing required argument: '${f}'`);
        values.push(v);
      });
      return { kind: "tuple", items: values, namedtuple: c };
    },
  }, module);
  cls.attrs.set("_fields", tuple(fields.map(str)));
  fields.forEach((f, i) =>
    cls.attrs.set(f, { kind: "property", func: native(`${name}.${f}`, (c) => (c.args[0].kind === "tuple" ? c.args[0].items[i] : unknown(f))) }),
  );
  return cls;
}

/** @dataclass: an __init__ from the annotated fields, in order, with their defaults. */
function dataclassDecorator(call: NativeCall, fieldCls: ClassValue): Value {
  const apply = (target: Value): Value => {
    if (target.kind !== "class") return target;
    const fields: { name: string; default?: Value; factory?: Value }[] = [];
    for (const c of [...target.mro].reverse()) {
      const ann = c.attrs.get("__annotations__");
      if (ann?.kind !== "dict") continue;
      for (const e of ann.entries.values()) {
        const name = pyStr(e.key);
        const existing = fields.findIndex((f) => f.name === name);
        const raw = c.attrs.get(name);
        const field = raw?.kind === "object" && raw.cls.name === "Field" ? raw : undefined;
        const entry = {
          name,
          default: field ? field.attrs.get("default") : raw,
          factory: field ? field.attrs.get("default_factory") : undefined,
        };
        if (entry.default?.kind === "unknown" && field) entry.default = undefined;
        if (existing >= 0) fields[existing] = entry;
        else fields.push(entry);
      }
    }
    const fieldObjects = fields.map((f) => {
      const o = makeObject(fieldCls);
      o.attrs.set("name", str(f.name));
      o.attrs.set("default", f.default ?? unknown("no default"));
      o.attrs.set("default_factory", f.factory ?? NONE);
      return [str(f.name), o] as const;
    });
    target.attrs.set("__dataclass_fields__", makeDict(fieldObjects, true));
    if (!target.attrs.has("__init__") || target.attrs.get("__init__")?.kind === "native") {
      target.attrs.set(
        "__init__",
        native(`${target.name}.__init__`, (c) => {
          const self = c.args[0];
          fields.forEach((f, i) => {
            let v = c.args[i + 1] ?? c.kwargs.get(f.name);
            if (!v && f.factory && f.factory.kind !== "none") v = c.interp.callValue(f.factory, []);
            if (!v && f.default) v = f.default;
            if (!v) throw new PyException("TypeError", `${target.name}.__init__() missing required argument: '${f.name}'`);
            c.interp.setAttr(self, f.name, v);
          });
          const post = self.kind === "object" ? c.interp.lookupSpecial(self, "__post_init__") : undefined;
          if (post) c.interp.callValue(post, []);
          return NONE;
        }),
      );
    }
    return target;
  };
  const first = call.args[0];
  return first ? apply(first) : fn("dataclass", (c) => apply(c.args[0]));
}

/** dataclasses.fields(class or instance): its Field objects, in order. */
function dataclassFields(call: NativeCall): Value {
  const target = call.args[0];
  const cls = target?.kind === "class" ? target : target?.kind === "object" ? target.cls : undefined;
  const table = cls ? call.interp.lookupInMro(cls, "__dataclass_fields__")?.value : undefined;
  if (table?.kind !== "dict") throw new PyException("TypeError", "must be called with a dataclass type or instance");
  return tuple([...table.entries.values()].map((e) => e.value));
}

function dataclassesModule(types: BuiltinTypes): NamespaceValue {
  const fieldCls = makeClass("Field", [types.object], {}, undefined, "dataclasses");
  return nativeNamespace("dataclasses", {
    dataclass: fn("dataclasses.dataclass", (call) => dataclassDecorator(call, fieldCls)),
    field: fn("dataclasses.field", (call) => {
      const f = makeObject(fieldCls);
      f.attrs.set("default", call.kwargs.get("default") ?? unknown("no default"));
      f.attrs.set("default_factory", call.kwargs.get("default_factory") ?? NONE);
      return f;
    }),
    asdict: fn("dataclasses.asdict", (call) => {
      const o = call.args[0];
      return o.kind === "object" ? makeDict([...o.attrs].map(([k, v]) => [str(k), v] as const)) : unknown("asdict()");
    }),
    replace: fn("dataclasses.replace", (call) => {
      const o = call.args[0];
      if (o.kind !== "object") return unknown("replace()");
      const copy = makeObject(o.cls);
      for (const [k, v] of o.attrs) copy.attrs.set(k, v);
      for (const [k, v] of call.kwargs) copy.attrs.set(k, v);
      return copy;
    }),
    fields: fn("dataclasses.fields", dataclassFields),
    is_dataclass: fn("dataclasses.is_dataclass", (call) => {
      const x = call.args[0];
      const cls = x?.kind === "class" ? x : x?.kind === "object" ? x.cls : undefined;
      if (x?.kind === "unknown") return unknown("is_dataclass() of an unknown value");
      return bool(cls !== undefined && call.interp.lookupInMro(cls, "__dataclass_fields__") !== undefined);
    }),
    astuple: fn("dataclasses.astuple", (call) => {
      const o = call.args[0];
      const names = call.interp.iterate(dataclassFields(call)) ?? [];
      return o.kind === "object" && names.length > 0 ? tuple(names.map((f) => call.interp.getAttr(o, pyStr(call.interp.getAttr(f, "name"))))) : unknown("astuple()");
    }),
    Field: fieldCls,
    MISSING: makeObject(makeClass("_MISSING_TYPE", [types.object], {}, undefined, "dataclasses")),
    KW_ONLY: makeClass("KW_ONLY", [types.object], {}, undefined, "dataclasses"),
    InitVar: makeClass("InitVar", [types.object], {}, undefined, "dataclasses"),
    FrozenInstanceError: makeClass("FrozenInstanceError", [types.Exception], {}, undefined, "dataclasses"),
  });
}

/** typing: every name is a permissive marker that can be subscripted and called as a no-op. */
function typingModule(types: BuiltinTypes): NamespaceValue {
  const marker = (name: string) => makeClass(name, [types.object], {}, { construct: (_c, call) => call.args[0] ?? NONE }, "typing");
  const cache = new Map<string, Value>();
  const special: Record<string, Value> = {
    TYPE_CHECKING: bool(false),
    cast: fn("typing.cast", (call) => call.args[1]),
    overload: fn("typing.overload", (call) => call.args[0]),
    final: fn("typing.final", (call) => call.args[0]),
    no_type_check: fn("typing.no_type_check", (call) => call.args[0]),
    // decorators and checks that give back what they are given
    no_type_check_decorator: fn("typing.no_type_check_decorator", (call) => call.args[0]),
    runtime_checkable: fn("typing.runtime_checkable", (call) => call.args[0]),
    abstractmethod: fn("typing.abstractmethod", (call) => call.args[0]),
    assert_type: fn("typing.assert_type", (call) => call.args[0]),
    reveal_type: fn("typing.reveal_type", (call) => call.args[0]),
    dataclass_transform: fn("typing.dataclass_transform", () => fn("dataclass_transform", (c) => c.args[0])),
    // what annotations mean is not modelled: an honest unknown
    get_type_hints: fn("typing.get_type_hints", () => unknown("typing.get_type_hints is not modelled")),
    get_origin: fn("typing.get_origin", () => unknown("typing.get_origin is not modelled")),
    get_args: fn("typing.get_args", () => unknown("typing.get_args is not modelled")),
    get_overloads: fn("typing.get_overloads", () => unknown("typing.get_overloads is not modelled")),
    clear_overloads: fn("typing.clear_overloads", () => NONE),
    is_typeddict: fn("typing.is_typeddict", () => unknown("typing.is_typeddict is not modelled")),
    assert_never: fn("typing.assert_never", () => {
      throw new PyException("AssertionError", "Expected code to be unreachable");
    }),
    TypeVar: fn("typing.TypeVar", (call) => marker(pyStr(call.args[0]))),
    NamedTuple: makeClass("NamedTuple", [types.tuple], {}, undefined, "typing"),
    // the aliases of real classes stay those classes (isinstance and calls work)
    List: types.list,
    Tuple: types.tuple,
    Dict: types.dict,
    Set: types.set,
    FrozenSet: types.set,
    Type: types.type,
    ...Object.fromEntries(abstractCollectionClasses(types)),
  };
  const collections = collectionsModule(types);
  for (const name of ["OrderedDict", "DefaultDict", "Counter", "Deque"]) special[name] = collections.get(name === "DefaultDict" ? "defaultdict" : name === "Deque" ? "deque" : name)!;
  return nativeNamespace("typing", special, (attr) => {
    if (!/^[A-Z_]/.test(attr)) return undefined;
    let m = cache.get(attr);
    if (!m) cache.set(attr, (m = marker(attr)));
    return m;
  });
}

function enumModule(types: BuiltinTypes): NamespaceValue {
  const enumCls = makeClass("Enum", [types.object], {}, undefined, "enum");
  // After the class body runs, its plain attributes become members.
  enumCls.attrs.set(
    "__init_subclass_hook__",
    native("Enum.__init_subclass__", (call) => {
      const cls = call.args[0];
      if (cls.kind !== "class") return NONE;
      const members = makeDict([], true);
      const byValue = new Map<string, ObjectValue>();
      for (const [k, v] of cls.attrs) {
        if (k.startsWith("_") || v.kind === "function" || v.kind === "staticmethod" || v.kind === "classmethod" || v.kind === "property") continue;
        // a second name for the same value is an alias of the first member (DEFAULT = IMAGENET1K_V1)
        const existing = byValue.get(hashKey(v));
        if (existing) {
          cls.attrs.set(k, existing);
          members.entries.set(hashKey(str(k)), { key: str(k), value: existing });
          continue;
        }
        const member = makeObject(cls);
        for (const [attr, value] of [["name", str(k)], ["value", v], ["_name_", str(k)], ["_value_", v]] as const) member.attrs.set(attr, value);
        byValue.set(hashKey(v), member);
        cls.attrs.set(k, member);
        members.entries.set(hashKey(str(k)), { key: str(k), value: member });
      }
      cls.attrs.set("__members__", members);
      return NONE;
    }),
  );
  // Enum classes are instances of EnumMeta: Color["RED"] is a member
  const enumMeta = makeClass("EnumMeta", [types.type], {
    __getitem__: native("EnumMeta.__getitem__", (call) => {
      const cls = call.args[0];
      const members = cls.kind === "class" ? cls.attrs.get("__members__") : undefined;
      const member = members?.kind === "dict" ? members.entries.get(hashKey(call.args[1]))?.value : undefined;
      if (!member) throw keyError(call.args[1]);
      return member;
    }),
    // Color(value): the member with that value (or the member itself)
    __call__: native("EnumMeta.__call__", (call) => {
      const [cls, value] = call.args;
      const members = cls?.kind === "class" ? cls.attrs.get("__members__") : undefined;
      if (!value || members?.kind !== "dict") return unknown("an Enum called without a value");
      if (value.kind === "object" && value.cls === cls) return value;
      if (value.kind === "unknown") return value;
      for (const e of members.entries.values()) {
        const memberValue = e.value.kind === "object" ? e.value.attrs.get("_value_") : undefined;
        if (memberValue && pyEquals(memberValue, value) === true) return e.value;
      }
      throw new PyException("ValueError", `${pyRepr(value)} is not a valid ${cls.kind === "class" ? cls.name : "Enum"}`);
    }),
  }, undefined, "enum");
  enumCls.metaclass = enumMeta;
  return nativeNamespace("enum", {
    Enum: enumCls,
    EnumMeta: enumMeta,
    EnumType: enumMeta,
    IntEnum: enumCls,
    // members compare as the class's own objects, as IntEnum's do here (their int/str side is not modelled)
    StrEnum: enumCls,
    Flag: enumCls,
    IntFlag: enumCls,
    ReprEnum: enumCls,
    auto: fn("enum.auto", () => unknown("enum.auto()")),
    unique: fn("enum.unique", (call) => call.args[0]),
  });
}

/** copy.deepcopy of modules: a fresh module tree with fresh parameters. */
export function deepCopy(v: Value, interp: Interpreter, memo = new Map<object, Value>()): Value {
  if (typeof v !== "object" || v === null) return v;
  const seen = memo.get(v);
  if (seen) return seen;
  switch (v.kind) {
    case "list": {
      const out = list([]);
      memo.set(v, out);
      out.items.push(...v.items.map((x) => deepCopy(x, interp, memo)));
      return out;
    }
    case "tuple":
      return { kind: "tuple", items: v.items.map((x) => deepCopy(x, interp, memo)), namedtuple: v.namedtuple };
    case "dict": {
      const out = makeDict([], v.ordered);
      memo.set(v, out);
      for (const [k, e] of v.entries) out.entries.set(k, { key: e.key, value: deepCopy(e.value, interp, memo) });
      return out;
    }
    case "tensor": {
      const out = { ...v };
      memo.set(v, out);
      return out;
    }
    case "object": {
      const out: ObjectValue = makeObject(v.cls);
      memo.set(v, out);
      for (const [k, x] of v.attrs) out.attrs.set(k, deepCopy(x, interp, memo));
      if (v.module) {
        interp.moduleBuilt();
        out.module = {
          children: new Map([...v.module.children].map(([k, c]) => [k, deepCopy(c, interp, memo) as ObjectValue])),
          params: new Map([...v.module.params].map(([k, p]) => [k, deepCopy(p, interp, memo) as typeof p])),
          buffers: new Map([...v.module.buffers].map(([k, p]) => [k, deepCopy(p, interp, memo) as typeof p])),
          createdAt: v.module.createdAt,
          training: v.module.training,
        };
      }
      return out;
    }
    default:
      return v;
  }
}

function copyModule(): NamespaceValue {
  return nativeNamespace("copy", {
    deepcopy: fn("copy.deepcopy", (call) => deepCopy(call.args[0], call.interp)),
    copy: fn("copy.copy", (call) => {
      const v = call.args[0];
      if (v.kind === "list") return list([...v.items]);
      if (v.kind === "dict") return { kind: "dict", entries: new Map(v.entries), ordered: v.ordered };
      return v;
    }),
  });
}

function itertoolsModule(): NamespaceValue {
  const iter = (items: Value[]): Value => ({ kind: "iterator", items, position: 0 });
  const all = (interp: Interpreter, v: Value) => interp.iterate(v) ?? [];
  return nativeNamespace("itertools", {
    chain: fn("itertools.chain", (call) => iter(call.args.flatMap((a) => all(call.interp, a)))),
    product: fn("itertools.product", (call) => {
      const pools = call.args.map((a) => all(call.interp, a));
      const repeat = call.kwargs.get("repeat");
      const n = repeat ? requireInt(repeat, "repeat") : 1;
      const allPools = Array.from({ length: n }, () => pools).flat();
      let acc: Value[][] = [[]];
      for (const pool of allPools) acc = acc.flatMap((prefix) => pool.map((x) => [...prefix, x]));
      return iter(acc.map((t) => tuple(t)));
    }),
    repeat: fn("itertools.repeat", (call) => iter(Array.from({ length: call.args[1] ? requireInt(call.args[1], "times") : 1 }, () => call.args[0]))),
    accumulate: fn("itertools.accumulate", (call) => {
      const xs = all(call.interp, call.args[0]);
      const out: Value[] = [];
      let acc: Value | undefined = call.kwargs.get("initial");
      if (acc) out.push(acc);
      for (const x of xs) out.push((acc = acc ? call.interp.binary("+", acc, x) : x));
      return iter(out);
    }),
    zip_longest: fn("itertools.zip_longest", (call) => {
      const seqs = call.args.map((a) => all(call.interp, a));
      const n = Math.max(...seqs.map((s) => s.length));
      return iter(Array.from({ length: n }, (_, i) => tuple(seqs.map((s) => s[i] ?? call.kwargs.get("fillvalue") ?? NONE))));
    }),
    combinations: fn("itertools.combinations", (call) => {
      const xs = all(call.interp, call.args[0]);
      const r = requireInt(call.args[1], "r");
      const out: Value[] = [];
      const pick = (start: number, chosen: Value[]) => {
        if (chosen.length === r) return void out.push(tuple(chosen));
        for (let i = start; i < xs.length; i++) pick(i + 1, [...chosen, xs[i]]);
      };
      pick(0, []);
      return iter(out);
    }),
    ...itertoolsExtras(),
  });
}

/** operator's binary functions, each also under its dunder name (operator.__add__ is operator.add). */
const operatorFunctions: Readonly<Record<string, BinaryOperator>> = {
  add: "+",
  sub: "-",
  mul: "*",
  truediv: "/",
  floordiv: "//",
  mod: "%",
  pow: "**",
  matmul: "@",
  and_: "&",
  or_: "|",
  xor: "^",
  lshift: "<<",
  rshift: ">>",
};

function operatorModule(): NamespaceValue {
  const bin = (name: string, op: BinaryOperator) => fn(`operator.${name}`, (call) => call.interp.binary(op, call.args[0], call.args[1]));
  const binaries = Object.entries(operatorFunctions).flatMap(([name, op]) => [[name, bin(name, op)], [`__${name.replace(/_$/, "")}__`, bin(name, op)]] as const);
  return nativeNamespace("operator", {
    ...Object.fromEntries(binaries),
    getitem: fn("operator.getitem", (call) => call.interp.getItem(call.args[0], call.args[1])),
    attrgetter: fn("operator.attrgetter", (call) => fn("attrgetter", (c) => c.interp.getAttr(c.args[0], pyStr(call.args[0])))),
    itemgetter: fn("operator.itemgetter", (call) => fn("itemgetter", (c) => c.interp.getItem(c.args[0], call.args[0]))),
    ...operatorExtras(),
  });
}

function noOpModule(name: string, members: string[]): NamespaceValue {
  return nativeNamespace(name, Object.fromEntries(members.map((m) => [m, fn(`${name}.${m}`, () => NONE)])));
}

/** The standard-library modules the evaluator knows, by name. */
/** sys.stdout and sys.stderr: text streams whose writes go nowhere (libraries hand their flush to log handlers). */
function standardStreams(types: BuiltinTypes): Record<string, Value> {
  const stream = makeClass("TextIOWrapper", [types.object], {
    write: fn("TextIOWrapper.write", (c) => int(c.args[1]?.kind === "str" ? c.args[1].value.length : 0)),
    flush: fn("TextIOWrapper.flush", () => NONE),
    isatty: fn("TextIOWrapper.isatty", () => bool(false)),
  }, undefined, "io");
  return { stdout: makeObject(stream), stderr: makeObject(stream) };
}

export function standardLibrary(types: BuiltinTypes): Map<string, () => NamespaceValue> {
  return new Map<string, () => NamespaceValue>([
    ["math", mathModule],
    ["functools", functoolsModule],
    ["collections", () => collectionsModule(types)],
    ["dataclasses", () => dataclassesModule(types)],
    ["typing", () => typingModule(types)],
    ["typing_extensions", () => typingModule(types)],
    ["enum", () => enumModule(types)],
    ["copy", copyModule],
    ["argparse", () => argparseModule(types)],
    ["itertools", itertoolsModule],
    ["operator", operatorModule],
    ["collections.abc", () => collectionsAbcModule(types)],
    ["inspect", () => inspectModule(types)],
    ["types", () => typesModule(types)],
    ["numpy", () => numpyModule(types)],
    ["warnings", () => noOpModule("warnings", ["warn", "warn_explicit", "filterwarnings", "simplefilter", "resetwarnings", "showwarning", "catch_warnings"])],
    ["logging", () => loggingModule(types)],
    ["importlib", () => importlibModule(types)],
    ["abc", () => nativeNamespace("abc", { ABC: types.object, abstractmethod: fn("abc.abstractmethod", (c) => c.args[0]), ABCMeta: types.type })],
    ["sys", () => nativeNamespace("sys", { version_info: tuple([int(3), int(11), int(0)]), maxsize: int(2 ** 53 - 1), argv: list([]), ...standardStreams(types) })],
    ["os", osModule],
    ["os.path", () => osModule().get("path") as NamespaceValue],
    ["urllib.parse", () => urllibParseModule(types)],
    ["re", () => reModule(types)],
    ["string", stringModule],
    ["keyword", keywordModule],
  ]);
}
