// nn.MultiheadAttention: packed or separate q/k/v input projections, an
// out_proj Linear child, optional learned key/value biases. The output takes
// the query's shape; the attention weights are [N, L, S] (or per head).
import { PyException } from "../eval/errors.js";
import { FALSE, NONE, TRUE, tuple, type Value } from "../eval/values.js";
import { dimAdd, dimCompareEq, dimMul, dimToString, type Dim } from "../shapes/dim.js";
import { Message } from "../diagnostics/messages.js";
import { inputLabel, layerLabel, sizeStory } from "./describe.js";
import { formatShape, type Shape } from "../shapes/shape.js";
import { makeTensor, unknownTensor, type Tensor } from "../shapes/tensor.js";
import { InputShapeNeeded } from "../layers/rule.js";
import { inputTensor, symbolicShape } from "./common.js";
import { productFlops, sumFlops } from "./flops.js";
import { Args, type Layer, type LayerRule, type RuleContext } from "./rule.js";

/**
 * A model input whose shape is not known yet reaching a second argument (key,
 * memory, tgt): ask the analysis for a symbolic input of this shape, as a
 * layer's expectedInput does for its first argument.
 */
export function requireSequence(v: Value, batchFirst: boolean, length: string, features: number): void {
  if (v.kind === "tensor" && v.placeholder)
    throw new InputShapeNeeded(batchFirst ? symbolicShape("N", length, features) : symbolicShape(length, "N", features), "float32");
}

/** Sequence and batch positions of a query/key/value tensor. */
interface SequenceLayout {
  readonly length: Dim;
  readonly batch: Dim | undefined;
  readonly features: Dim;
}

function layout(t: Tensor & { shape: Shape }, batchFirst: boolean): SequenceLayout {
  const features = t.shape[t.shape.length - 1];
  if (t.shape.length === 2) return { length: t.shape[0], batch: undefined, features };
  return batchFirst ? { length: t.shape[1], batch: t.shape[0], features } : { length: t.shape[0], batch: t.shape[1], features };
}

function hasShape(t: Tensor | undefined): t is Tensor & { shape: Shape } {
  return t?.shape !== undefined;
}

/** Checks a key or value against the query; reports what PyTorch would reject. */
function checkSource(name: string, t: Tensor & { shape: Shape }, query: Tensor & { shape: Shape }, expectedFeatures: number, batchFirst: boolean, ctx: RuleContext): boolean {
  const label = layerLabel(ctx, "MultiheadAttention");
  if (t.shape.length !== query.shape.length) {
    ctx.report(Message.rankAttentionSource({ layer: label, rank: query.shape.length, which: name, actual: t.shape.length, shape: formatShape(t.shape) }));
    return false;
  }
  const src = layout(t, batchFirst);
  const q = layout(query, batchFirst);
  const index = name === "key" ? 1 : 2;
  if (dimCompareEq(src.features, expectedFeatures) === false)
    ctx.report(Message.attentionEmbedDim({ layer: label, which: name, expected: expectedFeatures, tensor: inputLabel(ctx, index), actual: sizeStory(ctx, t, t.shape.length - 1), shape: formatShape(t.shape) }));
  if (q.batch !== undefined && src.batch !== undefined && dimCompareEq(q.batch, src.batch) === false)
    ctx.report(Message.attentionBatch({ layer: label, query: dimToString(q.batch), which: name, other: dimToString(src.batch) }));
  return true;
}

function checkMask(name: string, mask: Value, allowed: readonly Shape[], ctx: RuleContext): void {
  if (mask.kind !== "tensor" || !mask.shape) return;
  const shape = mask.shape;
  const fits = allowed.some((s) => s.length === shape.length && s.every((d, i) => dimCompareEq(d, shape[i]) !== false));
  if (!fits) ctx.report(Message.attentionMask({ layer: layerLabel(ctx, "MultiheadAttention"), which: name, allowed: allowed.map(formatShape).join(" or "), shape: formatShape(shape) }));
}

