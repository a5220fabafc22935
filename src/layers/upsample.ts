// Upsample and its fixed-mode subclasses UpsamplingNearest2d and
// UpsamplingBilinear2d. The input is (N, C, *spatial) with 1 to 3 spatial dims;
// each output size is the given size, or floor(in * scale_factor) as
// F.interpolate computes it.
import { numericValue } from "../eval/operators.js";
import { float, NONE, TRUE, tuple, type Value } from "../eval/values.js";
import { dimFloorDiv, dimMul, dimToString, SymDim, type Dim } from "../shapes/dim.js";
import { formatShape } from "../shapes/shape.js";
import { makeTensor, unknownTensor } from "../shapes/tensor.js";
import { inputTensor } from "./common.js";
import type { Args, Layer, LayerBuilder, LayerRule, RuleContext } from "./rule.js";
import { Message } from "../diagnostics/messages.js";
import { inputLabel, layerLabel } from "./describe.js";

/** Spatial dims each mode works on; nearest and area take any of 1 to 3. */
const modeDims: Readonly<Record<string, readonly number[]>> = {
  nearest: [1, 2, 3],
  "nearest-exact": [1, 2, 3],
  area: [1, 2, 3],
  linear: [1],
  bilinear: [2],
  bicubic: [2],
  trilinear: [3],
};

const interpolatingModes = new Set(["linear", "bilinear", "bicubic", "trilinear"]);

/** Upsample stores scale_factor as floats: a tuple of floats, or one float (None when falsy). */
function storeUpsampleArgs(b: LayerBuilder, name: string, size: Value, scale: Value, mode: string, alignCorners: Value, recompute: Value): void {
  b.attr("name", name);
  b.attr("size", size);
  if (scale.kind === "tuple") b.attr("scale_factor", tuple(scale.items.map(toFloat)));
  else b.attr("scale_factor", isFalsy(scale) ? null : toFloat(scale));
  b.attr("mode", mode);
  b.attr("align_corners", alignCorners);
  b.attr("recompute_scale_factor", recompute);
}

function toFloat(v: Value): Value {
  if (v.kind === "float") return v;
  const n = numericValue(v);
  return typeof n === "number" ? float(n) : v;
}

function isFalsy(v: Value): boolean {
  if (v.kind === "none") return true;
  if (v.kind === "float") return v.value === 0;
  return numericValue(v) === 0;
}

/** floor(in * scale), kept exact for a symbolic size when the scale is a simple fraction. */
function scaled(input: Dim, scale: number): Dim {
  if (typeof input === "number") return Math.floor(input * scale);
  for (let den = 1; den <= 64; den++) {
    const num = scale * den;
    if (Number.isInteger(num)) return dimFloorDiv(dimMul(input, num), den);
  }
  return SymDim.opaque(`floor(${dimToString(input)} * ${scale})`);
}

/** A number, or one per spatial dim; undefined when a value is not a number. */
function perDim(v: Value, n: number): (Dim | number)[] | undefined {
  if (v.kind === "tuple" || v.kind === "list") {
    const xs = v.items.map((x) => (x.kind === "float" ? x.value : numericValue(x)));
    return xs.some((x) => x === undefined) ? undefined : (xs as Dim[]);
  }
  const x = v.kind === "float" ? v.value : numericValue(v);
  return x === undefined ? undefined : Array<Dim>(n).fill(x);
}

function upsampleForward(layer: Layer, args: Args, ctx: RuleContext): Value {
  const x = inputTensor(args, ctx, layer.typeName);
  if (!x) return unknownTensor(`${layer.typeName} received no tensor`);
  if (!x.shape) return unknownTensor(x.unknownReason ?? "input shape unknown", x.dtype);
  const shape = x.shape;
  const mode = layer.str("mode") ?? "nearest";
  const n = shape.length - 2;
  const accepted = modeDims[mode];
  if (!accepted) {
    ctx.report(Message.upsampleMode({ layer: layerLabel(ctx, layer.typeName), mode }));
    return unknownTensor(`Upsample mode ${mode}`, x.dtype);
  }
  if (!accepted.includes(n)) {
    const ranks = accepted.map((d) => `${d + 2}-D`).join(", ");
    ctx.report(Message.rank({ subject: layerLabel(ctx, `${layer.typeName}(mode='${mode}')`), expected: `${ranks} input`, tensor: inputLabel(ctx), rank: shape.length, shape: formatShape(shape) }));
    return unknownTensor(`Upsample input of rank ${shape.length}`, x.dtype);
  }
  if (!interpolatingModes.has(mode) && layer.attr("align_corners").kind !== "none")
    ctx.report(Message.upsampleAlignCorners({ layer: layerLabel(ctx, layer.typeName), mode }));
  const sizeAttr = layer.attr("size");
  const scaleAttr = layer.attr("scale_factor");
  const hasSize = sizeAttr.kind !== "none";
  const hasScale = scaleAttr.kind !== "none";
  if (hasSize === hasScale) {
    ctx.report(hasSize ? Message.upsampleBothSizes({ subject: layerLabel(ctx, layer.typeName) }) : Message.upsampleNoSize({ subject: layerLabel(ctx, layer.typeName) }));
    return unknownTensor("Upsample without a single size rule", x.dtype);
  }
  const spatial = shape.slice(2);
  const given = perDim(hasSize ? sizeAttr : scaleAttr, n);
  if (!given) return unknownTensor(`${layer.typeName} ${hasSize ? "size" : "scale_factor"} is not numeric`, x.dtype);
  if (given.length !== n) {
    const what = hasSize ? "output size" : "scale_factor";
    ctx.report(Message.upsampleSizeLength({ subject: layerLabel(ctx, layer.typeName), count: n, spatial: formatShape(spatial), what, entries: given.length }));
    return unknownTensor(`Upsample ${what} of the wrong length`, x.dtype);
  }
  const outSpatial = hasSize ? given : spatial.map((d, i) => scaled(d, given[i] as number));
  if (outSpatial.some((d) => typeof d === "number" && d <= 0)) {
    ctx.report(Message.outputSizeEmpty({ layer: layerLabel(ctx, layer.typeName), input: formatShape(shape), output: outSpatial.map(dimToString).join(" × ") }));
    return unknownTensor("empty Upsample output", x.dtype);
  }
  return makeTensor([...shape.slice(0, 2), ...outSpatial], x.dtype);
}

export const upsampleRules: readonly LayerRule[] = [
  {
    type: "Upsample",
    signature: "size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None",
    build: (args, b) =>
      storeUpsampleArgs(b, "Upsample", args.value("size"), args.value("scale_factor"), args.str("mode") ?? "nearest", args.value("align_corners"), args.value("recompute_scale_factor")),
    forward: upsampleForward,
  },
  {
    type: "UpsamplingNearest2d",
    signature: "size=None, scale_factor=None",
    build: (args, b) => storeUpsampleArgs(b, "UpsamplingNearest2d", args.value("size"), args.value("scale_factor"), "nearest", NONE, NONE),
    forward: upsampleForward,
  },
  {
    type: "UpsamplingBilinear2d",
    signature: "size=None, scale_factor=None",
    build: (args, b) => storeUpsampleArgs(b, "UpsamplingBilinear2d", args.value("size"), args.value("scale_factor"), "bilinear", TRUE, NONE),
    forward: upsampleForward,
  },
];
