// Ops that rearrange a tensor's dims without computing: view/reshape (one -1
// inferred from the element count, symbolically when sizes are symbolic),
// flatten/unflatten, permute/transpose, squeeze/unsqueeze, expand/repeat/tile,
// movedim, narrow, unbind, roll and flip.
import { checkSequenceLength } from "../../eval/sizeLimits.js";
import { numericValue, pyRepr } from "../../eval/operators.js";
import { tuple, unknown, type Value } from "../../eval/values.js";
import { dimAdd, dimDivExact, dimEquals, dimSub, dimFloorDiv, dimMul, dimProduct, dimToString, isSymbolic, SymDim, type Dim } from "../../shapes/dim.js";
import { formatShape, normalizeAxis, numel, type Shape } from "../../shapes/shape.js";
import { dtypeSize, makeTensor, unknownTensor, type FaultHandle, type Tensor, type TensorOrigin } from "../../shapes/tensor.js";
import { Clause, Fix, Message } from "../../diagnostics/messages.js";
import { argumentLabel, callAtSite, callLabel, storyOf } from "../describe.js";
import { compareSize } from "../expectSize.js";
import type { Args, OpRule, RuleContext } from "../rule.js";
import { axesArg, axisArg, concreteInt, containsUnknown, isKnown, sizeList, unknownFrom, type KnownTensor, opRule as rule } from "./support.js";

/** The tensor in `name` when its shape is known. */
function known(args: Args, name: string): KnownTensor | undefined {
  const v = args.value(name);
  return v.kind === "tensor" && isKnown(v) ? v : undefined;
}

/** What an op returns when its input `name` is not a tensor of known shape. */
function unknownResult(args: Args, name: string, owner: string): Tensor {
  const v = args.value(name);
  if (v.kind === "tensor") return unknownFrom(v, owner);
  return unknownTensor(v.kind === "unknown" ? v.why : `${owner} of a ${v.kind}`);
}

/**
 * The shape a view/reshape to `sizes` gives a tensor of shape `input`: one -1 is
 * inferred from the element count (exactly when possible, else by floor division
 * with a note). Faults are reported; undefined when no shape can be given.
 */
export function inferViewShape(ctx: RuleContext, owner: string, input: Shape, sizes: readonly Dim[], tensorLabel: () => string = () => "the input"): Dim[] | undefined {
  const total = numel(input);
  // the call as written is read (parsed) only for a message
  const call = () => callLabel(ctx, `${owner}(${sizes.map(dimToString).join(", ")})`);
  const inferred = sizes.flatMap((d, i) => (typeof d === "number" && d === -1 ? [i] : []));
  if (inferred.length > 1) {
    ctx.report(Message.viewTwoInferred({ call: call(), count: inferred.length, tensor: tensorLabel(), shape: formatShape(input) }));
    return undefined;
  }
  const bad = sizes.find((d) => typeof d === "number" && d < -1);
  if (bad !== undefined) {
    ctx.report(Message.viewNegativeSize({ call: call(), size: dimToString(bad) }));
    return undefined;
  }
  if (inferred.length === 0) {
    const product = dimProduct(sizes);
    if (!dimEquals(product, total) && knownDifferent(product, total)) {
      ctx.report(Message.viewInvalid({ call: call(), sizes: sizes.map(dimToString).join(", "), product: dimToString(product), tensor: tensorLabel(), total: dimToString(total), shape: formatShape(input) }));
      return undefined;
    }
    return [...sizes];
  }
  const at = inferred[0];
  const rest = dimProduct(sizes.filter((_, i) => i !== at));
  const invalid = () => ctx.report(Message.viewInferredInvalid({ call: call(), tensor: tensorLabel(), total: dimToString(total), shape: formatShape(input), rest: dimToString(rest), restText: sizes.filter((_, i) => i !== at).map(dimToString).join(" × ") }));
  if (rest === 0) {
    invalid();
    return undefined;
  }
  let dim = dimDivExact(total, rest);
  if (dim === undefined) {
    if (typeof total === "number" && typeof rest === "number") {
      invalid();
      return undefined;
    }
    // a symbolic count the known sizes are not known to divide
    ctx.note(`${call()}: ${dimToString(total)} elements are not known to be divisible by ${dimToString(rest)}; the inferred size is ${dimToString(floorDivReduced(total, rest))}`);
    dim = floorDivReduced(total, rest);
  }
  const out = [...sizes];
  out[at] = dim;
  return out;
}

