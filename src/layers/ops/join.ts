// Joining and splitting: cat/stack (and h/v/dstack) sum or add a dim and need
// the other dims to agree; split/chunk/tensor_split give tuples of tensors.
import { checkSequenceLength } from "../../eval/sizeLimits.js";
import { numericValue, pyRepr } from "../../eval/operators.js";
import { PyException } from "../../eval/errors.js";
import { tuple, unknown, type Value } from "../../eval/values.js";
import { dimAdd, dimCeilDiv, dimDivExact, dimEquals, dimFloorDiv, dimMod, dimMul, dimSub, dimToString, type Dim } from "../../shapes/dim.js";
import { formatShape, normalizeAxis, type Shape } from "../../shapes/shape.js";
import { makeTensor, unknownTensor, type DType, type Tensor } from "../../shapes/tensor.js";
import type { Args, OpRule, RuleContext } from "../rule.js";
import { Message } from "../../diagnostics/messages.js";
import { argumentLabel, callLabel, elementLabel } from "../describe.js";
import { axisArg, broadcastAll, concreteInt, isKnown, operandOf, provenFold, resultType, unknownFrom, type KnownTensor, type Operand, opRule as rule } from "./support.js";

/** The tensors of a list/tuple argument; a Tensor result when something is unknown. */
function tensorList(v: Value, owner: string, ctx: RuleContext): KnownTensor[] | Tensor {
  if (v.kind === "unknown") return unknownTensor(`${owner} of an unknown sequence (${v.why})`);
  if (v.kind !== "tuple" && v.kind !== "list") {
    ctx.note(`${owner} expects a sequence of tensors, got ${pyRepr(v)}`);
    return unknownTensor(`${owner} of a ${v.kind}`);
  }
  const out: KnownTensor[] = [];
  for (const item of v.items) {
    if (item.kind !== "tensor") return unknownTensor(item.kind === "unknown" ? item.why : `${owner} of a ${item.kind}`);
    if (!isKnown(item)) return unknownFrom(item, owner);
    out.push(item);
  }
  if (out.length === 0) {
    // a warning: the list may be empty only because a loop over a symbolic range was skipped
    ctx.report(Message.emptyTensorList({ op: owner }), { severity: "warning" });
    return unknownTensor(`${owner} of an empty list`);
  }
  return out;
}

function joinedDType(tensors: readonly Tensor[]): DType {
  return resultType(tensors.map((t) => operandOf(t) as Operand));
}

/** The shape of cat along `dim` ([0]-shaped 1-D tensors are skipped, as PyTorch does). */
function catShape(ctx: RuleContext, owner: string, given: readonly KnownTensor[], dim: number): Dim[] | undefined {
  const tensors = dim === 0 ? given : (provenFold(ctx, () => callLabel(ctx, owner), given) ?? given);
  const parts = tensors.filter((t) => !(t.shape.length === 1 && t.shape[0] === 0));
  if (parts.length === 0) return [0];
  const first = parts[0];
  const rank = first.shape.length;
  if (rank === 0) {
    ctx.report(Message.rankCatZeroDim({ op: callLabel(ctx, owner) }));
    return undefined;
  }
  const axis = axisArg(ctx, owner, dim, first);
  if (axis === undefined) return undefined;
  const out = [...first.shape];
  for (let i = 1; i < parts.length; i++) {
    const t = parts[i];
    if (t.shape.length !== rank) {
      ctx.report(Message.catRank({ op: callLabel(ctx, owner), first: elementLabel(ctx, 0, tensors.indexOf(first)), rank, firstShape: formatShape(first.shape), other: elementLabel(ctx, 0, tensors.indexOf(t)), otherRank: t.shape.length, otherShape: formatShape(t.shape) }));
      return undefined;
    }
    for (let d = 0; d < rank; d++) {
      if (d === axis) continue;
      if (!dimEquals(t.shape[d], out[d]) && typeof t.shape[d] === "number" && typeof out[d] === "number") {
        ctx.report(
          Message.catSize({
            op: callLabel(ctx, owner),
            other: elementLabel(ctx, 0, tensors.indexOf(t)),
            actual: dimToString(t.shape[d]),
            dim: d,
            first: elementLabel(ctx, 0, tensors.indexOf(first)),
            expected: dimToString(out[d]),
            axis,
            shapes: tensors.map((x) => formatShape(x.shape)).join(" and "),
          }),
        );
        return undefined;
      }
    }
    out[axis] = dimAdd(out[axis], t.shape[axis]);
  }
  return out;
}

