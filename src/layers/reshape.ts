// Layers that rearrange elements without parameters: Flatten, Unflatten,
// PixelShuffle, PixelUnshuffle, ChannelShuffle, and the sliding-block pair
// Unfold (image → columns of patches) and Fold (columns → image).
// Fold/Unfold count blocks per spatial dim with the conv formula
// floor((size + 2p - d(k-1) - 1) / s) + 1.
import { PyException } from "../eval/errors.js";
import { numericValue } from "../eval/operators.js";
import { dimCompareEq, dimDivExact, dimFloorDiv, dimMod, dimMul, dimProduct, dimToString, type Dim } from "../shapes/dim.js";
import { convOutputSize, formatShape, normalizeAxis } from "../shapes/shape.js";
import { makeTensor, unknownTensor } from "../shapes/tensor.js";
import { knownInput, rankError, spatialNames } from "./common.js";
import { Message } from "../diagnostics/messages.js";
import { inputLabel, layerLabel, windowSettings } from "./describe.js";
import type { Args, Layer, LayerBuilder, LayerRule } from "./rule.js";


/** a / b when b divides a (or divisibility is unknowable); reports and floors otherwise. */
function divide(a: Dim, b: number, onIndivisible: () => void): Dim {
  const exact = dimDivExact(a, b);
  if (exact !== undefined) return exact;
  if (dimCompareEq(dimMod(a, b), 0) === false) onIndivisible();
  return dimFloorDiv(a, b);
}

/** An int-or-tuple attribute as n ints. */
function attrInts(layer: Layer, name: string, n: number): number[] {
  const xs = layer.ints(name);
  return xs.length === 1 ? Array<number>(n).fill(xs[0]) : xs;
}

// ---------------------------------------------------------------- Flatten / Unflatten

const flatten: LayerRule = {
  type: "Flatten",
  signature: "start_dim=1, end_dim=-1",
  build: (args, b) => {
    b.attr("start_dim", args.int("start_dim"));
    b.attr("end_dim", args.int("end_dim"));
  },
  forward: (layer, args, ctx) => {
    const x = knownInput(layer, args, ctx);
    if ("early" in x) return x.early;
    const shape = x.shape!;
    const startDim = layer.int("start_dim");
    const endDim = layer.int("end_dim");
    // a 0-D tensor flattens as if it were 1-D
    const rank = Math.max(shape.length, 1);
    const start = normalizeAxis(startDim, rank);
    const end = normalizeAxis(endDim, rank);
    if (start === undefined || end === undefined) {
      const bad = start === undefined ? startDim : endDim;
      ctx.report(Message.dimOutOfRange({ op: layerLabel(ctx, "Flatten"), what: start === undefined ? "start_dim" : "end_dim", dim: bad, tensor: inputLabel(ctx), rank: shape.length, shape: formatShape(shape), low: -rank, high: rank - 1 }));
      return unknownTensor("Flatten dim out of range", x.dtype);
    }
    if (start > end) {
      ctx.report(Message.flattenOrder({ op: layerLabel(ctx, "Flatten"), start: startDim, end: endDim, tensor: inputLabel(ctx), shape: formatShape(shape) }));
      return unknownTensor("Flatten start_dim after end_dim", x.dtype);
    }
    if (shape.length === 0) return makeTensor([1], x.dtype);
    const merged = end + 1 === shape.length && end > start ? { origin: { after: x.origin?.after, merged: { axis: start, factors: shape.slice(start) } } } : {};
    return makeTensor([...shape.slice(0, start), dimProduct(shape.slice(start, end + 1)), ...shape.slice(end + 1)], x.dtype, merged);
  },
};

