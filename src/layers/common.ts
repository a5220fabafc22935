// Small helpers the layer and op rules share.
import { SymDim, dimToString, type Dim } from "../shapes/dim.js";
import type { Shape } from "../shapes/shape.js";
import type { Tensor } from "../shapes/tensor.js";
import type { Args, RuleContext } from "./rule.js";

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