/**
 * cat/stack of a sequence we cannot count (a comprehension over the detections):
 * `count` items of one shape, joined along `dim`; undefined when it is not one.
 */
function joinUncounted(v: Value, dim: number, stack: boolean): Tensor | undefined {
  if (v.kind !== "unknown" || !v.rows) return undefined;
  const item = v.rows.item;
  if (item.kind !== "tensor" || !isKnown(item)) return undefined;
  const axis = normalizeAxis(dim, item.shape.length + (stack ? 1 : 0));
  if (axis === undefined) return undefined;
  const shape = [...item.shape];
  if (stack) shape.splice(axis, 0, v.rows.count);
  else shape[axis] = dimMul(shape[axis], v.rows.count);
  return makeTensor(shape, item.dtype);
}

function catRule(names: readonly string[], owner: string): OpRule {
  return rule(names, "tensors, dim=0, *, out=None", (args, ctx) => {
    const uncounted = joinUncounted(args.value("tensors"), args.int("dim"), false);
    if (uncounted) return uncounted;
    const ts = tensorList(args.value("tensors"), owner, ctx);
    if (!Array.isArray(ts)) return ts;
    const dtype = joinedDType(ts);
    const shape = catShape(ctx, owner, ts, args.int("dim"));
    return shape ? makeTensor(shape, dtype) : unknownTensor(`${owner} of mismatched shapes`, dtype);
  });
}

function stackShape(ctx: RuleContext, owner: string, tensors: readonly KnownTensor[], dim: number): Dim[] | undefined {
  const first = tensors[0];
  for (let i = 1; i < tensors.length; i++) {
    const t = tensors[i];
    const same = t.shape.length === first.shape.length && t.shape.every((d, k) => dimEquals(d, first.shape[k]) || typeof d !== "number" || typeof first.shape[k] !== "number");
    if (!same) {
      ctx.report(Message.stackSize({ op: callLabel(ctx, owner), first: elementLabel(ctx, 0, 0), firstShape: formatShape(first.shape), other: elementLabel(ctx, 0, i), otherShape: formatShape(t.shape) }));
      return undefined;
    }
  }
  const axis = normalizeAxis(dim, first.shape.length + 1);
  if (axis === undefined) {
    ctx.report(Message.dimOutOfRange({ op: owner, what: "dim", dim, tensor: elementLabel(ctx, 0, 0), rank: first.shape.length, shape: formatShape(first.shape), low: -first.shape.length - 1, high: first.shape.length }));
    return undefined;
  }
  const out = [...first.shape];
  out.splice(axis, 0, tensors.length);
  return out;
}

/** atleast_Nd: 0-D → [1...], 1-D [n] → [1, n], 2-D [a, b] → [a, b, 1] (atleast_3d). */
function atLeast(shape: Shape, n: number): Dim[] {
  if (shape.length >= n) return [...shape];
  if (shape.length === 0) return Array(n).fill(1);
  if (n === 2) return [1, ...shape];
  return shape.length === 1 ? [1, shape[0], 1] : [...shape, 1];
}

function stackVariant(name: string, minRank: number, dimFor: (rank: number) => number): OpRule {
  return rule([`torch.${name}`], "tensors, *, out=None", (args, ctx) => {
    const ts = tensorList(args.value("tensors"), `torch.${name}`, ctx);
    if (!Array.isArray(ts)) return ts;
    const lifted = ts.map((t) => ({ ...t, shape: atLeast(t.shape, minRank) }));
    const shape = catShape(ctx, `torch.${name}`, lifted, dimFor(lifted[0].shape.length));
    return shape ? makeTensor(shape, joinedDType(ts)) : unknownTensor(`torch.${name} of mismatched shapes`);
  });
}

