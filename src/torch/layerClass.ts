// A layer rule as a Python class: subclassable, with a native __init__ that
// binds the documented signature and runs build, and a native forward that
// runs the shape rule.
import { bindArguments } from "../eval/binding.js";
import { makeClass } from "../eval/builtins.js";
import { PyException } from "../eval/errors.js";
import type { Interpreter } from "../eval/interpreter.js";
import { native, NONE, type ClassValue, type NativeCall, type ObjectValue, type Value } from "../eval/values.js";
import { Args, InputShapeNeeded, Layer, LayerArgumentError, NoneArgument, toValue, UnknownSetting, type LayerBuilder, type LayerRule } from "../layers/rule.js";
import { parseSignature } from "../layers/signature.js";
import { makeParameter, makeTensor, unknownTensor } from "../shapes/tensor.js";
import { moduleSetAttr, moduleStateOf, registerModule } from "./module.js";
import { makeRuleContext } from "./ruleContext.js";
import { unknownResultOf } from "../eval/unknowns.js";
import type { TorchApi } from "./torchApi.js";

/** Layer classes by name, created on first use; a rule can name another (LazyLinear becomes Linear). */
export class LayerClasses {
  private readonly classes = new Map<string, ClassValue>();

  constructor(
    private readonly rules: ReadonlyMap<string, LayerRule>,
    private readonly moduleClass: ClassValue,
    private readonly api: TorchApi,
  ) {}

  /** Whether torch.nn has a rule for this name that the modelled version lacks (nn.RMSNorm before 2.4). */
  isNewerThanModelled(type: string): boolean {
    const rule = this.rules.get(type);
    return rule !== undefined && !this.api.has(rule.since);
  }

  get(type: string): ClassValue | undefined {
    let cls = this.classes.get(type);
    if (cls) return cls;
    const rule = this.rules.get(type);
    if (!rule || !this.api.has(rule.since)) return undefined;
    cls = this.classFromRule(rule);
    this.classes.set(type, cls);
    return cls;
  }

  /**
   * A torch.nn class no rule models: building it works, its parameter count is
   * unknown, calling it gives a tensor of unknown shape and a note naming it.
   */
  opaque(type: string): ClassValue {
    const key = `?${type}`;
    let cls = this.classes.get(key);
    if (cls) return cls;
    cls = makeClass(
      type,
      [this.moduleClass],
      {
        __init__: native(`${type}.__init__`, (call) => {
          const state = moduleStateOf(selfOf(call), call.interp);
          state.params.set("(unknown)", makeTensor(undefined, "float32", { isParameter: true, requiresGrad: true, unknownReason: `torch.nn.${type} is not modelled` }));
          call.interp.note(`torch.nn.${type} is not modelled: its parameters and output shape are unknown`);
          return NONE;
        }),
        forward: native(`${type}.forward`, (call) => {
          call.interp.note(`torch.nn.${type} is not modelled: its output shape is unknown`);
          return unknownTensor(`torch.nn.${type} is not modelled`);
        }),
      },
      undefined,
      "torch.nn",
    );
    this.classes.set(key, cls);
    return cls;
  }

  /** Construct a built-in layer from TypeScript (children of layers). */
  construct(type: string, args: Readonly<Record<string, Value>>, interp: Interpreter): ObjectValue {
    const cls = this.get(type);
    if (!cls) throw new Error(`no layer rule for ${type}`);
    const obj = interp.instantiate(cls, [], new Map(Object.entries(args)), interp.site);
    if (obj.kind !== "object") throw new Error(`constructing ${type} gave no module`);
    return obj;
  }