/** a // b with common integer factors cancelled first (128 * N // 512 is N // 4); b a positive integer when a is symbolic. */
function floorDivReduced(a: Dim, b: Dim): Dim {
  // the divisors of b, largest first, found in pairs up to its square root (a count down from b spun for minutes at 10**14);
  // past 10**12 (a million steps) the quotient is left as it is
  if (typeof b === "number" && b > 1 && b <= 1e12 && isSymbolic(a)) {
    const divisors: number[] = [];
    for (let d = 1; d * d <= b; d++) if (b % d === 0) divisors.push(d, b / d);
    for (const g of divisors.filter((d) => d > 1).sort((x, y) => y - x)) {
      const q = dimDivExact(a, g);
      if (q !== undefined) return dimFloorDiv(q, b / g);
    }
  }
  return dimFloorDiv(a, b);
}

function gcd(a: number, b: number): number {
  return b === 0 ? Math.abs(a) : gcd(b, a % b);
}

/** Two counts known to differ: concrete and unequal, or a constant ratio other than 1. */
function knownDifferent(a: Dim, b: Dim): boolean {
  if (typeof a === "number" && typeof b === "number") return a !== b;
  const r1 = dimDivExact(a, b);
  const r2 = dimDivExact(b, a);
  return (typeof r1 === "number" && r1 !== 1) || (typeof r2 === "number" && r2 !== 1);
}

/** "512 = 8 * 8 * 8": a size with the expression that wrote it, when they differ. */
function writtenSize(ctx: RuleContext, size: Dim, argument: number): string {
  const call = callAtSite(ctx);
  const written = call?.args[argument]?.text;
  const value = dimToString(size);
  return written !== undefined && written !== value && !written.includes("\n") && written.length <= 32 ? `${value} = ${written}` : value;
}

/** Whether a tensor's leading dim may be the model's batch: it is one of the inputs' leading dims, or no input tells. */
/** Whether a leading dim is the model's batch as the inputs give it: every input's leading dim is known, and one of them is this number. */
function isKnownInputBatch(ctx: RuleContext, dim: number): boolean {
  const leading = (ctx.facts?.inputs ?? []).flatMap((t) => (t.shape && t.shape.length > 0 ? [t.shape[0]] : []));
  return leading.length > 0 && leading.every((d) => typeof d === "number") && leading.includes(dim);
}

function leadingDimMayBeBatch(ctx: RuleContext, dim: Dim): boolean {
  const leading = (ctx.facts?.inputs ?? []).flatMap((t) => (t.shape && t.shape.length > 0 ? [t.shape[0]] : []));
  return leading.length === 0 || leading.some((d) => dimEquals(d, dim));
}

/**
 * `view(-1, *rest)` says: keep the batch, each sample becomes `rest`. When one
 * sample does not hold numel(rest) elements, that is the fault, whatever the
 * element count allows: for most batch sizes the view fails (view-size), for some
 * it silently folds samples together (view-folds-batch). The result carries the
 * fault, so a Linear that shares the assumed K, or an op that meets the true
 * batch, adds to the same diagnostic. Undefined: the view keeps the batch, or the
 * generic inference decides.
 */