const unflatten: LayerRule = {
  type: "Unflatten",
  signature: "dim, unflattened_size",
  build: (args, b) => {
    const dim = args.value("dim");
    const sizes = args.value("unflattened_size");
    if (dim.kind !== "int" && dim.kind !== "str") throw new PyException("TypeError", "invalid argument type for dim parameter");
    if (sizes.kind !== "tuple" && sizes.kind !== "list") throw new PyException("TypeError", `unflattened_size must be tuple of ints, but found type ${sizes.kind}`);
    b.attr("dim", dim);
    b.attr("unflattened_size", sizes);
  },
  forward: (layer, args, ctx) => {
    const x = knownInput(layer, args, ctx);
    if ("early" in x) return x.early;
    const shape = x.shape!;
    const dimValue = layer.attr("dim");
    if (dimValue.kind !== "int" || typeof dimValue.value !== "number") return unknownTensor("Unflatten over a named dimension", x.dtype);
    const axis = normalizeAxis(dimValue.value, shape.length);
    if (axis === undefined) {
      ctx.report(Message.dimOutOfRange({ op: layerLabel(ctx, "Unflatten"), what: "dim", dim: dimValue.value, tensor: inputLabel(ctx), rank: shape.length, shape: formatShape(shape), low: -shape.length, high: shape.length - 1 }));
      return unknownTensor("Unflatten dim out of range", x.dtype);
    }
    const sizesValue = layer.attr("unflattened_size");
    const maybeSizes = sizesValue.kind === "tuple" || sizesValue.kind === "list" ? sizesValue.items.map((v) => numericValue(v)) : [];
    if (maybeSizes.some((d) => d === undefined)) return unknownTensor("Unflatten sizes are not ints", x.dtype);
    const sizes = maybeSizes as Dim[];
    const size = shape[axis];
    const inferred = sizes.filter((d) => d === -1).length;
    const known = dimProduct(sizes.filter((d) => d !== -1));
    const describe = layerLabel(ctx, `Unflatten(${dimValue.value}, (${sizes.map(dimToString).join(", ")}))`);
    if (inferred > 1) {
      ctx.report(Message.unflattenTwoInferred({ layer: describe }));
      return unknownTensor("Unflatten with several -1 sizes", x.dtype);
    }
    let out = sizes;
    if (inferred === 1) {
      const rest = dimDivExact(size, known);
      if (rest === undefined) {
        if (dimCompareEq(dimMod(size, known), 0) === false) {
          ctx.report(Message.unflattenNotDivisible({ layer: describe, axis, tensor: inputLabel(ctx), size: dimToString(size), known: dimToString(known), shape: formatShape(shape) }));
          return unknownTensor("Unflatten sizes do not divide the dimension", x.dtype);
        }
        out = sizes.map((d) => (d === -1 ? dimFloorDiv(size, known) : d));
      } else out = sizes.map((d) => (d === -1 ? rest : d));
    } else if (dimCompareEq(known, size) === false) {
      ctx.report(Message.unflattenProduct({ layer: describe, known: dimToString(known), axis, tensor: inputLabel(ctx), size: dimToString(size), shape: formatShape(shape) }));
      return unknownTensor("Unflatten sizes do not match the dimension", x.dtype);
    }
    return makeTensor([...shape.slice(0, axis), ...out, ...shape.slice(axis + 1)], x.dtype);
  },
};

// ---------------------------------------------------------------- pixel and channel shuffles

const pixelShuffle: LayerRule = {
  type: "PixelShuffle",
  signature: "upscale_factor",
  build: (args, b) => b.attr("upscale_factor", args.int("upscale_factor")),
  forward: (layer, args, ctx) => {
    const x = knownInput(layer, args, ctx);
    if ("early" in x) return x.early;
    const shape = x.shape!;
    if (shape.length < 3) return rankError(layer, ctx, x, "an (*, C, H, W)");
    const r = layer.int("upscale_factor");
    const [c, h, w] = shape.slice(-3);
    const channels = divide(c, r * r, () =>
      ctx.report(Message.divisibleChannels({ layer: layerLabel(ctx, `PixelShuffle(${r})`), what: "channels", divisor: `${r}² = ${r * r}`, tensor: inputLabel(ctx), actual: dimToString(c), shape: formatShape(shape) })),
    );
    return makeTensor([...shape.slice(0, -3), channels, dimMul(h, r), dimMul(w, r)], x.dtype);
  },
};

const pixelUnshuffle: LayerRule = {
  type: "PixelUnshuffle",
  signature: "downscale_factor",
  build: (args, b) => b.attr("downscale_factor", args.int("downscale_factor")),
  forward: (layer, args, ctx) => {
    const x = knownInput(layer, args, ctx);
    if ("early" in x) return x.early;
    const shape = x.shape!;
    if (shape.length < 3) return rankError(layer, ctx, x, "an (*, C, H, W)");
    const r = layer.int("downscale_factor");
    const [c, h, w] = shape.slice(-3);
    const indivisible = (name: string, d: Dim) => () =>
      ctx.report(Message.divisibleChannels({ layer: layerLabel(ctx, `PixelUnshuffle(${r})`), what: `the ${name}`, divisor: r, tensor: inputLabel(ctx), actual: dimToString(d), shape: formatShape(shape) }));
    const outH = divide(h, r, indivisible("height", h));
    const outW = divide(w, r, indivisible("width", w));
    return makeTensor([...shape.slice(0, -3), dimMul(c, r * r), outH, outW], x.dtype);
  },
};

const channelShuffle: LayerRule = {
  type: "ChannelShuffle",
  signature: "groups",
  build: (args, b) => b.attr("groups", args.int("groups")),
  forward: (layer, args, ctx) => {
    const x = knownInput(layer, args, ctx);
    if ("early" in x) return x.early;
    const shape = x.shape!;
    if (shape.length < 3) return rankError(layer, ctx, x, "at least 3-D");
    const groups = layer.int("groups");
    if (dimCompareEq(dimMod(shape[1], groups), 0) === false)
      ctx.report(Message.divisibleChannels({ layer: layerLabel(ctx, `ChannelShuffle(${groups})`), what: "channels", divisor: `${groups} groups`, tensor: inputLabel(ctx), actual: dimToString(shape[1]), shape: formatShape(shape) }));
    return x;
  },
};

