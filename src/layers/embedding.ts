// Embedding and EmbeddingBag, with their from_pretrained class methods.
// Embedding maps integer indices of any shape to shape + [embedding_dim];
// EmbeddingBag reduces bags of indices: a 2-D input is one bag per row, a 1-D
// input is split into bags by offsets.
import { bindArguments } from "../eval/binding.js";
import { PyException } from "../eval/errors.js";
import { int, NONE, unknown, type ClassValue, type NativeCall, type Value } from "../eval/values.js";
import { dimCompareEq, dimSub, dimToString, type Dim } from "../shapes/dim.js";
import { formatShape } from "../shapes/shape.js";
import { makeTensor, unknownTensor, type Tensor } from "../shapes/tensor.js";
import { inputTensor, symbolicShape } from "./common.js";
import type { Args, Layer, LayerBuilder, LayerRule, RuleContext } from "./rule.js";
import { parseSignature } from "./signature.js";
import { Fix, Message } from "../diagnostics/messages.js";
import { inputLabel, layerLabel } from "./describe.js";

/** Shared by both classes: sizes, padding_idx (negative counts from the end), and the weight. */
function buildTable(args: Args, b: LayerBuilder, owner: string): void {
  const num = args.int("num_embeddings");
  const dim = args.int("embedding_dim");
  b.attr("num_embeddings", num);
  b.attr("embedding_dim", dim);
  let paddingIdx = args.optionalInt("padding_idx");
  if (paddingIdx !== undefined) {
    if (paddingIdx >= num || paddingIdx < -num) throw new PyException("AssertionError", `${owner}: padding_idx must be within num_embeddings`);
    if (paddingIdx < 0) paddingIdx += num;
  }
  b.attr("padding_idx", paddingIdx ?? null);
  b.attr("max_norm", args.value("max_norm"));
  b.attr("norm_type", args.value("norm_type"));
  b.attr("scale_grad_by_freq", args.bool("scale_grad_by_freq"));
  b.attr("sparse", args.bool("sparse"));
  const given = args.tensor("_weight");
  if (given?.shape && (given.shape.length !== 2 || dimCompareEq(given.shape[0], num) === false || dimCompareEq(given.shape[1], dim) === false))
    throw new PyException("AssertionError", `${owner}: shape of weight ${formatShape(given.shape)} does not match num_embeddings and embedding_dim [${num}, ${dim}]`);
  b.param("weight", [num, dim]);
}

/** Indices must be int64 or int32; floating-point ids are the classic mistake. */
function checkIndices(layer: Layer, x: Tensor, ctx: RuleContext, what = "input"): void {
  // a tensor whose shape is unknown may carry a default dtype, not the one it has: no claim about it
  if (x.dtype === "int64" || x.dtype === "int32" || x.shape === undefined || x.dtypeAssumed) return;
  ctx.report(
    Message.embeddingIndex({ layer: layerLabel(ctx, layer.typeName, layer), what, tensor: what === "input" ? inputLabel(ctx) : what, dtype: x.dtype, shape: formatShape(x.shape) }),
    { fix: Fix.embeddingIndexLong({}) },
  );
}

function outputDtype(layer: Layer): Tensor["dtype"] {
  return layer.param("weight")?.dtype ?? "float32";
}

// ---------------------------------------------------------------- Embedding

function embeddingForward(layer: Layer, args: Args, ctx: RuleContext): Value {
  const x = inputTensor(args, ctx, layer.typeName);
  if (!x) return unknownTensor(`${layer.typeName} received no tensor`);
  checkIndices(layer, x, ctx);
  if (!x.shape) return unknownTensor(x.unknownReason ?? "input shape unknown", outputDtype(layer));
  return makeTensor([...x.shape, layer.int("embedding_dim")], outputDtype(layer));
}

// ---------------------------------------------------------------- EmbeddingBag

function embeddingBagForward(layer: Layer, args: Args, ctx: RuleContext): Value {
  const x = inputTensor(args, ctx, layer.typeName);
  if (!x) return unknownTensor(`${layer.typeName} received no tensor`);
  checkIndices(layer, x, ctx);
  const dtype = outputDtype(layer);
  if (!x.shape) return unknownTensor(x.unknownReason ?? "input shape unknown", dtype);
  const dim = layer.int("embedding_dim");
  const mode = layer.str("mode");
  if (mode !== "sum" && mode !== "mean" && mode !== "max") throw new PyException("ValueError", "mode has to be one of sum, mean or max");
  const offsets = args.value("offsets");
  const weights = args.tensor("per_sample_weights");
  if (weights?.shape && (weights.shape.length !== x.shape.length || weights.shape.some((d, i) => dimCompareEq(d, x.shape![i]) === false)))
    ctx.report(Message.perSampleWeights({ layer: layerLabel(ctx, layer.typeName), weights: formatShape(weights.shape), shape: formatShape(x.shape) }));
  if (x.shape.length === 2) {
    if (offsets.kind !== "none") {
      ctx.report(Message.bagOffsetsWith2D({ layer: layerLabel(ctx, layer.typeName) }));
    }
    return makeTensor([x.shape[0], dim], dtype);
  }
  if (x.shape.length !== 1) {
    ctx.report(Message.rank({ subject: layerLabel(ctx, layer.typeName), expected: "a 1-D or 2-D input", tensor: inputLabel(ctx), rank: x.shape.length, shape: formatShape(x.shape) }));
    return unknownTensor(`${layer.typeName} input of rank ${x.shape.length}`, dtype);
  }
  if (offsets.kind === "none") {
    ctx.report(Message.bagOffsetsMissing({ layer: layerLabel(ctx, layer.typeName) }));
    return unknownTensor(`${layer.typeName} without offsets`, dtype);
  }
  if (offsets.kind !== "tensor" || !offsets.shape) return unknownTensor("EmbeddingBag offsets of unknown shape", dtype);
  checkIndices(layer, offsets, ctx, "offsets");
  if (offsets.shape.length !== 1) {
    ctx.report(Message.rank({ subject: layerLabel(ctx, layer.typeName), expected: "1-D offsets", tensor: "offsets", rank: offsets.shape.length, shape: formatShape(offsets.shape) }));
    return unknownTensor(`${layer.typeName} offsets of rank ${offsets.shape.length}`, dtype);
  }
  // with include_last_offset the final offset closes the last bag instead of opening one
  const bags: Dim = layer.bool("include_last_offset") ? dimSub(offsets.shape[0], 1) : offsets.shape[0];
  return makeTensor([bags, dim], dtype);
}