function checkBatchAssumption(ctx: RuleContext, owner: string, x: KnownTensor, sizes: readonly Dim[]): Tensor | undefined {
  if (x.shape.length < 2 || sizes.length < 2 || sizes[0] !== -1) return undefined;
  if (sizes.slice(1).some((d) => typeof d === "number" && d < 0)) return undefined;
  const restSizes = sizes.slice(1);
  const rest = dimProduct(restSizes);
  const perSample = numel(x.shape.slice(1));
  if (typeof rest !== "number" || rest === 0 || dimEquals(perSample, rest)) return undefined;
  const batch = x.shape[0];
  const total = numel(x.shape);
  // a sample holding whole rows merges leading dims on purpose ([B, T, C] → [B·T, C]; Swin's windows keep
  // several trailing dims), unless view(-1, K) flattens trailing dims while the leading dim is the
  // input's known batch: [100, 3, 32, 32] → view(-1, 32 * 32) makes 300 rows of 100 images (a batch of 1
  // is left out: a parameter or buffer with a leading 1 would pass for it)
  if (dimDivExact(perSample, rest) !== undefined) {
    const flattensTrailing = restSizes.length === 1 && !dimEquals(rest, x.shape[x.shape.length - 1]);
    if (!(flattensTrailing && typeof batch === "number" && batch > 1 && typeof total === "number" && isKnownInputBatch(ctx, batch))) return undefined;
  }
  // rows mixing samples needs the leading dim to be the batch, not windows folded in on purpose (Swin's B·nW windows)
  const foldsBatch = leadingDimMayBeBatch(ctx, batch);
  const tensor = argumentLabel(ctx, 0, "the input");
  const name = tensor === "the input" ? "x" : tensor;
  const call = callLabel(ctx, `${owner}(${sizes.map(dimToString).join(", ")})`);
  const assumed = restSizes.length === 1 ? writtenSize(ctx, rest, ctx.methodCall ? 1 : 2) : `${rest} = ${restSizes.map(dimToString).join(" × ")}`;
  const factors = x.shape.slice(1);
  const actual = storyOf(ctx, perSample, factors, x.origin?.after);
  const fix = restSizes.length === 1 ? Fix.viewKeepBatch({ flatten: `${name}.flatten(1)`, viewBatch: `${name}.${owner}(${name}.size(0), -1)` }) : undefined;
  const result = (rows: Dim, folded: boolean, handle: FaultHandle | undefined): Tensor => {
    const shape = [rows, ...restSizes];
    if (!handle) return makeTensor(shape, x.dtype);
    return makeTensor(shape, x.dtype, { origin: { after: x.origin?.after, suspect: { assumedFeatures: rest, perSample: factors, folded: folded ? { batch, rows } : undefined, handle } } });
  };
  if (typeof perSample === "number") {
    if (typeof total === "number") {
      const shown = { batch: dimToString(batch), perSample, total, rest };
      if (total % rest !== 0) {
        const handle = ctx.report(Message.viewAssumedFeatures({ call, assumed, tensor, actual, consequence: Clause.viewRemainder(shown) }), { fix });
        return result(batch, false, handle);
      }
      const rows = total / rest;
      if (!foldsBatch) return undefined;
      const handle = ctx.report(Message.viewFoldsBatch({ call, assumed, tensor, actual, consequence: Clause.viewFolds({ ...shown, rows }) }), { severity: "warning", fix });
      return result(rows, true, handle);
    }
    if (!foldsBatch) return undefined;
    const multiple = rest / gcd(perSample, rest);
    const handle = ctx.report(
      Message.viewFoldsBatch({ call, assumed, tensor, actual, consequence: Clause.viewFoldsSymbolic({ batch: dimToString(batch), perSample, rest, multiple }) }),
      { severity: "warning", fix },
    );
    return result(floorDivReduced(total, rest), true, handle);
  }
  const verdict = compareSize(ctx, perSample, rest);
  if (verdict.kind === "fits") {
    const handle = ctx.report(Message.viewKeepsBatchOnlyFor({ call, fits: verdict.inputs, assumed, tensor, perSample: actual }), { severity: "info", fix });
    return result(batch, false, handle);
  }
  if ((verdict.kind === "never" || verdict.kind === "not-found") && foldsBatch) {
    const handle = ctx.report(Message.viewNeverKeepsBatch({ call, assumed, tensor, perSample: actual, rest, why: verdict.why }), { severity: "warning", fix });
    return result(batch, false, handle);
  }
  return undefined;
}

