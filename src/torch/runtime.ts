// The torch package as the evaluator sees it: namespaces (torch, torch.nn,
// torch.nn.functional, torch.nn.init, torch.jit, ...) whose members are layer
// classes, op rules, dtypes and the few no-op utilities model code calls.
import { makeClass, type BuiltinTypes } from "../eval/builtins.js";
import { PyException } from "../eval/errors.js";
import { numericValue, pyStr } from "../eval/operators.js";
import { nativeNamespace } from "../eval/stdlib.js";
import { bool, float, int, makeObject, native, NONE, tuple, unknown, type ClassValue, type NamespaceValue, type Value } from "../eval/values.js";
import { layerRules } from "../layers/index.js";
import type { LayerRule } from "../layers/rule.js";
import { dimMul, dimProduct, type Dim } from "../shapes/dim.js";
import { dtypeAliases, makeParameter } from "../shapes/tensor.js";
import { createContainerClasses, isContainerClass, type ContainerClasses } from "./containers.js";
import { LayerClasses } from "./layerClass.js";
import { createModuleClass } from "./module.js";
import { deviceClass } from "./device.js";
import { lookupOp, opNamesUnder, unmodelledOp, versionedOp } from "./ops.js";
import { latestTorchVersion, TorchApi } from "./torchApi.js";
import { typeInfoFunctions } from "./typeInfo.js";
import { removeWeightNorm, weightNorm } from "./weightNorm.js";

export class TorchRuntime {
  /** the PyTorch release whose API this model describes: torch.__version__, and what importlib.metadata.version("torch") says */
  get version(): string {
    return this.api.version;
  }
  readonly moduleClass: ClassValue;
  readonly containers: ContainerClasses;
  readonly layers: LayerClasses;
  readonly tensorClass: ClassValue;
  readonly parameterClass: ClassValue;
  private readonly namespaces = new Map<string, NamespaceValue>();

  constructor(
    readonly types: BuiltinTypes,
    /** the modelled torch version: which names and arguments exist */
    readonly api: TorchApi = new TorchApi(latestTorchVersion),
  ) {
    this.moduleClass = createModuleClass(types);
    this.containers = createContainerClasses(this.moduleClass);
    this.layers = new LayerClasses(layerRules, this.moduleClass, api);
    this.tensorClass = makeClass("Tensor", [types.object], {}, { construct: (_cls, call) => call.interp.callValue(lookupOp("torch.Tensor") ?? unmodelledOp("torch.Tensor"), call.args, call.kwargs, call.site) }, "torch");
    this.parameterClass = makeClass(
      "Parameter",
      [this.tensorClass],
      {},
      {
        construct: (_cls, call) => {
          const data = call.args[0] ?? call.kwargs.get("data");
          const grad = call.args[1] ?? call.kwargs.get("requires_grad");
          const requiresGrad = grad?.kind === "bool" ? grad.value : true;
          if (data?.kind === "tensor") return { ...data, isParameter: true, requiresGrad };
          if (!data || data.kind === "none") return makeParameter([0], requiresGrad);
          return unknown("nn.Parameter of an unknown value");
        },
      },
      "torch.nn.parameter",
    );
    types.tensorClass = this.tensorClass;
    types.parameterClass = this.parameterClass;
  }

  isContainer(cls: ClassValue): boolean {
    return isContainerClass(cls, this.containers);
  }

  /** Whether a class is one of torch.nn's own (not a user subclass). */
  isBuiltinLayerClass(cls: ClassValue): boolean {
    return cls.module === "torch.nn" && !this.isContainer(cls);
  }

  /** A torch module by dotted name, or undefined when torch has no such module we model. */
  namespace(name: string): NamespaceValue | undefined {
    let ns = this.namespaces.get(name);
    if (ns) return ns;
    ns = this.createNamespace(name);
    if (ns) this.namespaces.set(name, ns);
    return ns;
  }

