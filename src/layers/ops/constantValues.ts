// The values of small tensors built from known numbers. Model-building code
// sometimes derives sizes from tensor arithmetic (RegNet: torch.arange(depth) *
// w_a + w_0, rounded, .int().tolist()); after an op rule has given the result's
// shape and dtype, this computes its elements when every input's are known, in
// the result dtype's precision (float32 rounding included). Not a family: it
// exports no rules, only the folding that src/torch/ops.ts applies after them.
import { bool, float, int, list, type Value } from "../../eval/values.js";
import { isFloatingDType, type DType, type Tensor } from "../../shapes/tensor.js";
import { concreteNumel, forgetTensorValues, leadingRowValues, maxKnownElements, setTensorValues, tensorValues } from "../../shapes/tensorValues.js";
import { dtypeFrom } from "./support.js";

/** A known operand: its shape ([] for a Python number) and its elements. */
interface Known {
  readonly shape: readonly number[];
  readonly values: readonly number[];
}

function knownOf(v: Value | undefined): Known | undefined {
  if (!v) return undefined;
  if (v.kind === "int" && typeof v.value === "number") return { shape: [], values: [v.value] };
  if (v.kind === "float") return { shape: [], values: [v.value] };
  if (v.kind === "bool") return { shape: [], values: [v.value ? 1 : 0] };
  if (v.kind !== "tensor" || !v.shape) return undefined;
  const values = tensorValues(v);
  if (!values) return undefined;
  return { shape: v.shape as readonly number[], values };
}

/** A number stored in a tensor of that dtype. */
function castTo(dtype: DType, x: number): number {
  if (dtype === "bool") return x !== 0 ? 1 : 0;
  if (dtype === "float32") return Math.fround(x);
  if (isFloatingDType(dtype) || dtype === "complex64") return x;
  return Number.isFinite(x) ? Math.trunc(x) : 0;
}

/** Round half to even, as torch.round does. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function pythonMod(a: number, b: number): number {
  return a - Math.floor(a / b) * b;
}

const unaryFunctions: Readonly<Record<string, (x: number) => number>> = {
  log: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  log1p: Math.log1p,
  exp: Math.exp,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  floor: Math.floor,
  ceil: Math.ceil,
  trunc: Math.trunc,
  round: roundHalfEven,
  abs: Math.abs,
  neg: (x) => -x,
  negative: (x) => -x,
  reciprocal: (x) => 1 / x,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  __neg__: (x) => -x,
  __abs__: Math.abs,
};

const binaryFunctions: Readonly<Record<string, (a: number, b: number) => number>> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  subtract: (a, b) => a - b,
  mul: (a, b) => a * b,
  multiply: (a, b) => a * b,
  div: (a, b) => a / b,
  divide: (a, b) => a / b,
  true_divide: (a, b) => a / b,
  floor_divide: (a, b) => Math.floor(a / b),
  remainder: pythonMod,
  pow: Math.pow,
  maximum: Math.max,
  minimum: Math.min,
  __add__: (a, b) => a + b,
  __radd__: (a, b) => b + a,
  __sub__: (a, b) => a - b,
  __rsub__: (a, b) => b - a,
  __mul__: (a, b) => a * b,
  __rmul__: (a, b) => b * a,
  __truediv__: (a, b) => a / b,
  __rtruediv__: (a, b) => b / a,
  __div__: (a, b) => a / b,
  __floordiv__: (a, b) => Math.floor(a / b),
  __rfloordiv__: (a, b) => Math.floor(b / a),
  __mod__: pythonMod,
  __rmod__: (a, b) => pythonMod(b, a),
  __pow__: Math.pow,
  __rpow__: (a, b) => Math.pow(b, a),
  // comparisons give 1 or 0, stored as the result's bool
  ...Object.fromEntries(
    Object.entries({ eq: (a: number, b: number) => a === b, ne: (a: number, b: number) => a !== b, lt: (a: number, b: number) => a < b, le: (a: number, b: number) => a <= b, gt: (a: number, b: number) => a > b, ge: (a: number, b: number) => a >= b }).flatMap(([name, f]) => {
        const asNumber = (a: number, b: number) => (f(a, b) ? 1 : 0);
        return [[name, asNumber], [`__${name}__`, asNumber]];
      }),
  ),
};

const comparisons = new Set(["eq", "ne", "lt", "le", "gt", "ge"].flatMap((n) => [n, `__${n}__`]));

/** Elements of `known` broadcast to `shape` (NumPy's rules: trailing dims align, size-1 dims repeat). */
function broadcastTo(known: Known, shape: readonly number[]): number[] | undefined {
  const total = shape.reduce((a, b) => a * b, 1);
  if (known.shape.length === 0) return Array(total).fill(known.values[0]);
  const offset = shape.length - known.shape.length;
  if (offset < 0) return undefined;
  const strides: number[] = Array(shape.length).fill(0);
  let stride = 1;
  for (let i = known.shape.length - 1; i >= 0; i--) {
    const d = known.shape[i];
    if (d !== 1 && d !== shape[i + offset]) return undefined;
    strides[i + offset] = d === 1 ? 0 : stride;
    stride *= d;
  }
  const out: number[] = new Array(total);
  const index = Array(shape.length).fill(0);
  for (let k = 0; k < total; k++) {
    let at = 0;
    for (let i = 0; i < shape.length; i++) at += index[i] * strides[i];
    out[k] = known.values[at];
    for (let i = shape.length - 1; i >= 0; i--) {
      if (++index[i] < shape[i]) break;
      index[i] = 0;
    }
  }
  return out;
}

