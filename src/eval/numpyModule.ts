// The little of NumPy that model-building code uses to compute settings
// (np.linspace(0, p, n).tolist() for per-block drop rates): 1-D arrays of known
// numbers, a few constructors, reductions and elementwise math. Anything else
// NumPy has is unknown, with a note where it is called.
import { PyException } from "./errors.js";
import type { Interpreter } from "./interpreter.js";
import { makeClass, type BuiltinTypes } from "./builtins.js";
import { numericValue } from "./operators.js";
import { sliceItems } from "./slicing.js";
import { checkSequenceLength } from "./sizeLimits.js";
import { nativeNamespace } from "./stdlib.js";
import { bool, float, int, list, makeObject, native, str, tuple, unknown, type ClassValue, type NamespaceValue, type NativeCall, type ObjectValue, type Value } from "./values.js";

type ArrayDType = "float64" | "int64" | "bool";

/** The elements of a 1-D array. */
interface ArrayData {
  readonly values: readonly number[];
  readonly dtype: ArrayDType;
}

const arrays = new WeakMap<ObjectValue, ArrayData>();

function scalar(x: number, dtype: ArrayDType): Value {
  return dtype === "bool" ? bool(x !== 0) : dtype === "int64" ? int(x) : float(x);
}

function numberOf(v: Value | undefined): number | undefined {
  if (!v) return undefined;
  if (v.kind === "float") return v.value;
  const n = numericValue(v);
  return typeof n === "number" ? n : undefined;
}

/** A Python number or a sequence of them, with the dtype NumPy infers. */
function dataOf(v: Value, interp: Interpreter): ArrayData | undefined {
  if (v.kind === "object") return arrays.get(v);
  const n = numberOf(v);
  if (n !== undefined) return { values: [n], dtype: v.kind === "float" ? "float64" : v.kind === "bool" ? "bool" : "int64" };
  const items = v.kind === "list" || v.kind === "tuple" ? interp.iterate(v) : undefined;
  if (!items) return undefined;
  const values: number[] = [];
  for (const item of items) {
    const x = numberOf(item);
    if (x === undefined) return undefined;
    values.push(x);
  }
  const dtype: ArrayDType = items.some((i) => i.kind === "float") ? "float64" : items.every((i) => i.kind === "bool") && items.length > 0 ? "bool" : "int64";
  return { values, dtype };
}

/** Arguments that are not known numbers: the result is unknown. */
function symbolic(call: NativeCall): boolean {
  return call.args.some((a) => a.kind === "unknown" || (a.kind === "int" && typeof a.value !== "number"));
}

type BinaryOp = ((a: number, b: number) => number) & { readonly float?: boolean };

const binaryOps: Readonly<Record<string, BinaryOp>> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  truediv: Object.assign((a: number, b: number) => a / b, { float: true }),
  floordiv: (a, b) => Math.floor(a / b),
  mod: (a, b) => a - Math.floor(a / b) * b,
  pow: (a, b) => a ** b,
};

/** NumPy rounds half to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** int / float / bool or their NumPy names as an array dtype. */
function dtypeOf(v: Value | undefined): ArrayDType | undefined {
  if (!v) return undefined;
  const name = v.kind === "class" ? v.name : v.kind === "str" ? v.value : undefined;
  if (name === "int" || name === "int64" || name === "int32") return "int64";
  if (name === "float" || name === "float64" || name === "float32") return "float64";
  if (name === "bool" || name === "bool_") return "bool";
  return undefined;
}

/** What an operator method returns when it does not apply, so Python tries the other operand. */
const notImplemented: Value = unknown("NotImplemented");