/** view/reshape: sizes as varargs or one tuple; Tensor.view(dtype) reinterprets the last dim. */
function viewLike(owner: string) {
  return (args: Args, ctx: RuleContext): Value => {
    const x = known(args, "input");
    const shapeArg = args.value("shape");
    if (shapeArg.kind === "tuple" && shapeArg.items.length === 1 && shapeArg.items[0].kind === "dtype") {
      const dtype = shapeArg.items[0].dtype;
      if (!x) return unknownTensor(unknownResult(args, "input", owner).unknownReason ?? "view of an unknown shape", dtype);
      const shape = [...x.shape];
      if (shape.length > 0) shape[shape.length - 1] = dimFloorDiv(dimMul(shape[shape.length - 1], dtypeSize(x.dtype)), dtypeSize(dtype));
      return makeTensor(shape, dtype);
    }
    if (!x) return unknownResult(args, "input", owner);
    if (containsUnknown(shapeArg)) return unknownTensor(`${owner} with an unknown size`, x.dtype);
    const sizes = sizeList(shapeArg);
    if (!sizes) {
      ctx.note(`${owner}: size ${pyRepr(shapeArg)} is not a sequence of ints`);
      return unknownTensor(`${owner} with a size that is not a sequence of ints`, x.dtype);
    }
    const assumed = checkBatchAssumption(ctx, owner, x, sizes);
    if (assumed) return assumed;
    const shape = inferViewShape(ctx, owner, x.shape, sizes, () => argumentLabel(ctx, 0, "the input"));
    return shape ? makeTensor(shape, x.dtype, mergedOrigin(x, shape)) : unknownTensor(`${owner} to an invalid shape`, x.dtype);
  };
}

/**
 * The factors a reshape merged into one dim, when it kept the dims before it
 * ([4, 8, 7, 7] → [4, 392]: 392 = 8 × 7 × 7), for messages about the result.
 */
function mergedOrigin(x: KnownTensor, shape: readonly Dim[]): { origin?: TensorOrigin } {
  let lead = 0;
  while (lead < shape.length && lead < x.shape.length && dimEquals(shape[lead], x.shape[lead])) lead++;
  if (lead !== shape.length - 1 || x.shape.length - lead < 2) return x.origin?.after ? { origin: { after: x.origin.after } } : {};
  return { origin: { after: x.origin?.after, merged: { axis: lead, factors: x.shape.slice(lead) } } };
}

