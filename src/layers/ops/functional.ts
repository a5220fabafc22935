// torch.nn.functional's twins of the shape-changing layers: convolutions (the
// weight gives out channels and kernel), pools, interpolate, pad, the norms,
// embedding, one_hot, pixel (un)shuffle, unfold/fold, grid_sample, attention and
// the losses. Formulas are those of the layers' docs (src/shapes/shape.ts).
import { numericValue, pyRepr } from "../../eval/operators.js";
import { tuple, type Value } from "../../eval/values.js";
import { dimAdd, dimCompareEq, dimDivExact, dimFloorDiv, dimMod, dimMul, dimProduct, dimToString, SymDim, type Dim } from "../../shapes/dim.js";
import { convOutputSize, convTransposeOutputSize, formatShape, numel } from "../../shapes/shape.js";
import { productFlops, sumFlops } from "../flops.js";
import { isFloatingDType, makeTensor, unknownTensor, type Tensor } from "../../shapes/tensor.js";
import { spatialNames } from "../common.js";
import type { Args, OpRule, RuleContext } from "../rule.js";
import { Fix, Message } from "../../diagnostics/messages.js";
import { argumentLabel, sizeStory, windowSettings } from "../describe.js";
import { axisArg, broadcastAll, isKnown, unknownFrom, type KnownTensor, opRule as rule } from "./support.js";

const F = "torch.nn.functional.";

/** The input tensor with a known shape, or undefined (then `unknownInput` is the result). */
function knownInput(args: Args, name = "input"): KnownTensor | undefined {
  const v = args.value(name);
  return v.kind === "tensor" && isKnown(v) ? v : undefined;
}

function unknownInput(args: Args, owner: string, name = "input"): Tensor {
  const v = args.value(name);
  if (v.kind === "tensor") return unknownFrom(v, owner);
  return unknownTensor(v.kind === "unknown" ? v.why : `${owner} of a ${v.kind}`);
}

/** Spatial ops take (N, C, *spatial) or unbatched (C, *spatial). */
function checkSpatialRank(ctx: RuleContext, owner: string, x: KnownTensor, n: number): boolean {
  const rank = x.shape.length;
  if (rank === n + 1 || rank === n + 2) return true;
  ctx.report(Message.rank({ subject: owner, expected: `a ${n + 1}-D (unbatched) or ${n + 2}-D (batched) input`, tensor: argumentLabel(ctx, 0), rank, shape: formatShape(x.shape) }));
  return false;
}

/** An int-or-tuple argument as n ints; None gives `fallback`. */
function spatialInts(args: Args, name: string, n: number, fallback?: number[]): number[] {
  const v = args.value(name);
  if (v.kind === "none" || ((v.kind === "tuple" || v.kind === "list") && v.items.length === 0 && fallback)) return fallback ?? Array<number>(n).fill(0);
  return args.ints(name, n);
}

// ---------------------------------------------------------------- convolution

function convApply(n: number, transposed: boolean) {
  const owner = `F.conv${transposed ? "_transpose" : ""}${n}d`;
  return (args: Args, ctx: RuleContext): Value => {
    const x = knownInput(args);
    if (!x) return unknownInput(args, owner);
    const w = knownInput(args, "weight");
    if (!w) return unknownTensor(`${owner} with a weight of unknown shape`, x.dtype);
    if (!checkSpatialRank(ctx, owner, x, n)) return unknownTensor(`${owner} of a ${x.shape.length}-D input`, x.dtype);
    if (w.shape.length !== n + 2) {
      ctx.report(Message.rank({ subject: owner, expected: `a ${n + 2}-D weight`, tensor: argumentLabel(ctx, 1, "the weight"), rank: w.shape.length, shape: formatShape(w.shape) }));
      return unknownTensor(`${owner} with a ${w.shape.length}-D weight`, x.dtype);
    }
    const groups = args.int("groups");
    const channelAxis = x.shape.length - n - 1;
    const channels = x.shape[channelAxis];
    // conv weight: [out, in / groups, *k]; transposed: [in, out / groups, *k]
    const inChannels = transposed ? w.shape[0] : dimMul(w.shape[1], groups);
    const outChannels = transposed ? dimMul(w.shape[1], groups) : w.shape[0];
    if (dimCompareEq(channels, inChannels) === false) {
      ctx.report(
        Message.functionalInChannels({ op: owner, weight: formatShape(w.shape), groups: groups !== 1 ? ` with groups=${groups}` : "", expected: dimToString(inChannels), tensor: argumentLabel(ctx, 0), actual: sizeStory(ctx, x, channelAxis), shape: formatShape(x.shape) }),
      );
    }
    const kernel = w.shape.slice(2);
    if (kernel.some((k) => typeof k !== "number")) return unknownTensor(`${owner} with a symbolic kernel`, x.dtype);
    const k = kernel as number[];
    const stride = spatialInts(args, "stride", n);
    const dilation = spatialInts(args, "dilation", n);
    const spatial = x.shape.slice(channelAxis + 1);
    const padArg = args.value("padding");
    let out: Dim[];
    if (transposed) {
      const padding = spatialInts(args, "padding", n);
      const outputPadding = spatialInts(args, "output_padding", n);
      out = spatial.map((d, i) => convTransposeOutputSize(d, k[i], stride[i], padding[i], outputPadding[i], dilation[i]));
    } else if (padArg.kind === "str") {
      if (padArg.value === "same") {
        if (stride.some((s) => s !== 1)) ctx.report(Message.paddingSameStrided({ op: owner, stride: stride.join(" × ") }));
        out = [...spatial];
      } else out = spatial.map((d, i) => convOutputSize(d, k[i], stride[i], 0, dilation[i]));
    } else {
      const padding = spatialInts(args, "padding", n);
      out = spatial.map((d, i) => convOutputSize(d, k[i], stride[i], padding[i], dilation[i]));
    }
    if (out.some((d) => typeof d === "number" && d <= 0)) {
      ctx.report(Message.outputSize({ layer: owner, input: spatialNames(spatial), kernel: k.join(" × "), settings: windowSettings(stride, padArg.kind === "str" ? [0] : spatialInts(args, "padding", n), dilation), output: spatialNames(out) }));
      return unknownTensor(`empty ${owner} output`, x.dtype);
    }
    // flops (flop_counter's conv_flop_count): 2 × batch × (output positions; transposed: input positions) × the weight's elements
    ctx.countFlops(productFlops(numel(x.shape.slice(0, channelAxis)), numel(transposed ? spatial : out), numel(w.shape)));
    return makeTensor([...x.shape.slice(0, channelAxis), outChannels, ...out], x.dtype);
  };
}