/** The op name without its namespace: "torch.log" and "Tensor.log" are both "log". */
function baseName(qualifiedName: string): string {
  return qualifiedName.slice(qualifiedName.lastIndexOf(".") + 1);
}

/** x.add_(y), x += y: the in-place form's out-of-place twin. */
function outOfPlace(name: string): string | undefined {
  if (/^__i(add|sub|mul|truediv|floordiv|mod|pow|and|or|xor|lshift|rshift)__$/.test(name)) return `__${name.slice(3)}`;
  if (name.endsWith("_") && !name.endsWith("__")) return name.slice(0, -1);
  return undefined;
}

/** A tensor result whose shape is concrete: its dtype and sizes. */
interface Out {
  readonly tensor: Tensor;
  readonly dtype: DType;
  readonly shape: readonly number[];
}

function resultTensor(result: Value): Out | undefined {
  if (result.kind !== "tensor") return undefined;
  const n = concreteNumel(result);
  if (n === undefined || n > maxKnownElements) return undefined;
  return { tensor: result, dtype: result.dtype, shape: result.shape as readonly number[] };
}

/** Elementwise results (unary and binary functions, conversions, copies). */
function elementwise(name: string, args: readonly Value[], kwargs: ReadonlyMap<string, Value>, out: Out): number[] | undefined {
  // a comparison works in its operands' precision (a float32 tensor against 0.1 compares float32(0.1)), arithmetic in the result's
  const working = comparisons.has(name) ? (args.find((a): a is Tensor => a.kind === "tensor")?.dtype ?? out.dtype) : out.dtype;
  const compute = (x: number) => (working === "float32" ? Math.fround(x) : x);
  const unaryFn = unaryFunctions[name];
  if (unaryFn) {
    const a = knownOf(args[0]);
    if (!a) return undefined;
    const decimals = kwargs.get("decimals") ?? args[1];
    const scale = name === "round" && decimals?.kind === "int" && typeof decimals.value === "number" ? 10 ** decimals.value : 1;
    const xs = broadcastTo(a, out.shape);
    return xs?.map((x) => castTo(out.dtype, scale === 1 ? unaryFn(compute(x)) : unaryFn(compute(x) * scale) / scale));
  }
  const binaryFn = binaryFunctions[name];
  if (binaryFn) {
    const a = knownOf(args[0]);
    const b = knownOf(args[1] ?? kwargs.get("other") ?? kwargs.get("exponent"));
    if (!a || !b) return undefined;
    const alpha = kwargs.get("alpha");
    const scaleB = alpha && (name === "add" || name === "sub") ? knownOf(alpha)?.values[0] : undefined;
    const xs = broadcastTo(a, out.shape);
    const ys = broadcastTo(b, out.shape);
    if (!xs || !ys) return undefined;
    return xs.map((x, i) => castTo(out.dtype, binaryFn(compute(x), compute(scaleB === undefined ? ys[i] : ys[i] * scaleB))));
  }
  // conversions and copies keep the elements, cast to the result's dtype
  if (["int", "long", "short", "char", "byte", "float", "double", "half", "bfloat16", "bool", "to", "type", "type_as", "clone", "contiguous", "detach", "cpu", "cuda"].includes(name)) {
    const a = knownOf(args[0]);
    if (!a || a.values.length !== out.shape.reduce((x, y) => x * y, 1)) return undefined;
    return a.values.map((x) => castTo(out.dtype, x));
  }
  return undefined;
}

function flattenNumbers(v: Value, out: number[]): boolean {
  if (v.kind === "list" || v.kind === "tuple") return v.items.every((item) => flattenNumbers(item, out));
  const k = knownOf(v);
  if (!k) return false;
  out.push(...k.values);
  return true;
}

