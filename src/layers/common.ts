// Small helpers the layer and op rules share.
import { SymDim, dimToString, type Dim } from "../shapes/dim.js";
import { formatShape, type Shape } from "../shapes/shape.js";
import { unknownTensor, type Tensor } from "../shapes/tensor.js";
import type { Value } from "../eval/values.js";
import type { Args, Layer, RuleContext } from "./rule.js";
import { Message } from "../diagnostics/messages.js";
import { inputLabel, layerLabel, windowSettings } from "./describe.js";

/** The tensor a rule receives as `input` (or the named argument); undefined when it is not a tensor. */
export function inputTensor(args: Args, ctx: RuleContext, owner: string, name = "input"): Tensor | undefined {
  const v = args.value(name);
  if (v.kind === "tensor") return v;
  if (v.kind !== "unknown") ctx.note(`${owner} received ${v.kind} where a tensor was expected`);
  return undefined;
}

const spatialLetters: Readonly<Record<number, readonly string[]>> = { 1: ["L"], 2: ["H", "W"], 3: ["D", "H", "W"] };

/** Symbolic names of n spatial dims: L; H, W; D, H, W. */
export function spatialSymbols(n: number): string[] {
  return [...(spatialLetters[n] ?? Array.from({ length: n }, (_, i) => `S${i}`))];
}

/** A shape from numbers and symbol names: symbolicShape("N", 3, "H", "W"). */
export function symbolicShape(...dims: (string | Dim)[]): Dim[] {
  return dims.map((d) => (typeof d === "string" ? SymDim.variable(d) : d));
}

/** "4 × 4" for messages. */
export function spatialNames(dims: Shape): string {
  return dims.map(dimToString).join(" × ");
}

/** The input tensor with a known shape, or the value forward should return. */
export function knownInput(layer: Layer, args: Args, ctx: RuleContext): Tensor | { early: Value } {
  const x = inputTensor(args, ctx, layer.typeName);
  if (!x) return { early: unknownTensor(`${layer.typeName} received no tensor`) };
  if (!x.shape) return { early: unknownTensor(x.unknownReason ?? "input shape unknown", x.dtype) };
  return x;
}

/** A wrong-rank input: the `rank` diagnostic, and an unknown output. */
export function rankError(layer: Layer, ctx: RuleContext, x: Tensor, expected: string): Value {
  const rank = x.shape!.length;
  ctx.report(Message.rank({ subject: layerLabel(ctx, layer.typeName), expected: `${expected} input`, tensor: inputLabel(ctx), rank, shape: formatShape(x.shape) }));
  return unknownTensor(`${layer.typeName} input of rank ${rank}`, x.dtype);
}

/** The geometry of a sliding-window layer's output, for the empty-output check. */
export interface WindowGeometry {
  readonly spatial: readonly Dim[];
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  readonly dilation: readonly number[];
  readonly output: readonly Dim[];
}

/** A conv or pool whose output would be empty: the `output-size` diagnostic and an unknown output; undefined when fine. */
export function emptyWindowOutput(ctx: RuleContext, layer: Layer, x: Tensor, g: WindowGeometry): Tensor | undefined {
  if (!g.output.some((d) => typeof d === "number" && d <= 0)) return undefined;
  ctx.report(
    Message.outputSize({
      layer: layerLabel(ctx, layer.typeName),
      input: `${spatialNames(g.spatial)}${x.origin?.after ? ` (after ${x.origin.after})` : ""}`,
      kernel: g.kernel.join(" × "),
      settings: windowSettings(g.stride, g.padding, g.dilation),
      output: spatialNames(g.output),
    }),
  );
  return unknownTensor(`empty ${layer.typeName} output`, x.dtype);
}