/** The tensors split_size pieces give: all of that size, the last smaller. */
function splitBySize(ctx: RuleContext, owner: string, x: KnownTensor, axis: number, size: Dim): Value {
  const total = x.shape[axis];
  if (typeof size === "number" && size <= 0 && !(size === 0 && total === 0)) {
    ctx.report(Message.splitSizePositive({ op: owner, size }));
    return unknown("split with a non-positive size");
  }
  const piece = (d: Dim) => {
    const shape = [...x.shape];
    shape[axis] = d;
    return makeTensor(shape, x.dtype);
  };
  const exact = dimDivExact(total, size);
  if (typeof total === "number" && typeof size === "number") {
    const count = Math.max(1, Math.ceil(total / size));
    checkSequenceLength("tuple of tensors", count);
    return tuple(Array.from({ length: count }, (_, i) => piece(Math.min(size, total - i * size))));
  }
  if (typeof exact === "number") {
    checkSequenceLength("tuple of tensors", exact);
    return tuple(Array.from({ length: exact }, () => piece(size)));
  }
  return unknown(`${owner} of a dimension of symbolic size ${dimToString(total)} into pieces of ${dimToString(size)}: the number of pieces is unknown`);
}

/** Split by a list of sizes: they must add up to the dim. */
function splitBySections(ctx: RuleContext, owner: string, x: KnownTensor, axis: number, sizes: readonly Dim[]): Value {
  const total = x.shape[axis];
  const sum = sizes.reduce<Dim>((a, b) => dimAdd(a, b), 0);
  if (!dimEquals(sum, total) && typeof dimSub(sum, total) === "number") {
    ctx.report(Message.splitSizes({ op: owner, sizes: sizes.map(dimToString).join(", "), sum: dimToString(sum), axis, tensor: argumentLabel(ctx, 0), total: dimToString(total), shape: formatShape(x.shape) }));
  }
  return tuple(
    sizes.map((d) => {
      const shape = [...x.shape];
      shape[axis] = d;
      return makeTensor(shape, x.dtype);
    }),
  );
}

function splitApply(owner: string, sizeName: string) {
  return (args: Args, ctx: RuleContext): Value => {
    const x = args.value("tensor");
    if (x.kind !== "tensor" || !isKnown(x)) return unknown(`${owner} of a tensor of unknown shape`);
    const axis = axisArg(ctx, owner, args.int("dim"), x);
    if (axis === undefined) return unknown(`${owner} dim out of range`);
    const spec = args.value(sizeName);
    if (spec.kind === "tuple" || spec.kind === "list") {
      const sizes = spec.items.map((v) => numericValue(v));
      if (sizes.some((d) => d === undefined)) return unknown(`${owner} with unknown sizes`);
      return splitBySections(ctx, owner, x, axis, sizes as Dim[]);
    }
    const size = numericValue(spec);
    if (size === undefined) return unknown(`${owner} with an unknown split size`);
    return splitBySize(ctx, owner, x, axis, size);
  };
}

/** chunk: pieces of ceil(n / chunks); fewer pieces when that already covers the dim. */
function chunkApply(args: Args, ctx: RuleContext): Value {
  const x = args.value("input");
  if (x.kind !== "tensor" || !isKnown(x)) return unknown("chunk of a tensor of unknown shape");
  const chunks = args.dim("chunks");
  if (typeof chunks === "number" && chunks <= 0) {
    ctx.report(Message.chunksPositive({ chunks }));
    return unknown("chunk with a non-positive count");
  }
  const axis = axisArg(ctx, "chunk", args.int("dim"), x);
  if (axis === undefined) return unknown("chunk dim out of range");
  const total = x.shape[axis];
  const exact = dimDivExact(total, chunks);
  if (exact !== undefined && typeof chunks === "number") {
    checkSequenceLength("tuple of tensors", chunks);
    return splitBySections(ctx, "chunk", x, axis, Array(chunks).fill(exact));
  }
  return splitBySize(ctx, "chunk", x, axis, dimCeilDiv(total, chunks));
}

