// Reductions: sum/mean/amax/... over one dim, several, or all (dim=None); keepdim
// leaves size-1 dims. max/min with a dim give (values, indices); argmax gives
// int64. Scans (cumsum), sorts (sort, topk) and softmax keep or resize one dim.
import { tuple, unknown, type Value } from "../../eval/values.js";
import { dimAdd, dimSub, type Dim } from "../../shapes/dim.js";
import { formatShape } from "../../shapes/shape.js";
import { isFloatingDType, makeTensor, unknownTensor, type DType } from "../../shapes/tensor.js";
import type { Args, OpRule, RuleContext } from "../rule.js";
import { Message } from "../../diagnostics/messages.js";
import { argumentLabel } from "../describe.js";
import { axesArg, axisArg, broadcastAll, concreteInt, dtypeArg, isKnown, operandOf, resultType, unknownFrom, valuesIndices, type KnownTensor, type Operand, opRule as rule } from "./support.js";

function both(name: string): string[] {
  return [`torch.${name}`, `Tensor.${name}`];
}

/** The reduced shape: `axes` undefined means all dims. */
function reducedShape(shape: readonly Dim[], axes: readonly number[] | undefined, keepdim: boolean): Dim[] {
  if (axes === undefined || axes.length === 0) return keepdim ? shape.map(() => 1) : [];
  return shape.flatMap((d, i) => (axes.includes(i) ? (keepdim ? [1] : []) : [d]));
}

/** A dim argument: None or () → all dims; an int or a tuple → those; "bad" when out of range or not concrete. */
function dimsOf(args: Args, name: string, x: KnownTensor, owner: string, ctx: RuleContext): number[] | undefined | "bad" {
  const v = args.value(name);
  if (v.kind === "none") return undefined;
  if ((v.kind === "tuple" || v.kind === "list") && v.items.length === 0) return undefined;
  if (x.shape.length === 0) {
    // a 0-d tensor takes dim 0 or -1
    const d = concreteInt(v);
    if (d !== undefined && d !== 0 && d !== -1) {
      ctx.report(Message.dimOutOfRange({ op: owner, what: "dim", dim: d, tensor: argumentLabel(ctx, 0), rank: 0, shape: "[]", low: -1, high: 0 }));
      return "bad";
    }
    return [];
  }
  return axesArg(ctx, owner, v, x) ?? "bad";
}

type DTypeRule = (input: DType, args: Args) => DType;

/** sum/prod/cumsum: ints and bools accumulate in int64; dtype= overrides. */
const accumulateDType: DTypeRule = (d, args) => dtypeArg(args, "dtype", isFloatingDType(d) || d === "complex64" ? d : "int64");
const keepDType: DTypeRule = (d, args) => (args.values.has("dtype") ? dtypeArg(args, "dtype", d) : d);
const boolDType: DTypeRule = () => "bool";
const longDType: DTypeRule = () => "int64";

/** The input tensor with a known shape and the result's dtype, or the value to return early. */
function knownInputWithDType(args: Args, owner: string, dtypeOf: DTypeRule): { x: KnownTensor; dtype: DType } | { early: Value } {
  const x = args.value("input");
  if (x.kind !== "tensor") return { early: unknownTensor(x.kind === "unknown" ? x.why : `${owner} of a ${x.kind}`) };
  const dtype = dtypeOf(x.dtype, args);
  if (!isKnown(x)) return { early: unknownFrom(x, owner, dtype) };
  return { x, dtype };
}

/** A reduction rule: the tensor, the dims, keepdim, the result dtype. */
function reduction(names: readonly string[], signature: string, dtypeOf: DTypeRule, dimName = "dim"): OpRule {
  const owner = names[0];
  return rule(names, signature, (args, ctx) => {
    const input = knownInputWithDType(args, owner, dtypeOf);
    if (!("x" in input)) return input.early;
    const { x, dtype } = input;
    const axes = args.values.has(dimName) ? dimsOf(args, dimName, x, owner, ctx) : undefined;
    if (axes === "bad") return unknownTensor(`${owner} over an invalid dim`, dtype);
    const keepdim = args.values.has("keepdim") ? args.bool("keepdim") : false;
    return makeTensor(reducedShape(x.shape, axes, keepdim), dtype);
  });
}

