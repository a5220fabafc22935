// Tensor constructors: zeros/ones/empty/rand/randn/full (size as varargs or one
// sequence), randint, arange/linspace/eye (lengths from their arguments),
// torch.tensor (shape from nested lists, dtype from the elements) and the
// Tensor.new_* methods (dtype from self unless given).
import { numericValue, pyRepr } from "../../eval/operators.js";
import type { Value } from "../../eval/values.js";
import { dimCeilDiv, dimSub, dimToString, SymDim, type Dim } from "../../shapes/dim.js";
import { makeTensor, typedTensorClasses, unknownTensor, type DType, type Tensor } from "../../shapes/tensor.js";
import type { Args, OpRule, RuleContext } from "../rule.js";
import { Message } from "../../diagnostics/messages.js";
import { broadcastAll, containsUnknown, dtypeArg, dtypeFrom, isKnown, sizeList, opRule as rule } from "./support.js";

const factoryKeywords = "out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False, memory_format=None, generator=None, names=None";

/** A tensor of the given size value; unknown when the size is; negative sizes reported. */
function sized(ctx: RuleContext, owner: string, size: Value, dtype: DType, requiresGrad = false): Tensor {
  if (containsUnknown(size)) return unknownTensor(`${owner} with an unknown size`, dtype);
  const shape = sizeList(size);
  if (!shape) {
    ctx.note(`${owner}: size ${pyRepr(size)} is not a sequence of ints`);
    return unknownTensor(`${owner} with a size that is not a sequence of ints`, dtype);
  }
  const negative = shape.find((d) => typeof d === "number" && d < 0);
  if (negative !== undefined) {
    ctx.report(Message.negativeSize({ op: owner, size: dimToString(negative), sizes: pyRepr(size) }));
    return unknownTensor(`${owner} with a negative size`, dtype);
  }
  return makeTensor(shape, dtype, { requiresGrad });
}

/** The size of `*size` factories, which PyTorch also accepts as size=(...). */
function sizeValue(args: Args): Value {
  const kwargs = args.value("kwargs");
  const keyword = kwargs.kind === "dict" ? [...kwargs.entries.values()].find((e) => e.key.kind === "str" && e.key.value === "size")?.value : undefined;
  return keyword ?? args.value("size");
}

/** zeros/ones/empty/rand/randn: `*size` then keywords. */
function factory(name: string, defaultDType: DType): OpRule {
  return rule([`torch.${name}`], `*size, ${factoryKeywords}, **kwargs`, (args, ctx) =>
    sized(ctx, `torch.${name}`, sizeValue(args), dtypeArg(args, "dtype", defaultDType), args.bool("requires_grad")),
  );
}

/** The dtype torch infers for a Python scalar. */
function scalarDType(v: Value): DType | undefined {
  if (v.kind === "bool") return "bool";
  if (v.kind === "int") return "int64";
  if (v.kind === "float") return "float32";
  if (v.kind === "tensor") return v.dtype;
  return undefined;
}

/** The shape and dtype torch.tensor infers from nested sequences of numbers (and 0-d tensors). */
export function dataShape(v: Value): { shape: Dim[]; dtype: DType } | { unknown: string } {
  if (v.kind === "unknown") return { unknown: v.why };
  if (v.kind === "tensor") return v.shape ? { shape: [...v.shape], dtype: v.dtype } : { unknown: v.unknownReason ?? "an element of unknown shape" };
  const d = scalarDType(v);
  if (d) return { shape: [], dtype: d };
  if (v.kind === "tuple" || v.kind === "list") {
    if (v.items.length === 0) return { shape: [0], dtype: "float32" };
    const parts = v.items.map(dataShape);
    const bad = parts.find((p): p is { unknown: string } => "unknown" in p);
    if (bad) return bad;
    const known = parts as { shape: Dim[]; dtype: DType }[];
    // a float anywhere makes the whole float; all-bool stays bool
    const dtype = known.some((p) => p.dtype.startsWith("float")) ? "float32" : known.every((p) => p.dtype === "bool") ? "bool" : "int64";
    return { shape: [v.items.length, ...known[0].shape], dtype };
  }
  return { unknown: `data of kind ${v.kind}` };
}

/** An object with the array protocol (a NumPy array): its elements as nested lists, and its dtype. */
function arrayProtocol(data: Value, ctx: RuleContext): { data: Value; dtype: Value } | undefined {
  if (data.kind !== "object" || !ctx.interp.lookupInMro(data.cls, "__array__")) return undefined;
  return { data: ctx.interp.callValue(ctx.interp.getAttr(data, "__array__"), []), dtype: ctx.interp.getAttr(data, "dtype") };
}

