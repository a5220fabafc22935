// einops.layers.torch: Rearrange and Reduce (rows with no parameters; their
// pattern is checked when built, as einops prepares its recipes in __init__)
// and EinMix (an einsum with a weight and optional bias whose sizes are given
// as keywords; grouped sides become Rearrange children, as einops makes them).
import { bindArguments } from "../../eval/binding.js";
import { numericValue } from "../../eval/operators.js";
import { str, type Value } from "../../eval/values.js";
import type { Dim } from "../../shapes/dim.js";
import { unknownTensor } from "../../shapes/tensor.js";
import { knownInput } from "../common.js";
import { inputLabel, layerLabel } from "../describe.js";
import { opRules } from "../ops/index.js";
import { Args, type LayerRule } from "../rule.js";
import { parseSignature } from "../signature.js";
import { compactEinsumPattern, transform } from "./functions.js";
import { axisText, einopsError, parseExpression, splitArrow } from "./pattern.js";
import { fixedRank, prepareRecipe, type Operation } from "./recipe.js";

export const einopsModule = "einops.layers.torch";

/** The **axes_lengths of a constructor as sizes. */
function axesLengths(v: Value): Map<string, Dim> {
  const out = new Map<string, Dim>();
  if (v.kind !== "dict") return out;
  for (const { key, value } of v.entries.values()) {
    const n = numericValue(value);
    if (key.kind === "str" && n !== undefined) out.set(key.value, n);
  }
  return out;
}

function checkPattern(pattern: string, operation: Operation, lengths: ReadonlyMap<string, Dim>): void {
  const left = parseExpression(splitArrow(pattern)[0]);
  prepareRecipe(pattern, operation, [...lengths.keys()], fixedRank(left));
}

/** Rearrange and Reduce: the pattern checked when built, applied in forward. */
function patternLayer(type: string, signature: string, operationOf: (reduction: string | undefined) => Operation): LayerRule {
  return {
    type,
    signature,
    pythonModule: einopsModule,
    build(args, layer) {
      const pattern = args.str("pattern") ?? "";
      const reduction = args.values.has("reduction") ? (args.str("reduction") ?? "sum") : undefined;
      checkPattern(pattern, operationOf(reduction), axesLengths(args.value("axes_lengths")));
      layer.attr("pattern", pattern);
      if (reduction !== undefined) layer.attr("reduction", reduction);
      layer.attr("axes_lengths", args.value("axes_lengths"));
    },
    forward(layer, args, ctx) {
      const x = knownInput(layer, args, ctx);
      if ("early" in x) return x.early;
      const pattern = layer.str("pattern") ?? "";
      const labels = { subject: layerLabel(ctx, `${layer.typeName}('${pattern}')`), tensor: inputLabel(ctx) };
      return transform(ctx, x, pattern, operationOf(layer.str("reduction")), axesLengths(layer.attr("axes_lengths")), labels);
    },
  };
}

const rearrange = patternLayer("Rearrange", "pattern, **axes_lengths", () => "rearrange");
// a callable reduction (torch.var) reduces the same axes as a named one
const reduce = patternLayer("Reduce", "pattern, reduction, **axes_lengths", (reduction) => (reduction ?? "sum") as Operation);

/** The flat axes of one side ('t b (h c)' → t b h c). */
function flatAxes(text: string): string[] {
  return parseExpression(text).composition.flatMap((c) => (typeof c === "string" ? [c] : c.map(axisText)));
}

const einMix: LayerRule = {
  type: "EinMix",
  signature: "pattern, weight_shape, bias_shape=None, **axes_lengths",
  pythonModule: einopsModule,
  build(args, layer) {
    const pattern = args.str("pattern") ?? "";
    const weightShape = args.str("weight_shape") ?? "";
    const lengths = axesLengths(args.value("axes_lengths"));
    const [leftText, rightText] = splitArrow(pattern);
    const left = parseExpression(leftText);
    const right = parseExpression(rightText);
    const weight = parseExpression(weightShape);
    const unrecognized = [...right.identifiers].filter((a) => !left.identifiers.has(a) && !weight.identifiers.has(a));
    if (unrecognized.length > 0) throw einopsError(`Unrecognized identifiers on the right side of EinMix {${unrecognized.map((a) => `'${axisText(a)}'`).join(", ")}}`);
    if (left.hasEllipsis || right.hasEllipsis || weight.hasEllipsis) throw einopsError("Ellipsis is not supported in EinMix (right now)");
    if ([left, right, weight].some((x) => x.hasNonUnitaryAnonymousAxes)) throw einopsError("Anonymous axes (numbers) are not allowed in EinMix");
    if (weightShape.includes("(") || weightShape.includes(")")) throw einopsError(`Parenthesis is not allowed in weight shape: ${weightShape}`);
    const grouped = (x: typeof left) => x.composition.some((g) => typeof g === "string" || g.length !== 1);
    const leftFlat = flatAxes(leftText);
    const rightFlat = flatAxes(rightText);
    // grouped sides are Rearrange children, built before the parameters as einops builds them
    if (grouped(left)) {
      const lengthsUsed = Object.fromEntries([...lengths].filter(([k]) => leftFlat.includes(k)).map(([k, v]) => [k, typeof v === "number" ? v : 0]));
      layer.child("pre_rearrange", "Rearrange", { pattern: `${leftText}->${leftFlat.join(" ")}`, ...lengthsUsed });
    } else layer.attr("pre_rearrange", null);
    if (grouped(right)) layer.child("post_rearrange", "Rearrange", { pattern: `${rightFlat.join(" ")}->${rightText}` });
    else layer.attr("post_rearrange", null);
    const weightAxes = flatAxes(weightShape);
    for (const axis of weightAxes) if (!lengths.has(axis)) throw einopsError(`Dimension ${axis} of weight should be specified`);
    layer.param("weight", weightAxes.map((a) => lengths.get(a)!));
    const biasShape = args.str("bias_shape");
    if (biasShape !== undefined) {
      const bias = new Set(flatAxes(biasShape));
      for (const axis of bias) if (!lengths.has(axis)) throw einopsError(`Sizes not provided for bias axes {'${axis}'}`);
      layer.param("bias", rightFlat.map((a) => (bias.has(a) ? lengths.get(a)! : 1)));
    } else layer.attr("bias", null);
    layer.attr("einsum_pattern", compactEinsumPattern(`${leftFlat.join(" ")}, ${weightAxes.join(" ")} -> ${rightFlat.join(" ")}`));
  },
  forward(layer, args, ctx) {
    let x: Value = args.value("input");
    const pre = layer.attr("pre_rearrange");
    if (pre.kind === "object") x = ctx.interp.callValue(pre, [x]);
    const weight = layer.param("weight");
    if (x.kind !== "tensor" || !x.shape || !weight) return unknownTensor("EinMix received a tensor of unknown shape");
    const einsum = opRules.get("torch.einsum")!;
    const sig = parseSignature(einsum.signature);
    const equation = layer.str("einsum_pattern") ?? "";
    const out = einsum.apply(new Args(bindArguments("torch.einsum", sig.params, sig.defaults, [str(equation), x, weight], new Map()), "torch.einsum"), ctx);
    // the bias has the output's rank with 1 outside its axes: adding it keeps the shape
    const post = layer.attr("post_rearrange");
    return post.kind === "object" ? ctx.interp.callValue(post, [out]) : out;
  },
};

export const einopsLayerRules: readonly LayerRule[] = [rearrange, reduce, einMix];