const convSignature = "input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1";
const convTransposeSignature = "input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1";

const convRules: OpRule[] = [1, 2, 3].flatMap((n) => [
  rule([`${F}conv${n}d`, `torch.conv${n}d`], convSignature, convApply(n, false)),
  rule([`${F}conv_transpose${n}d`, `torch.conv_transpose${n}d`], convTransposeSignature, convApply(n, true)),
]);

// ---------------------------------------------------------------- pooling

type WindowKind = "max" | "avg" | "lp";

function withIndices(out: Tensor, returnIndices: boolean): Value {
  return returnIndices ? tuple([out, out.shape ? makeTensor([...out.shape], "int64") : unknownTensor(out.unknownReason ?? "pool indices", "int64")]) : out;
}

function windowPoolApply(kind: WindowKind, n: number, forceIndices = false) {
  const owner = `F.${kind === "lp" ? "lp" : kind}_pool${n}d`;
  return (args: Args, ctx: RuleContext): Value => {
    const returnIndices = forceIndices || (kind === "max" && args.bool("return_indices"));
    const x = knownInput(args);
    if (!x) return withIndices(unknownInput(args, owner), returnIndices);
    if (!checkSpatialRank(ctx, owner, x, n)) return withIndices(unknownTensor(`${owner} of a ${x.shape.length}-D input`, x.dtype), returnIndices);
    const kernel = args.ints("kernel_size", n);
    const stride = spatialInts(args, "stride", n, kernel);
    const padding = kind === "lp" ? Array<number>(n).fill(0) : spatialInts(args, "padding", n);
    const dilation = kind === "max" ? spatialInts(args, "dilation", n) : Array<number>(n).fill(1);
    const ceilMode = args.bool("ceil_mode");
    for (let i = 0; i < n; i++) {
      if (padding[i] > kernel[i] / 2) {
        ctx.report(Message.poolPadding({ layer: owner, padding: padding[i], kernel: kernel[i] }));
        return withIndices(unknownTensor(`${owner} padding larger than half the kernel`, x.dtype), returnIndices);
      }
    }
    const spatial = x.shape.slice(x.shape.length - n);
    const out = spatial.map((d, i) => convOutputSize(d, kernel[i], stride[i], padding[i], dilation[i], ceilMode));
    if (out.some((d) => typeof d === "number" && d <= 0)) {
      ctx.report(Message.outputSize({ layer: owner, input: spatialNames(spatial), kernel: kernel.join(" × "), settings: windowSettings(stride.every((v, i) => v === kernel[i]) ? stride.map(() => 1) : stride, padding, dilation), output: spatialNames(out) }));
      return withIndices(unknownTensor(`empty ${owner} output`, x.dtype), returnIndices);
    }
    return withIndices(makeTensor([...x.shape.slice(0, x.shape.length - n), ...out], x.dtype), returnIndices);
  };
}