  private createNamespace(name: string): NamespaceValue | undefined {
    if (name === "torch") return withAttributeErrors(this.torchNamespace());
    if (name === "torch.nn.modules.utils") return utilsNamespace();
    if (name === "torch.nn" || name === "torch.nn.modules" || /^torch\.nn\.modules\.\w+$/.test(name)) return withAttributeErrors(this.nnNamespace(name));
    if (name === "torch.nn.functional") return opNamespace(name, "torch.nn.functional", this.api);
    if (name === "torch.linalg" || name === "torch.special" || name === "torch.fft") return opNamespace(name, name, this.api);
    if (name === "torch.nn.init") return initNamespace();
    if (name === "torch.nn.parameter") return nativeNamespace(name, { Parameter: this.parameterClass, UninitializedParameter: this.parameterClass, UninitializedBuffer: this.tensorClass });
    if (name === "torch.jit") return jitNamespace();
    if (name === "torch.fx") return nativeNamespace(name, { wrap: identity("torch.fx.wrap") });
    if (name === "torch.utils" || name === "torch.utils.checkpoint")
      return nativeNamespace(name, { checkpoint: native("torch.utils.checkpoint.checkpoint", (call) => call.interp.callValue(call.args[0], call.args.slice(1))) });
    if (name === "torch.cuda") return nativeNamespace(name, { is_available: native("torch.cuda.is_available", () => bool(false)), device_count: native("torch.cuda.device_count", () => int(0)) });
    if (name === "torch.autograd") return nativeNamespace(name, { Variable: identity("torch.autograd.Variable"), Function: this.autogradFunction() });
    if (name === "torch.nn.utils")
      return nativeNamespace(name, {
        spectral_norm: identity("spectral_norm"),
        weight_norm: weightNorm,
        remove_weight_norm: removeWeightNorm,
        parametrizations: this.namespace("torch.nn.utils.parametrizations")!,
      });
    // complete as of 1.13 (weight_norm joined it in 2.1): a name outside it is an AttributeError, so hasattr() is decided
    if (name === "torch.nn.utils.parametrizations")
      return completeNamespace(name, { orthogonal: identity("torch.nn.utils.parametrizations.orthogonal"), spectral_norm: identity("torch.nn.utils.parametrizations.spectral_norm") });
    // torch's compiled core: its members (API-usage logging, ...) have no effect on shapes; calling one is a note
    // (an analysis is an eager run, never a trace: torchvision asks _get_tracing_state() to pick its ONNX paths)
    if (name === "torch._C")
      return nativeNamespace(name, { _get_tracing_state: native("torch._C._get_tracing_state", () => NONE), _log_api_usage_once: native("torch._C._log_api_usage_once", () => NONE) }, (attr) => unknown(`torch._C.${attr} is part of torch's compiled core and has no effect on shapes`));
    // operators that extensions register (torch.ops.torchvision.nms): an op rule each, named torch.ops.<library>.<op>
    // (load_library loads an extension's compiled operators: nothing to do here, their rules are in src/layers/ops)
    if (name === "torch.ops") return nativeNamespace(name, { load_library: native("torch.ops.load_library", () => NONE) }, (library) => opNamespace(`torch.ops.${library}`, `torch.ops.${library}`, this.api));
    if (name === "torch.hub") return nativeNamespace(name, {}, (attr) => unknown(`torch.hub.${attr} loads from the network; never executed`));
    if (name === "torch.nn.common_types" || name === "torch.types") return nativeNamespace(name, {}, (attr) => makeClass(attr, [this.types.object], {}, undefined, name));
    if (name === "torch.ao" || name === "torch.ao.nn") return nativeNamespace(name, {}, (attr) => this.namespace(`${name}.${attr}`));
    const exported = [...layerRules.values()].filter((r) => r.namespaces?.includes(name));
    if (exported.length > 0) return this.exportingNamespace(name, exported);
    // torch's other packages (quantization, distributions, ...): there, but not modelled; every member is unknown, not a function
    const top = name.split(".")[1];
    if (name.startsWith("torch.") && unmodelledTorchPackages.has(top)) return nativeNamespace(name, {}, (attr) => unknown(`${name}.${attr} is not modelled`));
    return undefined;
  }

  /** torch.autograd.Function: Fn.apply(*args) runs the subclass's static forward(ctx, *args); backward never runs. */
  private autogradFunction(): ClassValue {
    const ctxClass = makeClass("FunctionCtx", [this.types.object], {
      save_for_backward: native("FunctionCtx.save_for_backward", () => NONE),
      mark_dirty: native("FunctionCtx.mark_dirty", () => NONE),
      mark_non_differentiable: native("FunctionCtx.mark_non_differentiable", () => NONE),
      set_materialize_grads: native("FunctionCtx.set_materialize_grads", () => NONE),
    }, undefined, "torch.autograd.function");
    const apply = native("Function.apply", (call) => {
      const [cls, ...args] = call.args;
      return call.interp.callValue(call.interp.getAttr(cls, "forward"), [makeObject(ctxClass), ...args], call.kwargs);
    });
    return makeClass("Function", [this.types.object], { apply: { kind: "classmethod", func: apply } }, undefined, "torch.autograd");
  }

