// The transformer modules of torch.nn. The encoder/decoder layers are built
// from real child modules (MultiheadAttention, Linear, LayerNorm, Dropout), so
// their parameter counts are the sum of their children's; the stacks hold deep
// copies of a given layer in a ModuleList, as PyTorch's _get_clones does.
// Every layer keeps its input's shape.
import { PyException } from "../eval/errors.js";
import type { Interpreter } from "../eval/interpreter.js";
import { numericValue } from "../eval/operators.js";
import { deepCopy } from "../eval/stdlib.js";
import { isModuleObject, list, NONE, type NativeCall, type ObjectValue, type Value } from "../eval/values.js";
import { dimCompareEq, dimToString, type Dim } from "../shapes/dim.js";
import { formatShape, numel } from "../shapes/shape.js";
import { productFlops, sumFlops } from "./flops.js";
import { makeTensor, unknownTensor, type Tensor } from "../shapes/tensor.js";
import { attentionOutput, requireSequence } from "./attention.js";
import { inputTensor, symbolicShape } from "./common.js";
import { Layer, type Args, type LayerBuilder, type LayerRule, type RuleContext } from "./rule.js";
import { Message } from "../diagnostics/messages.js";
import { inputLabel, layerLabel, sizeStory } from "./describe.js";

/** A class or function of a torch namespace, as user code would reach it. */
function torchMember(interp: Interpreter, namespace: string, name: string): Value | undefined {
  return interp.imports.importModule(namespace, 0, interp.builtins, interp)?.get(name);
}

/** A torch.nn module built outside any rule builder (a layer to be cloned, a stack to adopt). */
function construct(interp: Interpreter, name: string, args: readonly Value[], kwargs: Readonly<Record<string, Value>> = {}): Value {
  const cls = torchMember(interp, "torch.nn", name);
  if (!cls) throw new Error(`torch.nn.${name} is not available to the transformer rules`);
  return interp.callValue(cls, args, new Map(Object.entries(kwargs)));
}

function childLayer(layer: Layer, name: string): Layer | undefined {
  const c = layer.attr(name);
  return c.kind === "object" ? new Layer(c) : undefined;
}

// ---------------------------------------------------------------- the layers

/** activation: "relu" / "gelu" name PyTorch's functions; a module becomes a child; any callable is kept. */
function declareActivation(args: Args, b: LayerBuilder): void {
  const activation = args.value("activation");
  if (activation.kind === "str") {
    if (activation.value !== "relu" && activation.value !== "gelu")
      throw new PyException("RuntimeError", `activation should be relu/gelu, not ${activation.value}`);
    b.attr("activation", torchMember(b.interp, "torch.nn.functional", activation.value) ?? activation);
  } else if (isModuleObject(activation)) b.adopt("activation", activation);
  else b.attr("activation", activation);
}

function activationKind(activation: Value): number {
  const name = activation.kind === "str" ? activation.value : activation.kind === "object" ? activation.cls.name : activation.kind === "native" ? activation.name : "";
  if (/(^|\.)relu$/i.test(name)) return 1;
  if (/(^|\.)gelu$/i.test(name)) return 2;
  return 0;
}

function buildTransformerLayer(args: Args, b: LayerBuilder, decoder: boolean): void {
  const d = args.int("d_model");
  const nhead = args.int("nhead");
  const ff = args.int("dim_feedforward");
  const dropout = args.value("dropout");
  const eps = args.value("layer_norm_eps");
  const batchFirst = args.bool("batch_first");
  const attention = { embed_dim: d, num_heads: nhead, dropout, batch_first: batchFirst };
  const norm = (name: string) => b.child(name, "LayerNorm", { normalized_shape: d, eps });
  b.child("self_attn", "MultiheadAttention", attention);
  if (decoder) b.child("multihead_attn", "MultiheadAttention", attention);
  b.child("linear1", "Linear", { in_features: d, out_features: ff });
  b.child("dropout", "Dropout", { p: dropout });
  b.child("linear2", "Linear", { in_features: ff, out_features: d });
  b.attr("norm_first", args.bool("norm_first"));
  norm("norm1");
  norm("norm2");
  if (decoder) norm("norm3");
  b.child("dropout1", "Dropout", { p: dropout });
  b.child("dropout2", "Dropout", { p: dropout });
  if (decoder) b.child("dropout3", "Dropout", { p: dropout });
  if (!decoder) b.attr("activation_relu_or_gelu", activationKind(args.value("activation")));
  declareActivation(args, b);
}