/** MultiheadAttention's forward as other rules use it (the transformer layers' attention blocks), without weights. */
export function attentionOutput(attn: Layer, query: Value, key: Value, value: Value, attnMask: Value, keyPaddingMask: Value, ctx: RuleContext): Value {
  const values = new Map<string, Value>([
    ["query", query],
    ["key", key],
    ["value", value],
    ["key_padding_mask", keyPaddingMask],
    ["need_weights", FALSE],
    ["attn_mask", attnMask],
    ["average_attn_weights", TRUE],
    ["is_causal", FALSE],
  ]);
  const out = attentionForward(attn, new Args(values, attn.typeName), ctx);
  return out.kind === "tuple" ? out.items[0] : out;
}

/**
 * flops of torch's multi_head_attention_forward, its matrix products as flop_counter
 * counts them (N the batch, 1 unbatched; L query and S key positions; E = embed_dim):
 *   projections   q 2·N·L·E·E + k 2·N·S·kdim·E + v 2·N·S·vdim·E
 *   attention     q·kᵀ 2·N·L·S'·E and weights·v 2·N·L·S'·E (all heads: h × E/h = E;
 *                 S' counts bias_k's and add_zero_attn's extra key positions)
 *   output        out_proj 2·N·L·E·E
 */
function attentionFlops(layer: Layer, q: SequenceLayout, sourceLength: Dim | undefined, attended: Dim | undefined): Dim | undefined {
  const n = q.batch ?? 1;
  const e = layer.int("embed_dim");
  return sumFlops(
    productFlops(n, q.length, e, e),
    productFlops(n, sourceLength, layer.int("kdim"), e),
    productFlops(n, sourceLength, layer.int("vdim"), e),
    productFlops(n, q.length, attended, e),
    productFlops(n, q.length, attended, e),
    productFlops(n, q.length, e, e),
  );
}

function attentionForward(layer: Layer, args: Args, ctx: RuleContext): Value {
  const batchFirst = layer.bool("batch_first");
  requireSequence(args.value("key"), batchFirst, "S", layer.int("kdim"));
  requireSequence(args.value("value"), batchFirst, "S", layer.int("vdim"));
  const query = inputTensor(args, ctx, "MultiheadAttention", "query");
  const key = args.tensor("key");
  const value = args.tensor("value");
  const needWeights = args.bool("need_weights");
  const unknownOut = (why: string): Value => tuple([unknownTensor(why, query?.dtype), needWeights ? unknownTensor(why) : NONE]);
  if (!hasShape(query)) return unknownOut(query?.unknownReason ?? "MultiheadAttention query shape unknown");

  const embedDim = layer.int("embed_dim");
  const heads = layer.int("num_heads");
  const rank = query.shape.length;
  const label = layerLabel(ctx, `MultiheadAttention(embed_dim=${embedDim}, num_heads=${heads})`);
  if (rank !== 2 && rank !== 3) {
    ctx.report(Message.rank({ subject: label, expected: "a 3-D (batched) or 2-D (unbatched) query", tensor: inputLabel(ctx), rank, shape: formatShape(query.shape) }));
    return unknownOut(`MultiheadAttention on a ${rank}-D query`);
  }
  const q = layout(query, batchFirst);
  if (dimCompareEq(q.features, embedDim) === false)
    ctx.report(Message.attentionEmbedDim({ layer: label, which: "a query", expected: embedDim, tensor: inputLabel(ctx), actual: sizeStory(ctx, query, query.shape.length - 1), shape: formatShape(query.shape) }));
  const output = makeTensor([...query.shape.slice(0, -1), embedDim], query.dtype);

  let sourceLength: Dim | undefined;
  if (hasShape(key) && checkSource("key", key, query, layer.int("kdim"), batchFirst, ctx)) sourceLength = layout(key, batchFirst).length;
  if (hasShape(value) && checkSource("value", value, query, layer.int("vdim"), batchFirst, ctx) && sourceLength !== undefined) {
    const valueLength = layout(value, batchFirst).length;
    if (dimCompareEq(valueLength, sourceLength) === false)
      ctx.report(Message.attentionKeyValueLength({ layer: label, key: dimToString(sourceLength), value: dimToString(valueLength) }));
  }
  if (sourceLength !== undefined) {
    const batch = q.batch;
    checkMask("key_padding_mask", args.value("key_padding_mask"), [batch === undefined ? [sourceLength] : [batch, sourceLength]], ctx);
    const perHead = batch === undefined ? heads : dimMul(batch, heads);
    checkMask("attn_mask", args.value("attn_mask"), [[q.length, sourceLength], [perHead, q.length, sourceLength]], ctx);
  }
  // bias_k/bias_v append one key position, add_zero_attn another
  let s = sourceLength;
  if (s !== undefined && layer.param("bias_k") !== undefined) s = dimAdd(s, 1);
  if (s !== undefined && layer.bool("add_zero_attn")) s = dimAdd(s, 1);
  ctx.countFlops(attentionFlops(layer, q, sourceLength, s));
  if (!needWeights) return tuple([output, NONE]);
  if (s === undefined) return tuple([output, unknownTensor("MultiheadAttention key shape unknown", query.dtype)]);
  const lead: Dim[] = q.batch === undefined ? [] : [q.batch];
  const headDims: Dim[] = args.bool("average_attn_weights") ? [] : [heads];
  return tuple([output, makeTensor([...lead, ...headDims, q.length, s], query.dtype)]);
}