  private torchNamespace(): NamespaceValue {
    const members: Record<string, Value> = {
      Tensor: this.tensorClass,
      Size: makeClass("Size", [this.types.tuple], {}, { construct: (_c, call) => tuple(call.interp.iterate(call.args[0] ?? tuple([])) ?? []) }, "torch"),
      device: deviceClass,
      no_grad: contextManager(this.types, "no_grad"),
      enable_grad: contextManager(this.types, "enable_grad"),
      inference_mode: contextManager(this.types, "inference_mode"),
      set_grad_enabled: contextManager(this.types, "set_grad_enabled"),
      autocast: contextManager(this.types, "autocast"),
      manual_seed: native("torch.manual_seed", () => NONE),
      is_tensor: native("torch.is_tensor", (call) => bool(call.args[0]?.kind === "tensor")),
      is_grad_enabled: native("torch.is_grad_enabled", () => bool(false)),
      // an `assert` statement in function form: a condition known to be false stops the pass, as it does in PyTorch
      _assert: native("torch._assert", (call) => {
        const condition = call.args[0] ?? call.kwargs.get("condition");
        if (condition && call.interp.truthy(condition) === false) {
          const message = call.args[1] ?? call.kwargs.get("message");
          throw new PyException("AssertionError", message ? pyStr(message) : "", undefined, call.site);
        }
        return NONE;
      }),
      __version__: { kind: "str", value: this.api.version, comparesAsVersion: true },
      ...typeInfoFunctions(this.types),
    };
    for (const [alias, dtype] of Object.entries(dtypeAliases)) members[alias] = { kind: "dtype", dtype };
    return {
      kind: "namespace",
      name: "torch",
      get: (attr) => {
        if (attr in members) return members[attr];
        const sub = this.namespace(`torch.${attr}`);
        if (sub) return sub;
        return versionedOp(`torch.${attr}`, this.api);
      },
    };
  }

  private nnNamespace(name: string): NamespaceValue {
    const members: Record<string, Value> = {
      Module: this.moduleClass,
      Parameter: this.parameterClass,
      ...this.containers,
    };
    return {
      kind: "namespace",
      name,
      get: (attr) => {
        if (attr in members) return members[attr];
        if (attr === "NonDynamicallyQuantizableLinear") return this.layers.get("Linear");
        const layer = exportedByNn(attr) ? this.layers.get(attr) : undefined;
        if (layer) return layer;
        // a layer or module newer than the modelled torch does not exist in it
        if (this.layers.isNewerThanModelled(attr) || !this.api.hasName(`torch.nn.${attr}`)) return undefined;
        const sub = this.namespace(`torch.nn.${attr}`);
        if (sub) return sub;
        // an unmodelled layer class still builds, and gives honest unknowns
        if (/^[A-Z]/.test(attr)) return this.layers.opaque(attr);
        return unknown(`torch.nn.${attr} is not modelled`);
      },
      publicNames: () => ["Module", "Parameter", ...Object.keys(this.containers), ...[...layerRules.keys()].filter(exportedByNn)],
    };
  }

  /** A torch module that exports layer classes of its own (torch.ao.quantization); its other members are not modelled. */
  private exportingNamespace(name: string, rules: readonly LayerRule[]): NamespaceValue {
    const members = Object.fromEntries(rules.map((r) => [r.type, this.layers.get(r.type) as Value]));
    return nativeNamespace(name, members, (attr) => unknown(`${name}.${attr} is not modelled`));
  }
}

function exportedByNn(type: string): boolean {
  const rule = layerRules.get(type);
  return rule !== undefined && (rule.namespaces === undefined || rule.namespaces.includes("torch.nn"));
}

function opNamespace(name: string, prefix: string, api: TorchApi): NamespaceValue {
  return withAttributeErrors({
    kind: "namespace",
    name,
    get: (attr) => versionedOp(`${prefix}.${attr}`, api),
    // what dir() lists: the functions torchshape knows that the modelled version has ('silu' in dir(F) picks F.silu over the library's fallback)
    attributeNames: () => opNamesUnder(prefix).filter((n) => versionedOp(`${prefix}.${n}`, api) !== undefined),
  });
}

/**
 * A torch module that knows which names it lacks (get gives undefined only for a
 * name the modelled version does not have): reading one raises AttributeError, so
 * hasattr is False. Like any module it takes attributes set on it.
 */
function withAttributeErrors(ns: NamespaceValue): NamespaceValue {
  const assigned = new Map<string, Value>();
  return { ...ns, get: (attr) => assigned.get(attr) ?? ns.get(attr), set: (attr, value) => void assigned.set(attr, value) };
}

