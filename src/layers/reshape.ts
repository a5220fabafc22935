// Layers that rearrange elements without parameters: Flatten, Unflatten,
// PixelShuffle, PixelUnshuffle, ChannelShuffle, and the sliding-block pair
// Unfold (image → columns of patches) and Fold (columns → image).
// Fold/Unfold count blocks per spatial dim with the conv formula
// floor((size + 2p - d(k-1) - 1) / s) + 1.
import { PyException } from "../eval/errors.js";
import { numericValue } from "../eval/operators.js";
import type { Value } from "../eval/values.js";
import { dimCompareEq, dimDivExact, dimFloorDiv, dimMod, dimMul, dimProduct, dimToString, type Dim } from "../shapes/dim.js";
import { convOutputSize, formatShape, normalizeAxis } from "../shapes/shape.js";
import { makeTensor, unknownTensor, type Tensor } from "../shapes/tensor.js";
import { inputTensor, knownInput, rankError, spatialNames } from "./common.js";
import type { Args, Layer, LayerBuilder, LayerRule, RuleContext } from "./rule.js";


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
      ctx.report("index-range", `Flatten(start_dim=${startDim}, end_dim=${endDim}) on a ${shape.length}-D input of shape ${formatShape(shape)}: dimension ${bad} is out of range`);
      return unknownTensor("Flatten dim out of range", x.dtype);
    }
    if (start > end) {
      ctx.report("index-range", `Flatten(start_dim=${startDim}, end_dim=${endDim}): start_dim comes after end_dim for a ${shape.length}-D input`);
      return unknownTensor("Flatten start_dim after end_dim", x.dtype);
    }
    if (shape.length === 0) return makeTensor([1], x.dtype);
    return makeTensor([...shape.slice(0, start), dimProduct(shape.slice(start, end + 1)), ...shape.slice(end + 1)], x.dtype);
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
      ctx.report("index-range", `Unflatten(dim=${dimValue.value}) on a ${shape.length}-D input of shape ${formatShape(shape)}: dimension out of range`);
      return unknownTensor("Unflatten dim out of range", x.dtype);
    }
    const sizesValue = layer.attr("unflattened_size");
    const maybeSizes = sizesValue.kind === "tuple" || sizesValue.kind === "list" ? sizesValue.items.map((v) => numericValue(v)) : [];
    if (maybeSizes.some((d) => d === undefined)) return unknownTensor("Unflatten sizes are not ints", x.dtype);
    const sizes = maybeSizes as Dim[];
    const size = shape[axis];
    const inferred = sizes.filter((d) => d === -1).length;
    const known = dimProduct(sizes.filter((d) => d !== -1));
    const describe = `Unflatten(${dimValue.value}, (${sizes.map(dimToString).join(", ")}))`;
    if (inferred > 1) {
      ctx.report("view-size", `${describe}: only one size can be -1`);
      return unknownTensor("Unflatten with several -1 sizes", x.dtype);
    }
    let out = sizes;
    if (inferred === 1) {
      const rest = dimDivExact(size, known);
      if (rest === undefined) {
        if (dimCompareEq(dimMod(size, known), 0) === false) {
          ctx.report("view-size", `${describe}: dimension ${axis} of size ${dimToString(size)} is not divisible by ${dimToString(known)} (input ${formatShape(shape)})`);
          return unknownTensor("Unflatten sizes do not divide the dimension", x.dtype);
        }
        out = sizes.map((d) => (d === -1 ? dimFloorDiv(size, known) : d));
      } else out = sizes.map((d) => (d === -1 ? rest : d));
    } else if (dimCompareEq(known, size) === false) {
      ctx.report("view-size", `${describe}: sizes multiply to ${dimToString(known)}, not to the size ${dimToString(size)} of dimension ${axis} (input ${formatShape(shape)})`);
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
      ctx.report("shape-mismatch", `PixelShuffle(${r}) needs channels divisible by ${r}² = ${r * r}, but the input has ${dimToString(c)} (shape ${formatShape(shape)})`),
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
      ctx.report("shape-mismatch", `PixelUnshuffle(${r}) needs the ${name} divisible by ${r}, but it is ${dimToString(d)} (input ${formatShape(shape)})`);
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
      ctx.report("shape-mismatch", `ChannelShuffle(${groups}): ${dimToString(shape[1])} channels are not divisible by ${groups} groups (input ${formatShape(shape)})`);
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
      ctx.report(
        "output-size",
        `Unfold: input ${spatialNames(spatial)} is too small for kernel ${p.kernel.join(" × ")} with padding ${p.padding.join(" × ")} and dilation ${p.dilation.join(" × ")}: ${spatialNames(blocks)} blocks`,
      );
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
      ctx.report(
        "shape-mismatch",
        `Fold: dimension ${shape.length - 2} of the input (${dimToString(cols)}) must be divisible by the kernel's ${p.kernel.join(" × ")} = ${kernelArea} elements (input ${formatShape(shape)})`,
      ),
    );
    const blocks = blockCounts(outputSize, p);
    if (blocks.some((d) => typeof d === "number" && d <= 0)) {
      ctx.report("output-size", `Fold: output_size ${outputSize.join(" × ")} is too small for kernel ${p.kernel.join(" × ")}: ${spatialNames(blocks)} blocks`);
      return unknownTensor("Fold without blocks", x.dtype);
    }
    const expected = dimProduct(blocks);
    if (dimCompareEq(length, expected) === false)
      ctx.report(
        "shape-mismatch",
        `Fold(output_size=(${outputSize.join(", ")}), kernel_size=(${p.kernel.join(", ")})) expects ${spatialNames(blocks)} = ${dimToString(expected)} blocks in dimension ${shape.length - 1}, but the input has ${dimToString(length)} (shape ${formatShape(shape)})`,
      );
    return makeTensor([...shape.slice(0, -2), channels, ...outputSize], x.dtype);
  },
};

export const reshapeRules: readonly LayerRule[] = [flatten, unflatten, pixelShuffle, pixelUnshuffle, channelShuffle, unfold, fold];
