// Dropout and its channel-wise and alpha forms. None changes the shape (the
// analysis runs in eval mode, where dropout is the identity); the channel-wise
// forms check the ranks PyTorch's functional forms accept.
import { PyException } from "../eval/errors.js";
import { numericValue, pyRepr } from "../eval/operators.js";
import { formatShape } from "../shapes/shape.js";
import { unknownTensor } from "../shapes/tensor.js";
import type { Value } from "../eval/values.js";
import { inputTensor } from "./common.js";
import type { Args, Layer, LayerBuilder, LayerRule, RuleContext } from "./rule.js";
import { Message } from "../diagnostics/messages.js";
import { inputLabel, layerLabel } from "./describe.js";

function buildDropout(args: Args, b: LayerBuilder): void {
  const v = args.value("p");
  // p does not affect shapes: an unknown p (from an unread config) is kept, not an error
  const p = v.kind === "float" ? v.value : numericValue(v);
  if (typeof p === "number" && (p < 0 || p > 1)) throw new PyException("ValueError", `dropout probability has to be between 0 and 1, but got ${pyRepr(v)}`);
  b.attr("p", args.value("p"));
  b.attr("inplace", args.bool("inplace"));
}

/** A shape-preserving forward that accepts ranks in [minRank, maxRank]. */
function dropoutForward(minRank: number, maxRank: number) {
  return (layer: Layer, args: Args, ctx: RuleContext): Value => {
    const x = inputTensor(args, ctx, layer.typeName);
    if (!x) return unknownTensor(`${layer.typeName} received no tensor`);
    if (!x.shape) return x;
    const rank = x.shape.length;
    if (rank < minRank || rank > maxRank) {
      const expected = maxRank === Infinity ? `at least ${minRank}-D` : `${minRank}-D or ${maxRank}-D`;
      ctx.report(Message.rank({ subject: layerLabel(ctx, layer.typeName), expected: `${expected} input`, tensor: inputLabel(ctx), rank, shape: formatShape(x.shape) }));
    }
    return x;
  };
}

function dropoutRule(type: string, minRank: number, maxRank: number): LayerRule {
  return { type, signature: "p=0.5, inplace=False", build: buildDropout, forward: dropoutForward(minRank, maxRank) };
}

export const dropoutRules: readonly LayerRule[] = [
  dropoutRule("Dropout", 0, Infinity),
  // (C, L) or (N, C, L)
  dropoutRule("Dropout1d", 2, 3),
  // feature dropout needs a channel dim; other ranks only warn in PyTorch 1.13
  dropoutRule("Dropout2d", 2, Infinity),
  dropoutRule("Dropout3d", 1, Infinity),
  dropoutRule("AlphaDropout", 0, Infinity),
  dropoutRule("FeatureAlphaDropout", 2, Infinity),
];