/** A namespace whose members are all its names, as a Python module is: a missing one raises AttributeError. */
function completeNamespace(name: string, members: Record<string, Value>): NamespaceValue {
  const ns = nativeNamespace(name, members);
  const added = new Map<string, Value>();
  return { ...ns, get: (attr) => added.get(attr) ?? ns.get(attr), set: (attr, value) => void added.set(attr, value) };
}

function identity(name: string): Value {
  return native(name, (call) => call.args[0] ?? NONE);
}

/** Packages of torch 1.13 that torchshape does not model (torch.ao.quantization.QuantStub() is unknown, not an AttributeError). */
const unmodelledTorchPackages: ReadonlySet<string> = new Set(
  "ao quantization distributions distributed backends onnx testing profiler multiprocessing sparse overrides futures package monitor masked nested mps amp cpu library return_types storage serialization random quasirandom optim".split(" "),
);

/** torch.nn.init: in-place initialisers (no effect on shapes), and the fan sizes they compute from a weight's shape. */
function initNamespace(): NamespaceValue {
  return nativeNamespace("torch.nn.init", {
    calculate_gain: native("torch.nn.init.calculate_gain", () => float(1)),
    _calculate_fan_in_and_fan_out: native("torch.nn.init._calculate_fan_in_and_fan_out", (call) => {
      const fans = fansOf(call.args[0]);
      return fans ? tuple([int(fans.fanIn), int(fans.fanOut)]) : unknown("the fans of a tensor of unknown shape");
    }),
    _calculate_correct_fan: native("torch.nn.init._calculate_correct_fan", (call) => {
      const fans = fansOf(call.args[0]);
      const mode = call.args[1] ?? call.kwargs.get("mode");
      if (!fans || mode?.kind !== "str") return unknown("the fan of a tensor of unknown shape");
      return int(mode.value === "fan_in" ? fans.fanIn : fans.fanOut);
    }),
  }, (attr) => native(`torch.nn.init.${attr}`, (call) => call.args[0] ?? NONE));
}

/** fan_in = size(1) × receptive field, fan_out = size(0) × receptive field, as torch.nn.init computes them. */
function fansOf(v: Value | undefined): { fanIn: Dim; fanOut: Dim } | undefined {
  if (v?.kind !== "tensor" || !v.shape) return undefined;
  if (v.shape.length < 2) throw new PyException("ValueError", "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
  const receptive = dimProduct(v.shape.slice(2));
  return { fanIn: dimMul(v.shape[1], receptive), fanOut: dimMul(v.shape[0], receptive) };
}

function jitNamespace(): NamespaceValue {
  return nativeNamespace("torch.jit", {
    is_scripting: native("torch.jit.is_scripting", () => bool(false)),
    is_tracing: native("torch.jit.is_tracing", () => bool(false)),
    annotate: native("torch.jit.annotate", (call) => call.args[1] ?? NONE),
    script: identity("torch.jit.script"),
    ignore: native("torch.jit.ignore", (call) => (call.args[0] && call.args[0].kind !== "bool" ? call.args[0] : identity("torch.jit.ignore"))),
    unused: identity("torch.jit.unused"),
    export: identity("torch.jit.export"),
    _overload_method: identity("torch.jit._overload_method"),
    Final: unknown("torch.jit.Final"),
  }, (attr) => identity(`torch.jit.${attr}`));
}

/** torch.nn.modules.utils: _single, _pair, _triple, _ntuple */
function utilsNamespace(): NamespaceValue {
  const ntuple = (n: number) =>
    native(`_ntuple(${n})`, (call) => {
      const x = call.args[0];
      if (x.kind === "tuple" || x.kind === "list") return tuple(x.items);
      return tuple(Array(n).fill(x));
    });
  return nativeNamespace("torch.nn.modules.utils", {
    _single: ntuple(1),
    _pair: ntuple(2),
    _triple: ntuple(3),
    _quadruple: ntuple(4),
    _ntuple: native("_ntuple", (call) => ntuple(numericValue(call.args[0]) as number)),
  });
}

/** torch.no_grad() and friends: usable in `with` and as decorators. */
function contextManager(types: BuiltinTypes, name: string): ClassValue {
  const cls = makeClass(name, [types.object], {
    __init__: native(`${name}.__init__`, () => NONE),
    __enter__: native(`${name}.__enter__`, () => NONE),
    __exit__: native(`${name}.__exit__`, () => bool(false)),
    __call__: native(`${name}.__call__`, (call) => call.args[1] ?? NONE),
  }, undefined, "torch");
  return cls;
}
