// Indexing and size queries. x[...] follows PyTorch: ints select (and drop) a dim,
// slices keep it with Python's slice.indices length, None adds a dim, "..." fills,
// and tensor/list indices are advanced indices whose broadcast shape replaces the
// dims they index (in place when adjacent, else in front). size()/dim()/numel()
// return Python ints, symbolic when the shape is.
import { numericValue, pyRepr } from "../../eval/operators.js";
import { bool, int, NONE, tuple, unknown, type Value } from "../../eval/values.js";
import { trueCount } from "../../shapes/maskCounts.js";
import { dimAdd, dimCompareEq, dimFloorDiv, dimIsDataDependent, dimProduct, dimSub, dimToString, SymDim, type Dim } from "../../shapes/dim.js";
import { broadcastShapes, formatShape, normalizeAxis, type Shape } from "../../shapes/shape.js";
import { dtypeSize, isFloatingDType, makeTensor, unknownTensor, type Tensor } from "../../shapes/tensor.js";
import type { Args, OpRule, RuleContext } from "../rule.js";
import { Message } from "../../diagnostics/messages.js";
import { argumentLabel } from "../describe.js";
import { axisArg, broadcastAll, concreteInt, isKnown, unknownFrom, type KnownTensor, opRule as rule } from "./support.js";

/** One entry of the result while indexing: a kept/new dim, or the place of an advanced index. */
type Piece = { readonly kind: "dim"; readonly size: Dim } | { readonly kind: "advanced"; readonly shape: Shape };

/** The number of input dims an index item consumes. */
function consumes(item: Value): number {
  switch (item.kind) {
    case "none":
    case "ellipsis":
      return 0;
    case "tensor":
      return item.dtype === "bool" || item.dtype === "uint8" ? (item.shape?.length ?? 1) : 1;
    case "bool":
      return 0;
    default:
      return 1;
  }
}

/** The length of slice(start, stop, step) over a dim of `size`, as Python's slice.indices gives it. */
export function sliceLength(size: Dim, start: Value, stop: Value, step: Value): Dim | undefined {
  const st = step.kind === "none" ? 1 : numericValue(step);
  if (st === undefined || typeof st !== "number" || st <= 0) return undefined;
  const s = start.kind === "none" ? 0 : numericValue(start);
  const e = stop.kind === "none" ? size : numericValue(stop);
  if (s === undefined || e === undefined) return undefined;
  if (typeof size === "number" && typeof s === "number" && typeof e === "number") {
    const clamp = (i: number) => Math.min(Math.max(i < 0 ? i + size : i, 0), size);
    return Math.max(0, Math.ceil((clamp(e) - clamp(s)) / st));
  }
  // a size that depends on the data may be smaller than any bound: only the whole of it is known
  if (dimIsDataDependent(size)) return s === 0 && stop.kind === "none" && st === 1 ? size : undefined;
  // symbolic: negative bounds count from the end; bounds are assumed to lie inside the dim
  const from = typeof s === "number" && s < 0 ? dimAdd(size, s) : s;
  const to = typeof e === "number" && e < 0 ? dimAdd(size, e) : e;
  // ceil(n / k) written as (n + k - 1) // k, which reads better than dimCeilDiv's form
  const length = st === 1 ? dimSub(to, from) : dimFloorDiv(dimAdd(dimSub(to, from), st - 1), st);
  if (typeof length === "number") return Math.max(0, length);
  return length;
}