function fromData(owner: string, data: Value, dtype: Value, fallback?: DType): Tensor {
  const r = dataShape(data);
  if ("unknown" in r) return unknownTensor(`${owner}: ${r.unknown}`, dtypeFrom(dtype) ?? fallback);
  return makeTensor(r.shape, dtypeFrom(dtype) ?? fallback ?? r.dtype);
}

/** The number of values arange(start, end, step) gives: ceil((end - start) / step). */
function arangeLength(start: Value, end: Value, step: Value): Dim | undefined {
  const s = numericValue(start);
  const e = numericValue(end);
  const st = numericValue(step);
  if (s !== undefined && e !== undefined && st !== undefined) {
    if (typeof st !== "number" || st === 0) return undefined;
    if (typeof s === "number" && typeof e === "number") return Math.max(0, Math.ceil((e - s) / st));
    return st > 0 ? dimCeilDiv(dimSub(e, s), st) : dimCeilDiv(dimSub(s, e), -st);
  }
  const num = (v: Value) => (v.kind === "float" ? v.value : typeof numericValue(v) === "number" ? (numericValue(v) as number) : undefined);
  const fs = num(start);
  const fe = num(end);
  const fst = num(step);
  if (fs === undefined || fe === undefined || fst === undefined || fst === 0) return undefined;
  return Math.max(0, Math.ceil((fe - fs) / fst));
}

function arangeApply(args: Args, ctx: RuleContext): Value {
  const positional = args.value("args");
  const items = positional.kind === "tuple" ? [...positional.items] : [];
  const kw = (name: string) => (args.has(name) ? args.value(name) : undefined);
  let start: Value = { kind: "int", value: 0 };
  let end: Value | undefined;
  let step: Value = { kind: "int", value: 1 };
  if (items.length === 1) end = items[0];
  else if (items.length >= 2) [start, end, step = step] = items;
  start = kw("start") ?? start;
  end = kw("end") ?? end;
  step = kw("step") ?? step;
  if (end === undefined) {
    ctx.note("torch.arange without an end");
    return unknownTensor("torch.arange without an end");
  }
  const isFloat = [start, end, step].some((v) => v.kind === "float");
  const dtype = dtypeArg(args, "dtype", isFloat ? "float32" : "int64");
  if ([start, end, step].some((v) => v.kind === "unknown" || v.kind === "tensor")) return unknownTensor("torch.arange of unknown bounds", dtype);
  const length = arangeLength(start, end, step);
  return makeTensor([length ?? SymDim.opaque("arange length")], dtype);
}

/** torch.randint(high, size) or randint(low, high, size). */
function randintApply(args: Args, ctx: RuleContext): Value {
  const positional = args.value("args");
  const items = positional.kind === "tuple" ? positional.items : [];
  const size = args.has("size") ? args.value("size") : items[items.length - 1];
  const dtype = dtypeArg(args, "dtype", "int64");
  if (!size) return unknownTensor("torch.randint without a size", dtype);
  return sized(ctx, "torch.randint", size, dtype);
}

/** new_zeros/new_ones/new_empty: size varargs or a sequence; dtype from self. */
function newFactory(name: string): OpRule {
  return rule([`Tensor.${name}`], "self, *size, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False, **kwargs", (args, ctx) => {
    const self = args.value("self");
    const base = self.kind === "tensor" ? self.dtype : "float32";
    return sized(ctx, `Tensor.${name}`, sizeValue(args), dtypeArg(args, "dtype", base), args.bool("requires_grad"));
  });
}

/** The legacy typed constructors, torch.Tensor(...) among them, with the dtype each makes. */
const legacyConstructors: Readonly<Record<string, DType>> = { Tensor: "float32", ...typedTensorClasses };

/**
 * torch.Tensor(2, 3) is an uninitialised tensor of that size; torch.Tensor([1, 2]) copies
 * the data; torch.Tensor(t) is t's shape; torch.Tensor() is empty. One tuple is either
 * data or a torch.Size, which the source alone cannot tell apart.
 */
function legacyConstructor(name: string, dtype: DType): OpRule {
  return rule([`torch.${name}`], "*args, device=None", (args, ctx) => {
    const positional = args.value("args");
    const items = positional.kind === "tuple" ? positional.items : [];
    const owner = `torch.${name}`;
    if (items.length === 0) return makeTensor([0], dtype);
    if (items.length === 1) {
      const only = items[0];
      if (only.kind === "list") return fromData(owner, only, { kind: "none" }, dtype);
      if (only.kind === "tensor") return only.shape ? makeTensor([...only.shape], dtype) : unknownTensor(`${owner} of a tensor of unknown shape`, dtype);
      if (only.kind === "tuple") return unknownTensor(`${owner} of a tuple: data or a size`, dtype);
    }
    return sized(ctx, owner, positional, dtype);
  });
}

