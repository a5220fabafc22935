// Linear, LazyLinear, Bilinear and Identity.
import { productFlops } from "./flops.js";
import { bilinearFlops } from "./ops/matmul.js";
import { numel } from "../shapes/shape.js";
import { dimEquals, dimProduct, dimToString, isSymbolic, type Dim } from "../shapes/dim.js";
import { formatShape } from "../shapes/shape.js";
import { makeParameter, makeTensor, unknownTensor, type Tensor } from "../shapes/tensor.js";
import { int, type Value } from "../eval/values.js";
import { Fix, Message, Related } from "../diagnostics/messages.js";
import { inputTensor, symbolicShape } from "./common.js";
import { inputLabel, layerLabel, layerSource, lazyConstructor, mergedFactors, productExpression, rewrittenConstructor, sizeStory } from "./describe.js";
import { compareSize } from "./expectSize.js";
import type { Args, Layer, LayerRule, RuleContext } from "./rule.js";

/** The in_features that would fit, as an expression: the merged factors (8 * 7 * 7) when known. */
function inFeaturesExpression(factors: readonly Dim[] | undefined, size: Dim): string {
  return factors && factors.every((f) => typeof f === "number") ? productExpression(factors) : dimToString(size);
}

/** "nn.Linear(8 * 7 * 7, 32)" and "nn.LazyLinear(32)": the layer's own call, corrected. */
function correctedLinear(ctx: RuleContext, layer: Layer, expression: string): { replacement: string; lazy: string } {
  const source = layerSource(ctx, layer);
  return {
    replacement: rewrittenConstructor(source, "in_features", 0, expression) ?? `in_features=${expression}`,
    lazy: lazyConstructor(source, "in_features", 0) ?? `nn.LazyLinear(${layer.int("out_features")})`,
  };
}

/** A view before this layer assumed the same K features: the view's fault names this layer too. */
function shareAssumption(ctx: RuleContext, layer: Layer, x: Tensor, label: string): void {
  const suspect = x.origin?.suspect;
  const inFeatures = layer.int("in_features");
  if (!suspect || !dimEquals(suspect.assumedFeatures, inFeatures) || !layer.definedAt) return;
  suspect.handle.relate(Related.sharesAssumption({ layer: label, size: inFeatures }), layer.definedAt);
  suspect.handle.addClause(Related.sharesAssumptionClause({ layer: label }));
  const name = ctx.facts?.moduleName(layer.obj) ?? layer.typeName;
  const corrected = correctedLinear(ctx, layer, inFeaturesExpression(suspect.perSample, dimProduct(suspect.perSample)));
  // a symbolic size is no expression to write in __init__: only the lazy form fits every input
  if (suspect.perSample.some(isSymbolic)) suspect.handle.addFix(Fix.linearSharesLazy({ name, lazy: corrected.lazy }));
  else suspect.handle.addFix(Fix.linearShares({ name, ...corrected }));
}

/** in_features against the input's last dimension: an error, a symbolic fit (info), or nothing. */
function checkInFeatures(ctx: RuleContext, layer: Layer, x: Tensor & { shape: readonly Dim[] }, fallback: string): void {
  const axis = x.shape.length - 1;
  const inFeatures = layer.int("in_features");
  const verdict = compareSize(ctx, x.shape[axis], inFeatures);
  const label = layerLabel(ctx, fallback);
  if (verdict.kind === "match") return shareAssumption(ctx, layer, x, label);
  if (verdict.kind === "undecided") return;
  const params = { layer: label, expected: inFeatures, tensor: inputLabel(ctx), actual: sizeStory(ctx, x, axis) };
  switch (verdict.kind) {
    case "mismatch": {
      const corrected = correctedLinear(ctx, layer, inFeaturesExpression(mergedFactors(x, axis), x.shape[axis]));
      ctx.report(Message.linearInFeatures(params), { fix: Fix.correctedLayer(corrected) });
      return;
    }
    case "never":
      ctx.report(Message.linearInFeaturesNoInput({ ...params, why: verdict.why }));
      return;
    case "not-found":
      ctx.report(Message.linearInFeaturesNoInput({ ...params, why: verdict.why }), { severity: "warning" });
      return;
    case "fits":
      ctx.report(Message.linearInFeaturesFits({ ...params, fits: verdict.inputs }), { severity: "info" });
      return;
  }
}