// ---------------------------------------------------------------- Fold / Unfold

interface BlockParams {
  readonly kernel: number[];
  readonly dilation: number[];
  readonly padding: number[];
  readonly stride: number[];
}

function blockParams(layer: Layer): BlockParams {
  return {
    kernel: attrInts(layer, "kernel_size", 2),
    dilation: attrInts(layer, "dilation", 2),
    padding: attrInts(layer, "padding", 2),
    stride: attrInts(layer, "stride", 2),
  };
}

/** Sliding blocks along each of the two spatial dims. */
function blockCounts(spatial: readonly Dim[], p: BlockParams): Dim[] {
  return spatial.map((d, i) => convOutputSize(d, p.kernel[i], p.stride[i], p.padding[i], p.dilation[i]));
}

function storeBlockArgs(args: Args, b: LayerBuilder): void {
  for (const name of ["kernel_size", "dilation", "padding", "stride"]) {
    args.ints(name, 2); // validates: ints, one or two of them
    b.attr(name, args.value(name));
  }
}

const unfold: LayerRule = {
  type: "Unfold",
  signature: "kernel_size, dilation=1, padding=0, stride=1",
  build: storeBlockArgs,
  forward: (layer, args, ctx) => {
    const x = knownInput(layer, args, ctx);
    if ("early" in x) return x.early;
    const shape = x.shape!;
    if (shape.length !== 3 && shape.length !== 4) return rankError(layer, ctx, x, "a 3-D (unbatched) or 4-D (batched)");
    const p = blockParams(layer);
    const spatial = shape.slice(-2);
    const blocks = blockCounts(spatial, p);
    if (blocks.some((d) => typeof d === "number" && d <= 0)) {
      ctx.report(Message.outputSizeBlocks({ layer: layerLabel(ctx, "Unfold"), input: spatialNames(spatial), kernel: p.kernel.join(" × "), settings: windowSettings(p.stride, p.padding, p.dilation), blocks: spatialNames(blocks) }));
      return unknownTensor("Unfold without blocks", x.dtype);
    }
    const channels = shape[shape.length - 3];
    return makeTensor([...shape.slice(0, -3), dimMul(channels, p.kernel[0] * p.kernel[1]), dimProduct(blocks)], x.dtype);
  },
};

const fold: LayerRule = {
  type: "Fold",
  signature: "output_size, kernel_size, dilation=1, padding=0, stride=1",
  build: (args, b) => {
    args.ints("output_size", 2);
    b.attr("output_size", args.value("output_size"));
    storeBlockArgs(args, b);
  },
  forward: (layer, args, ctx) => {
    const x = knownInput(layer, args, ctx);
    if ("early" in x) return x.early;
    const shape = x.shape!;
    if (shape.length !== 2 && shape.length !== 3) return rankError(layer, ctx, x, "a 2-D (unbatched) or 3-D (batched)");
    const p = blockParams(layer);
    const outputSize = attrInts(layer, "output_size", 2);
    const [cols, length] = shape.slice(-2);
    const kernelArea = p.kernel[0] * p.kernel[1];
    const channels = divide(cols, kernelArea, () =>
      ctx.report(Message.foldColumns({ layer: layerLabel(ctx, "Fold"), axis: shape.length - 2, tensor: inputLabel(ctx), columns: dimToString(cols), kernel: p.kernel.join(" × "), area: kernelArea, shape: formatShape(shape) })),
    );
    const blocks = blockCounts(outputSize, p);
    if (blocks.some((d) => typeof d === "number" && d <= 0)) {
      ctx.report(Message.outputSizeFoldOutput({ layer: layerLabel(ctx, "Fold"), output: outputSize.join(" × "), kernel: p.kernel.join(" × "), blocks: spatialNames(blocks) }));
      return unknownTensor("Fold without blocks", x.dtype);
    }
    const expected = dimProduct(blocks);
    if (dimCompareEq(length, expected) === false)
      ctx.report(Message.foldBlocks({ layer: layerLabel(ctx, `Fold(output_size=(${outputSize.join(", ")}), kernel_size=(${p.kernel.join(", ")}))`), blocks: spatialNames(blocks), expected: dimToString(expected), axis: shape.length - 1, tensor: inputLabel(ctx), actual: dimToString(length), shape: formatShape(shape) }));
    return makeTensor([...shape.slice(0, -2), channels, ...outputSize], x.dtype);
  },
};

export const reshapeRules: readonly LayerRule[] = [flatten, unflatten, pixelShuffle, pixelUnshuffle, channelShuffle, unfold, fold];