export function numpyModule(types: BuiltinTypes): NamespaceValue {
  const method = (name: string, fn: (data: ArrayData, call: NativeCall) => Value) =>
    [
      name,
      native(`ndarray.${name}`, (call) => {
        const self = call.args[0];
        const data = self?.kind === "object" ? arrays.get(self) : undefined;
        if (!data) throw new PyException("TypeError", `ndarray.${name} called without an array`);
        return fn(data, { ...call, args: call.args.slice(1) });
      }),
    ] as const;
  const ndarray: ClassValue = makeClass(
    "ndarray",
    [types.object],
    Object.fromEntries([
      method("tolist", (d) => list(d.values.map((x) => scalar(x, d.dtype)))),
      // the array protocol torch.tensor(array) reads: the elements, with the array's dtype beside them
      method("__array__", (d) => list(d.values.map((x) => scalar(x, d.dtype)))),
      method("__len__", (d) => int(d.values.length)),
      method("__iter__", (d) => ({ kind: "iterator", items: d.values.map((x) => scalar(x, d.dtype)), position: 0 })),
      method("__getitem__", (d, call) => {
        const index = call.args[0];
        if (index?.kind === "slice") {
          const values = sliceItems(d.values, index);
          return values ? array({ values, dtype: d.dtype }) : unknown("numpy slicing with symbolic bounds");
        }
        const i = numberOf(call.args[0]);
        if (i === undefined || !Number.isInteger(i)) return unknown("numpy indexing other than by an int");
        const k = i < 0 ? i + d.values.length : i;
        if (k < 0 || k >= d.values.length) throw new PyException("IndexError", `index ${i} is out of bounds for axis 0 with size ${d.values.length}`);
        return scalar(d.values[k], d.dtype);
      }),
      method("sum", (d) => scalar(d.values.reduce((a, b) => a + b, 0), d.dtype === "bool" ? "int64" : d.dtype)),
      method("prod", (d) => scalar(d.values.reduce((a, b) => a * b, 1), d.dtype === "bool" ? "int64" : d.dtype)),
      method("max", (d) => scalar(Math.max(...d.values), d.dtype)),
      method("min", (d) => scalar(Math.min(...d.values), d.dtype)),
      method("item", (d) => (d.values.length === 1 ? scalar(d.values[0], d.dtype) : unknown("ndarray.item() of several elements"))),
      method("astype", (d, call) => {
        const dtype = dtypeOf(call.args[0] ?? call.kwargs.get("dtype"));
        if (!dtype) return unknown("ndarray.astype to a dtype that is not modelled");
        return array({ values: d.values.map((x) => (dtype === "int64" ? Math.trunc(x) : dtype === "bool" ? (x !== 0 ? 1 : 0) : x)), dtype });
      }),
      ["dtype", { kind: "property", func: native("ndarray.dtype", (call) => {
        const d = call.args[0]?.kind === "object" ? arrays.get(call.args[0]) : undefined;
        return d ? str(d.dtype) : unknown("dtype of an unknown array");
      }) }] as const,
      ["shape", { kind: "property", func: native("ndarray.shape", (call) => {
        const d = call.args[0]?.kind === "object" ? arrays.get(call.args[0]) : undefined;
        return d ? tuple([int(d.values.length)]) : unknown("shape of an unknown array");
      }) }] as const,
      method("__neg__", (d) => array({ values: d.values.map((x) => -x), dtype: d.dtype === "bool" ? "int64" : d.dtype })),
      ...Object.entries(binaryOps).flatMap(([name, op]) => [
        method(`__${name}__`, (d, call) => elementwise(d, call.args[0], op, call) ?? notImplemented),
        method(`__r${name}__`, (d, call) => elementwise(d, call.args[0], (a, b) => op(b, a), call) ?? notImplemented),
      ]),
    ]),
    { construct: () => unknown("numpy.ndarray(...) directly") },
    "numpy",
  );
  const array = (data: ArrayData): Value => {
    const obj = makeObject(ndarray);
    arrays.set(obj, data);
    return obj;
  };
  /** An elementwise operation of an array with a number or an array of the same length (or of one element). */
  function elementwise(a: ArrayData, other: Value | undefined, op: BinaryOp, call: NativeCall): Value | undefined {
    const b = other ? dataOf(other, call.interp) : undefined;
    if (!b) return undefined;
    const n = Math.max(a.values.length, b.values.length);
    if (a.values.length !== n && a.values.length !== 1) throw new PyException("ValueError", `operands could not be broadcast together with shapes (${a.values.length},) (${b.values.length},)`);
    if (b.values.length !== n && b.values.length !== 1) throw new PyException("ValueError", `operands could not be broadcast together with shapes (${a.values.length},) (${b.values.length},)`);
    const at = (d: ArrayData, i: number) => d.values[d.values.length === 1 ? 0 : i];
    const dtype: ArrayDType = op.float || a.dtype === "float64" || b.dtype === "float64" ? "float64" : "int64";
    const values = Array.from({ length: n }, (_, i) => op(at(a, i), at(b, i)));
    // a number combined with an array of one element made from a number is still an array (NumPy keeps the array)
    return array({ values: dtype === "int64" ? values.map(Math.trunc) : values, dtype });
  }
  const binaryFunction = (name: string, op: BinaryOp) =>
    native(`numpy.${name}`, (call) => {
      const a = call.args[0] ? dataOf(call.args[0], call.interp) : undefined;
      return (a && elementwise(a, call.args[1], op, call)) ?? unknown(`numpy.${name} of unknown values`);
    });
  const need = (v: Value | undefined, call: NativeCall, what: string): ArrayData => {
    const d = v ? dataOf(v, call.interp) : undefined;
    if (!d) throw new PyException("TypeError", `numpy.${what}: an array of known numbers is needed`);
    return d;
  };
  const ufunc = (name: string, f: (x: number) => number) =>
    native(`numpy.${name}`, (call) => {
      const x = call.args[0];
      const n = numberOf(x);
      if (n !== undefined) return float(f(n));
      const d = x ? dataOf(x, call.interp) : undefined;
      return d ? array({ values: d.values.map(f), dtype: "float64" }) : unknown(`numpy.${name} of an unknown value`);
    });
  // np.poly1d: a polynomial by its coefficients, highest power first; products and powers convolve them
  const polynomials = new WeakMap<ObjectValue, number[]>();
  const convolve = (a: readonly number[], b: readonly number[]) => {
    const out = Array(a.length + b.length - 1).fill(0);
    a.forEach((x, i) => b.forEach((y, j) => (out[i + j] += x * y)));
    return out;
  };
  const polynomial = (coeffs: number[]): Value => {
    const obj = makeObject(poly1d);
    polynomials.set(obj, coeffs);
    obj.attrs.set("coeffs", array({ values: coeffs, dtype: "float64" }));
    obj.attrs.set("order", int(coeffs.length - 1));
    return obj;
  };
  const coeffsOf = (v: Value | undefined, interp: Interpreter): number[] | undefined => {
    if (v?.kind === "object" && polynomials.has(v)) return polynomials.get(v);
    const d = v ? dataOf(v, interp) : undefined;
    return d ? [...d.values] : undefined;
  };
  const poly1d: ClassValue = makeClass(
    "poly1d",
    [types.object],
    {
      __mul__: native("poly1d.__mul__", (call) => {
        const [a, b] = [coeffsOf(call.args[0], call.interp), coeffsOf(call.args[1], call.interp)];
        return a && b ? polynomial(convolve(a, b)) : notImplemented;
      }),
      __pow__: native("poly1d.__pow__", (call) => {
        const a = coeffsOf(call.args[0], call.interp);
        const n = numberOf(call.args[1]);
        if (!a || n === undefined || !Number.isInteger(n) || n < 0) return unknown("poly1d to a power that is not a known natural number");
        // the result's coefficients are built one product at a time: none past the sequence limit, each product a step of the budgets
        checkSequenceLength("polynomial's coefficients", (a.length - 1) * n + 1);
        let out = [1];
        for (let i = 0; i < n; i++) {
          call.interp.checkBudgets();
          out = convolve(out, a);
        }
        return polynomial(out);
      }),
    },
    {
      construct: (_c, call) => {
        const c = coeffsOf(call.args[0], call.interp);
        return c ? polynomial(c) : unknown("numpy.poly1d of unknown coefficients");
      },
    },
    "numpy",
  );
  // dtypes as names astype() reads
  const scalarTypes = Object.fromEntries(["float32", "float64", "int32", "int64", "bool_"].map((n) => [n, makeClass(n, [types.object], {}, undefined, "numpy")]));
  return nativeNamespace(
    "numpy",
    {
      ndarray,
      poly1d,
      ...scalarTypes,
      pi: float(Math.PI),
      e: float(Math.E),
      inf: float(Infinity),
      nan: float(NaN),
      linspace: native("numpy.linspace", (call) => {
        if (symbolic(call)) return unknown("numpy.linspace of symbolic or unknown values");
        const start = numberOf(call.args[0] ?? call.kwargs.get("start"));
        const stop = numberOf(call.args[1] ?? call.kwargs.get("stop"));
        const num = numberOf(call.args[2] ?? call.kwargs.get("num")) ?? 50;
        const endpoint = call.args[3] ?? call.kwargs.get("endpoint");
        if (start === undefined || stop === undefined) return unknown("numpy.linspace of unknown bounds");
        const withEnd = endpoint === undefined || call.interp.truthy(endpoint) !== false;
        const div = withEnd ? num - 1 : num;
        const step = div > 0 ? (stop - start) / div : NaN;
        // NumPy: start + i * step, and the last element exactly stop
        const values = Array.from({ length: num }, (_, i) => (div > 0 ? start + i * step : start));
        if (withEnd && num > 1) values[num - 1] = stop;
        return array({ values, dtype: "float64" });
      }),
      arange: native("numpy.arange", (call) => {
        if (symbolic(call)) return unknown("numpy.arange of symbolic or unknown values");
        const nums = call.args.map(numberOf);
        if (nums.length === 0 || nums.some((x) => x === undefined)) return unknown("numpy.arange of unknown bounds");
        const [a, b, c] = nums as number[];
        const [start, stop, step] = nums.length === 1 ? [0, a, 1] : [a, b, c ?? 1];
        const n = Math.max(0, Math.ceil((stop - start) / step));
        const isFloat = call.args.some((x) => x.kind === "float");
        return array({ values: Array.from({ length: n }, (_, i) => start + i * step), dtype: isFloat ? "float64" : "int64" });
      }),
      array: native("numpy.array", (call) => array(need(call.args[0], call, "array"))),
      asarray: native("numpy.asarray", (call) => array(need(call.args[0], call, "asarray"))),
      sum: native("numpy.sum", (call) => {
        const d = need(call.args[0], call, "sum");
        return scalar(d.values.reduce((x, y) => x + y, 0), d.dtype === "bool" ? "int64" : d.dtype);
      }),
      prod: native("numpy.prod", (call) => {
        const d = need(call.args[0], call, "prod");
        return scalar(d.values.reduce((x, y) => x * y, 1), d.dtype === "bool" ? "int64" : d.dtype);
      }),
      cumsum: native("numpy.cumsum", (call) => {
        const d = need(call.args[0], call, "cumsum");
        let acc = 0;
        return array({ values: d.values.map((x) => (acc += x)), dtype: d.dtype === "bool" ? "int64" : d.dtype });
      }),
      round: native("numpy.round", (call) => {
        const d = call.args[0] ? dataOf(call.args[0], call.interp) : undefined;
        const decimals = numberOf(call.args[1] ?? call.kwargs.get("decimals")) ?? 0;
        if (!d) return unknown("numpy.round of an unknown value");
        const scale = 10 ** decimals;
        const values = d.values.map((x) => roundHalfEven(x * scale) / scale);
        return call.args[0].kind === "object" ? array({ values, dtype: d.dtype }) : scalar(values[0], d.dtype);
      }),
      unique: native("numpy.unique", (call) => {
        const d = need(call.args[0], call, "unique");
        const values = [...new Set(d.values)].sort((a, b) => a - b);
        const unique = array({ values, dtype: d.dtype });
        const counts = call.kwargs.get("return_counts");
        if (!counts || call.interp.truthy(counts) !== true) return unique;
        return tuple([unique, array({ values: values.map((v) => d.values.filter((x) => x === v).length), dtype: "int64" })]);
      }),
      split: native("numpy.split", (call) => {
        const d = need(call.args[0], call, "split");
        const how = call.args[1] ?? call.kwargs.get("indices_or_sections");
        const sections = how ? numberOf(how) : undefined;
        let cuts: number[];
        if (sections !== undefined && how?.kind !== "object") {
          if (d.values.length % sections !== 0) throw new PyException("ValueError", "array split does not result in an equal division");
          cuts = Array.from({ length: sections - 1 }, (_, i) => ((i + 1) * d.values.length) / sections);
        } else {
          const indices = how ? dataOf(how, call.interp) : undefined;
          if (!indices) return unknown("numpy.split at unknown indices");
          cuts = [...indices.values];
        }
        const bounds = [0, ...cuts, d.values.length];
        return list(bounds.slice(1).map((end, i) => array({ values: d.values.slice(Math.min(bounds[i], d.values.length), Math.max(bounds[i], end)), dtype: d.dtype })));
      }),
      add: binaryFunction("add", binaryOps.add),
      subtract: binaryFunction("subtract", binaryOps.sub),
      multiply: binaryFunction("multiply", binaryOps.mul),
      divide: binaryFunction("divide", binaryOps.truediv),
      true_divide: binaryFunction("true_divide", binaryOps.truediv),
      power: binaryFunction("power", binaryOps.pow),
      maximum: binaryFunction("maximum", Object.assign((a: number, b: number) => Math.max(a, b), {})),
      minimum: binaryFunction("minimum", Object.assign((a: number, b: number) => Math.min(a, b), {})),
      sqrt: ufunc("sqrt", Math.sqrt),
      log: ufunc("log", Math.log),
      exp: ufunc("exp", Math.exp),
      ceil: ufunc("ceil", Math.ceil),
      floor: ufunc("floor", Math.floor),
    },
    (attr) => unknown(`numpy.${attr} is not modelled`),
  );
}
