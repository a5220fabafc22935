// The activations of torch.nn. All keep the input shape except GLU (halves a
// dim); PReLU has num_parameters weights; Softmax-like layers validate dim.
import { dimFloorDiv } from "../shapes/dim.js";
import { formatShape, normalizeAxis } from "../shapes/shape.js";
import { makeTensor, unknownTensor } from "../shapes/tensor.js";
import type { Value } from "../eval/values.js";
import { inputTensor } from "./common.js";
import type { Args, Layer, LayerRule, RuleContext } from "./rule.js";
import { Message } from "../diagnostics/messages.js";
import { inputLabel, layerLabel } from "./describe.js";

function sameShape(layer: Layer, args: Args, ctx: RuleContext): Value {
  const x = inputTensor(args, ctx, layer.typeName);
  return x ?? unknownTensor(`${layer.typeName} received no tensor`);
}

/** Activation classes whose only effect on shapes is none; signature from torch.nn. */
const elementwise: Readonly<Record<string, string>> = {
  ReLU: "inplace=False",
  ReLU6: "inplace=False",
  LeakyReLU: "negative_slope=0.01, inplace=False",
  ELU: "alpha=1.0, inplace=False",
  SELU: "inplace=False",
  CELU: "alpha=1.0, inplace=False",
  GELU: "approximate='none'",
  SiLU: "inplace=False",
  Mish: "inplace=False",
  Hardswish: "inplace=False",
  Hardsigmoid: "inplace=False",
  Hardtanh: "min_val=-1.0, max_val=1.0, inplace=False, min_value=None, max_value=None",
  Sigmoid: "",
  Tanh: "",
  Softplus: "beta=1, threshold=20",
  Softsign: "",
  Tanhshrink: "",
  Threshold: "threshold, value, inplace=False",
  LogSigmoid: "",
  Hardshrink: "lambd=0.5",
  Softshrink: "lambd=0.5",
  RReLU: "lower=0.125, upper=0.3333333333333333, inplace=False",
  Softmax2d: "",
};

function storeArgs(args: Args, b: { attr: (n: string, v: Value) => void }): void {
  for (const [k, v] of args.values) b.attr(k, v);
}

const elementwiseRules: LayerRule[] = Object.entries(elementwise).map(([type, signature]) => ({
  type,
  signature,
  build: storeArgs,
  forward: sameShape,
}));

function softmaxLike(type: string): LayerRule {
  return {
    type,
    signature: "dim=None",
    build: storeArgs,
    forward: (layer, args, ctx) => {
      const x = inputTensor(args, ctx, type);
      if (!x) return unknownTensor(`${type} received no tensor`);
      const dim = layer.optionalInt("dim");
      if (x.shape && dim !== undefined && normalizeAxis(dim, x.shape.length) === undefined)
        ctx.report(Message.dimOutOfRange({ op: layerLabel(ctx, type), what: "dim", dim, tensor: inputLabel(ctx), rank: x.shape.length, shape: formatShape(x.shape), low: -Math.max(x.shape.length, 1), high: Math.max(x.shape.length, 1) - 1 }));
      return x;
    },
  };
}

export const activationRules: readonly LayerRule[] = [
  ...elementwiseRules,
  softmaxLike("Softmax"),
  softmaxLike("LogSoftmax"),
  softmaxLike("Softmin"),
  {
    type: "PReLU",
    signature: "num_parameters=1, init=0.25, device=None, dtype=None",
    build: (args, b) => {
      b.attr("num_parameters", args.int("num_parameters"));
      b.param("weight", [args.int("num_parameters")]);
    },
    forward: sameShape,
  },
  {
    type: "GLU",
    signature: "dim=-1",
    build: storeArgs,
    forward: (layer, args, ctx) => {
      const x = inputTensor(args, ctx, "GLU");
      if (!x?.shape) return x ?? unknownTensor("GLU received no tensor");
      const axis = normalizeAxis(layer.int("dim"), x.shape.length);
      if (axis === undefined) {
        ctx.report(Message.dimOutOfRange({ op: layerLabel(ctx, "GLU"), what: "dim", dim: layer.int("dim"), tensor: inputLabel(ctx), rank: x.shape.length, shape: formatShape(x.shape), low: -x.shape.length, high: x.shape.length - 1 }));
        return unknownTensor("GLU dim out of range", x.dtype);
      }
      const shape = [...x.shape];
      shape[axis] = dimFloorDiv(shape[axis], 2);
      return makeTensor(shape, x.dtype);
    },
  },
];