/** The result shape of x[index]; faults are reported; undefined when no shape can be given. */
export function indexShape(ctx: RuleContext, shape: Shape, index: Value): Dim[] | undefined {
  const items = index.kind === "tuple" ? index.items : [index];
  const ellipses = items.filter((i) => i.kind === "ellipsis").length;
  if (ellipses > 1) {
    ctx.report(Message.indexEllipsis({ index: pyRepr(index) }));
    return undefined;
  }
  const used = items.reduce((n, i) => n + consumes(i), 0);
  if (used > shape.length) {
    ctx.report(Message.indexTooMany({ count: used, tensor: argumentLabel(ctx, 0, "the tensor"), rank: shape.length, shape: formatShape(shape) }));
    return undefined;
  }
  const pieces: Piece[] = [];
  let axis = 0;
  for (const item of items) {
    switch (item.kind) {
      case "none":
        pieces.push({ kind: "dim", size: 1 });
        break;
      case "bool":
        // x[True] adds a dim of 1; x[False] one of 0
        pieces.push({ kind: "dim", size: item.value ? 1 : 0 });
        break;
      case "ellipsis": {
        const skip = shape.length - used;
        for (let k = 0; k < skip; k++) pieces.push({ kind: "dim", size: shape[axis++] });
        break;
      }
      case "int": {
        const size = shape[axis];
        const i = item.value;
        if (typeof i === "number" && typeof size === "number" && (i < -size || i >= size)) {
          ctx.report(Message.indexOutOfBounds({ index: i, axis, size, shape: formatShape(shape) }));
          return undefined;
        }
        axis++;
        break;
      }
      case "slice": {
        const length = sliceLength(shape[axis], item.lower, item.upper, item.step);
        if (length === undefined) {
          const st = item.step.kind === "none" ? 1 : numericValue(item.step);
          if (typeof st === "number" && st <= 0) {
            ctx.report(Message.indexSliceStep({ step: st, shape: formatShape(shape) }));
            return undefined;
          }
          pieces.push({ kind: "dim", size: unknownSliceLength(shape[axis], item.lower, item.upper, item.step) });
        } else pieces.push({ kind: "dim", size: length });
        axis++;
        break;
      }
      case "tensor": {
        if (!item.shape) return undefined;
        if (item.dtype === "bool" || item.dtype === "uint8") {
          const covered = shape.slice(axis, axis + item.shape.length);
          const bad = item.shape.findIndex((d, k) => dimCompareEq(d, covered[k]) === false);
          if (bad >= 0) {
            ctx.report(Message.indexMaskShape({ mask: formatShape(item.shape), shape: formatShape(shape), axis: axis + bad }));
            return undefined;
          }
          pieces.push({ kind: "advanced", shape: [trueCount(item, "masked")] });
          axis += item.shape.length;
        } else {
          if (isFloatingDType(item.dtype)) {
            ctx.report(Message.indexDType({ dtype: item.dtype }));
            return undefined;
          }
          pieces.push({ kind: "advanced", shape: item.shape });
          axis++;
        }
        break;
      }
      case "list":
      case "tuple": {
        // a list of ints is an integer index of that length (nested lists: their shape)
        const listShape = nestedShape(item);
        if (!listShape) return undefined;
        pieces.push({ kind: "advanced", shape: listShape });
        axis++;
        break;
      }
      case "unknown":
        return undefined;
      default:
        ctx.note(`indexing a tensor with ${pyRepr(item)} is not modelled`);
        return undefined;
    }
  }
  // dims after the last index are kept
  for (; axis < shape.length; axis++) pieces.push({ kind: "dim", size: shape[axis] });
  return placeAdvanced(ctx, pieces);
}

/** The length of a slice we cannot compute: `min(nms_1, 100)` for a leading slice, else `len(H[a:b])`. */
function unknownSliceLength(size: Dim, lower: Value, upper: Value, step: Value): Dim {
  const stop = numericValue(upper);
  const fromStart = lower.kind === "none" || numericValue(lower) === 0;
  if (fromStart && step.kind === "none" && typeof stop === "number" && stop >= 0) return SymDim.opaque(`min(${dimToString(size)}, ${stop})`, dimIsDataDependent(size));
  return SymDim.opaque(`len(${dimToString(size)}[${sliceText(lower)}:${sliceText(upper)}])`, dimIsDataDependent(size));
}

