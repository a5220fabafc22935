// MaxPool, AvgPool, LPPool, AdaptiveAvg/MaxPool and MaxUnpool in 1, 2 and 3 dims.
// Window pools use the conv formula floor((in + 2p - d(k-1) - 1) / s) + 1 (ceil
// with ceil_mode, dropping a last window that would start in the right padding);
// adaptive pools output their output_size (None keeps the input size); unpooling
// inverts the pool: (in - 1)s - 2p + k, or the output_size given to forward.
import { PyException } from "../eval/errors.js";
import { numericValue } from "../eval/operators.js";
import { tuple, type Value } from "../eval/values.js";
import { dimCompareEq, dimToString, isSymbolic, type Dim } from "../shapes/dim.js";
import { convOutputSize, convTransposeOutputSize, formatShape } from "../shapes/shape.js";
import { makeTensor, unknownTensor, type Tensor } from "../shapes/tensor.js";
import { emptyWindowOutput, inputTensor, spatialNames, spatialSymbols, symbolicShape } from "./common.js";
import type { Args, Layer, LayerBuilder, LayerRule, RuleContext } from "./rule.js";
import { Message } from "../diagnostics/messages.js";
import { inputLabel, layerLabel } from "./describe.js";

type PoolKind = "max" | "avg" | "lp";

/** An int-or-tuple attribute as n ints (a 1-tuple applies to every dim, as PyTorch's pool kernels allow). */
function attrInts(layer: Layer, name: string, n: number): number[] {
  const xs = layer.ints(name);
  return xs.length === 1 ? Array<number>(n).fill(xs[0]) : xs;
}

/**
 * The input of an n-d pool: (C, *spatial) or (N, C, *spatial). Returns the tensor
 * with a known shape, or the value forward should return.
 */
function poolInput(layer: Layer, args: Args, ctx: RuleContext, n: number): { x: Tensor; shape: readonly Dim[] } | { early: Value } {
  const x = inputTensor(args, ctx, layer.typeName);
  if (!x) return { early: unknownTensor(`${layer.typeName} received no tensor`) };
  if (!x.shape) return { early: unknownTensor(x.unknownReason ?? "input shape unknown", x.dtype) };
  const rank = x.shape.length;
  if (rank !== n + 1 && rank !== n + 2) {
    ctx.report(Message.rank({ subject: layerLabel(ctx, layer.typeName), expected: `a ${n + 1}-D (unbatched) or ${n + 2}-D (batched) input`, tensor: inputLabel(ctx), rank, shape: formatShape(x.shape) }));
    return { early: unknownTensor(`${layer.typeName} input of rank ${rank}`, x.dtype) };
  }
  return { x, shape: x.shape };
}

function withIndices(values: Tensor, returnIndices: boolean): Value {
  return returnIndices ? tuple([values, makeTensor(values.shape, "int64")]) : values;
}

// ---------------------------------------------------------------- window pools

function buildWindowPool(kind: PoolKind, n: number) {
  return (args: Args, b: LayerBuilder): void => {
    // AvgPool1d stores 1-tuples (_single); the others keep the arguments as given
    const store = (name: string, from = name): void => b.attr(name, kind === "avg" && n === 1 ? args.ints(from, 1) : args.value(from));
    if (kind === "lp") b.attr("norm_type", args.value("norm_type"));
    args.ints("kernel_size", n); // validates: ints, n of them or one
    store("kernel_size");
    if (args.isNone("stride")) {
      // LPPool keeps stride None (its functional form defaults it to kernel_size)
      if (kind === "lp") b.attr("stride", null);
      else store("stride", "kernel_size");
    } else {
      args.ints("stride", n);
      store("stride");
    }
    if (kind !== "lp") {
      args.ints("padding", n);
      store("padding");
    }
    if (kind === "max") {
      args.ints("dilation", n);
      b.attr("dilation", args.value("dilation"));
      b.attr("return_indices", args.setting("return_indices"));
    }
    b.attr("ceil_mode", args.setting("ceil_mode"));
    if (kind === "avg") {
      b.attr("count_include_pad", args.bool("count_include_pad"));
      if (n > 1) b.attr("divisor_override", args.value("divisor_override"));
    }
  };
}

