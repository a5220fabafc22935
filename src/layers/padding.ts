// Padding layers: ConstantPad1d/2d/3d, ZeroPad2d, ReflectionPad1d/2d/3d and
// ReplicationPad1d/2d/3d. padding is an int (every side) or a tuple of 2k ints
// (left, right, top, bottom, front, back): the last dim is padded by the first
// pair, the one before it by the second, and so on, as F.pad reads it.
import { PyException } from "../eval/errors.js";
import { numericValue } from "../eval/operators.js";
import { float, type Value } from "../eval/values.js";
import { dimAdd, dimGreater, dimToString, type Dim } from "../shapes/dim.js";
import { formatShape } from "../shapes/shape.js";
import { makeTensor, unknownTensor } from "../shapes/tensor.js";
import { inputTensor } from "./common.js";
import type { Args, Layer, LayerBuilder, LayerRule, RuleContext } from "./rule.js";
import { Message } from "../diagnostics/messages.js";
import { inputLabel, layerLabel } from "./describe.js";

type PadMode = "constant" | "reflect" | "replicate";

/** An int becomes 2n copies; a sequence is kept as given (PyTorch's _ntuple passes it through). */
function paddingTuple(args: Args, n: number, owner: string): number[] {
  const v = args.value("padding");
  if (v.kind === "tuple" || v.kind === "list") {
    const xs = v.items.map((x) => numericValue(x));
    if (xs.some((x) => typeof x !== "number")) throw new PyException("TypeError", `${owner}(): padding must be ints`);
    return xs as number[];
  }
  return Array<number>(2 * n).fill(args.int("padding"));
}

function buildPad(n: number, mode: PadMode, owner: string) {
  return (args: Args, b: LayerBuilder): void => {
    b.attr("padding", paddingTuple(args, n, owner));
    if (mode === "constant") b.attr("value", owner === "ZeroPad2d" ? float(0) : args.value("value"));
  };
}

function padForward(mode: PadMode) {
  return (layer: Layer, args: Args, ctx: RuleContext): Value => {
    const x = inputTensor(args, ctx, layer.typeName);
    if (!x) return unknownTensor(`${layer.typeName} received no tensor`);
    if (!x.shape) return unknownTensor(x.unknownReason ?? "input shape unknown", x.dtype);
    const shape = x.shape;
    const pad = layer.ints("padding");
    if (pad.length % 2 !== 0) {
      ctx.report(Message.padOddLength({ subject: layerLabel(ctx, layer.typeName), count: pad.length }));
      return unknownTensor("odd padding length", x.dtype);
    }
    const padded = pad.length / 2;
    const rank = shape.length;
    // constant padding pads the last dims of any rank; the others take (C, *) or (N, C, *)
    if (mode === "constant" ? rank < padded : rank !== padded + 1 && rank !== padded + 2) {
      const expected = mode === "constant" ? `at least ${padded}-D` : `${padded + 1}-D (unbatched) or ${padded + 2}-D (batched)`;
      ctx.report(Message.rank({ subject: layerLabel(ctx, `${layer.typeName}((${pad.join(", ")}))`), expected: `${expected} input`, tensor: inputLabel(ctx), rank, shape: formatShape(shape) }));
      return unknownTensor(`${layer.typeName} input of rank ${rank}`, x.dtype);
    }
    const out: Dim[] = [...shape];
    for (let i = 0; i < padded; i++) {
      const axis = rank - 1 - i;
      const [before, after] = [pad[2 * i], pad[2 * i + 1]];
      const size = shape[axis];
      if (mode === "reflect" && (dimGreater(size, before) === false || dimGreater(size, after) === false)) {
        ctx.report(Message.padReflect({ subject: layerLabel(ctx, layer.typeName), before, after, size: dimToString(size), axis, shape: formatShape(shape) }));
        return unknownTensor("reflection padding as large as the input", x.dtype);
      }
      out[axis] = dimAdd(size, before + after);
      const min = mode === "constant" ? 0 : 1;
      if (typeof out[axis] === "number" && (out[axis] as number) < min) {
        ctx.report(Message.outputSizePadding({ layer: layerLabel(ctx, layer.typeName), before, after, axis, size: dimToString(size), result: dimToString(out[axis]), shape: formatShape(shape) }));
        return unknownTensor("padding leaves no elements", x.dtype);
      }
    }
    return makeTensor(out, x.dtype);
  };
}

function padRule(type: string, n: number, mode: PadMode): LayerRule {
  return {
    type,
    signature: mode === "constant" && type !== "ZeroPad2d" ? "padding, value" : "padding",
    build: buildPad(n, mode, type),
    forward: padForward(mode),
  };
}

export const paddingRules: readonly LayerRule[] = [
  padRule("ConstantPad1d", 1, "constant"),
  padRule("ConstantPad2d", 2, "constant"),
  padRule("ConstantPad3d", 3, "constant"),
  padRule("ZeroPad2d", 2, "constant"),
  padRule("ReflectionPad1d", 1, "reflect"),
  padRule("ReflectionPad2d", 2, "reflect"),
  padRule("ReflectionPad3d", 3, "reflect"),
  padRule("ReplicationPad1d", 1, "replicate"),
  padRule("ReplicationPad2d", 2, "replicate"),
  padRule("ReplicationPad3d", 3, "replicate"),
];