function sliceText(v: Value): string {
  return v.kind === "none" ? "" : pyRepr(v);
}

function nestedShape(v: Value): Dim[] | undefined {
  if (v.kind === "list" || v.kind === "tuple") {
    if (v.items.length === 0) return [0];
    const inner = nestedShape(v.items[0]);
    return inner ? [v.items.length, ...inner] : undefined;
  }
  if (v.kind === "int" || v.kind === "bool") return [];
  if (v.kind === "tensor") return v.shape ? [...v.shape] : undefined;
  return undefined;
}

/** Advanced indices broadcast together; their result goes where they stand when adjacent, else first. */
function placeAdvanced(ctx: RuleContext, pieces: readonly Piece[]): Dim[] | undefined {
  const positions = pieces.flatMap((p, i) => (p.kind === "advanced" ? [i] : []));
  if (positions.length === 0) return pieces.map((p) => (p as { size: Dim }).size);
  let shape: Shape = [];
  for (const i of positions) {
    const r = broadcastShapes(shape, (pieces[i] as { shape: Shape }).shape);
    if (!r.ok) {
      ctx.report(Message.broadcastIndices({ leftSize: dimToString(r.left), rightSize: dimToString(r.right) }));
      return undefined;
    }
    shape = r.shape;
  }
  const basic = (from: number, to: number) => pieces.slice(from, to).flatMap((p) => (p.kind === "dim" ? [p.size] : []));
  const adjacent = positions[positions.length - 1] - positions[0] === positions.length - 1;
  if (adjacent) return [...basic(0, positions[0]), ...shape, ...basic(positions[positions.length - 1] + 1, pieces.length)];
  return [...shape, ...basic(0, pieces.length)];
}

function getItem(args: Args, ctx: RuleContext): Value {
  const x = args.value("self");
  if (x.kind !== "tensor") return unknownTensor(`indexing a ${x.kind}`);
  if (!isKnown(x)) return unknownFrom(x, "indexing");
  const shape = indexShape(ctx, x.shape, args.value("index"));
  return shape ? makeTensor(shape, x.dtype) : unknownTensor(`indexing ${formatShape(x.shape)} with ${pyRepr(args.value("index"))}`, x.dtype);
}

function setItem(args: Args, ctx: RuleContext): Value {
  const x = args.value("self");
  if (x.kind !== "tensor" || !isKnown(x)) return NONE;
  const target = indexShape(ctx, x.shape, args.value("index"));
  const v = args.value("value");
  if (target && v.kind === "tensor" && v.shape) {
    const r = broadcastShapes(target, v.shape);
    if (!r.ok || r.shape.length !== target.length || r.shape.some((d, i) => dimCompareEq(d, target[i]) === false))
      ctx.report(Message.broadcastSetItem({ value: formatShape(v.shape), target: formatShape(target) }));
  }
  return NONE;
}

// ---------------------------------------------------------------- index functions

function knownTensor(args: Args, name: string): KnownTensor | undefined {
  const v = args.value(name);
  return v.kind === "tensor" && isKnown(v) ? v : undefined;
}

function indexSelect(args: Args, ctx: RuleContext): Value {
  const x = knownTensor(args, "input");
  if (!x) return unknownTensor("index_select of an unknown shape");
  const index = knownTensor(args, "index");
  const axis = axisArg(ctx, "index_select", args.int("dim"), x);
  if (axis === undefined || !index) return unknownTensor("index_select", x.dtype);
  if (index.shape.length > 1) ctx.report(Message.rank({ subject: "index_select()", expected: "a 0-D or 1-D index", tensor: "the index", rank: index.shape.length, shape: formatShape(index.shape) }));
  const shape = [...x.shape];
  if (shape.length > 0) shape[axis] = dimProduct(index.shape);
  return makeTensor(shape, x.dtype);
}