function windowPoolForward(kind: PoolKind, n: number) {
  return (layer: Layer, args: Args, ctx: RuleContext): Value => {
    const input = poolInput(layer, args, ctx, n);
    if ("early" in input) return input.early;
    const { x, shape } = input;
    const kernel = attrInts(layer, "kernel_size", n);
    const stride = layer.attr("stride").kind === "none" ? kernel : attrInts(layer, "stride", n);
    const padding = kind === "lp" ? Array<number>(n).fill(0) : attrInts(layer, "padding", n);
    const dilation = kind === "max" ? attrInts(layer, "dilation", n) : Array<number>(n).fill(1);
    const ceilMode = layer.bool("ceil_mode");
    const spatial = shape.slice(shape.length - n);
    for (let i = 0; i < n; i++) {
      if (padding[i] > kernel[i] / 2) {
        ctx.report(Message.poolPadding({ layer: layerLabel(ctx, layer.typeName), padding: padding[i], kernel: kernel[i] }));
        return unknownTensor(`${layer.typeName} padding larger than half the kernel`, x.dtype);
      }
    }
    const outSpatial = spatial.map((d, i) => convOutputSize(d, kernel[i], stride[i], padding[i], dilation[i], ceilMode));
    // a pool's default stride (the kernel) goes unsaid in the message
    const shownStride = stride.every((v, i) => v === kernel[i]) ? stride.map(() => 1) : stride;
    const empty = emptyWindowOutput(ctx, layer, x, { spatial, kernel, stride: shownStride, padding, dilation, output: outSpatial });
    if (empty) return empty;
    // ceil_mode's last-window rule needs the concrete size; it only bites with padding or stride > window
    if (ceilMode && spatial.some((d, i) => isSymbolic(d) && (padding[i] > 0 || stride[i] > dilation[i] * (kernel[i] - 1) + 1)))
      ctx.note(`${layer.typeName}: ceil_mode output size of a symbolic input assumes the last window starts inside the input`);
    const out = makeTensor([...shape.slice(0, shape.length - n), ...outSpatial], x.dtype);
    return withIndices(out, kind === "max" && layer.bool("return_indices"));
  };
}

const dimsSuffix = ["", "1d", "2d", "3d"];

function windowPoolRule(kind: PoolKind, n: number): LayerRule {
  const signatures: Record<PoolKind, string> = {
    max: "kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False",
    avg:
      n === 1
        ? "kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True"
        : "kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None",
    lp: "norm_type, kernel_size, stride=None, ceil_mode=False",
  };
  const name = { max: "MaxPool", avg: "AvgPool", lp: "LPPool" }[kind];
  return {
    type: `${name}${dimsSuffix[n]}`,
    signature: signatures[kind],
    build: buildWindowPool(kind, n),
    forward: windowPoolForward(kind, n),
    expectedInput: () => ({ shape: symbolicShape("N", "C", ...spatialSymbols(n)) }),
  };
}

// ---------------------------------------------------------------- adaptive pools

/** output_size as n entries, undefined where None keeps the input size. */
function adaptiveSizes(v: Value, n: number, owner: string): (Dim | undefined)[] {
  if (v.kind === "tuple" || v.kind === "list") {
    if (v.items.length !== n) throw new PyException("ValueError", `${owner}: output_size must be ${n}, got ${v.items.length} elements`);
    return v.items.map((item) => {
      if (item.kind === "none") {
        // only the 2-d and 3-d functional forms fill None from the input
        if (n === 1) throw new PyException("TypeError", `${owner}: output_size must be a tuple of ints, not a tuple containing None`);
        return undefined;
      }
      const d = numericValue(item);
      if (d === undefined) throw new PyException("TypeError", `${owner}: output_size must be ints or None`);
      return d;
    });
  }
  const d = numericValue(v);
  if (d === undefined) throw new PyException("TypeError", `${owner}: output_size must be an int or a tuple`);
  return Array<Dim>(n).fill(d);
}