/** output_size as n sizes; None entries keep the input's size. */
function adaptiveApply(kind: "max" | "avg", n: number, forceIndices = false) {
  const owner = `F.adaptive_${kind}_pool${n}d`;
  return (args: Args, ctx: RuleContext): Value => {
    const returnIndices = forceIndices || (kind === "max" && args.bool("return_indices"));
    const x = knownInput(args);
    if (!x) return withIndices(unknownInput(args, owner), returnIndices);
    if (!checkSpatialRank(ctx, owner, x, n)) return withIndices(unknownTensor(`${owner} of a ${x.shape.length}-D input`, x.dtype), returnIndices);
    const v = args.value("output_size");
    const items = v.kind === "tuple" || v.kind === "list" ? v.items : Array<Value>(n).fill(v);
    if (items.length !== n) {
      ctx.report(Message.outputSizeLength({ layer: owner, expected: `${n}`, actual: items.length }));
      return withIndices(unknownTensor(`${owner} with a bad output_size`, x.dtype), returnIndices);
    }
    const spatial = x.shape.slice(x.shape.length - n);
    const out: Dim[] = [];
    for (let i = 0; i < n; i++) {
      if (items[i].kind === "none") out.push(spatial[i]);
      else {
        const d = numericValue(items[i]);
        if (d === undefined) return withIndices(unknownTensor(`${owner} with an unknown output_size`, x.dtype), returnIndices);
        out.push(d);
      }
    }
    return withIndices(makeTensor([...x.shape.slice(0, x.shape.length - n), ...out], x.dtype), returnIndices);
  };
}

/** max_unpool: (in - 1)s - 2p + k per spatial dim, or output_size. */
function unpoolApply(n: number) {
  const owner = `F.max_unpool${n}d`;
  return (args: Args, ctx: RuleContext): Value => {
    const x = knownInput(args);
    if (!x) return unknownInput(args, owner);
    if (!checkSpatialRank(ctx, owner, x, n)) return unknownTensor(`${owner} of a ${x.shape.length}-D input`, x.dtype);
    const kernel = args.ints("kernel_size", n);
    const stride = spatialInts(args, "stride", n, kernel);
    const padding = spatialInts(args, "padding", n);
    const lead = x.shape.slice(0, x.shape.length - n);
    const given = args.value("output_size");
    if (given.kind === "tuple" || given.kind === "list") {
      const sizes = given.items.map((v) => numericValue(v));
      if (sizes.some((d) => d === undefined)) return unknownTensor(`${owner} with an unknown output_size`, x.dtype);
      return makeTensor([...lead, ...(sizes as Dim[]).slice(-n)], x.dtype);
    }
    const spatial = x.shape.slice(x.shape.length - n);
    return makeTensor([...lead, ...spatial.map((d, i) => convTransposeOutputSize(d, kernel[i], stride[i], padding[i], 0))], x.dtype);
  };
}

const maxPoolSignature = "input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False";
const avgPoolSignature = (n: number) =>
  n === 1 ? "input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True" : "input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None";

const poolRules: OpRule[] = [1, 2, 3].flatMap((n) => [
  rule([`${F}max_pool${n}d`, `torch.max_pool${n}d`], maxPoolSignature, windowPoolApply("max", n)),
  rule([`${F}max_pool${n}d_with_indices`, `torch.max_pool${n}d_with_indices`], maxPoolSignature, windowPoolApply("max", n, true)),
  rule([`${F}avg_pool${n}d`, `torch.avg_pool${n}d`], avgPoolSignature(n), windowPoolApply("avg", n)),
  rule([`${F}adaptive_avg_pool${n}d`, `torch.adaptive_avg_pool${n}d`], "input, output_size", adaptiveApply("avg", n)),
  rule([`${F}adaptive_max_pool${n}d`, `torch.adaptive_max_pool${n}d`], "input, output_size, return_indices=False", adaptiveApply("max", n)),
  rule([`${F}adaptive_max_pool${n}d_with_indices`], "input, output_size, return_indices=False", adaptiveApply("max", n, true)),
  rule([`${F}max_unpool${n}d`], "input, indices, kernel_size, stride=None, padding=0, output_size=None", unpoolApply(n)),
]).concat([1, 2].map((n) => rule([`${F}lp_pool${n}d`], "input, norm_type, kernel_size, stride=None, ceil_mode=False", windowPoolApply("lp", n))));

// ---------------------------------------------------------------- interpolate

const modeRanks: Readonly<Record<string, number>> = { linear: 3, bilinear: 4, bicubic: 4, trilinear: 5 };

/** floor(in * scale), symbolic when the scale is an integer or its reciprocal is. */
function scaled(d: Dim, scale: number): Dim {
  if (typeof d === "number") return Math.floor(d * scale);
  if (Number.isInteger(scale)) return dimMul(d, scale);
  if (Number.isInteger(1 / scale)) return dimFloorDiv(d, 1 / scale);
  return SymDim.opaque(`floor(${dimToString(d)} * ${scale})`);
}