/** max/min/median/mode/kthvalue with a dim: (values, indices); max(a, b) is elementwise. */
function valuesAndIndices(names: readonly string[], signature: string, options: { allowOther?: boolean; allWithoutDim?: boolean; defaultDim?: number }): OpRule {
  const owner = names[0];
  return rule(names, signature, (args, ctx) => {
    const x = args.value("input");
    if (x.kind !== "tensor") return unknownTensor(x.kind === "unknown" ? x.why : `${owner} of a ${x.kind}`);
    const dimValue = args.value("dim");
    if (options.allowOther && dimValue.kind === "tensor") {
      // torch.max(a, b) is torch.maximum(a, b)
      if (!isKnown(x) || !dimValue.shape) return unknownFrom(x, owner);
      const dtype = resultType([operandOf(x), operandOf(dimValue)] as Operand[]);
      return makeTensor([...broadcastAll(ctx, owner, [x.shape, dimValue.shape])], dtype);
    }
    const noDim = dimValue.kind === "none";
    if (noDim && options.allWithoutDim) return isKnown(x) ? makeTensor([], x.dtype) : unknownFrom(x, owner);
    const op = owner.replace(/^(torch|Tensor)\./, "");
    const pair = (shape: Dim[] | undefined) =>
      shape ? valuesIndices(op, makeTensor(shape, x.dtype), makeTensor([...shape], "int64")) : valuesIndices(op, unknownFrom(x, owner), unknownFrom(x, owner, "int64"));
    if (!isKnown(x)) return pair(undefined);
    const dim = noDim ? (options.defaultDim ?? -1) : concreteInt(dimValue);
    if (dim === undefined) return unknown(`${owner} over a dim that is not a concrete int`);
    if (x.shape.length === 0) return pair([]);
    const axis = axisArg(ctx, owner, dim, x);
    if (axis === undefined) return pair(undefined);
    const keepdim = args.values.has("keepdim") ? args.bool("keepdim") : false;
    return pair(reducedShape(x.shape, [axis], keepdim));
  });
}

/** cumsum and other scans: the shape stays; the dim is checked. */
function scan(names: readonly string[], signature: string, dtypeOf: DTypeRule, pairResult = false): OpRule {
  const owner = names[0];
  return rule(names, signature, (args, ctx) => {
    const input = knownInputWithDType(args, owner, dtypeOf);
    if (!("x" in input)) return input.early;
    const { x, dtype } = input;
    if (args.values.has("dim") && !args.isNone("dim")) {
      const d = concreteInt(args.value("dim"));
      if (d !== undefined) axisArg(ctx, owner, d, x);
    }
    const out = makeTensor([...x.shape], dtype);
    return pairResult ? valuesIndices(owner.replace(/^(torch|Tensor)\./, ""), out, makeTensor([...x.shape], "int64")) : out;
  });
}

/** torch.diff: differences of neighbours along dim, n times; prepend/append lengthen the dim first. */
function diff(args: Args, ctx: RuleContext): Value {
  const x = args.value("input");
  if (x.kind !== "tensor") return unknownTensor(x.kind === "unknown" ? x.why : `torch.diff of a ${x.kind}`);
  if (!isKnown(x)) return unknownFrom(x, "torch.diff", x.dtype);
  if (x.shape.length === 0) {
    ctx.note("torch.diff expects input to be at least one-dimensional");
    return unknownTensor("torch.diff of a 0-d tensor", x.dtype);
  }
  const axis = axisArg(ctx, "torch.diff", args.int("dim"), x);
  if (axis === undefined) return unknownTensor("torch.diff over a dim out of range", x.dtype);
  let length: Dim = x.shape[axis];
  for (const extra of ["prepend", "append"]) {
    const e = args.value(extra);
    if (e.kind === "none") continue;
    if (e.kind !== "tensor" || !isKnown(e) || e.shape.length !== x.shape.length) return unknownTensor(`torch.diff with a ${extra} of unknown shape`, x.dtype);
    length = dimAdd(length, e.shape[axis]);
  }
  const shape = [...x.shape];
  shape[axis] = dimMax0(dimSub(length, args.int("n")));
  return makeTensor(shape, x.dtype);
}

function dimMax0(d: Dim): Dim {
  return typeof d === "number" ? Math.max(0, d) : d;
}

/** topk / sort family: one dim becomes k. */
function topk(args: Args, ctx: RuleContext): Value {
  const x = args.value("input");
  if (x.kind !== "tensor" || !isKnown(x)) return valuesIndices("topk", unknownTensor("topk of an unknown shape"), unknownTensor("topk of an unknown shape", "int64"));
  const k = args.dim("k");
  const dim = args.isNone("dim") ? -1 : args.int("dim");
  if (x.shape.length === 0) return valuesIndices("topk", makeTensor([], x.dtype), makeTensor([], "int64"));
  const axis = axisArg(ctx, "topk", dim, x);
  if (axis === undefined) return valuesIndices("topk", unknownTensor("topk dim out of range"), unknownTensor("topk dim out of range", "int64"));
  const size = x.shape[axis];
  if (typeof k === "number" && typeof size === "number" && k > size)
    ctx.report(Message.topkRange({ k, axis, size, shape: formatShape(x.shape) }));
  const shape = [...x.shape];
  shape[axis] = k;
  return valuesIndices("topk", makeTensor(shape, x.dtype), makeTensor([...shape], "int64"));
}

