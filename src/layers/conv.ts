// Conv1d/2d/3d, ConvTranspose1d/2d/3d and their Lazy forms.
// Output size (PyTorch docs): floor((in + 2p - d(k-1) - 1) / s) + 1;
// transposed: (in - 1)s - 2p + d(k-1) + output_padding + 1.
import { productFlops } from "./flops.js";
import { PyException } from "../eval/errors.js";
import { dimCompareEq, dimToString, type Dim } from "../shapes/dim.js";
import { Fix, Message } from "../diagnostics/messages.js";
import { inputLabel, layerLabel, layerSource, lazyConstructor, rewrittenConstructor, sizeStory } from "./describe.js";
import { convOutputSize, convTransposeOutputSize, formatShape, numel } from "../shapes/shape.js";
import { makeParameter, makeTensor, unknownTensor } from "../shapes/tensor.js";
import type { Value } from "../eval/values.js";
import { Args, Layer, type LayerBuilder, type LayerRule, type RuleContext } from "./rule.js";
import { emptyWindowOutput, inputTensor, spatialSymbols, symbolicShape } from "./common.js";

const convSignature =
  "in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros', device=None, dtype=None";
const lazyConvSignature = "out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros', device=None, dtype=None";
const transposeSignature =
  "in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros', device=None, dtype=None";
const lazyTransposeSignature =
  "out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros', device=None, dtype=None";

function buildConv(n: number, transposed: boolean, lazy: boolean) {
  return (args: Args, b: LayerBuilder): void => {
    const inChannels = lazy ? undefined : args.int("in_channels");
    const out = args.int("out_channels");
    const groups = args.int("groups");
    const kernel = args.ints("kernel_size", n);
    const paddingArg = args.value("padding");
    if (inChannels !== undefined && inChannels % groups !== 0) throw new PyException("ValueError", "in_channels must be divisible by groups");
    if (out % groups !== 0) throw new PyException("ValueError", "out_channels must be divisible by groups");
    b.attr("in_channels", inChannels ?? 0);
    b.attr("out_channels", out);
    b.attr("kernel_size", kernel);
    b.attr("stride", args.ints("stride", n));
    b.attr("padding", paddingArg.kind === "str" ? paddingArg.value : args.ints("padding", n));
    b.attr("dilation", args.ints("dilation", n));
    b.attr("groups", groups);
    b.attr("transposed", transposed);
    b.attr("output_padding", transposed ? args.ints("output_padding", n) : Array(n).fill(0));
    b.attr("padding_mode", args.str("padding_mode") ?? "zeros");
    const weight = inChannels === undefined ? undefined : transposed ? [inChannels, out / groups, ...kernel] : [out, inChannels / groups, ...kernel];
    b.param("weight", weight);
    b.param("bias", args.bool("bias") ? [out] : undefined);
  };
}