function interpolateApply(owner: string, defaultMode?: string) {
  return (args: Args, ctx: RuleContext): Value => {
    const x = knownInput(args);
    if (!x) return unknownInput(args, owner);
    const rank = x.shape.length;
    const n = rank - 2;
    const mode = args.values.has("mode") ? (args.str("mode") ?? "nearest") : (defaultMode ?? "nearest");
    if (n < 1 || n > 3) {
      ctx.report(Message.rank({ subject: owner, expected: "a 3-D, 4-D or 5-D input (N, C, *spatial)", tensor: argumentLabel(ctx, 0), rank, shape: formatShape(x.shape) }));
      return unknownTensor(`${owner} of a ${rank}-D input`, x.dtype);
    }
    if (modeRanks[mode] !== undefined && modeRanks[mode] !== rank) {
      ctx.report(Message.rank({ subject: `${owner}(mode='${mode}')`, expected: `a ${modeRanks[mode]}-D input`, tensor: argumentLabel(ctx, 0), rank, shape: formatShape(x.shape) }));
      return unknownTensor(`${owner} mode ${mode} on a ${rank}-D input`, x.dtype);
    }
    const lead = x.shape.slice(0, 2);
    const spatial = x.shape.slice(2);
    const size = args.value("size");
    const scale = args.value("scale_factor");
    if (size.kind !== "none" && scale.kind !== "none") {
      ctx.report(Message.upsampleBothSizes({ subject: owner }));
      return unknownTensor(`${owner} with both size and scale_factor`, x.dtype);
    }
    if (size.kind !== "none") {
      const items = size.kind === "tuple" || size.kind === "list" ? size.items : Array<Value>(n).fill(size);
      if (items.length !== n) {
        ctx.report(Message.upsampleSizeLength({ subject: owner, count: n, spatial: formatShape(spatial), what: "size", entries: items.length }));
        return unknownTensor(`${owner} with a size of the wrong length`, x.dtype);
      }
      const dims = items.map((v) => numericValue(v));
      if (dims.some((d) => d === undefined)) return unknownTensor(`${owner} with an unknown size`, x.dtype);
      return makeTensor([...lead, ...(dims as Dim[])], x.dtype);
    }
    if (scale.kind === "none") {
      ctx.report(Message.upsampleNoSize({ subject: owner }));
      return unknownTensor(`${owner} without a size`, x.dtype);
    }
    const scaleItems = scale.kind === "tuple" || scale.kind === "list" ? scale.items : Array<Value>(n).fill(scale);
    if (scaleItems.length !== n) {
      ctx.report(Message.upsampleSizeLength({ subject: owner, count: n, spatial: formatShape(spatial), what: "scale_factor", entries: scaleItems.length }));
      return unknownTensor(`${owner} with a scale_factor of the wrong length`, x.dtype);
    }
    const factors = scaleItems.map((v) => (v.kind === "float" ? v.value : numericValue(v)));
    if (factors.some((f) => typeof f !== "number")) return unknownTensor(`${owner} with an unknown scale_factor`, x.dtype);
    return makeTensor([...lead, ...spatial.map((d, i) => scaled(d, factors[i] as number))], x.dtype);
  };
}

// ---------------------------------------------------------------- pad

function padApply(args: Args, ctx: RuleContext): Value {
  const x = knownInput(args);
  if (!x) return unknownInput(args, "F.pad");
  const v = args.value("pad");
  const items = v.kind === "tuple" || v.kind === "list" ? v.items : [];
  const pads = items.map((p) => numericValue(p));
  if (pads.some((p) => p === undefined)) return unknownTensor("F.pad with unknown padding", x.dtype);
  const rank = x.shape.length;
  if (pads.length % 2 !== 0 || pads.length / 2 > rank) {
    ctx.report(Message.functionalPadLength({ count: pads.length, rank, shape: formatShape(x.shape) }));
    return unknownTensor("F.pad with a bad padding length", x.dtype);
  }
  const mode = args.str("mode") ?? "constant";
  const shape = [...x.shape];
  // pad = (left_last, right_last, left_second_last, right_second_last, ...)
  for (let i = 0; i < pads.length / 2; i++) {
    const axis = rank - 1 - i;
    const before = pads[2 * i] as Dim;
    const after = pads[2 * i + 1] as Dim;
    if (mode === "reflect" && typeof before === "number" && typeof after === "number" && typeof shape[axis] === "number" && (before >= (shape[axis] as number) || after >= (shape[axis] as number)))
      ctx.report(Message.padReflect({ subject: "F.pad(mode='reflect')", before: dimToString(before), after: dimToString(after), size: dimToString(shape[axis]), axis, shape: formatShape(x.shape) }));
    shape[axis] = dimSum(shape[axis], before, after);
  }
  if (shape.some((d) => typeof d === "number" && d < 0)) {
    ctx.report(Message.outputSizeFunctionalPad({ padding: pyRepr(v), tensor: argumentLabel(ctx, 0), shape: formatShape(x.shape) }));
    return unknownTensor("F.pad with a negative result", x.dtype);
  }
  return makeTensor(shape, x.dtype);
}

