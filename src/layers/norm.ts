// Normalisation layers: BatchNorm, InstanceNorm (and their Lazy forms),
// SyncBatchNorm, LayerNorm, GroupNorm, LocalResponseNorm, CrossMapLRN2d.
// All keep the input shape; what they check is the channel count (against
// num_features / num_channels) or the trailing dims (against normalized_shape).
// Running statistics are buffers, not parameters, as PyTorch registers them.
import { PyException } from "../eval/errors.js";
import { int } from "../eval/values.js";
import { dimCompareEq, dimMod, dimToString, type Dim } from "../shapes/dim.js";
import { formatShape } from "../shapes/shape.js";
import { makeParameter, makeTensor, type Tensor } from "../shapes/tensor.js";
import { knownInput, rankError, spatialSymbols, symbolicShape } from "./common.js";
import type { Args, Layer, LayerBuilder, LayerRule, RuleContext } from "./rule.js";
import { Fix, Message } from "../diagnostics/messages.js";
import { inputLabel, layerLabel, layerSource, lazyConstructor, rewrittenConstructor, sizeStory } from "./describe.js";

const normSignature = "num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None";
const instanceSignature = "num_features, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False, device=None, dtype=None";
const lazySignature = "eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None";


// ---------------------------------------------------------------- BatchNorm / InstanceNorm

function buildNorm(args: Args, b: LayerBuilder): void {
  const c = args.int("num_features");
  const affine = args.bool("affine");
  const track = args.bool("track_running_stats");
  b.attr("num_features", c);
  b.attr("eps", args.value("eps"));
  b.attr("momentum", args.value("momentum"));
  b.attr("affine", affine);
  b.attr("track_running_stats", track);
  b.param("weight", affine ? [c] : undefined);
  b.param("bias", affine ? [c] : undefined);
  b.buffer("running_mean", track ? [c] : undefined);
  b.buffer("running_var", track ? [c] : undefined);
  b.buffer("num_batches_tracked", track ? [] : undefined, "int64");
}

/** Lazy norms start with num_features 0 and uninitialised weight/bias and running stats. */
function buildLazyNorm(args: Args, b: LayerBuilder): void {
  const affine = args.bool("affine");
  const track = args.bool("track_running_stats");
  b.attr("num_features", 0);
  b.attr("eps", args.value("eps"));
  b.attr("momentum", args.value("momentum"));
  b.attr("affine", affine);
  b.attr("track_running_stats", track);
  b.param("weight", undefined);
  b.param("bias", undefined);
  b.buffer("running_mean", undefined);
  b.buffer("running_var", undefined);
  b.buffer("num_batches_tracked", track ? [] : undefined, "int64");
}

/** A Lazy norm's first call: num_features is input.shape[1] (PyTorch reads dim 1 whatever the rank). */
function materializeLazyNorm(layer: Layer, x: Tensor, ctx: RuleContext): void {
  const c = x.shape![1];
  if (c === undefined) return;
  if (typeof c !== "number") {
    ctx.note(`${layer.typeName} is lazy and its input channels are symbolic; parameter count unknown`);
    return;
  }
  const module = layer.obj.module!;
  layer.obj.attrs.set("num_features", int(c));
  if (layer.bool("affine")) {
    module.params.set("weight", makeParameter([c]));
    module.params.set("bias", makeParameter([c]));
  }
  if (layer.bool("track_running_stats")) {
    module.buffers.set("running_mean", makeTensor([c]));
    module.buffers.set("running_var", makeTensor([c]));
  }
}

/**
 * The channel check. PyTorch fails only when a per-channel tensor (weight or
 * running stats) exists; without one the mismatch runs but is still suspicious.
 */
function checkChannels(layer: Layer, x: Tensor, channelAxis: number, ctx: RuleContext): void {
  const channels: Dim = x.shape![channelAxis];
  const expected = layer.int("num_features");
  if (dimCompareEq(channels, expected) !== false) return;
  const enforced = layer.bool("affine") || layer.bool("track_running_stats");
  const source = layerSource(ctx, layer);
  const corrected = {
    replacement: rewrittenConstructor(source, "num_features", 0, dimToString(channels)) ?? `num_features=${dimToString(channels)}`,
    lazy: lazyConstructor(source, "num_features", 0) ?? `nn.Lazy${layer.typeName}()`,
  };
  ctx.report(
    Message.numFeatures({ layer: layerLabel(ctx, `${layer.typeName}(${expected})`), expected, tensor: inputLabel(ctx), actual: sizeStory(ctx, x, channelAxis), shape: formatShape(x.shape) }),
    { severity: enforced ? "error" : "warning", fix: Fix.correctedLayer(corrected) },
  );
}