  private classFromRule(rule: LayerRule): ClassValue {
    const attrs: Record<string, Value> = {
      __init__: native(`${rule.type}.__init__`, (call) => this.init(rule, call)),
      forward: native(`${rule.type}.forward`, (call) => this.forward(rule, call)),
      reset_parameters: native(`${rule.type}.reset_parameters`, () => NONE),
    };
    for (const [name, method] of Object.entries(rule.methods ?? {}))
      attrs[name] = native(`${rule.type}.${name}`, (call) => method(new Layer(selfOf(call)), call));
    for (const [name, method] of Object.entries(rule.staticMethods ?? {})) attrs[name] = { kind: "staticmethod", func: native(`${rule.type}.${name}`, method) };
    for (const [name, method] of Object.entries(rule.classMethods ?? {}))
      attrs[name] = { kind: "classmethod", func: native(`${rule.type}.${name}`, (call) => method(call.args[0] as ClassValue, { ...call, args: call.args.slice(1) })) };
    return makeClass(rule.type, [this.moduleClass], attrs, undefined, rule.pythonModule ?? "torch.nn");
  }

  private init(rule: LayerRule, call: NativeCall): Value {
    const self = selfOf(call);
    moduleStateOf(self, call.interp);
    const sig = parseSignature(rule.signature);
    this.api.rejectNewerArguments(rule.type, sig, rule.paramsSince, call.args.slice(1), call.kwargs);
    const bound = bindArguments(rule.type, sig.params, sig.defaults, call.args.slice(1), call.kwargs);
    try {
      rule.build(new Args(bound, rule.type), this.builder(self, call.interp));
    } catch (e) {
      // torch itself would raise this, unless it only arose from a value we could not know
      if (e instanceof PyException && !(e instanceof LayerArgumentError) && ![...bound.values()].some(holdsUnknown))
        throw new LayerArgumentError(e.pyType, `${rule.type}: ${e.pyMessage}`, e.value, call.site ?? e.location, e instanceof NoneArgument);
      throw e;
    }
    return NONE;
  }

  private forward(rule: LayerRule, call: NativeCall): Value {
    const self = selfOf(call);
    const sig = parseSignature(rule.forwardSignature ?? "input");
    this.api.rejectNewerArguments(`${rule.type}.forward`, sig, rule.paramsSince, call.args.slice(1), call.kwargs);
    const bound = bindArguments(`${rule.type}.forward`, sig.params, sig.defaults, call.args.slice(1), call.kwargs);
    const first = sig.params[0] ? bound.get(sig.params[0].name) : undefined;
    const layer = new Layer(self);
    let out: Value;
    try {
      if (first?.kind === "tensor" && first.placeholder) {
        const expected = rule.expectedInput?.(layer);
        if (expected) throw new InputShapeNeeded(expected.shape, expected.dtype ?? "float32", expected.alternatives);
      }
      out = rule.forward(layer, new Args(bound, rule.type), makeRuleContext(call.interp, call.site, layer));
    } catch (e) {
      if (!(e instanceof UnknownSetting)) throw e;
      call.interp.note(`${e.message}: its output is unknown`, call.site);
      out = unknownResultOf([...bound.values()], e.message);
    }
    if (rule.becomes && self.cls.name === rule.type) {
      const target = this.get(rule.becomes);
      if (target) self.cls = target;
    }
    return out;
  }

  private builder(self: ObjectValue, interp: Interpreter): LayerBuilder {
    const state = moduleStateOf(self, interp);
    return {
      interp,
      attr: (name, value) => self.attrs.set(name, toValue(value)),
      param: (name, shape, options) => state.params.set(name, shape ? makeParameter(shape, options?.requiresGrad ?? true) : NONE),
      buffer: (name, shape, dtype) => state.buffers.set(name, shape ? makeTensor(shape, dtype ?? "float32") : NONE),
      child: (name, type, args) => {
        const obj = this.construct(type, Object.fromEntries(Object.entries(args).map(([k, v]) => [k, toValue(v)])), interp);
        registerModule(self, name, obj, interp);
        return obj;
      },
      adopt: (name, module) => moduleSetAttr(self, name, module, interp),
    };
  }
}

function holdsUnknown(v: Value): boolean {
  if (v.kind === "unknown") return true;
  if (v.kind === "tuple" || v.kind === "list") return v.items.some(holdsUnknown);
  return false;
}

function selfOf(call: NativeCall): ObjectValue {
  const s = call.args[0];
  if (s?.kind !== "object") throw new PyException("TypeError", "layer method called without its module");
  return s;
}