function dimSum(...ds: Dim[]): Dim {
  return ds.reduce<Dim>((a, b) => dimAdd(a, b), 0);
}

// ---------------------------------------------------------------- norms

function layerNormApply(args: Args, ctx: RuleContext): Value {
  const x = knownInput(args);
  if (!x) return unknownInput(args, "F.layer_norm");
  const v = args.value("normalized_shape");
  const items = v.kind === "tuple" || v.kind === "list" ? v.items : [v];
  const normalized = items.map((d) => numericValue(d));
  if (normalized.some((d) => d === undefined)) return x;
  const trailing = x.shape.slice(x.shape.length - normalized.length);
  if (normalized.length > x.shape.length || trailing.some((d, i) => dimCompareEq(d, normalized[i] as Dim) === false)) {
    ctx.report(Message.functionalNormalizedShape({ expected: (normalized as Dim[]).map(dimToString).join(", "), tensor: argumentLabel(ctx, 0), shape: formatShape(x.shape) }));
  }
  return x;
}

/** batch/instance norm: the channel dim (1) must match the running stats or weight. */
function channelNormApply(owner: string) {
  return (args: Args, ctx: RuleContext): Value => {
    const x = knownInput(args);
    if (!x) return unknownInput(args, owner);
    if (x.shape.length < 2) {
      ctx.report(Message.rank({ subject: owner, expected: "an input of at least 2 dimensions (N, C, ...)", tensor: argumentLabel(ctx, 0), rank: x.shape.length, shape: formatShape(x.shape) }));
      return x;
    }
    for (const name of ["running_mean", "weight"]) {
      const t = args.value(name);
      if (t.kind === "tensor" && t.shape && t.shape.length === 1 && dimCompareEq(t.shape[0], x.shape[1]) === false) {
        ctx.report(Message.functionalNormFeatures({ op: owner, buffer: name, expected: dimToString(t.shape[0]), tensor: argumentLabel(ctx, 0), actual: dimToString(x.shape[1]), shape: formatShape(x.shape) }));
        break;
      }
    }
    return x;
  };
}

function groupNormApply(args: Args, ctx: RuleContext): Value {
  const x = knownInput(args);
  if (!x) return unknownInput(args, "F.group_norm");
  const groups = args.int("num_groups");
  if (x.shape.length < 2) {
    ctx.report(Message.rank({ subject: "F.group_norm", expected: "an input of at least 2 dimensions (N, C, ...)", tensor: argumentLabel(ctx, 0), rank: x.shape.length, shape: formatShape(x.shape) }));
    return x;
  }
  const c = x.shape[1];
  const rem = dimMod(c, groups);
  if (typeof rem === "number" && rem !== 0)
    ctx.report(Message.functionalGroupNormDivisible({ actual: dimToString(c), tensor: argumentLabel(ctx, 0), groups, shape: formatShape(x.shape) }));
  return x;
}

// ---------------------------------------------------------------- embedding

function embeddingApply(args: Args, ctx: RuleContext): Value {
  const x = knownInput(args);
  const w = knownInput(args, "weight");
  if (!w || w.shape.length !== 2) return unknownTensor("F.embedding with a weight of unknown shape");
  if (!x) return unknownInput(args, "F.embedding");
  if (isFloatingDType(x.dtype) && !x.dtypeAssumed) ctx.report(Message.functionalEmbeddingIndex({ tensor: argumentLabel(ctx, 0), dtype: x.dtype, shape: formatShape(x.shape) }), { fix: Fix.embeddingIndexLong({}) });
  return makeTensor([...x.shape, w.shape[1]], w.dtype);
}

function embeddingBagApply(args: Args, ctx: RuleContext): Value {
  const x = knownInput(args);
  const w = knownInput(args, "weight");
  if (!w || w.shape.length !== 2) return unknownTensor("F.embedding_bag with a weight of unknown shape");
  if (!x) return unknownInput(args, "F.embedding_bag");
  if (x.shape.length === 2) return makeTensor([x.shape[0], w.shape[1]], w.dtype);
  const offsets = knownInput(args, "offsets");
  if (x.shape.length !== 1 || !offsets) {
    ctx.report(Message.rank({ subject: "F.embedding_bag", expected: "a 2-D input, or a 1-D input with offsets", tensor: argumentLabel(ctx, 0), rank: x.shape.length, shape: formatShape(x.shape) }));
    return unknownTensor("F.embedding_bag input", w.dtype);
  }
  const bags = args.bool("include_last_offset") ? dimSum(offsets.shape[0], -1) : offsets.shape[0];
  return makeTensor([bags, w.shape[1]], w.dtype);
}

// ---------------------------------------------------------------- rearranging