/** softmax as a torch function or Tensor method: shape kept, dim checked. */
function softmaxMethod(names: readonly string[]): OpRule {
  return rule(names, "input, dim, dtype=None", (args, ctx) => {
    const x = args.value("input");
    if (x.kind !== "tensor") return unknownTensor(`${names[0]} of a ${x.kind}`);
    const dtype = dtypeArg(args, "dtype", x.dtype);
    if (!isKnown(x)) return unknownFrom(x, names[0], dtype);
    const d = concreteInt(args.value("dim"));
    if (d !== undefined) axisArg(ctx, names[0], d, x);
    return makeTensor([...x.shape], dtype);
  });
}

/** std/var(input, dim, unbiased, keepdim): a bool in dim's place is `unbiased` (std(x, False)). */
function spread(names: readonly string[], pairResult: boolean): OpRule {
  const owner = names[0];
  return rule(names, "input, dim=None, unbiased=True, keepdim=False, *, correction=None", (args, ctx) => {
    const x = args.value("input");
    if (x.kind !== "tensor") return unknownTensor(`${owner} of a ${x.kind}`);
    if (!isKnown(x)) return unknownFrom(x, owner);
    const dimValue = args.value("dim");
    const axes = dimValue.kind === "bool" ? undefined : dimsOf(args, "dim", x, owner, ctx);
    if (axes === "bad") return unknownTensor(`${owner} over an invalid dim`, x.dtype);
    const shape = reducedShape(x.shape, axes, args.bool("keepdim"));
    const out = makeTensor(shape, x.dtype);
    return pairResult ? tuple([out, makeTensor([...shape], x.dtype)]) : out;
  });
}

export const reductionOps: readonly OpRule[] = [
  reduction([...both("sum"), ...both("nansum")], "input, dim=None, keepdim=False, *, dtype=None", accumulateDType),
  reduction([...both("mean"), ...both("nanmean")], "input, dim=None, keepdim=False, *, dtype=None", keepDType),
  reduction(both("prod"), "input, dim=None, keepdim=False, *, dtype=None", accumulateDType),
  reduction([...both("amax"), ...both("amin")], "input, dim=(), keepdim=False", keepDType),
  reduction([...both("argmax"), ...both("argmin")], "input, dim=None, keepdim=False", longDType),
  reduction([...both("all"), ...both("any")], "input, dim=None, keepdim=False", boolDType),
  reduction(both("count_nonzero"), "input, dim=None", longDType),
  reduction(both("logsumexp"), "input, dim, keepdim=False", keepDType),
  reduction(both("norm"), "input, p='fro', dim=None, keepdim=False, out=None, dtype=None", keepDType),
  reduction(["torch.linalg.norm", "torch.linalg.vector_norm"], "input, ord=None, dim=None, keepdim=False, *, dtype=None", keepDType),
  reduction(["torch.linalg.matrix_norm"], "input, ord='fro', dim=(-2, -1), keepdim=False, *, dtype=None", keepDType),
  spread([...both("std"), ...both("var")], false),
  spread(["torch.std_mean", "torch.var_mean"], true),
  valuesAndIndices([...both("max"), ...both("min")], "input, dim=None, keepdim=False, *, out=None", { allowOther: true, allWithoutDim: true }),
  valuesAndIndices([...both("median"), ...both("nanmedian")], "input, dim=None, keepdim=False", { allWithoutDim: true }),
  valuesAndIndices(both("mode"), "input, dim=-1, keepdim=False", {}),
  rule(both("kthvalue"), "input, k, dim=-1, keepdim=False", (args, ctx) => valuesAndIndices(["torch.kthvalue"], "input, dim=-1, keepdim=False", {}).apply(args, ctx)),
  rule(both("topk"), "input, k, dim=None, largest=True, sorted=True", topk),
  rule(both("diff"), "input, n=1, dim=-1, prepend=None, append=None", diff),
  scan([...both("cumsum"), ...both("cumprod")], "input, dim, *, dtype=None", accumulateDType),
  scan([...both("logcumsumexp")], "input, dim", keepDType),
  scan([...both("cummax"), ...both("cummin")], "input, dim", keepDType, true),
  scan(both("sort"), "input, dim=-1, descending=False, stable=False", keepDType, true),
  scan(both("argsort"), "input, dim=-1, descending=False, stable=False", longDType),
  rule(["Tensor.cumsum_", "Tensor.cumprod_"], "input, dim, *, dtype=None", (args) => args.value("input")),
  softmaxMethod([...both("softmax"), ...both("log_softmax")]),
];