function adaptiveRule(kind: "max" | "avg", n: number): LayerRule {
  const type = `Adaptive${kind === "max" ? "Max" : "Avg"}Pool${dimsSuffix[n]}`;
  return {
    type,
    signature: kind === "max" ? "output_size, return_indices=False" : "output_size",
    build: (args, b) => {
      b.attr("output_size", args.value("output_size"));
      if (kind === "max") b.attr("return_indices", args.setting("return_indices"));
    },
    forward: (layer, args, ctx) => {
      const input = poolInput(layer, args, ctx, n);
      if ("early" in input) return input.early;
      const { x, shape } = input;
      const spatial = shape.slice(shape.length - n);
      const sizes = adaptiveSizes(layer.attr("output_size"), n, type);
      const outSpatial = sizes.map((s, i) => s ?? spatial[i]);
      if (spatial.some((d) => d === 0)) {
        ctx.report(Message.outputSizeEmptyInput({ layer: layerLabel(ctx, type), shape: formatShape(shape) }));
        return unknownTensor(`empty ${type} input`, x.dtype);
      }
      const out = makeTensor([...shape.slice(0, shape.length - n), ...outSpatial], x.dtype);
      return withIndices(out, kind === "max" && layer.bool("return_indices"));
    },
    expectedInput: () => ({ shape: symbolicShape("N", "C", ...spatialSymbols(n)) }),
  };
}

// ---------------------------------------------------------------- unpooling

function unpoolRule(n: number): LayerRule {
  const type = `MaxUnpool${dimsSuffix[n]}`;
  return {
    type,
    signature: "kernel_size, stride=None, padding=0",
    forwardSignature: "input, indices, output_size=None",
    build: (args, b) => {
      // PyTorch stores these expanded to n-tuples
      const kernel = args.ints("kernel_size", n);
      b.attr("kernel_size", kernel);
      b.attr("stride", args.isNone("stride") ? kernel : args.ints("stride", n));
      b.attr("padding", args.ints("padding", n));
    },
    forward: (layer, args, ctx) => {
      const input = poolInput(layer, args, ctx, n);
      if ("early" in input) return input.early;
      const { x, shape } = input;
      const kernel = attrInts(layer, "kernel_size", n);
      const stride = attrInts(layer, "stride", n);
      const padding = attrInts(layer, "padding", n);
      const indices = args.value("indices");
      if (indices.kind === "tensor" && indices.shape && (indices.shape.length !== shape.length || indices.shape.some((d, i) => dimCompareEq(d, shape[i]) === false)))
        ctx.report(Message.unpoolIndices({ layer: layerLabel(ctx, type), indices: formatShape(indices.shape), shape: formatShape(shape) }));
      const spatial = shape.slice(shape.length - n);
      // (in - 1)s - 2p + k: the transposed-conv size with dilation 1 and no output padding
      const defaults = spatial.map((d, i) => convTransposeOutputSize(d, kernel[i], stride[i], padding[i], 0));
      let outSpatial: Dim[] = defaults;
      if (args.has("output_size")) {
        let given = args.intList("output_size");
        if (given.length === n + 2) given = given.slice(2);
        if (given.length !== n) {
          ctx.report(Message.outputSizeLength({ layer: layerLabel(ctx, type), expected: `${n} or ${n + 2}`, actual: given.length }));
          return unknownTensor(`${type} output_size of the wrong length`, x.dtype);
        }
        given.forEach((g, i) => {
          const d = defaults[i];
          if (typeof g === "number" && typeof d === "number" && !(d - stride[i] < g && g < d + stride[i]))
            ctx.report(Message.unpoolOutputSize({ layer: layerLabel(ctx, type), sizes: given.map(dimToString).join(", "), dim: i, low: d - stride[i], high: d + stride[i] }));
        });
        outSpatial = given;
      }
      if (outSpatial.some((d) => typeof d === "number" && d <= 0)) {
        ctx.report(Message.outputSizeEmpty({ layer: layerLabel(ctx, type), input: spatialNames(spatial), output: spatialNames(outSpatial) }));
        return unknownTensor(`empty ${type} output`, x.dtype);
      }
      return makeTensor([...shape.slice(0, shape.length - n), ...outSpatial], x.dtype);
    },
  };
}

export const poolingRules: readonly LayerRule[] = [
  ...[1, 2, 3].flatMap((n) => [
    windowPoolRule("max", n),
    windowPoolRule("avg", n),
    adaptiveRule("max", n),
    adaptiveRule("avg", n),
    unpoolRule(n),
  ]),
  windowPoolRule("lp", 1),
  windowPoolRule("lp", 2),
];