function pixelShuffleApply(down: boolean) {
  const owner = down ? "F.pixel_unshuffle" : "F.pixel_shuffle";
  return (args: Args, ctx: RuleContext): Value => {
    const x = knownInput(args);
    if (!x) return unknownInput(args, owner);
    const r = args.int(down ? "downscale_factor" : "upscale_factor");
    if (x.shape.length < 3) {
      ctx.report(Message.rank({ subject: owner, expected: "an input of at least 3 dimensions (*, C, H, W)", tensor: argumentLabel(ctx, 0), rank: x.shape.length, shape: formatShape(x.shape) }));
      return unknownTensor(`${owner} of a ${x.shape.length}-D input`, x.dtype);
    }
    const lead = x.shape.slice(0, -3);
    const [c, h, w] = x.shape.slice(-3);
    if (!down) {
      const outC = dimDivExact(c, r * r);
      if (outC === undefined && typeof c === "number")
        ctx.report(Message.divisibleChannels({ layer: `${owner}(${r})`, what: "channels", divisor: `${r}² = ${r * r}`, tensor: argumentLabel(ctx, 0), actual: c, shape: formatShape(x.shape) }));
      return makeTensor([...lead, outC ?? dimFloorDiv(c, r * r), dimMul(h, r), dimMul(w, r)], x.dtype);
    }
    for (const d of [h, w]) {
      const rem = dimMod(d, r);
      if (typeof rem === "number" && rem !== 0)
        ctx.report(Message.divisibleChannels({ layer: `${owner}(${r})`, what: "height and width", divisor: r, tensor: argumentLabel(ctx, 0), actual: spatialNames([h, w]), shape: formatShape(x.shape) }));
    }
    return makeTensor([...lead, dimMul(c, r * r), dimFloorDiv(h, r), dimFloorDiv(w, r)], x.dtype);
  };
}

/** unfold: (N, C, *spatial) → (N, C·∏k, L) with L the number of blocks. */
function unfoldApply(args: Args, ctx: RuleContext): Value {
  const x = knownInput(args);
  if (!x) return unknownInput(args, "F.unfold");
  if (x.shape.length !== 3 && x.shape.length !== 4) {
    ctx.report(Message.rank({ subject: "F.unfold", expected: "a 3-D or 4-D input", tensor: argumentLabel(ctx, 0), rank: x.shape.length, shape: formatShape(x.shape) }));
    return unknownTensor("F.unfold input rank", x.dtype);
  }
  const kernel = args.ints("kernel_size", 2);
  const dilation = args.ints("dilation", 2);
  const padding = args.ints("padding", 2);
  const stride = args.ints("stride", 2);
  const spatial = x.shape.slice(-2);
  const blocks = spatial.map((d, i) => convOutputSize(d, kernel[i], stride[i], padding[i], dilation[i]));
  if (blocks.some((b) => typeof b === "number" && b <= 0)) {
    ctx.report(Message.outputSizeBlocks({ layer: "F.unfold", input: spatialNames(spatial), kernel: kernel.join(" × "), settings: windowSettings(stride, padding, dilation), blocks: spatialNames(blocks) }));
    return unknownTensor("F.unfold without blocks", x.dtype);
  }
  const c = x.shape[x.shape.length - 3];
  return makeTensor([...x.shape.slice(0, -3), dimMul(c, kernel[0] * kernel[1]), dimProduct(blocks)], x.dtype);
}

function foldApply(args: Args, ctx: RuleContext): Value {
  const x = knownInput(args);
  if (!x) return unknownInput(args, "F.fold");
  if (x.shape.length !== 2 && x.shape.length !== 3) {
    ctx.report(Message.rank({ subject: "F.fold", expected: "a 2-D or 3-D input", tensor: argumentLabel(ctx, 0), rank: x.shape.length, shape: formatShape(x.shape) }));
    return unknownTensor("F.fold input rank", x.dtype);
  }
  const outputSize = args.ints("output_size", 2);
  const kernel = args.ints("kernel_size", 2);
  const cols = x.shape[x.shape.length - 2];
  const c = dimDivExact(cols, kernel[0] * kernel[1]);
  if (c === undefined && typeof cols === "number")
    ctx.report(Message.foldColumns({ layer: "F.fold", axis: x.shape.length - 2, tensor: argumentLabel(ctx, 0), columns: cols, kernel: kernel.join(" × "), area: kernel[0] * kernel[1], shape: formatShape(x.shape) }));
  return makeTensor([...x.shape.slice(0, -2), c ?? dimFloorDiv(cols, kernel[0] * kernel[1]), ...outputSize], x.dtype);
}