/** The model width of a transformer layer: its self-attention's embed_dim. */
function layerWidth(layer: Layer): number | undefined {
  return childLayer(layer, "self_attn")?.optionalInt("embed_dim");
}

/** Transformer layers keep batch_first only on their attention children, as PyTorch does. */
function layerBatchFirst(layer: Layer): boolean {
  return childLayer(layer, "self_attn")?.bool("batch_first") ?? false;
}

/** The symbolic input of a transformer layer: a sequence of `length` steps of its width. */
function sequenceInput(layer: Layer, length: string): { shape: Dim[] } | undefined {
  const width = layerWidth(layer);
  if (width === undefined) return undefined;
  return { shape: layerBatchFirst(layer) ? symbolicShape("N", length, width) : symbolicShape(length, "N", width) };
}

/** Runs an attention block through the layer's own attention child; reports as MultiheadAttention would. */
function attentionBlock(layer: Layer, child: string, x: Tensor, memory: Value, mask: Value, paddingMask: Value, ctx: RuleContext): void {
  const attn = childLayer(layer, child);
  if (attn?.typeName === "MultiheadAttention") attentionOutput(attn, x, memory, memory, mask, paddingMask, ctx);
}

function checkWidth(owner: string, name: string, x: Tensor & { shape: readonly Dim[] }, width: number | undefined, ctx: RuleContext): boolean {
  const rank = x.shape.length;
  if (rank !== 2 && rank !== 3) {
    ctx.report(Message.rank({ subject: layerLabel(ctx, owner), expected: `${name} to be 3-D (batched) or 2-D (unbatched)`, tensor: inputLabel(ctx, name === "memory" ? 1 : 0), rank, shape: formatShape(x.shape) }));
    return false;
  }
  const last = x.shape[rank - 1];
  if (width !== undefined && dimCompareEq(last, width) === false) {
    ctx.report(Message.transformerDModel({ layer: layerLabel(ctx, `${owner}(d_model=${width}, ...)`), which: name, expected: width, tensor: inputLabel(ctx, name === "memory" ? 1 : 0), actual: sizeStory(ctx, x, rank - 1), shape: formatShape(x.shape) }));
    return false;
  }
  return true;
}

/** Calls the layer's child `name` on x as PyTorch's forward does (forward hooks see it); returns its output. */
function callChild(layer: Layer, name: string, x: Value, ctx: RuleContext): Value {
  const child = layer.attr(name);
  return child.kind === "object" ? ctx.interp.callValue(child, [x], new Map(), ctx.site) : x;
}

/**
 * The feed-forward block, _ff_block: linear2(dropout(activation(linear1(x)))), then
 * the block's dropout. The activation is a call of a module only when one was given.
 */
function feedForwardCalls(layer: Layer, x: Value, lastDropout: string, ctx: RuleContext): void {
  let h = callChild(layer, "linear1", x, ctx);
  if (layer.attr("activation").kind === "object") h = callChild(layer, "activation", h, ctx);
  h = callChild(layer, "linear2", callChild(layer, "dropout", h, ctx), ctx);
  callChild(layer, lastDropout, h, ctx);
}

/**
 * The child modules PyTorch 1.13's layer forward calls, in its order (the attention
 * blocks, modelled by attentionBlock, are not calls of childless modules):
 *   post-norm: [attention, dropoutK, normK] per attention block, then feed-forward, last norm;
 *   norm-first: [normK, attention, dropoutK] per block, then last norm, feed-forward.
 */
function childCalls(layer: Layer, x: Tensor, blocks: number, ctx: RuleContext): void {
  const normFirst = layer.bool("norm_first");
  for (let k = 1; k <= blocks + 1; k++) {
    const norm = `norm${k}`;
    const dropout = `dropout${k}`;
    if (normFirst) callChild(layer, norm, x, ctx);
    if (k <= blocks) callChild(layer, dropout, x, ctx);
    else feedForwardCalls(layer, x, dropout, ctx);
    if (!normFirst) callChild(layer, norm, x, ctx);
  }
}