/** gather/take_along_dim: the index's shape (same rank as the input). */
function gather(args: Args, ctx: RuleContext): Value {
  const x = knownTensor(args, "input");
  const index = knownTensor(args, "index");
  if (!x || !index) return unknownTensor("gather of an unknown shape", x?.dtype);
  if (index.shape.length !== x.shape.length)
    ctx.report(Message.rankPair({ subject: "gather()", expected: "an index with as many dimensions as the input", left: formatShape(x.shape), right: formatShape(index.shape) }));
  else axisArg(ctx, "gather", args.int("dim"), x);
  return makeTensor([...index.shape], x.dtype);
}

/** scatter/index_add/...: the input's shape. */
function sameAsInput(args: Args): Value {
  return args.value("input");
}

/** size(): a tuple of Python ints; size(dim): one int. */
function size(args: Args, ctx: RuleContext): Value {
  const x = args.value("self");
  if (x.kind !== "tensor") return unknown(`size() of a ${x.kind}`);
  if (!isKnown(x)) return unknown(x.unknownReason ?? "the tensor's shape is unknown");
  if (args.isNone("dim")) return tuple(x.shape.map((d) => int(d)));
  const dim = concreteInt(args.value("dim"));
  if (dim === undefined) return unknown("size() of a dim that is not a concrete int");
  const axis = normalizeAxis(dim, x.shape.length);
  if (axis === undefined) {
    ctx.report(Message.sizeOutOfRange({ op: "size", dim, tensor: argumentLabel(ctx, 0, "the tensor"), rank: x.shape.length, shape: formatShape(x.shape), low: -x.shape.length, high: x.shape.length - 1 }));
    return unknown("size() of a dim out of range");
  }
  return int(x.shape[axis]);
}

function rankOf(args: Args): Value {
  const x = args.value("self");
  return x.kind === "tensor" && x.shape ? int(x.shape.length) : unknown("the tensor's rank is unknown");
}

function lengthOf(args: Args, ctx: RuleContext): Value {
  const x = args.value("self");
  if (x.kind !== "tensor" || !x.shape) return unknown("len() of a tensor of unknown shape");
  if (x.shape.length === 0) {
    ctx.report(Message.rankLenScalar({}));
    return unknown("len() of a 0-d tensor");
  }
  return int(x.shape[0]);
}

function asTensor(v: Value): Tensor | undefined {
  return v.kind === "tensor" ? v : undefined;
}