function gridSampleApply(args: Args, ctx: RuleContext): Value {
  const x = knownInput(args);
  const grid = knownInput(args, "grid");
  if (!x) return unknownInput(args, "F.grid_sample");
  if (!grid) return unknownTensor("F.grid_sample with a grid of unknown shape", x.dtype);
  if ((x.shape.length !== 4 && x.shape.length !== 5) || grid.shape.length !== x.shape.length) {
    ctx.report(Message.rankPair({ subject: "F.grid_sample", expected: "a 4-D or 5-D input and a grid of the same rank", left: formatShape(x.shape), right: formatShape(grid.shape) }));
    return unknownTensor("F.grid_sample ranks", x.dtype);
  }
  return makeTensor([x.shape[0], x.shape[1], ...grid.shape.slice(1, -1)], x.dtype);
}

function affineGridApply(args: Args): Value {
  const v = args.value("size");
  const items = v.kind === "tuple" || v.kind === "list" ? v.items.map((d) => numericValue(d)) : [];
  if (items.length < 4 || items.some((d) => d === undefined)) return unknownTensor("F.affine_grid with an unknown size");
  const size = items as Dim[];
  return makeTensor([size[0], ...size.slice(2), size.length - 2], "float32");
}

/** softmax(QKᵀ)V: (..., L, E) × (..., S, E) × (..., S, Ev) → (..., L, Ev). */
function attentionApply(args: Args, ctx: RuleContext): Value {
  const q = knownInput(args, "query");
  const k = knownInput(args, "key");
  const v = knownInput(args, "value");
  if (!q || !k || !v) return unknownTensor("scaled_dot_product_attention of an unknown shape");
  if (q.shape.length < 2 || k.shape.length < 2 || v.shape.length < 2) {
    ctx.report(Message.rankOperands({ subject: "scaled_dot_product_attention", expected: "query, key and value of at least 2 dimensions", shapes: [q, k, v].map((t) => formatShape(t.shape)).join(", ") }));
    return unknownTensor("scaled_dot_product_attention ranks", q.dtype);
  }
  const e = q.shape[q.shape.length - 1];
  const ek = k.shape[k.shape.length - 1];
  if (dimCompareEq(e, ek) === false) ctx.report(Message.attentionQueryKey({ query: formatShape(q.shape), key: formatShape(k.shape), left: dimToString(e), right: dimToString(ek) }));
  const s = k.shape[k.shape.length - 2];
  const sv = v.shape[v.shape.length - 2];
  if (dimCompareEq(s, sv) === false) ctx.report(Message.keyValueLength({ key: formatShape(k.shape), value: formatShape(v.shape), left: dimToString(s), right: dimToString(sv) }));
  const batch = broadcastAll(ctx, "scaled_dot_product_attention", [q.shape.slice(0, -2), k.shape.slice(0, -2), v.shape.slice(0, -2)]);
  // flops (flop_counter's sdpa_flop_count): q·kᵀ 2 × batch × L × S × E, then weights·v 2 × batch × L × S × Ev
  const positions = dimMul(numel(batch), q.shape[q.shape.length - 2]);
  ctx.countFlops(sumFlops(productFlops(positions, s, e), productFlops(positions, s, v.shape[v.shape.length - 1])));
  return makeTensor([...batch, q.shape[q.shape.length - 2], v.shape[v.shape.length - 1]], q.dtype);
}

function oneHotApply(args: Args): Value {
  const x = knownInput(args, "tensor");
  const n = args.dim("num_classes");
  const classes = typeof n === "number" && n < 0 ? SymDim.opaque("num_classes") : n;
  if (!x) return unknownInput(args, "F.one_hot", "tensor");
  return makeTensor([...x.shape, classes], "int64");
}

/** x1, x2 broadcast, then `dim` reduced: cosine_similarity, pairwise_distance (last dim). */
function similarityApply(owner: string, lastDim: boolean) {
  return (args: Args, ctx: RuleContext): Value => {
    const a = knownInput(args, "x1");
    const b = knownInput(args, "x2");
    if (!a || !b) return unknownTensor(`${owner} of an unknown shape`);
    const shape = broadcastAll(ctx, owner, [a.shape, b.shape]);
    const t = { ...a, shape };
    const dim = lastDim ? -1 : args.int("dim");
    const axis = axisArg(ctx, owner, dim, t);
    if (axis === undefined) return unknownTensor(`${owner} dim out of range`, a.dtype);
    const keep = lastDim && args.bool("keepdim");
    return makeTensor(shape.flatMap((d, i) => (i === axis ? (keep ? [1] : []) : [d])), a.dtype);
  };
}

/** Losses: a scalar unless reduction='none' (then the input's shape, or the target's for class-index losses). */
function lossApply(owner: string, noneShapeFrom: "input" | "target") {
  return (args: Args): Value => {
    const reduction = args.str("reduction") ?? "mean";
    const reduce = args.values.has("reduce") ? args.value("reduce") : undefined;
    const x = args.value(noneShapeFrom);
    const dtype = args.value("input").kind === "tensor" ? (args.value("input") as Tensor).dtype : "float32";
    if (reduction === "none" && (reduce === undefined || reduce.kind === "none")) {
      if (x.kind === "tensor" && x.shape) return makeTensor([...x.shape], dtype);
      return unknownTensor(`${owner} with reduction='none' of an unknown shape`, dtype);
    }
    return makeTensor([], dtype);
  };
}