function numberOf(v: Value | undefined): number | undefined {
  const k = v ? knownOf(v) : undefined;
  return k && k.shape.length === 0 ? k.values[0] : undefined;
}

/** Tensors made from known numbers: arange, linspace, tensor, zeros/ones/full. */
function created(name: string, args: readonly Value[], kwargs: ReadonlyMap<string, Value>, out: Out): number[] | undefined {
  const n = out.shape.reduce((a, b) => a * b, 1);
  switch (name) {
    case "arange": {
      const nums = args.map(numberOf);
      if (nums.some((x) => x === undefined)) return undefined;
      const [a, b, c] = nums as number[];
      const start = numberOf(kwargs.get("start")) ?? (nums.length >= 2 ? a : 0);
      const step = numberOf(kwargs.get("step")) ?? (nums.length >= 3 ? c : 1);
      void b;
      return Array.from({ length: n }, (_, i) => castTo(out.dtype, start + i * step));
    }
    case "linspace": {
      const start = numberOf(args[0] ?? kwargs.get("start"));
      const end = numberOf(args[1] ?? kwargs.get("end"));
      if (start === undefined || end === undefined) return undefined;
      if (n === 1) return [castTo(out.dtype, start)];
      // torch fills the first half from start and the second from end
      const step = (end - start) / (n - 1);
      return Array.from({ length: n }, (_, i) => castTo(out.dtype, i < n / 2 ? start + i * step : end - (n - 1 - i) * step));
    }
    case "tensor":
    case "as_tensor":
    case "asarray": {
      const flat: number[] = [];
      const data = args[0] ?? kwargs.get("data");
      if (!data || !flattenNumbers(data, flat) || flat.length !== n) return undefined;
      return flat.map((x) => castTo(out.dtype, x));
    }
    case "zeros":
    case "ones":
      return Array(n).fill(castTo(out.dtype, name === "ones" ? 1 : 0));
    case "full": {
      const fill = numberOf(args[1] ?? kwargs.get("fill_value"));
      return fill === undefined ? undefined : Array(n).fill(castTo(out.dtype, fill));
    }
    default:
      return undefined;
  }
}

/** Reductions over all elements, cumsum and diff of 1-D tensors. */
function reduced(name: string, args: readonly Value[], kwargs: ReadonlyMap<string, Value>, out: Out): number[] | undefined {
  const a = knownOf(args[0]);
  if (!a) return undefined;
  const overAll = args.length === 1 && !kwargs.has("dim");
  const xs = a.values;
  switch (name) {
    case "sum":
      return overAll ? [castTo(out.dtype, xs.reduce((p, q) => p + q, 0))] : undefined;
    case "prod":
      return overAll ? [castTo(out.dtype, xs.reduce((p, q) => p * q, 1))] : undefined;
    case "mean":
      return overAll && xs.length > 0 ? [castTo(out.dtype, xs.reduce((p, q) => p + q, 0) / xs.length)] : undefined;
    case "max":
    case "amax":
      return overAll && xs.length > 0 ? [castTo(out.dtype, Math.max(...xs))] : undefined;
    case "min":
    case "amin":
      return overAll && xs.length > 0 ? [castTo(out.dtype, Math.min(...xs))] : undefined;
    case "cumsum": {
      if (a.shape.length !== 1) return undefined;
      let acc = 0;
      return xs.map((x) => castTo(out.dtype, (acc += x)));
    }
    case "diff": {
      const n = numberOf(args[1] ?? kwargs.get("n")) ?? 1;
      if (a.shape.length !== 1 || n !== 1 || args.length > 3 || kwargs.has("prepend") || kwargs.has("append")) return undefined;
      return xs.slice(1).map((x, i) => castTo(out.dtype, x - xs[i]));
    }
    default:
      return undefined;
  }
}

/** flip(dims): the same elements, read backwards along the flipped axes. */
function reordered(name: string, args: readonly Value[], kwargs: ReadonlyMap<string, Value>, out: Out): number[] | undefined {
  if (name !== "flip") return undefined;
  const a = knownOf(args[0]);
  if (!a || a.shape.length !== out.shape.length) return undefined;
  const given = kwargs.get("dims") ?? (args.length === 2 ? args[1] : undefined);
  const dimValues = given ? (given.kind === "list" || given.kind === "tuple" ? given.items : [given]) : args.slice(1);
  const rank = a.shape.length;
  const flipped = new Set<number>();
  for (const d of dimValues) {
    const axis = numberOf(d);
    if (axis === undefined || !Number.isInteger(axis) || axis < -rank || axis >= rank) return undefined;
    flipped.add(axis < 0 ? axis + rank : axis);
  }
  const strides = a.shape.map((_, i) => a.shape.slice(i + 1).reduce((p, q) => p * q, 1));
  return a.values.map((_, k) => {
    let at = 0;
    for (let i = 0; i < rank; i++) {
      const index = Math.floor(k / strides[i]) % a.shape[i];
      at += (flipped.has(i) ? a.shape[i] - 1 - index : index) * strides[i];
    }
    return a.values[at];
  });
}