function linearForward(layer: Layer, args: Args, ctx: RuleContext): Value {
  const x = inputTensor(args, ctx, layer.typeName);
  if (!x) return unknownTensor(`${layer.typeName} received no tensor`);
  if (!x.shape) return unknownTensor(x.unknownReason ?? "input shape unknown", x.dtype);
  const fallback = () => `${layer.typeName}(${layer.int("in_features")}, ${layer.int("out_features")})`;
  if (x.shape.length === 0) {
    ctx.report(Message.rank({ subject: layerLabel(ctx, fallback()), expected: "an input of at least 1 dimension", tensor: inputLabel(ctx), rank: 0, shape: "[]" }));
    return unknownTensor("Linear on a scalar", x.dtype);
  }
  const last: Dim = x.shape[x.shape.length - 1];
  if (layer.param("weight") === undefined && layer.typeName.startsWith("Lazy")) {
    if (typeof last === "number") {
      layer.obj.attrs.set("in_features", int(last));
      layer.obj.module!.params.set("weight", makeParameter([layer.int("out_features"), last]));
    } else {
      ctx.note(`${layer.typeName} is lazy and its input size is symbolic; parameter count unknown`);
      ctx.countFlops(undefined);
      return makeTensor([...x.shape.slice(0, -1), layer.int("out_features")], x.dtype);
    }
  }
  checkInFeatures(ctx, layer, { ...x, shape: x.shape }, fallback());
  // flops: 2 × (elements of the input without its last axis) × in_features × out_features (addmm/mm; the bias is not counted)
  ctx.countFlops(productFlops(numel(x.shape.slice(0, -1)), layer.int("in_features"), layer.int("out_features")));
  return makeTensor([...x.shape.slice(0, -1), layer.int("out_features")], x.dtype);
}

export const linearRules: readonly LayerRule[] = [
  {
    type: "Linear",
    signature: "in_features, out_features, bias=True, device=None, dtype=None",
    build: (args, b) => {
      const inF = args.int("in_features");
      const outF = args.int("out_features");
      b.attr("in_features", inF);
      b.attr("out_features", outF);
      b.param("weight", [outF, inF]);
      b.param("bias", args.bool("bias") ? [outF] : undefined);
    },
    forward: linearForward,
    expectedInput: (layer) => ({ shape: symbolicShape("N", layer.int("in_features")), alternatives: [symbolicShape("N", "L", layer.int("in_features"))] }),
  },
  {
    type: "LazyLinear",
    signature: "out_features, bias=True, device=None, dtype=None",
    build: (args, b) => {
      const outF = args.int("out_features");
      b.attr("in_features", 0);
      b.attr("out_features", outF);
      b.param("weight", undefined);
      b.param("bias", args.bool("bias") ? [outF] : undefined);
    },
    forward: linearForward,
    becomes: "Linear",
  },
  {
    type: "Bilinear",
    signature: "in1_features, in2_features, out_features, bias=True, device=None, dtype=None",
    forwardSignature: "input1, input2",
    build: (args, b) => {
      const in1 = args.int("in1_features");
      const in2 = args.int("in2_features");
      const out = args.int("out_features");
      b.attr("in1_features", in1);
      b.attr("in2_features", in2);
      b.attr("out_features", out);
      b.param("weight", [out, in1, in2]);
      b.param("bias", args.bool("bias") ? [out] : undefined);
    },
    forward: (layer, args, ctx) => {
      const x = inputTensor(args, ctx, "Bilinear", "input1");
      if (!x?.shape) return unknownTensor("Bilinear input shape unknown");
      const label = layerLabel(ctx, `Bilinear(${layer.int("in1_features")}, ${layer.int("in2_features")}, ${layer.int("out_features")})`);
      for (const [index, name, features] of [[0, "input1", "in1_features"], [1, "input2", "in2_features"]] as const) {
        const t = index === 0 ? x : args.tensor(name);
        if (!t?.shape || t.shape.length === 0) continue;
        const expected = layer.int(features);
        if (compareSize(ctx, t.shape[t.shape.length - 1], expected).kind === "mismatch")
          ctx.report(Message.bilinearInFeatures({ layer: label, which: name, expected, tensor: inputLabel(ctx, index), actual: `${dimToString(t.shape[t.shape.length - 1])} (shape ${formatShape(t.shape)})` }));
      }
      // flops: as F.bilinear's (bilinearFlops, beside its rule)
      const weight = layer.param("weight");
      ctx.countFlops(weight?.shape ? bilinearFlops(numel(x.shape.slice(0, -1)), weight.shape) : undefined);
      return makeTensor([...x.shape.slice(0, -1), layer.int("out_features")], x.dtype);
    },
  },
  {
    type: "Identity",
    signature: "*args, **kwargs",
    build: () => undefined,
    forward: (_layer, args) => args.value("input"),
  },
];