/** tensor_split: n sections (the first n % size get one more) or split indices. */
function tensorSplitApply(args: Args, ctx: RuleContext): Value {
  const x = args.value("input");
  if (x.kind !== "tensor" || !isKnown(x)) return unknown("tensor_split of a tensor of unknown shape");
  const axis = axisArg(ctx, "tensor_split", args.int("dim"), x);
  if (axis === undefined) return unknown("tensor_split dim out of range");
  const total = x.shape[axis];
  // torch's three overloads name the second argument sections, indices or tensor_indices_or_sections
  const given = ["sections", "indices", "tensor_indices_or_sections"].filter((name) => args.has(name));
  if (given.length !== 1) throw new PyException("TypeError", "tensor_split() takes exactly one of sections, indices or tensor_indices_or_sections");
  const spec = args.value(given[0]);
  if (spec.kind === "tuple" || spec.kind === "list") {
    const idx = spec.items.map(concreteInt);
    if (idx.some((i) => i === undefined) || typeof total !== "number") return unknown("tensor_split with unknown indices");
    const bounds = [0, ...(idx as number[]).map((i) => Math.min(Math.max(i < 0 ? i + total : i, 0), total)), total];
    const sizes = bounds.slice(1).map((b, i) => Math.max(0, b - bounds[i]));
    return splitBySections(ctx, "tensor_split", x, axis, sizes);
  }
  const n = concreteInt(spec);
  if (n === undefined || n <= 0) return unknown("tensor_split with an unknown number of sections");
  checkSequenceLength("tuple of tensors", n);
  const base = dimFloorDiv(total, n);
  const extra = dimMod(total, n);
  if (typeof extra !== "number") {
    const exact = dimDivExact(total, n);
    if (exact === undefined) return unknown(`tensor_split of symbolic size ${dimToString(total)} into ${n}`);
    return splitBySections(ctx, "tensor_split", x, axis, Array(n).fill(exact));
  }
  return splitBySections(ctx, "tensor_split", x, axis, Array.from({ length: n }, (_, i) => (i < extra ? dimAdd(base, 1) : base)));
}

export const joinOps: readonly OpRule[] = [
  catRule(["torch.cat", "torch.concat", "torch.concatenate"], "torch.cat"),
  rule(["torch.stack"], "tensors, dim=0, *, out=None", (args, ctx) => {
    const uncounted = joinUncounted(args.value("tensors"), args.int("dim"), true);
    if (uncounted) return uncounted;
    const ts = tensorList(args.value("tensors"), "torch.stack", ctx);
    if (!Array.isArray(ts)) return ts;
    const shape = stackShape(ctx, "torch.stack", ts, args.int("dim"));
    return shape ? makeTensor(shape, joinedDType(ts)) : unknownTensor("torch.stack of mismatched shapes");
  }),
  stackVariant("hstack", 1, (rank) => (rank === 1 ? 0 : 1)),
  stackVariant("vstack", 2, () => 0),
  stackVariant("row_stack", 2, () => 0),
  stackVariant("dstack", 3, () => 2),
  rule(["torch.split"], "tensor, split_size_or_sections, dim=0", splitApply("split", "split_size_or_sections")),
  rule(["Tensor.split"], "tensor, split_size, dim=0", splitApply("split", "split_size")),
  rule(["Tensor.split_with_sizes", "torch.split_with_sizes"], "tensor, split_sizes, dim=0", splitApply("split_with_sizes", "split_sizes")),
  rule(["torch.chunk", "Tensor.chunk"], "input, chunks, dim=0", chunkApply),
  rule(["torch.tensor_split", "Tensor.tensor_split"], "input, sections=None, dim=0, *, indices=None, tensor_indices_or_sections=None", tensorSplitApply),
  // meshgrid: one tensor per input, each of shape (len(t0), len(t1), ...); 'xy' swaps the first two
  rule(["torch.meshgrid"], "*tensors, indexing=None", (args) => {
    const raw = args.value("tensors");
    let items = raw.kind === "tuple" ? raw.items : [];
    if (items.length === 1 && (items[0].kind === "list" || items[0].kind === "tuple")) items = items[0].items;
    const sizes: Dim[] = [];
    for (const v of items) {
      if (v.kind !== "tensor" || !v.shape) return unknown("meshgrid of a tensor of unknown shape");
      sizes.push(v.shape.length === 0 ? 1 : v.shape[0]);
    }
    if (args.str("indexing") === "xy" && sizes.length >= 2) [sizes[0], sizes[1]] = [sizes[1], sizes[0]];
    return tuple(items.map((v) => makeTensor([...sizes], (v as Tensor).dtype)));
  }),
  rule(["torch.broadcast_tensors"], "*tensors", (args, ctx) => {
    const ts = args.value("tensors");
    if (ts.kind !== "tuple") return unknown("broadcast_tensors");
    const known = ts.items.filter((t): t is KnownTensor => t.kind === "tensor" && isKnown(t));
    if (known.length !== ts.items.length) return tuple(ts.items.map(() => unknownTensor("broadcast_tensors of an unknown shape")));
    const shape = broadcastAll(ctx, "torch.broadcast_tensors", known.map((t) => t.shape));
    return tuple(known.map((t) => makeTensor([...shape], t.dtype)));
  }),
];