/**
 * TransformerEncoderLayer's fast path (PyTorch 1.13, in eval mode without grad, as the
 * goldens and torchinfo run it): one fused kernel, so no child module is called.
 */
function encoderFastPath(layer: Layer, src: Tensor & { shape: readonly Dim[] }, args: Args): boolean {
  const attn = childLayer(layer, "self_attn");
  const heads = attn?.optionalInt("num_heads");
  return (
    src.shape.length === 3 &&
    !layer.obj.module?.training &&
    layerBatchFirst(layer) &&
    (layer.optionalInt("activation_relu_or_gelu") ?? 0) !== 0 &&
    args.isNone("src_mask") &&
    heads !== undefined &&
    heads % 2 === 0
  );
}

/**
 * The fused kernel's feed-forward products, which no child call counts:
 * linear1 and linear2, each 2 × (positions) × d_model × dim_feedforward.
 */
function fastPathFeedForwardFlops(layer: Layer, src: Tensor & { shape: readonly Dim[] }): Dim | undefined {
  const linear1 = childLayer(layer, "linear1");
  const positions = numel(src.shape.slice(0, -1));
  const d = linear1?.optionalInt("in_features");
  const ff = linear1?.optionalInt("out_features");
  return sumFlops(productFlops(positions, d, ff), productFlops(positions, ff, d));
}

function encoderLayerForward(layer: Layer, args: Args, ctx: RuleContext): Value {
  const owner = layer.typeName;
  const src = inputTensor(args, ctx, owner, "src");
  if (!src) return unknownTensor(`${owner} received no tensor`);
  if (!src.shape) return src;
  const shaped = src as Tensor & { shape: readonly Dim[] };
  if (checkWidth(owner, "src", shaped, layerWidth(layer), ctx)) {
    attentionBlock(layer, "self_attn", src, src, args.value("src_mask"), args.value("src_key_padding_mask"), ctx);
    if (!encoderFastPath(layer, shaped, args)) childCalls(layer, src, 1, ctx);
    else ctx.countFlops(fastPathFeedForwardFlops(layer, shaped));
  }
  return makeTensor(src.shape, src.dtype);
}

function decoderLayerForward(layer: Layer, args: Args, ctx: RuleContext): Value {
  const owner = layer.typeName;
  const width = layerWidth(layer);
  if (width !== undefined) requireSequence(args.value("memory"), layerBatchFirst(layer), "S", width);
  const tgt = inputTensor(args, ctx, owner, "tgt");
  if (!tgt) return unknownTensor(`${owner} received no tensor`);
  if (!tgt.shape) return tgt;
  if (checkWidth(owner, "tgt", tgt as Tensor & { shape: readonly Dim[] }, width, ctx)) {
    attentionBlock(layer, "self_attn", tgt, tgt, args.value("tgt_mask"), args.value("tgt_key_padding_mask"), ctx);
    const memory = args.value("memory");
    if (memory.kind === "tensor" && memory.shape && checkWidth(owner, "memory", memory as Tensor & { shape: readonly Dim[] }, width, ctx)) {
      attentionBlock(layer, "multihead_attn", tgt, memory, args.value("memory_mask"), args.value("memory_key_padding_mask"), ctx);
      childCalls(layer, tgt, 2, ctx);
    }
  }
  return makeTensor(tgt.shape, tgt.dtype);
}

const layerSignature =
  "d_model, nhead, dim_feedforward=2048, dropout=0.1, activation='relu', layer_norm_eps=1e-05, batch_first=False, norm_first=False, device=None, dtype=None";

// ---------------------------------------------------------------- the stacks

/** PyTorch's _get_clones: a ModuleList of num_layers deep copies of the given layer. */
function declareClones(b: LayerBuilder, layer: Value, count: number): void {
  if (!isModuleObject(layer)) throw new PyException("TypeError", "the layer to repeat must be an nn.Module");
  // a step of the analysis per copy: its time and memory budgets hold for num_layers=10**7
  const copies = Array.from({ length: count }, () => {
    b.interp.tick();
    b.interp.checkBudgets();
    return deepCopy(layer, b.interp);
  });
  b.adopt("layers", construct(b.interp, "ModuleList", [list(copies)]));
}