/** A tensor's elements as Python values: nested lists (tolist) or one number (item). */
function pythonValue(t: Tensor, values: readonly number[], shape: readonly number[]): Value {
  const scalar = (x: number): Value => (t.dtype === "bool" ? bool(x !== 0) : isFloatingDType(t.dtype) ? float(x) : int(x));
  if (shape.length === 0) return scalar(values[0]);
  const [first, ...rest] = shape;
  const size = rest.reduce((a, b) => a * b, 1);
  return list(Array.from({ length: first }, (_, i) => pythonValue(t, values.slice(i * size, (i + 1) * size), rest)));
}

/** The pieces of split/chunk/unbind along the first axis take consecutive rows of the known elements. */
function splitAlongFirstAxis(name: string, self: Tensor, args: readonly Value[], kwargs: ReadonlyMap<string, Value>, pieces: readonly Value[]): void {
  // self first: unbind(self, dim), split(self, sizes, dim)
  const dimArg = kwargs.get("dim") ?? args[name === "unbind" ? 1 : 2];
  const dim = dimArg === undefined ? 0 : numberOf(dimArg);
  if (dim !== 0 && !(dim !== undefined && self.shape && dim === -self.shape.length)) return;
  let first = 0;
  for (const piece of pieces) {
    if (piece.kind !== "tensor" || !piece.shape) return;
    // unbind drops the axis: each piece is one row
    const count = piece.shape.length === (self.shape?.length ?? 0) ? piece.shape[0] : 1;
    if (typeof count !== "number") return;
    const values = leadingRowValues(self, first, count);
    if (values) setTensorValues(piece, values);
    first += count;
  }
}

/**
 * After an op rule ran: compute the result's elements when every input's are
 * known. Returns a replacement for the rule's result (tolist/item give Python
 * values), or undefined to keep it.
 */
export function foldConstantValues(qualifiedName: string, args: readonly Value[], kwargs: ReadonlyMap<string, Value>, result: Value): Value | undefined {
  const name = baseName(qualifiedName);
  const self = args[0];
  if ((name === "tolist" || name === "item") && self?.kind === "tensor" && self.shape) {
    const values = tensorValues(self);
    if (!values) return undefined;
    if (name === "item") return values.length === 1 ? pythonValue(self, values, []) : undefined;
    return pythonValue(self, values, self.shape as readonly number[]);
  }
  if (name === "to" || name === "type") {
    const target = args[1] ?? kwargs.get("dtype");
    if (target && target.kind !== "dtype" && !(target.kind === "str" && dtypeFrom(target))) return undefined;
  }
  if (name === "__setitem__") {
    if (self?.kind === "tensor") forgetTensorValues(self);
    return undefined;
  }
  if (self?.kind === "tensor" && (result.kind === "tuple" || result.kind === "list") && ["split", "chunk", "unbind", "tensor_split"].includes(name)) {
    splitAlongFirstAxis(name, self, args, kwargs, result.items);
    return undefined;
  }
  if (name === "__getitem__" && self?.kind === "tensor") {
    const index = numberOf(args[1]);
    const rows = self.shape?.[0];
    const out = resultTensor(result);
    if (out && index !== undefined && Number.isInteger(index) && typeof rows === "number" && args[1]?.kind === "int") {
      const values = leadingRowValues(self, index < 0 ? index + rows : index, 1);
      if (values) setTensorValues(out.tensor, values);
    }
    return undefined;
  }
  const inplaceBase = outOfPlace(name);
  const out = resultTensor(result);
  if (!out) return undefined;
  if (inplaceBase !== undefined) {
    // the result is the modified tensor itself: recompute its elements, or forget them
    const values = elementwise(inplaceBase, args, kwargs, out);
    if (values) setTensorValues(out.tensor, values);
    else forgetTensorValues(out.tensor);
    return undefined;
  }
  // torch.min(a, b) / torch.max(a, b) with a tensor `other` are elementwise, not reductions
  const pairwise = (name === "min" || name === "max") && (args[1] ?? kwargs.get("other"))?.kind === "tensor" ? (name === "min" ? "minimum" : "maximum") : undefined;
  const values = elementwise(pairwise ?? name, args, kwargs, out) ?? created(name, args, kwargs, out) ?? reduced(name, args, kwargs, out) ?? reordered(name, args, kwargs, out);
  if (values) setTensorValues(out.tensor, values);
  return undefined;
}
