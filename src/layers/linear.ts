// Linear, LazyLinear, Bilinear and Identity.
import { dimEquals, dimToString, type Dim } from "../shapes/dim.js";
import { formatShape } from "../shapes/shape.js";
import { makeParameter, makeTensor, unknownTensor } from "../shapes/tensor.js";
import { int, type Value } from "../eval/values.js";
import { inputTensor, symbolicShape } from "./common.js";
import type { Args, Layer, LayerRule, RuleContext } from "./rule.js";

function linearForward(layer: Layer, args: Args, ctx: RuleContext): Value {
  const x = inputTensor(args, ctx, layer.typeName);
  if (!x) return unknownTensor(`${layer.typeName} received no tensor`);
  if (!x.shape) return unknownTensor(x.unknownReason ?? "input shape unknown", x.dtype);
  if (x.shape.length === 0) {
    ctx.report("rank", `${layer.typeName} expects at least a 1-D input, but got a 0-D tensor`);
    return unknownTensor("Linear on a scalar", x.dtype);
  }
  const last: Dim = x.shape[x.shape.length - 1];
  if (layer.param("weight") === undefined && layer.typeName.startsWith("Lazy")) {
    if (typeof last === "number") {
      layer.obj.attrs.set("in_features", int(last));
      layer.obj.module!.params.set("weight", makeParameter([layer.int("out_features"), last]));
    } else ctx.note(`${layer.typeName} is lazy and its input size is symbolic; parameter count unknown`);
  }
  const inFeatures = layer.int("in_features");
  if (!dimEquals(last, inFeatures)) {
    ctx.report(
      "linear-in-features",
      `Linear(${inFeatures}, ${layer.int("out_features")}) expects ${inFeatures} input features, but the input has ${dimToString(last)} (shape ${formatShape(x.shape)})`,
    );
  }
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
    expectedInput: (layer) => ({ shape: symbolicShape("N", layer.int("in_features")) }),
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
      const in1 = layer.int("in1_features");
      if (!dimEquals(x.shape[x.shape.length - 1], in1))
        ctx.report("shape-mismatch", `Bilinear expects input1 with last dimension ${in1}, but got ${formatShape(x.shape)}`);
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