function declareNorm(b: LayerBuilder, norm: Value): void {
  if (isModuleObject(norm)) b.adopt("norm", norm);
  else b.attr("norm", norm);
}

/** The modules of the `layers` ModuleList, in order. */
function stackedLayers(layer: Layer): ObjectValue[] {
  const layers = layer.attr("layers");
  if (layers.kind !== "object") return [];
  return [...(layers.module?.children.values() ?? [])].filter((c): c is ObjectValue => c.kind === "object");
}

/** Calls the stack's modules in turn, then its norm, as user code would (custom layers run their own forward). */
function runStack(layer: Layer, first: Value, extraArgs: readonly Value[], kwargs: ReadonlyMap<string, Value>, ctx: RuleContext): Value {
  let output = first;
  for (const mod of stackedLayers(layer)) output = ctx.interp.callValue(mod, [output, ...extraArgs], kwargs, ctx.site);
  const norm = layer.attr("norm");
  if (norm.kind === "object") output = ctx.interp.callValue(norm, [output], new Map(), ctx.site);
  return output;
}

/** The width and layout of a stack, from its first layer. */
function stackInput(layer: Layer, length: string): { shape: Dim[] } | undefined {
  const first = stackedLayers(layer)[0];
  if (!first) return undefined;
  return sequenceInput(new Layer(first), length);
}

// ---------------------------------------------------------------- nn.Transformer

function buildTransformer(args: Args, b: LayerBuilder): void {
  const interp = b.interp;
  const d = args.value("d_model");
  const layerArgs = ["nhead", "dim_feedforward", "dropout", "activation", "layer_norm_eps", "batch_first", "norm_first"].map((n) => args.value(n));
  const stack = (custom: string, layerType: string, stackType: string, count: string) => {
    const given = args.value(custom);
    if (given.kind !== "none") return given;
    const layer = construct(interp, layerType, [d, ...layerArgs]);
    const norm = construct(interp, "LayerNorm", [d], { eps: args.value("layer_norm_eps") });
    return construct(interp, stackType, [layer, args.value(count), norm]);
  };
  b.adopt("encoder", stack("custom_encoder", "TransformerEncoderLayer", "TransformerEncoder", "num_encoder_layers"));
  b.adopt("decoder", stack("custom_decoder", "TransformerDecoderLayer", "TransformerDecoder", "num_decoder_layers"));
  b.attr("d_model", d);
  b.attr("nhead", args.value("nhead"));
  b.attr("batch_first", args.setting("batch_first"));
}

function transformerForward(layer: Layer, args: Args, ctx: RuleContext): Value {
  requireSequence(args.value("tgt"), layer.bool("batch_first"), "T", layer.int("d_model"));
  const src = inputTensor(args, ctx, "Transformer", "src");
  const tgt = inputTensor(args, ctx, "Transformer", "tgt");
  if (src?.shape && tgt?.shape) {
    const d = layer.int("d_model");
    const batched = src.shape.length === 3;
    const batchAxis = layer.bool("batch_first") ? 0 : 1;
    const label = layerLabel(ctx, `Transformer(d_model=${d}, ...)`);
    if (batched && tgt.shape.length === 3 && dimCompareEq(src.shape[batchAxis], tgt.shape[batchAxis]) === false)
      ctx.report(Message.transformerBatch({ layer: label, src: dimToString(src.shape[batchAxis]), srcShape: formatShape(src.shape), tgt: dimToString(tgt.shape[batchAxis]), tgtShape: formatShape(tgt.shape) }));
    const srcLast = src.shape[src.shape.length - 1];
    const tgtLast = tgt.shape[tgt.shape.length - 1];
    if (dimCompareEq(srcLast, d) === false || dimCompareEq(tgtLast, d) === false)
      ctx.report(Message.transformerSrcTgtWidth({ layer: label, src: dimToString(srcLast), tgt: dimToString(tgtLast), expected: d }));
  }
  const encoder = layer.attr("encoder");
  const decoder = layer.attr("decoder");
  const memory = encoder.kind === "object" ? ctx.interp.callValue(encoder, [args.value("src")], kwargsOf(args, { mask: "src_mask", src_key_padding_mask: "src_key_padding_mask" }), ctx.site) : unknownTensor("Transformer has no encoder");
  if (decoder.kind !== "object") return unknownTensor("Transformer has no decoder");
  return ctx.interp.callValue(
    decoder,
    [args.value("tgt"), memory],
    kwargsOf(args, { tgt_mask: "tgt_mask", memory_mask: "memory_mask", tgt_key_padding_mask: "tgt_key_padding_mask", memory_key_padding_mask: "memory_key_padding_mask" }),
    ctx.site,
  );
}