const lossSignature = "input, target, size_average=None, reduce=None, reduction='mean'";
const losses: ReadonlyArray<readonly [string, string, "input" | "target"]> = [
  ["mse_loss", lossSignature, "input"],
  ["l1_loss", lossSignature, "input"],
  ["smooth_l1_loss", "input, target, size_average=None, reduce=None, reduction='mean', beta=1.0", "input"],
  ["huber_loss", "input, target, reduction='mean', delta=1.0", "input"],
  ["binary_cross_entropy", "input, target, weight=None, size_average=None, reduce=None, reduction='mean'", "input"],
  ["binary_cross_entropy_with_logits", "input, target, weight=None, size_average=None, reduce=None, reduction='mean', pos_weight=None", "input"],
  ["kl_div", "input, target, size_average=None, reduce=None, reduction='mean', log_target=False", "input"],
  ["soft_margin_loss", lossSignature, "input"],
  ["cross_entropy", "input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', label_smoothing=0.0", "target"],
  ["nll_loss", "input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean'", "target"],
  ["poisson_nll_loss", "input, target, log_input=True, full=False, size_average=None, eps=1e-08, reduce=None, reduction='mean'", "input"],
  ["gaussian_nll_loss", "input, target, var, full=False, eps=1e-06, reduction='mean'", "input"],
];

export const functionalOps: readonly OpRule[] = [
  ...convRules,
  ...poolRules,
  rule([`${F}interpolate`], "input, size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None, antialias=False", interpolateApply("F.interpolate")),
  rule([`${F}upsample`], "input, size=None, scale_factor=None, mode='nearest', align_corners=None", interpolateApply("F.upsample")),
  rule([`${F}upsample_nearest`], "input, size=None, scale_factor=None", interpolateApply("F.upsample_nearest", "nearest")),
  rule([`${F}upsample_bilinear`], "input, size=None, scale_factor=None", interpolateApply("F.upsample_bilinear", "bilinear")),
  rule([`${F}pad`, "torch.constant_pad_nd"], "input, pad, mode='constant', value=None", padApply),
  rule([`${F}layer_norm`], "input, normalized_shape, weight=None, bias=None, eps=1e-05", layerNormApply),
  rule([`${F}group_norm`], "input, num_groups, weight=None, bias=None, eps=1e-05", groupNormApply),
  rule([`${F}batch_norm`], "input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-05", channelNormApply("F.batch_norm")),
  rule(
    [`${F}instance_norm`],
    "input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True, momentum=0.1, eps=1e-05",
    channelNormApply("F.instance_norm"),
  ),
  rule([`${F}local_response_norm`], "input, size, alpha=0.0001, beta=0.75, k=1.0", (args) => args.value("input")),
  rule([`${F}embedding`], "input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False", embeddingApply),
  rule(
    [`${F}embedding_bag`],
    "input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False, mode='mean', sparse=False, per_sample_weights=None, include_last_offset=False, padding_idx=None",
    embeddingBagApply,
  ),
  rule([`${F}one_hot`], "tensor, num_classes=-1", oneHotApply),
  rule([`${F}pixel_shuffle`, "torch.pixel_shuffle"], "input, upscale_factor", pixelShuffleApply(false)),
  rule([`${F}pixel_unshuffle`, "torch.pixel_unshuffle"], "input, downscale_factor", pixelShuffleApply(true)),
  rule([`${F}channel_shuffle`, "torch.channel_shuffle"], "input, groups", (args) => args.value("input")),
  rule([`${F}unfold`], "input, kernel_size, dilation=1, padding=0, stride=1", unfoldApply),
  rule([`${F}fold`], "input, output_size, kernel_size, dilation=1, padding=0, stride=1", foldApply),
  rule([`${F}grid_sample`], "input, grid, mode='bilinear', padding_mode='zeros', align_corners=None", gridSampleApply),
  rule([`${F}affine_grid`], "theta, size, align_corners=None", affineGridApply),
  { ...rule([`${F}scaled_dot_product_attention`], "query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None", attentionApply), since: "2.0", paramsSince: { scale: "2.1" } },
  rule([`${F}cosine_similarity`, "torch.cosine_similarity"], "x1, x2, dim=1, eps=1e-08", similarityApply("F.cosine_similarity", false)),
  rule([`${F}pairwise_distance`, "torch.pairwise_distance"], "x1, x2, p=2.0, eps=1e-06, keepdim=False", similarityApply("F.pairwise_distance", true)),
  ...losses.map(([name, signature, from]) => rule([`${F}${name}`], signature, lossApply(`F.${name}`, from))),
];