export const indexingOps: readonly OpRule[] = [
  rule(["Tensor.__getitem__"], "self, index", getItem),
  rule(["Tensor.__setitem__"], "self, index, value", setItem),
  rule(["torch.index_select", "Tensor.index_select"], "input, dim, index, *, out=None", indexSelect),
  rule(["torch.gather", "Tensor.gather"], "input, dim, index, *, sparse_grad=False, out=None", gather),
  rule(["torch.take_along_dim", "Tensor.take_along_dim"], "input, index, dim=None, *, out=None", (args, ctx) => {
    if (args.isNone("dim")) {
      const index = knownTensor(args, "index");
      return index ? makeTensor([dimProduct(index.shape)], asTensor(args.value("input"))?.dtype) : unknownTensor("take_along_dim");
    }
    const x = knownTensor(args, "input");
    const index = knownTensor(args, "index");
    if (!x || !index) return unknownTensor("take_along_dim of an unknown shape");
    const axis = axisArg(ctx, "take_along_dim", args.int("dim"), x);
    if (axis === undefined) return unknownTensor("take_along_dim", x.dtype);
    // the other dims broadcast
    const a = [...x.shape];
    const b = [...index.shape];
    a[axis] = 1;
    b[axis] = 1;
    const shape = [...broadcastAll(ctx, "take_along_dim", [a, b])];
    shape[axis] = index.shape[axis];
    return makeTensor(shape, x.dtype);
  }),
  rule(["torch.take", "Tensor.take"], "input, index", (args) => {
    const index = knownTensor(args, "index");
    return index ? makeTensor([...index.shape], asTensor(args.value("input"))?.dtype) : unknownTensor("take of an unknown index");
  }),
  rule(
    [
      "torch.scatter", "Tensor.scatter", "Tensor.scatter_", "torch.scatter_add", "Tensor.scatter_add", "Tensor.scatter_add_", "torch.scatter_reduce",
      "Tensor.scatter_reduce", "Tensor.scatter_reduce_", "torch.index_add", "Tensor.index_add", "Tensor.index_add_", "torch.index_copy", "Tensor.index_copy",
      "Tensor.index_copy_", "torch.index_fill", "Tensor.index_fill", "Tensor.index_fill_", "Tensor.index_put_", "Tensor.index_put", "torch.index_put",
    ],
    "input, *args, **kwargs",
    sameAsInput,
  ),
  rule(["torch.masked_select", "Tensor.masked_select"], "input, mask, *, out=None", (args) => {
    const x = asTensor(args.value("input"));
    return makeTensor([SymDim.dataDependent("masked")], x?.dtype);
  }),
  rule(["torch.nonzero", "Tensor.nonzero", "torch.argwhere", "Tensor.argwhere"], "input, *, out=None, as_tuple=False", (args) => {
    const x = knownTensor(args, "input");
    if (!x) return unknownTensor("nonzero of an unknown shape", "int64");
    const nnz = trueCount(x, "nonzero");
    if (args.bool("as_tuple")) return tuple(x.shape.map(() => makeTensor([nnz], "int64")));
    return makeTensor([nnz, x.shape.length], "int64");
  }),
  rule(["Tensor.size"], "self, dim=None", size),
  rule(["Tensor.dim", "Tensor.ndimension"], "self", rankOf),
  // a contiguous layout: each dim's stride is the product of the dims after it
  rule(["Tensor.stride"], "self, dim=None", (args, ctx) => {
    const x = args.value("self");
    if (x.kind !== "tensor" || !x.shape) return unknown("stride() of a tensor of unknown shape");
    const shape = x.shape;
    const strides = shape.map((_, k) => int(dimProduct(shape.slice(k + 1))));
    if (args.isNone("dim")) return tuple(strides);
    const dim = concreteInt(args.value("dim"));
    const axis = dim === undefined ? undefined : normalizeAxis(dim, shape.length);
    if (axis === undefined) {
      ctx.report(Message.sizeOutOfRange({ op: "stride", dim: pyRepr(args.value("dim")), tensor: argumentLabel(ctx, 0, "the tensor"), rank: shape.length, shape: formatShape(shape), low: -shape.length, high: shape.length - 1 }));
      return unknown("stride() of a dim out of range");
    }
    return strides[axis];
  }),
  rule(["Tensor.numel", "Tensor.nelement", "torch.numel"], "self", (args) => {
    const x = args.value("self");
    return x.kind === "tensor" && x.shape ? int(dimProduct(x.shape)) : unknown("the tensor's element count is unknown");
  }),
  rule(["Tensor.element_size"], "self", (args) => {
    const x = args.value("self");
    return x.kind === "tensor" ? int(dtypeSize(x.dtype)) : unknown("element_size of a non-tensor");
  }),
  rule(["Tensor.is_floating_point", "torch.is_floating_point"], "self", (args) => {
    const x = args.value("self");
    return x.kind === "tensor" ? bool(isFloatingDType(x.dtype)) : unknown("is_floating_point of a non-tensor");
  }),
  rule(["Tensor.is_contiguous"], "self, memory_format=None", () => bool(true)),
  rule(["Tensor.get_device"], "self", () => int(-1)),
  rule(["Tensor.item"], "self", (args) => unknown(`the value of a tensor (${pyRepr(args.value("self"))}) is not known before running`)),
  rule(["Tensor.tolist", "Tensor.numpy"], "self, *args, **kwargs", () => unknown("the tensor's values are not known before running")),
  rule(["Tensor.__len__"], "self", lengthOf),
];