// ---------------------------------------------------------------- from_pretrained

/**
 * cls(num_embeddings=rows, embedding_dim=cols, _weight=embeddings, ...) and then
 * weight.requires_grad = not freeze. `options` are the keyword arguments forwarded.
 */
function fromPretrained(signature: string, options: readonly string[]) {
  return (cls: ClassValue, call: NativeCall): Value => {
    const sig = parseSignature(signature);
    const bound = bindArguments(`${cls.name}.from_pretrained`, sig.params, sig.defaults, call.args, call.kwargs);
    const embeddings = bound.get("embeddings")!;
    // without the table's size the module cannot be built: the value stays unknown, with the reason
    if (embeddings.kind === "unknown") return unknown(`${cls.name}.from_pretrained of an unknown table: ${embeddings.why}`);
    if (embeddings.kind !== "tensor") throw new PyException("TypeError", `${cls.name}.from_pretrained(): embeddings must be a tensor`);
    if (!embeddings.shape) return unknown(`${cls.name}.from_pretrained of a table of unknown shape (${embeddings.unknownReason ?? "not inferred"})`);
    if (embeddings.shape.length !== 2) throw new PyException("AssertionError", "Embeddings parameter is expected to be 2-dimensional");
    const [rows, cols] = embeddings.shape;
    if (typeof rows !== "number" || typeof cols !== "number")
      return unknown(`${cls.name}.from_pretrained of a table of symbolic shape [${dimToString(rows)}, ${dimToString(cols)}]`);
    const kwargs = new Map<string, Value>([
      ["num_embeddings", int(rows)],
      ["embedding_dim", int(cols)],
      ["_weight", embeddings],
    ]);
    for (const name of options) kwargs.set(name, bound.get(name) ?? NONE);
    const module = call.interp.callValue(cls, [], kwargs, call.site);
    const freeze = truthy(bound.get("freeze")!);
    const params = module.kind === "object" ? module.module?.params : undefined;
    const weight = params?.get("weight");
    if (params && weight?.kind === "tensor") params.set("weight", { ...weight, requiresGrad: !freeze });
    return module;
  };
}

function truthy(v: Value): boolean {
  if (v.kind === "bool") return v.value;
  if (v.kind === "none") return false;
  if (v.kind === "int") return v.value !== 0;
  return true;
}

export const embeddingRules: readonly LayerRule[] = [
  {
    type: "Embedding",
    signature:
      "num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False, _weight=None, device=None, dtype=None",
    build: (args, b) => buildTable(args, b, "Embedding"),
    forward: embeddingForward,
    expectedInput: () => ({ shape: symbolicShape("N", "L"), dtype: "int64" }),
    classMethods: {
      from_pretrained: fromPretrained("embeddings, freeze=True, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False", [
        "padding_idx",
        "max_norm",
        "norm_type",
        "scale_grad_by_freq",
        "sparse",
      ]),
    },
  },
  {
    type: "EmbeddingBag",
    signature:
      "num_embeddings, embedding_dim, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, mode='mean', sparse=False, _weight=None, include_last_offset=False, padding_idx=None, device=None, dtype=None",
    forwardSignature: "input, offsets=None, per_sample_weights=None",
    build: (args, b) => {
      buildTable(args, b, "EmbeddingBag");
      b.attr("mode", args.value("mode"));
      b.attr("include_last_offset", args.setting("include_last_offset"));
    },
    forward: embeddingBagForward,
    expectedInput: () => ({ shape: symbolicShape("N", "L"), dtype: "int64" }),
    classMethods: {
      from_pretrained: fromPretrained(
        "embeddings, freeze=True, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, mode='mean', sparse=False, include_last_offset=False, padding_idx=None",
        ["max_norm", "norm_type", "scale_grad_by_freq", "mode", "sparse", "include_last_offset", "padding_idx"],
      ),
    },
  },
];