/** BatchNorm{n}d: ranks it accepts (BatchNorm1d takes (N, C) and (N, C, L)); channels at dim 1. */
function batchNormRule(type: string, ranks: readonly number[], expectedSpatial: number, lazy: boolean): LayerRule {
  const expected = ranks.map((r) => `${r}-D`).join(" or ");
  return {
    type,
    signature: lazy ? lazySignature : normSignature,
    build: lazy ? buildLazyNorm : buildNorm,
    forward: (layer, args, ctx) => {
      const x = knownInput(layer, args, ctx);
      if ("early" in x) return x.early;
      const rank = x.shape!.length;
      if (ranks.length > 0 ? !ranks.includes(rank) : rank < 2) return rankError(layer, ctx, x, ranks.length > 0 ? expected : "at least 2-D");
      if (lazy && layer.int("num_features") === 0) materializeLazyNorm(layer, x, ctx);
      checkChannels(layer, x, 1, ctx);
      return x;
    },
    expectedInput: lazy
      ? undefined
      : (layer) => ({
          shape: symbolicShape("N", layer.int("num_features"), ...spatialSymbols(expectedSpatial)),
          // BatchNorm1d takes (N, C) and (N, C, L)
          alternatives: ranks.includes(3) && expectedSpatial === 0 ? [symbolicShape("N", layer.int("num_features"), "L")] : [],
        }),
    becomes: lazy ? type.replace("Lazy", "") : undefined,
  };
}

/** InstanceNorm{n}d: (C, *spatial) or (N, C, *spatial). */
function instanceNormRule(n: number, lazy: boolean): LayerRule {
  const type = `${lazy ? "Lazy" : ""}InstanceNorm${n}d`;
  return {
    type,
    signature: lazy ? lazySignature : instanceSignature,
    build: lazy ? buildLazyNorm : buildNorm,
    forward: (layer, args, ctx) => {
      const x = knownInput(layer, args, ctx);
      if ("early" in x) return x.early;
      const rank = x.shape!.length;
      if (rank !== n + 1 && rank !== n + 2) return rankError(layer, ctx, x, `a ${n + 1}-D (unbatched) or ${n + 2}-D (batched)`);
      if (lazy && layer.int("num_features") === 0) materializeLazyNorm(layer, x, ctx);
      checkChannels(layer, x, rank - n - 1, ctx);
      return x;
    },
    expectedInput: lazy ? undefined : (layer) => ({ shape: symbolicShape("N", layer.int("num_features"), ...spatialSymbols(n)) }),
    becomes: lazy ? `InstanceNorm${n}d` : undefined,
  };
}

// ---------------------------------------------------------------- LayerNorm, GroupNorm

const layerNorm: LayerRule = {
  type: "LayerNorm",
  signature: "normalized_shape, eps=1e-05, elementwise_affine=True, device=None, dtype=None",
  build: (args, b) => {
    const shape = args.intList("normalized_shape");
    if (shape.some((d) => typeof d !== "number")) throw new PyException("TypeError", "LayerNorm(): normalized_shape must be concrete ints");
    const affine = args.bool("elementwise_affine");
    b.attr("normalized_shape", shape as number[]);
    b.attr("eps", args.value("eps"));
    b.attr("elementwise_affine", affine);
    b.param("weight", affine ? shape : undefined);
    b.param("bias", affine ? shape : undefined);
  },
  forward: (layer, args, ctx) => {
    const x = knownInput(layer, args, ctx);
    if ("early" in x) return x.early;
    const normalized = layer.ints("normalized_shape");
    const shape = x.shape!;
    const trailing = shape.slice(Math.max(0, shape.length - normalized.length));
    if (shape.length < normalized.length || trailing.some((d, i) => dimCompareEq(d, normalized[i]) === false)) {
      const actual = trailing.map(dimToString).join(", ");
      const source = layerSource(ctx, layer);
      const replacement = rewrittenConstructor(source, "normalized_shape", 0, trailing.length === 1 ? actual : `(${actual})`);
      ctx.report(
        Message.normalizedShape({ layer: layerLabel(ctx, `LayerNorm(${normalized.length === 1 ? normalized[0] : `(${normalized.join(", ")})`})`), expected: normalized.join(", "), tensor: inputLabel(ctx), actual, shape: formatShape(shape) }),
        replacement && shape.length >= normalized.length ? { fix: Fix.replaceWith({ replacement }) } : {},
      );
    }
    return x;
  },
  expectedInput: (layer) => ({ shape: symbolicShape("N", ...layer.ints("normalized_shape")), alternatives: [symbolicShape("N", "L", ...layer.ints("normalized_shape"))] }),
};