export const creationOps: readonly OpRule[] = [
  ...Object.entries(legacyConstructors).map(([name, dtype]) => legacyConstructor(name, dtype)),
  factory("zeros", "float32"),
  factory("ones", "float32"),
  factory("empty", "float32"),
  factory("rand", "float32"),
  factory("randn", "float32"),
  rule(["torch.full"], `size, fill_value, *, ${factoryKeywords}`, (args, ctx) => {
    const fill = scalarDType(args.value("fill_value")) ?? "float32";
    return sized(ctx, "torch.full", args.value("size"), dtypeArg(args, "dtype", fill), args.bool("requires_grad"));
  }),
  rule(["torch.randint"], `*args, size=None, ${factoryKeywords}`, randintApply),
  rule(["torch.randperm"], `n, *, ${factoryKeywords}`, (args, ctx) => sized(ctx, "torch.randperm", args.value("n"), dtypeArg(args, "dtype", "int64"))),
  rule(["torch.arange"], `*args, start=None, end=None, step=None, ${factoryKeywords}`, arangeApply),
  rule(["torch.linspace", "torch.logspace"], `start, end, steps, base=10.0, *, ${factoryKeywords}`, (args, ctx) =>
    sized(ctx, "torch.linspace", args.value("steps"), dtypeArg(args, "dtype", "float32")),
  ),
  rule(["torch.eye"], `n, m=None, *, ${factoryKeywords}`, (args, ctx) => {
    const n = args.value("n");
    return sized(ctx, "torch.eye", { kind: "tuple", items: [n, args.isNone("m") ? n : args.value("m")] }, dtypeArg(args, "dtype", "float32"));
  }),
  rule(["torch.tensor", "torch.as_tensor", "torch.asarray"], "data, dtype=None, device=None, requires_grad=False, pin_memory=False, copy=None", (args, ctx) => {
    const array = arrayProtocol(args.value("data"), ctx);
    return array ? fromData("torch.tensor", array.data, args.isNone("dtype") ? array.dtype : args.value("dtype")) : fromData("torch.tensor", args.value("data"), args.value("dtype"));
  }),
  rule(["torch.scalar_tensor"], `s, *, ${factoryKeywords}`, (args) => makeTensor([], dtypeArg(args, "dtype", "float32"))),
  rule(["torch.from_numpy"], "ndarray", (args, ctx) => {
    const array = arrayProtocol(args.value("ndarray"), ctx);
    return array ? fromData("torch.from_numpy", array.data, array.dtype) : unknownTensor("torch.from_numpy: the array's shape is not known");
  }),
  rule(["torch.frombuffer"], "*args, **kwargs", () => unknownTensor("torch.frombuffer: the buffer's size is not known")),
  newFactory("new_zeros"),
  newFactory("new_ones"),
  newFactory("new_empty"),
  rule(["Tensor.new_full"], "self, size, fill_value, *, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False", (args, ctx) => {
    const self = args.value("self");
    return sized(ctx, "Tensor.new_full", args.value("size"), dtypeArg(args, "dtype", self.kind === "tensor" ? self.dtype : "float32"));
  }),
  rule(["Tensor.new_tensor"], "self, data, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False", (args) => {
    const self = args.value("self");
    return fromData("Tensor.new_tensor", args.value("data"), args.value("dtype"), self.kind === "tensor" ? self.dtype : undefined);
  }),
  rule(["torch.bernoulli", "Tensor.bernoulli", "torch.poisson"], "input, *args, **kwargs", (args) => args.value("input")),
  rule(["torch.multinomial", "Tensor.multinomial"], "input, num_samples, replacement=False, *, generator=None, out=None", (args) => {
    const x = args.value("input");
    if (x.kind !== "tensor" || !isKnown(x)) return unknownTensor("multinomial of an unknown shape", "int64");
    return makeTensor([...x.shape.slice(0, -1), args.dim("num_samples")], "int64");
  }),
  rule(["torch.normal"], `*args, size=None, ${factoryKeywords}`, (args, ctx) => {
    const positional = args.value("args");
    const items = positional.kind === "tuple" ? positional.items : [];
    const tensors = items.filter((v): v is Tensor => v.kind === "tensor");
    if (tensors.length > 0) {
      if (tensors.some((t) => !isKnown(t))) return unknownTensor("torch.normal of an unknown shape");
      return makeTensor([...broadcastAll(ctx, "torch.normal", tensors.map((t) => t.shape!))], tensors[0].dtype);
    }
    const size = args.has("size") ? args.value("size") : items[2];
    return size ? sized(ctx, "torch.normal", size, dtypeArg(args, "dtype", "float32")) : unknownTensor("torch.normal without a size");
  }),
];
