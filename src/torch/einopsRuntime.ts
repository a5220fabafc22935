// The einops package as the evaluator sees it, whether or not it is installed:
// einops (rearrange, reduce, repeat, einsum, pack, unpack, parse_shape),
// einops.layers.torch (Rearrange, Reduce, EinMix). The version is the
// environment's when it has einops, else the latest release this models;
// pack and unpack arrived in 0.6.
import { makeClass, type BuiltinTypes } from "../eval/builtins.js";
import { PyException } from "../eval/errors.js";
import { numericValue, pyRepr } from "../eval/operators.js";
import { nativeNamespace } from "../eval/stdlib.js";
import { atLeast } from "../eval/versionOrder.js";
import { int, list, makeDict, native, NONE, str, tuple, unknown, type ClassValue, type NamespaceValue, type NativeCall, type Value } from "../eval/values.js";
import { argumentLabel, callLabel } from "../layers/describe.js";
import { einopsLayerRules } from "../layers/einops/layers.js";
import { compactEinsumPattern, pack, parseShape, transform, unpack } from "../layers/einops/functions.js";
import { isReduction, type Operation } from "../layers/einops/recipe.js";
import type { Dim } from "../shapes/dim.js";
import { makeTensor, type Tensor } from "../shapes/tensor.js";
import { LayerClasses } from "./layerClass.js";
import { lookupOp } from "./ops.js";
import { observedOp } from "./opCallObserver.js";
import { makeRuleContext } from "./ruleContext.js";
import type { TorchApi } from "./torchApi.js";

/** The newest einops release whose API this models (0.6 to 0.8 are covered). */
export const latestEinopsVersion = "0.8.1";

function patternArg(call: NativeCall, index: number, name: string, owner: string): string {
  const v = call.args[index] ?? call.kwargs.get(name);
  if (v?.kind !== "str") throw new PyException("TypeError", `${owner}() argument '${name}' must be str, not ${v ? pyRepr(v) : "missing"}`);
  return v.value;
}

/** The tensor argument, a list of tensors stacked on a new first axis as einops stacks it. */
function tensorArg(call: NativeCall, owner: string): Tensor | undefined {
  const v = call.args[0] ?? call.kwargs.get("tensor");
  if (v?.kind === "tensor") return v;
  if (v?.kind === "list" && v.items.length > 0 && v.items.every((t) => t.kind === "tensor")) {
    const stacked = call.interp.callValue(lookupOp("torch.stack")!, [v]);
    return stacked.kind === "tensor" ? stacked : undefined;
  }
  if (v?.kind === "list" && v.items.length === 0) throw new PyException("TypeError", "Rearrange/Reduce/Repeat can't be applied to an empty list");
  if (v?.kind !== "unknown") call.interp.note(`${owner} received ${v?.kind ?? "nothing"} where a tensor was expected`, call.site);
  return undefined;
}

/** The **axes_lengths keywords; a size that is not a number leaves the call unknown. */
function lengthsOf(call: NativeCall, skip: readonly string[]): Map<string, Dim> | undefined {
  const out = new Map<string, Dim>();
  for (const [k, v] of call.kwargs) {
    if (skip.includes(k)) continue;
    const n = numericValue(v);
    if (n === undefined) return undefined;
    out.set(k, n);
  }
  return out;
}

function transformFunction(name: string, operation: (call: NativeCall) => Operation, named: readonly string[]): Value {
  return native(`einops.${name}`, (call) => observedOp(call.interp, `einops.${name}`, () => [...call.args, ...call.kwargs.values()], call.site, () => {
    const pattern = patternArg(call, 1, "pattern", name);
    const x = tensorArg(call, `einops.${name}`);
    const lengths = lengthsOf(call, named);
    if (!x || !lengths) return unknownResult(`einops.${name} of an unknown tensor or axis size`);
    const ctx = makeRuleContext(call.interp, call.site);
    return transform(ctx, x, pattern, operation(call), lengths, { subject: callLabel(ctx, `${name}(x, '${pattern}')`), tensor: argumentLabel(ctx, 0, "the tensor") });
  }));
}

function unknownResult(why: string): Value {
  return { ...makeTensor(undefined), unknownReason: why };
}

function reductionOf(call: NativeCall): Operation {
  const r = call.args[2] ?? call.kwargs.get("reduction");
  if (r?.kind === "str") {
    if (!isReduction(r.value)) return r.value as Operation; // prepareRecipe raises einops' error
    return r.value;
  }
  // a callable reduction (torch.var, ...) reduces the same axes
  return "sum";
}

function shapeValue(shape: readonly Dim[]): Value {
  return tuple(shape.map((d) => int(d)));
}