function convForward(n: number, transposed: boolean, lazy: boolean) {
  return (layer: Layer, args: Args, ctx: RuleContext): Value => {
    const x = inputTensor(args, ctx, layer.typeName);
    if (!x) return unknownTensor(`${layer.typeName} received no tensor`);
    if (!x.shape) return unknownTensor(x.unknownReason ?? "input shape unknown", x.dtype);
    const rank = x.shape.length;
    if (rank !== n + 1 && rank !== n + 2) {
      ctx.report(Message.rank({ subject: layerLabel(ctx, layer.typeName), expected: `a ${n + 1}-D (unbatched) or ${n + 2}-D (batched) input`, tensor: inputLabel(ctx), rank, shape: formatShape(x.shape) }));
      return unknownTensor(`${layer.typeName} input of rank ${rank}`);
    }
    const channelAxis = rank - n - 1;
    const channels = x.shape[channelAxis];
    if (lazy && layer.param("weight") === undefined) materializeLazy(layer, channels, transposed, ctx);
    const inChannels = layer.int("in_channels");
    if (dimCompareEq(channels, inChannels) === false) {
      const source = layerSource(ctx, layer);
      const corrected = {
        replacement: rewrittenConstructor(source, "in_channels", 0, dimToString(channels)) ?? `in_channels=${dimToString(channels)}`,
        lazy: lazyConstructor(source, "in_channels", 0) ?? `nn.Lazy${layer.typeName}(...)`,
      };
      ctx.report(
        Message.inChannels({ layer: layerLabel(ctx, `${layer.typeName}(${inChannels}, ${layer.int("out_channels")}, ...)`), expected: inChannels, tensor: inputLabel(ctx), actual: sizeStory(ctx, x, channelAxis), shape: formatShape(x.shape) }),
        { fix: Fix.correctedLayer(corrected) },
      );
    }
    const kernel = layer.ints("kernel_size");
    const stride = layer.ints("stride");
    const dilation = layer.ints("dilation");
    const paddingAttr = layer.attr("padding");
    const spatial = x.shape.slice(channelAxis + 1);
    const outSpatial: Dim[] = [];
    for (let i = 0; i < n; i++) {
      if (transposed) {
        outSpatial.push(convTransposeOutputSize(spatial[i], kernel[i], stride[i], layer.ints("padding")[i], layer.ints("output_padding")[i], dilation[i]));
        continue;
      }
      let padding: number;
      if (paddingAttr.kind === "str") {
        if (paddingAttr.value === "valid") padding = 0;
        else {
          // 'same' keeps the size (stride 1); total padding d(k-1) may be asymmetric
          outSpatial.push(spatial[i]);
          continue;
        }
      } else padding = layer.ints("padding")[i];
      outSpatial.push(convOutputSize(spatial[i], kernel[i], stride[i], padding, dilation[i]));
    }
    const empty = emptyWindowOutput(ctx, layer, x, { spatial, kernel, stride, padding: paddingAttr.kind === "str" ? [0] : layer.ints("padding"), dilation, output: outSpatial });
    if (empty) return empty;
    ctx.countFlops(convFlops(layer, x.shape.slice(0, channelAxis), transposed ? spatial : outSpatial));
    return makeTensor([...x.shape.slice(0, channelAxis), layer.int("out_channels"), ...outSpatial], x.dtype);
  };
}

/**
 * flop_counter's conv_flop_count: 2 × batch × (output positions; a transposed conv's
 * input positions) × out_channels × in_channels / groups × kernel elements, with the
 * weight's own in/out axes ([out, in / groups, *k]; transposed [in, out / groups, *k]).
 */
function convFlops(layer: Layer, batch: readonly Dim[], positions: readonly Dim[]): Dim | undefined {
  const weight = layer.param("weight");
  if (!weight?.shape) return undefined;
  return productFlops(numel(batch), numel(positions), ...weight.shape);
}

function materializeLazy(layer: Layer, channels: Dim, transposed: boolean, ctx: RuleContext): void {
  if (typeof channels !== "number") {
    ctx.note(`${layer.typeName} is lazy and its input channels are symbolic; parameter count unknown`);
    return;
  }
  const groups = layer.int("groups");
  const out = layer.int("out_channels");
  const kernel = layer.ints("kernel_size");
  const module = layer.obj.module!;
  layer.obj.attrs.set("in_channels", { kind: "int", value: channels });
  const weight = transposed ? [channels, out / groups, ...kernel] : [out, channels / groups, ...kernel];
  module.params.set("weight", makeParameter(weight));
}

function convRule(type: string, n: number, transposed: boolean, lazy: boolean): LayerRule {
  return {
    type,
    signature: lazy ? (transposed ? lazyTransposeSignature : lazyConvSignature) : transposed ? transposeSignature : convSignature,
    build: buildConv(n, transposed, lazy),
    forward: convForward(n, transposed, lazy),
    expectedInput: lazy ? undefined : (layer) => ({ shape: symbolicShape("N", layer.int("in_channels"), ...spatialSymbols(n)) }),
    becomes: lazy ? type.replace("Lazy", "") : undefined,
  };
}

export const convRules: readonly LayerRule[] = [
  convRule("Conv1d", 1, false, false),
  convRule("Conv2d", 2, false, false),
  convRule("Conv3d", 3, false, false),
  convRule("ConvTranspose1d", 1, true, false),
  convRule("ConvTranspose2d", 2, true, false),
  convRule("ConvTranspose3d", 3, true, false),
  convRule("LazyConv1d", 1, false, true),
  convRule("LazyConv2d", 2, false, true),
  convRule("LazyConv3d", 3, false, true),
  convRule("LazyConvTranspose1d", 1, true, true),
  convRule("LazyConvTranspose2d", 2, true, true),
  convRule("LazyConvTranspose3d", 3, true, true),
];