/** Keyword arguments for a child's forward, from the rule's own (child name → our name). */
function kwargsOf(args: Args, names: Readonly<Record<string, string>>): Map<string, Value> {
  return new Map(Object.entries(names).map(([to, from]) => [to, args.value(from)] as const));
}

/** Transformer.generate_square_subsequent_mask(sz, device='cpu'): a [sz, sz] float mask. */
function squareSubsequentMask(call: NativeCall): Value {
  const sz = call.args[0] ?? call.kwargs.get("sz") ?? NONE;
  const n = numericValue(sz);
  if (n === undefined) throw new PyException("TypeError", "generate_square_subsequent_mask(): argument 'sz' must be int");
  return makeTensor([n, n], "float32");
}

export const transformerRules: readonly LayerRule[] = [
  {
    type: "TransformerEncoderLayer",
    signature: layerSignature,
    forwardSignature: "src, src_mask=None, src_key_padding_mask=None",
    build: (args, b) => buildTransformerLayer(args, b, false),
    forward: encoderLayerForward,
    expectedInput: (layer) => sequenceInput(layer, "L"),
  },
  {
    type: "TransformerDecoderLayer",
    signature: layerSignature,
    forwardSignature: "tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None, memory_key_padding_mask=None",
    build: (args, b) => buildTransformerLayer(args, b, true),
    forward: decoderLayerForward,
    expectedInput: (layer) => sequenceInput(layer, "T"),
  },
  {
    type: "TransformerEncoder",
    signature: "encoder_layer, num_layers, norm=None, enable_nested_tensor=True, mask_check=True",
    forwardSignature: "src, mask=None, src_key_padding_mask=None",
    build: (args, b) => {
      const count = args.int("num_layers");
      declareClones(b, args.value("encoder_layer"), count);
      b.attr("num_layers", count);
      declareNorm(b, args.value("norm"));
      b.attr("enable_nested_tensor", args.bool("enable_nested_tensor"));
      b.attr("mask_check", args.bool("mask_check"));
    },
    forward: (layer, args, ctx) =>
      runStack(layer, args.value("src"), [], kwargsOf(args, { src_mask: "mask", src_key_padding_mask: "src_key_padding_mask" }), ctx),
    expectedInput: (layer) => stackInput(layer, "L"),
  },
  {
    type: "TransformerDecoder",
    signature: "decoder_layer, num_layers, norm=None",
    forwardSignature: "tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None, memory_key_padding_mask=None",
    build: (args, b) => {
      const count = args.int("num_layers");
      declareClones(b, args.value("decoder_layer"), count);
      b.attr("num_layers", count);
      declareNorm(b, args.value("norm"));
    },
    forward: (layer, args, ctx) =>
      runStack(
        layer,
        args.value("tgt"),
        [args.value("memory")],
        kwargsOf(args, { tgt_mask: "tgt_mask", memory_mask: "memory_mask", tgt_key_padding_mask: "tgt_key_padding_mask", memory_key_padding_mask: "memory_key_padding_mask" }),
        ctx,
      ),
    expectedInput: (layer) => stackInput(layer, "T"),
  },
  {
    type: "Transformer",
    signature:
      "d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6, dim_feedforward=2048, dropout=0.1, activation='relu', custom_encoder=None, custom_decoder=None, layer_norm_eps=1e-05, batch_first=False, norm_first=False, device=None, dtype=None",
    forwardSignature:
      "src, tgt, src_mask=None, tgt_mask=None, memory_mask=None, src_key_padding_mask=None, tgt_key_padding_mask=None, memory_key_padding_mask=None",
    build: buildTransformer,
    forward: transformerForward,
    expectedInput: (layer) => {
      const d = layer.int("d_model");
      return { shape: layer.bool("batch_first") ? symbolicShape("N", "S", d) : symbolicShape("S", "N", d) };
    },
    staticMethods: { generate_square_subsequent_mask: squareSubsequentMask },
  },
];
