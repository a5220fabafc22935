// Calling op rules directly: arguments bound from the rule's signature, a
// context that records reports and notes. Tensors from readable dims.
import { bindArguments } from "../../src/eval/binding.js";
import type { Interpreter } from "../../src/eval/interpreter.js";
import { ELLIPSIS, float, int, list, NONE, str, tuple, type Value } from "../../src/eval/values.js";
import { opRules } from "../../src/layers/ops/index.js";
import { Args, type RuleContext } from "../../src/layers/rule.js";
import { parseSignature } from "../../src/layers/signature.js";
import { dimToString, SymDim, type Dim } from "../../src/shapes/dim.js";
import { makeTensor, type DType, type Tensor } from "../../src/shapes/tensor.js";

export interface Call {
  readonly result: Value;
  readonly reports: { code: string; message: string; severity?: string }[];
  readonly notes: string[];
  /** what the rule counted with ctx.countFlops */
  readonly flops: (Dim | undefined)[];
}

export function call(name: string, args: readonly Value[], kwargs: Readonly<Record<string, Value>> = {}): Call {
  const rule = opRules.get(name);
  if (!rule) throw new Error(`no rule for ${name}`);
  const sig = parseSignature(rule.signature);
  const bound = bindArguments(name, sig.params, sig.defaults, args, new Map(Object.entries(kwargs)));
  const reports: Call["reports"] = [];
  const notes: string[] = [];
  const flops: (Dim | undefined)[] = [];
  const ctx: RuleContext = {
    interp: undefined as unknown as Interpreter,
    site: undefined,
    report: (message, options) => {
      reports.push({ code: message.code, message: message.text, severity: options?.severity });
      return undefined;
    },
    note: (m) => notes.push(m),
    countFlops: (f) => flops.push(f),
  };
  return { result: rule.apply(new Args(bound, name), ctx), reports, notes, flops };
}

/** A dim from a number or a symbol name. */
export function d(x: number | string): Dim {
  return typeof x === "number" ? x : SymDim.variable(x);
}

export function t(dims: readonly (number | string)[], dtype: DType = "float32"): Tensor {
  return makeTensor(dims.map(d), dtype);
}

export function i(x: number | string): Value {
  return int(d(x));
}

export function f(x: number): Value {
  return float(x);
}

export const none = NONE;
export const ellipsis = ELLIPSIS;
export { list, str, tuple };

export function slice(lower?: number | string | null, upper?: number | string | null, step?: number | null): Value {
  const v = (x: number | string | null | undefined) => (x === undefined || x === null ? NONE : i(x));
  return { kind: "slice", lower: v(lower), upper: v(upper), step: v(step) };
}

/** The shape of a tensor result as numbers and strings ("N", "H - 1"); "unknown" when not known. */
export function shape(v: Value): (number | string)[] | "unknown" | "not a tensor" {
  if (v.kind !== "tensor") return "not a tensor";
  if (!v.shape) return "unknown";
  return v.shape.map((x) => (typeof x === "number" ? x : dimToString(x)));
}

export function dtype(v: Value): string {
  return v.kind === "tensor" ? v.dtype : v.kind;
}

export function codes(c: Call): string[] {
  return c.reports.map((r) => r.code);
}