function flattenShape(ctx: RuleContext, owner: string, x: KnownTensor, start: number, end: number): Dim[] | undefined {
  if (x.shape.length === 0) return [1];
  const s = axisArg(ctx, owner, start, x, "start_dim");
  const e = axisArg(ctx, owner, end, x, "end_dim");
  if (s === undefined || e === undefined) return undefined;
  if (s > e) {
    ctx.report(Message.flattenOrder({ op: owner, start, end, tensor: argumentLabel(ctx, 0), shape: formatShape(x.shape) }));
    return undefined;
  }
  return [...x.shape.slice(0, s), dimProduct(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
}

/** flatten(x, start) merged the dims from start on: remember them ("392 = 8 × 7 × 7"), with the module before. */
export function flattenedOrigin(x: KnownTensor, start: number): { origin?: TensorOrigin } {
  const s = normalizeAxis(start, Math.max(x.shape.length, 1));
  if (s === undefined) return {};
  return mergedOrigin(x, [...x.shape.slice(0, s), dimProduct(x.shape.slice(s))]);
}

/** Normalise a dim for inserting (unsqueeze): [-rank-1, rank]. */
function insertAxis(ctx: RuleContext, owner: string, dim: number, x: KnownTensor): number | undefined {
  const axis = normalizeAxis(dim, x.shape.length + 1);
  if (axis === undefined)
    ctx.report(Message.dimOutOfRange({ op: owner, what: "dim", dim, tensor: argumentLabel(ctx, 0), rank: x.shape.length, shape: formatShape(x.shape), low: -x.shape.length - 1, high: x.shape.length }));
  return axis;
}

/** expand: -1 keeps a dim; new leading dims may be added; existing dims must be 1 or equal. */
function expandShape(ctx: RuleContext, owner: string, input: Shape, sizes: readonly Dim[]): Dim[] {
  if (sizes.length < input.length) {
    ctx.report(Message.expandTooFew({ op: owner, count: sizes.length, rank: input.length, shape: formatShape(input) }));
    return [...input];
  }
  const lead = sizes.length - input.length;
  return sizes.map((size, i) => {
    if (i < lead) return size;
    const existing = input[i - lead];
    if (size === -1) return existing;
    if (dimEquals(size, existing) || existing === 1) return size;
    if (typeof size === "number" && typeof existing === "number") {
      ctx.report(Message.broadcastExpand({ op: owner, size, existing, dim: i, sizes: sizes.map(dimToString).join(", "), shape: formatShape(input) }));
      return existing;
    }
    // symbolic: taken to match
    return isSymbolic(existing) ? size : existing;
  });
}

function repeatShape(input: Shape, repeats: readonly Dim[]): Dim[] {
  const padded = [...Array<Dim>(Math.max(0, repeats.length - input.length)).fill(1), ...input];
  return repeats.map((r, i) => dimMul(r, padded[i]));
}

function sizesOf(args: Args, name: string, owner: string, ctx: RuleContext): Dim[] | undefined {
  const v = args.value(name);
  if (containsUnknown(v)) return undefined;
  const sizes = sizeList(v);
  if (!sizes) ctx.note(`${owner}: ${pyRepr(v)} is not a sequence of ints`);
  return sizes;
}

function intsOf(v: Value): number[] | undefined {
  const items = v.kind === "tuple" || v.kind === "list" ? (v.items.length === 1 && (v.items[0].kind === "tuple" || v.items[0].kind === "list") ? v.items[0].items : v.items) : [v];
  const out: number[] = [];
  for (const item of items) {
    const n = concreteInt(item);
    if (n === undefined) return undefined;
    out.push(n);
  }
  return out;
}

/** A permutation of the dims; reports when it is not one. */
function permuteShape(ctx: RuleContext, owner: string, x: KnownTensor, dims: readonly number[]): Dim[] | undefined {
  if (dims.length !== x.shape.length) {
    ctx.report(Message.rankPermute({ op: owner, dims: dims.join(", "), count: dims.length, tensor: argumentLabel(ctx, 0), rank: x.shape.length, shape: formatShape(x.shape) }));
    return undefined;
  }
  const axes: number[] = [];
  for (const d of dims) {
    const a = axisArg(ctx, owner, d, x);
    if (a === undefined) return undefined;
    if (axes.includes(a)) {
      ctx.report(Message.dimRepeated({ op: owner, dims: dims.join(", "), dim: d }));
      return undefined;
    }
    axes.push(a);
  }
  return axes.map((a) => x.shape[a]);
}

function transposeShape(ctx: RuleContext, owner: string, x: KnownTensor, d0: number, d1: number): Dim[] | undefined {
  if (x.shape.length === 0) return [];
  const a = axisArg(ctx, owner, d0, x);
  const b = axisArg(ctx, owner, d1, x);
  if (a === undefined || b === undefined) return undefined;
  const shape = [...x.shape];
  [shape[a], shape[b]] = [shape[b], shape[a]];
  return shape;
}

/** Wrap a shape computation: unknown input → unknown, undefined shape → unknown. */
function shaped(owner: string, input = "input", compute: (x: KnownTensor, args: Args, ctx: RuleContext) => Dim[] | undefined) {
  return (args: Args, ctx: RuleContext): Value => {
    const x = known(args, input);
    if (!x) return unknownResult(args, input, owner);
    const shape = compute(x, args, ctx);
    return shape ? makeTensor(shape, x.dtype) : unknownTensor(`${owner} failed on shape ${formatShape(x.shape)}`, x.dtype);
  };
}

const viewRules: OpRule[] = [
  rule(["Tensor.view"], "input, *shape", viewLike("view")),
  rule(["Tensor.reshape", "torch.reshape"], "input, *shape", viewLike("reshape")),
  rule(["Tensor.view_as", "Tensor.reshape_as"], "input, other", (args, ctx) => {
    const other = args.value("other");
    const x = known(args, "input");
    if (!x) return unknownResult(args, "input", "view_as");
    if (other.kind !== "tensor" || !other.shape) return unknownTensor("view_as a tensor of unknown shape", x.dtype);
    const shape = inferViewShape(ctx, "view_as", x.shape, other.shape);
    return makeTensor(shape ?? [...other.shape], x.dtype);
  }),
  rule(["torch.flatten", "Tensor.flatten"], "input, start_dim=0, end_dim=-1", (args, ctx) => {
    const x = known(args, "input");
    if (!x) return unknownResult(args, "input", "flatten");
    const shape = flattenShape(ctx, "flatten", x, args.int("start_dim"), args.int("end_dim"));
    return shape ? makeTensor(shape, x.dtype, flattenedOrigin(x, args.int("start_dim"))) : unknownTensor(`flatten failed on shape ${formatShape(x.shape)}`, x.dtype);
  }),
  rule(["torch.ravel", "Tensor.ravel"], "input", shaped("ravel", "input", (x) => [numel(x.shape)])),
  rule(
    ["torch.unflatten", "Tensor.unflatten"],
    "input, dim, sizes",
    shaped("unflatten", "input", (x, args, ctx) => {
      const axis = axisArg(ctx, "unflatten", args.int("dim"), x);
      const sizes = sizesOf(args, "sizes", "unflatten", ctx);
      if (axis === undefined || !sizes) return undefined;
      const inner = inferViewShape(ctx, "unflatten", [x.shape[axis]], sizes);
      return inner ? [...x.shape.slice(0, axis), ...inner, ...x.shape.slice(axis + 1)] : undefined;
    }),
  ),
];

const axisRules: OpRule[] = [
  rule(
    ["Tensor.permute", "torch.permute"],
    "input, *dims",
    shaped("permute", "input", (x, args, ctx) => {
      const dims = intsOf(args.value("dims"));
      return dims ? permuteShape(ctx, "permute", x, dims) : undefined;
    }),
  ),
  rule(
    ["torch.transpose", "Tensor.transpose", "torch.swapaxes", "Tensor.swapaxes", "torch.swapdims", "Tensor.swapdims", "Tensor.transpose_"],
    "input, dim0, dim1",
    shaped("transpose", "input", (x, args, ctx) => transposeShape(ctx, "transpose", x, args.int("dim0"), args.int("dim1"))),
  ),
  rule(
    ["torch.t", "Tensor.t", "Tensor.t_"],
    "input",
    shaped("t", "input", (x, _args, ctx) => {
      if (x.shape.length > 2) {
        ctx.report(Message.rank({ subject: "t()", expected: "a tensor of at most 2 dimensions", tensor: argumentLabel(ctx, 0), rank: x.shape.length, shape: formatShape(x.shape) }));
        return undefined;
      }
      return [...x.shape].reverse();
    }),
  ),
  rule(
    ["torch.adjoint", "Tensor.adjoint"],
    "input",
    shaped("adjoint", "input", (x, _args, ctx) => transposeShape(ctx, "mT", x, -2, -1)),
  ),
  rule(
    ["torch.squeeze", "Tensor.squeeze", "Tensor.squeeze_"],
    "input, dim=None",
    shaped("squeeze", "input", (x, args, ctx) => {
      if (args.isNone("dim")) return x.shape.filter((d) => d !== 1);
      const axes = axesArg(ctx, "squeeze", args.value("dim"), x);
      if (!axes) return undefined;
      if (x.shape.length === 0) return [];
      return x.shape.filter((d, i) => !(axes.includes(i) && d === 1));
    }),
  ),
  rule(
    ["torch.unsqueeze", "Tensor.unsqueeze", "Tensor.unsqueeze_"],
    "input, dim",
    shaped("unsqueeze", "input", (x, args, ctx) => {
      const axis = insertAxis(ctx, "unsqueeze", args.int("dim"), x);
      if (axis === undefined) return undefined;
      const shape = [...x.shape];
      shape.splice(axis, 0, 1);
      return shape;
    }),
  ),
  rule(
    ["torch.movedim", "Tensor.movedim", "torch.moveaxis", "Tensor.moveaxis"],
    "input, source, destination",
    shaped("movedim", "input", (x, args, ctx) => {
      const src = axesArg(ctx, "movedim", args.value("source"), x);
      const dst = axesArg(ctx, "movedim", args.value("destination"), x);
      if (!src || !dst) return undefined;
      if (src.length !== dst.length) {
        ctx.report(Message.movedimCounts({ source: src.length, destination: dst.length }));
        return undefined;
      }
      const rank = x.shape.length;
      const order: (number | undefined)[] = Array(rank).fill(undefined);
      src.forEach((s, i) => (order[dst[i]] = s));
      const rest = [...Array(rank).keys()].filter((a) => !src.includes(a));
      return order.map((o) => x.shape[o ?? (rest.shift() as number)]);
    }),
  ),
  rule(
    ["torch.narrow", "Tensor.narrow"],
    "input, dim, start, length",
    shaped("narrow", "input", (x, args, ctx) => {
      const axis = axisArg(ctx, "narrow", args.int("dim"), x);
      if (axis === undefined) return undefined;
      const length = args.dim("length");
      const start = numericValue(args.value("start"));
      const size = x.shape[axis];
      if (typeof start === "number" && typeof length === "number" && typeof size === "number") {
        const s = start < 0 ? start + size : start;
        if (s < 0 || s + length > size)
          ctx.report(Message.narrowRange({ axis, start, length, size, shape: formatShape(x.shape) }));
      }
      const shape = [...x.shape];
      shape[axis] = length;
      return shape;
    }),
  ),
  rule(["torch.unbind", "Tensor.unbind"], "input, dim=0", (args, ctx) => {
    const x = known(args, "input");
    if (!x) return unknown(`unbind of a tensor of unknown shape`);
    const axis = axisArg(ctx, "unbind", args.int("dim"), x);
    if (axis === undefined) return unknown("unbind dim out of range");
    const count = x.shape[axis];
    if (typeof count !== "number") return unknown(`unbind over a dimension of symbolic size ${dimToString(count)}`);
    const shape = x.shape.filter((_, i) => i !== axis);
    checkSequenceLength("tuple of tensors", count);
    return tuple(Array.from({ length: count }, () => makeTensor([...shape], x.dtype)));
  }),
  // Tensor.unfold(dimension, size, step): windows along one dim, the window as a new last dim
  rule(
    ["Tensor.unfold"],
    "input, dimension, size, step",
    shaped("unfold", "input", (x, args, ctx) => {
      const size = args.int("size");
      const step = args.int("step");
      if (x.shape.length === 0) return [size];
      const axis = axisArg(ctx, "unfold", args.int("dimension"), x, "dimension");
      if (axis === undefined) return undefined;
      const length = x.shape[axis];
      if (typeof length === "number" && size > length) {
        ctx.report(Message.unfoldSize({ size, axis, length, shape: formatShape(x.shape) }));
        return undefined;
      }
      const shape = [...x.shape, size];
      shape[axis] = dimAdd(dimFloorDiv(dimSub(length, size), step), 1);
      return shape;
    }),
  ),
  rule(["torch.roll", "Tensor.roll"], "input, shifts, dims=None", (args) => args.value("input")),
  rule(
    ["torch.flip", "Tensor.flip"],
    "input, *dims",
    shaped("flip", "input", (x, args, ctx) => {
      const dims = intsOf(args.value("dims"));
      if (dims) for (const d of dims) if (axisArg(ctx, "flip", d, x) === undefined) return undefined;
      return [...x.shape];
    }),
  ),
  rule(["torch.fliplr", "Tensor.fliplr", "torch.flipud", "Tensor.flipud"], "input", (args) => args.value("input")),
  rule(
    ["torch.rot90", "Tensor.rot90"],
    "input, k=1, dims=(0, 1)",
    shaped("rot90", "input", (x, args, ctx) => {
      const dims = intsOf(args.value("dims"));
      const k = args.int("k");
      if (!dims || dims.length !== 2) return undefined;
      return k % 2 === 0 ? [...x.shape] : transposeShape(ctx, "rot90", x, dims[0], dims[1]);
    }),
  ),
];

const expandRules: OpRule[] = [
  rule(
    ["Tensor.expand"],
    "input, *sizes, implicit=False",
    shaped("expand", "input", (x, args, ctx) => {
      const sizes = sizesOf(args, "sizes", "expand", ctx);
      return sizes ? expandShape(ctx, "expand", x.shape, sizes) : undefined;
    }),
  ),
  rule(
    ["torch.broadcast_to", "Tensor.broadcast_to"],
    "input, size",
    shaped("broadcast_to", "input", (x, args, ctx) => {
      const sizes = sizesOf(args, "size", "broadcast_to", ctx);
      return sizes ? expandShape(ctx, "broadcast_to", x.shape, sizes) : undefined;
    }),
  ),
  rule(
    ["Tensor.expand_as"],
    "input, other",
    shaped("expand_as", "input", (x, args, ctx) => {
      const other = args.value("other");
      if (other.kind !== "tensor" || !other.shape) return undefined;
      return expandShape(ctx, "expand_as", x.shape, other.shape);
    }),
  ),
  rule(
    ["Tensor.repeat"],
    "input, *sizes",
    shaped("repeat", "input", (x, args, ctx) => {
      const sizes = sizesOf(args, "sizes", "repeat", ctx);
      if (!sizes) return undefined;
      if (sizes.length < x.shape.length) {
        ctx.report(Message.rankRepeat({ count: sizes.length, tensor: argumentLabel(ctx, 0), rank: x.shape.length, shape: formatShape(x.shape) }));
        return undefined;
      }
      return repeatShape(x.shape, sizes);
    }),
  ),
  rule(
    ["torch.tile", "Tensor.tile"],
    "input, *dims",
    shaped("tile", "input", (x, args, ctx) => {
      const dims = sizesOf(args, "dims", "tile", ctx);
      if (!dims) return undefined;
      const padded = [...Array<Dim>(Math.max(0, x.shape.length - dims.length)).fill(1), ...dims];
      return repeatShape(x.shape, padded);
    }),
  ),
  rule(
    ["torch.repeat_interleave", "Tensor.repeat_interleave"],
    "input, repeats=None, dim=None, *, output_size=None",
    shaped("repeat_interleave", "input", (x, args, ctx) => {
      const repeats = args.value("repeats");
      const r = numericValue(repeats);
      if (r === undefined) return [SymDim.opaque("repeat_interleave")];
      if (args.isNone("dim")) return [dimMul(numel(x.shape), r)];
      const axis = axisArg(ctx, "repeat_interleave", args.int("dim"), x);
      if (axis === undefined) return undefined;
      const shape = [...x.shape];
      shape[axis] = dimMul(shape[axis], r);
      return shape;
    }),
  ),
];

export const reshapeOps: readonly OpRule[] = [...viewRules, ...axisRules, ...expandRules];