/** A module whose members are all its names: a missing one is an AttributeError (hasattr(einops, "pack") is decided). */
function completeModule(name: string, members: Record<string, Value>, submodule?: (attr: string) => Value | undefined): NamespaceValue {
  const ns = nativeNamespace(name, members, submodule);
  const assigned = new Map<string, Value>();
  return { ...ns, get: (attr) => assigned.get(attr) ?? ns.get(attr), set: (attr, value) => void assigned.set(attr, value) };
}

export class EinopsRuntime {
  readonly layers: LayerClasses;
  private readonly namespaces = new Map<string, NamespaceValue>();
  private readonly errorClass: ClassValue;

  constructor(
    types: BuiltinTypes,
    moduleClass: ClassValue,
    api: TorchApi,
    /** einops.__version__ */
    readonly version: string = latestEinopsVersion,
  ) {
    this.layers = new LayerClasses(new Map(einopsLayerRules.map((r) => [r.type, r])), moduleClass, api);
    this.errorClass = makeClass("EinopsError", [types.Exception], {}, undefined, "einops");
  }

  namespace(name: string): NamespaceValue | undefined {
    let ns = this.namespaces.get(name);
    if (!ns) {
      ns = this.create(name);
      if (ns) this.namespaces.set(name, ns);
    }
    return ns;
  }

  private create(name: string): NamespaceValue | undefined {
    if (name === "einops" || name === "einops.einops" || name === "einops.packing") return completeModule(name, this.functions(), (attr) => (name === "einops" ? this.namespace(`einops.${attr}`) : undefined));
    if (name === "einops.layers") return completeModule(name, {}, (attr) => this.namespace(`einops.layers.${attr}`));
    if (name === "einops.layers.torch") return completeModule(name, Object.fromEntries(einopsLayerRules.map((r) => [r.type, this.layers.get(r.type)! as Value])));
    // torch.compile support: nothing to do for an analysis
    if (name === "einops._torch_specific") return completeModule(name, { allow_ops_in_compiled_graph: native("einops._torch_specific.allow_ops_in_compiled_graph", () => NONE) });
    return undefined;
  }

  private functions(): Record<string, Value> {
    const members: Record<string, Value> = {
      __version__: { kind: "str", value: this.version, comparesAsVersion: true },
      EinopsError: this.errorClass,
      rearrange: transformFunction("rearrange", () => "rearrange", ["pattern", "tensor"]),
      reduce: transformFunction("reduce", reductionOf, ["pattern", "tensor", "reduction"]),
      repeat: transformFunction("repeat", () => "repeat", ["pattern", "tensor"]),
      einsum: native("einops.einsum", (call) => {
        const pattern = call.args[call.args.length - 1];
        if (pattern?.kind !== "str") throw new PyException("ValueError", "The last argument passed to `einops.einsum` must be a string, representing the einsum pattern.");
        return call.interp.callValue(lookupOp("torch.einsum")!, [str(compactEinsumPattern(pattern.value)), ...call.args.slice(0, -1)]);
      }),
      parse_shape: native("einops.parse_shape", (call) => {
        const x = call.args[0];
        const pattern = patternArg(call, 1, "pattern", "parse_shape");
        if (x?.kind !== "tensor" || !x.shape) return unknown("parse_shape of a tensor of unknown shape");
        return makeDict(parseShape(x.shape, pattern).map(([k, d]) => [str(k), int(d)] as const), true);
      }),
      asnumpy: native("einops.asnumpy", () => unknown("einops.asnumpy gives a numpy array")),
    };
    if (atLeast(this.version, "0.6")) {
      members.pack = native("einops.pack", (call) => {
        const tensors = call.interp.iterate(call.args[0] ?? call.kwargs.get("tensors") ?? list([]));
        const pattern = patternArg(call, 1, "pattern", "pack");
        if (!tensors || tensors.some((t) => t.kind !== "tensor")) return unknown("einops.pack of values that are not all tensors");
        const ctx = makeRuleContext(call.interp, call.site);
        const { packed, shapes } = pack(ctx, tensors as Tensor[], pattern, callLabel(ctx, `pack(..., '${pattern}')`));
        return tuple([packed, list(shapes.map((s) => (s ? shapeValue(s) : unknown("a packed shape of an unknown tensor"))))]);
      });
      members.unpack = native("einops.unpack", (call) => {
        const x = call.args[0] ?? call.kwargs.get("tensor");
        const shapesValue = call.interp.iterate(call.args[1] ?? call.kwargs.get("packed_shapes") ?? list([]));
        const pattern = patternArg(call, 2, "pattern", "unpack");
        const shapes = shapesValue?.map((s) => call.interp.iterate(s)?.map((d) => numericValue(d)));
        if (x?.kind !== "tensor" || !shapes || shapes.some((s) => !s || s.some((d) => d === undefined))) return unknown("einops.unpack of an unknown tensor or shapes");
        const ctx = makeRuleContext(call.interp, call.site);
        return list(unpack(ctx, x, shapes as Dim[][], pattern, callLabel(ctx, `unpack(..., '${pattern}')`)));
      });
    }
    return members;
  }
}