const groupNorm: LayerRule = {
  type: "GroupNorm",
  signature: "num_groups, num_channels, eps=1e-05, affine=True, device=None, dtype=None",
  build: (args, b) => {
    const groups = args.int("num_groups");
    const channels = args.int("num_channels");
    if (groups === 0 || channels % groups !== 0) throw new PyException("ValueError", "num_channels must be divisible by num_groups");
    const affine = args.bool("affine");
    b.attr("num_groups", groups);
    b.attr("num_channels", channels);
    b.attr("eps", args.value("eps"));
    b.attr("affine", affine);
    b.param("weight", affine ? [channels] : undefined);
    b.param("bias", affine ? [channels] : undefined);
  },
  forward: (layer, args, ctx) => {
    const x = knownInput(layer, args, ctx);
    if ("early" in x) return x.early;
    if (x.shape!.length < 2) return rankError(layer, ctx, x, "an (N, C, *)");
    const channels = x.shape![1];
    const groups = layer.int("num_groups");
    const expected = layer.int("num_channels");
    const mismatch = dimCompareEq(channels, expected) === false;
    const label = layerLabel(ctx, `GroupNorm(${groups}, ${expected})`);
    const params = { layer: label, expected, tensor: inputLabel(ctx), actual: sizeStory(ctx, x, 1), shape: formatShape(x.shape) };
    if (mismatch && layer.bool("affine")) {
      ctx.report(Message.numFeatures(params));
    } else if (dimCompareEq(dimMod(channels, groups), 0) === false) {
      ctx.report(Message.groupNormDivisible({ layer: label, actual: dimToString(channels), tensor: params.tensor, groups, shape: params.shape }));
    } else if (mismatch) {
      ctx.report(Message.numFeatures(params), { severity: "warning" });
    }
    return x;
  },
  expectedInput: (layer) => ({ shape: symbolicShape("N", layer.int("num_channels"), "H", "W") }),
};

// ---------------------------------------------------------------- local response norms

function lrnRule(type: string, minRank: number, maxRank: number): LayerRule {
  return {
    type,
    signature: type === "LocalResponseNorm" ? "size, alpha=0.0001, beta=0.75, k=1.0" : "size, alpha=0.0001, beta=0.75, k=1",
    build: (args, b) => {
      b.attr("size", args.int("size"));
      b.attr("alpha", args.value("alpha"));
      b.attr("beta", args.value("beta"));
      b.attr("k", args.value("k"));
    },
    forward: (layer, args, ctx) => {
      const x = knownInput(layer, args, ctx);
      if ("early" in x) return x.early;
      const rank = x.shape!.length;
      if (rank < minRank || rank > maxRank) return rankError(layer, ctx, x, minRank === maxRank ? `a ${minRank}-D` : `at least ${minRank}-D`);
      return x;
    },
  };
}

export const normRules: readonly LayerRule[] = [
  batchNormRule("BatchNorm1d", [2, 3], 0, false),
  batchNormRule("BatchNorm2d", [4], 2, false),
  batchNormRule("BatchNorm3d", [5], 3, false),
  batchNormRule("LazyBatchNorm1d", [2, 3], 0, true),
  batchNormRule("LazyBatchNorm2d", [4], 2, true),
  batchNormRule("LazyBatchNorm3d", [5], 3, true),
  {
    ...batchNormRule("SyncBatchNorm", [], 0, false),
    signature: "num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, process_group=None, device=None, dtype=None",
    build: (args, b) => {
      buildNorm(args, b);
      b.attr("process_group", args.value("process_group"));
    },
  },
  instanceNormRule(1, false),
  instanceNormRule(2, false),
  instanceNormRule(3, false),
  instanceNormRule(1, true),
  instanceNormRule(2, true),
  instanceNormRule(3, true),
  layerNorm,
  groupNorm,
  lrnRule("LocalResponseNorm", 3, Infinity),
  lrnRule("CrossMapLRN2d", 4, 4),
];