export const attentionRules: readonly LayerRule[] = [
  {
    type: "MultiheadAttention",
    signature:
      "embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False, add_zero_attn=False, kdim=None, vdim=None, batch_first=False, device=None, dtype=None",
    forwardSignature:
      "query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None, average_attn_weights=True, is_causal=False",
    paramsSince: { is_causal: "2.0" },
    build: (args, b) => {
      const embedDim = args.int("embed_dim");
      const heads = args.int("num_heads");
      const kdim = args.optionalInt("kdim") ?? embedDim;
      const vdim = args.optionalInt("vdim") ?? embedDim;
      const sameDims = kdim === embedDim && vdim === embedDim;
      const bias = args.bool("bias");
      const headDim = Math.floor(embedDim / heads);
      if (headDim * heads !== embedDim) throw new PyException("AssertionError", "embed_dim must be divisible by num_heads");
      b.attr("embed_dim", embedDim);
      b.attr("kdim", kdim);
      b.attr("vdim", vdim);
      b.attr("_qkv_same_embed_dim", sameDims);
      b.attr("num_heads", heads);
      b.attr("dropout", args.value("dropout"));
      b.attr("batch_first", args.setting("batch_first"));
      b.attr("head_dim", headDim);
      if (sameDims) {
        b.param("in_proj_weight", [3 * embedDim, embedDim]);
        b.param("q_proj_weight", undefined);
        b.param("k_proj_weight", undefined);
        b.param("v_proj_weight", undefined);
      } else {
        b.param("q_proj_weight", [embedDim, embedDim]);
        b.param("k_proj_weight", [embedDim, kdim]);
        b.param("v_proj_weight", [embedDim, vdim]);
        b.param("in_proj_weight", undefined);
      }
      b.param("in_proj_bias", bias ? [3 * embedDim] : undefined);
      // PyTorch's NonDynamicallyQuantizableLinear, a Linear subclass
      b.child("out_proj", "Linear", { in_features: embedDim, out_features: embedDim, bias });
      if (args.bool("add_bias_kv")) {
        b.param("bias_k", [1, 1, embedDim]);
        b.param("bias_v", [1, 1, embedDim]);
      } else {
        b.attr("bias_k", null);
        b.attr("bias_v", null);
      }
      b.attr("add_zero_attn", args.setting("add_zero_attn"));
    },
    forward: attentionForward,
    expectedInput: (layer) => {
      const e = layer.int("embed_dim");
      return { shape: layer.bool("batch_first") ? symbolicShape("N", "L", e) : symbolicShape("L", "N", e) };
    },
  },
];
