// nn.Module as PyTorch defines it: registration of children, parameters and
// buffers through __setattr__, the traversal methods (modules, named_modules,
// parameters, ...) and __call__, which runs forward and tells the observer.
import { withRequiredArguments } from "../eval/nativeArguments.js";
import { PyException } from "../eval/errors.js";
import type { Interpreter } from "../eval/interpreter.js";
import { makeClass, type BuiltinTypes } from "../eval/builtins.js";
import { pyStr } from "../eval/operators.js";
import {
  bool,
  hashKey,
  isModuleObject,
  list,
  makeDict,
  native,
  NONE,
  str,
  tuple,
  type ClassValue,
  type DictEntry,
  type DictValue,
  type ModuleState,
  type NativeCall,
  type ObjectValue,
  type SourceLocation,
  type Value,
} from "../eval/values.js";
import type { Tensor } from "../shapes/tensor.js";
import { afterModule } from "../shapes/origin.js";
import { messageFactsOf } from "./ruleContext.js";

/** Told of every module call while a forward pass is traced (PyTorch's forward hooks). */
export interface ModuleCallObserver {
  enter(module: ObjectValue, args: readonly Value[], kwargs: ReadonlyMap<string, Value>, site: SourceLocation | undefined): number | undefined;
  /** output: what the call returned; returned: what forward returned, before the call marked its tensor (a copy) */
  exit(token: number | undefined, output: Value, returned?: Value): void;
}

const observers = new WeakMap<Interpreter, ModuleCallObserver>();

export function setModuleCallObserver(interp: Interpreter, observer: ModuleCallObserver | undefined): void {
  if (observer) observers.set(interp, observer);
  else observers.delete(interp);
}

/** A module's registries, counted in the analysis's bound on modules built. */
function newModuleState(site: SourceLocation | undefined, interp: Interpreter): ModuleState {
  interp.moduleBuilt(site);
  return { children: new Map(), params: new Map(), buffers: new Map(), createdAt: site, training: false };
}

/** A fresh module object: its registries exist before its __init__ runs, created where it is constructed. */
export function prepareModule(obj: ObjectValue, site: SourceLocation | undefined, interp: Interpreter): void {
  obj.module = newModuleState(site, interp);
  obj.attrs.set("training", bool(false));
}

/** The module state of an object, created on first use (nn.Module.__init__ or a forgotten super().__init__). */
export function moduleStateOf(obj: ObjectValue, interp: Interpreter): ModuleState {
  if (!obj.module) prepareModule(obj, interp.site, interp);
  return obj.module!;
}

function self(call: NativeCall): ObjectValue {
  const s = call.args[0];
  if (s?.kind !== "object") throw new PyException("TypeError", "nn.Module method called without a module");
  return s;
}

function isParameter(v: Value): boolean {
  return v.kind === "tensor" && v.isParameter;
}

/** nn.Module.__setattr__: parameters, modules and registered buffers go to their stores. */
export function moduleSetAttr(obj: ObjectValue, name: string, value: Value, interp: Interpreter): void {
  const state = moduleStateOf(obj, interp);
  // the other stores lose the name; the store that keeps it keeps its place (a replaced
  // child stays where it was in children(), as PyTorch's _modules[name] = value does)
  const removeExcept = (keep: Map<string, unknown>) => {
    obj.attrs.delete(name);
    for (const store of [state.children, state.params, state.buffers]) if (store !== keep) store.delete(name);
  };
  if (value.kind === "tensor" && isParameter(value)) {
    removeExcept(state.params);
    state.params.set(name, value);
  } else if (isModuleObject(value)) {
    removeExcept(state.children);
    state.children.set(name, value);
  } else if (state.params.has(name) && value.kind === "none") state.params.set(name, NONE);
  else if (state.children.has(name) && value.kind === "none") state.children.set(name, NONE);
  else if (state.buffers.has(name) && (value.kind === "tensor" || value.kind === "none")) state.buffers.set(name, value);
  else if (state.params.has(name) && value.kind === "tensor") {
    // assigning a plain tensor to a parameter slot is a TypeError in PyTorch; keep the shape
    state.params.set(name, { ...value, isParameter: true, requiresGrad: true });
  } else {
    state.children.delete(name);
    obj.attrs.set(name, value);
  }
}

export function registerModule(obj: ObjectValue, name: string, child: Value, interp: Interpreter): void {
  const state = moduleStateOf(obj, interp);
  if (child.kind === "none") state.children.set(name, NONE);
  else if (isModuleObject(child)) {
    obj.attrs.delete(name);
    state.children.set(name, child);
  } else if (child.kind === "unknown") childrenNotKnown(obj, child.why, interp);
  else throw new PyException("TypeError", `${pyStr(child)} is not a Module subclass`);
}

/**
 * A container given children the analysis cannot see (nn.Sequential(*layers) after a
 * loop it could not follow): it must not pass for one holding only the children it
 * knows, an empty Sequential being an identity. What it holds and returns is unknown.
 */
export function childrenNotKnown(obj: ObjectValue, why: string, interp: Interpreter): void {
  const state = moduleStateOf(obj, interp);
  if (state.unknownChildren) return;
  state.unknownChildren = why;
  interp.note(`the modules of this ${obj.cls.name} are not known (${why}); what it holds and returns is unknown`);
}

/** named_modules(): every module once, depth-first in registration order, first name wins. */
export function namedModules(root: ObjectValue, prefix = ""): [string, ObjectValue][] {
  const out: [string, ObjectValue][] = [];
  const seen = new Set<ObjectValue>();
  // depth-first with a stack of its own (modules nest thousands deep); each module's children are pushed, then turned around so the first is taken first
  const stack: [string, ObjectValue][] = [[prefix, root]];
  while (stack.length > 0) {
    const [name, m] = stack.pop()!;
    if (seen.has(m)) continue;
    seen.add(m);
    out.push([name, m]);
    const children = m.module?.children;
    if (!children || children.size === 0) continue;
    const first = stack.length;
    for (const [childName, child] of children) if (child.kind === "object") stack.push([name ? `${name}.${childName}` : childName, child]);
    for (let i = first, j = stack.length - 1; i < j; i++, j--) [stack[i], stack[j]] = [stack[j], stack[i]];
  }
  return out;
}

/** parameters(): every parameter tensor once (shared and tied tensors count once). */
export function moduleParameters(root: ObjectValue, recurse = true): [string, Tensor][] {
  const out: [string, Tensor][] = [];
  const seen = new Set<Tensor>();
  const mods = recurse ? namedModules(root) : [["", root] as [string, ObjectValue]];
  for (const [prefix, m] of mods) {
    for (const [name, p] of m.module?.params ?? []) {
      if (p.kind !== "tensor" || seen.has(p)) continue;
      seen.add(p);
      out.push([prefix ? `${prefix}.${name}` : name, p]);
    }
  }
  return out;
}

function moduleBuffers(root: ObjectValue): [string, Tensor][] {
  const out: [string, Tensor][] = [];
  for (const [prefix, m] of namedModules(root))
    for (const [name, b] of m.module?.buffers ?? []) if (b.kind === "tensor") out.push([prefix ? `${prefix}.${name}` : name, b]);
  return out;
}

function iterator(items: Value[]): Value {
  return { kind: "iterator", items, position: 0 };
}

/** nn.Module.__call__: forward, with the observer told before and after. */
export function callModule(obj: ObjectValue, args: readonly Value[], kwargs: ReadonlyMap<string, Value>, interp: Interpreter): Value {
  const observer = observers.get(interp);
  const token = observer?.enter(obj, args, kwargs, interp.site);
  let output: Value = NONE;
  let returned: Value = NONE;
  try {
    const forward = interp.getAttr(obj, "forward");
    returned = interp.callValue(forward, args, kwargs, interp.site);
    output = markedOutput(obj, args, returned, interp);
    return output;
  } finally {
    observer?.exit(token, output, returned);
  }
}

/** A tensor output remembers the module it came out of, for messages ("392 after pool2"). */
function markedOutput(obj: ObjectValue, args: readonly Value[], output: Value, interp: Interpreter): Value {
  if (output.kind !== "tensor") return output;
  const name = messageFactsOf(interp)?.moduleName(obj);
  if (!name) return output;
  const input = args.find((a): a is Tensor => a.kind === "tensor");
  return afterModule(output, input, name);
}

export function createModuleClass(types: BuiltinTypes): ClassValue {
  // `required`: the positional parameters after self that PyTorch's method cannot do without
  const m = (name: string, fn: (call: NativeCall) => Value, required: readonly string[] = []) => [name, native(`Module.${name}`, withRequiredArguments(`Module.${name}`, required, fn))] as const;
  const returnsSelf = (call: NativeCall) => self(call);
  const attrs = Object.fromEntries([
    m("__init__", (call) => {
      moduleStateOf(self(call), call.interp);
      return NONE;
    }),
    m("__setattr__", (call) => {
      moduleSetAttr(self(call), pyStr(call.args[1]), call.args[2], call.interp);
      return NONE;
    }, ["name", "value"]),
    m("__call__", (call) => callModule(self(call), call.args.slice(1), call.kwargs, call.interp)),
    m("forward", (call) => {
      throw new PyException("NotImplementedError", `Module [${self(call).cls.name}] is missing the required "forward" function`);
    }),
    m("add_module", (call) => {
      registerModule(self(call), pyStr(call.args[1]), call.args[2] ?? call.kwargs.get("module") ?? NONE, call.interp);
      return NONE;
    }, ["name", "module"]),
    m("register_module", (call) => {
      registerModule(self(call), pyStr(call.args[1]), call.args[2] ?? call.kwargs.get("module") ?? NONE, call.interp);
      return NONE;
    }, ["name", "module"]),
    m("register_buffer", (call) => {
      const obj = self(call);
      const name = pyStr(call.args[1]);
      const value = call.args[2] ?? call.kwargs.get("tensor") ?? NONE;
      obj.attrs.delete(name);
      moduleStateOf(obj, call.interp).buffers.set(name, value.kind === "tensor" ? { ...value, isParameter: false } : NONE);
      return NONE;
    }, ["name", "tensor"]),
    m("register_parameter", (call) => {
      const obj = self(call);
      const name = pyStr(call.args[1]);
      const value = call.args[2] ?? call.kwargs.get("param") ?? NONE;
      obj.attrs.delete(name);
      moduleStateOf(obj, call.interp).params.set(name, value.kind === "tensor" ? value : NONE);
      return NONE;
    }, ["name", "param"]),
    m("modules", (call) => iterator(namedModules(self(call)).map(([, mod]) => mod))),
    m("named_modules", (call) => iterator(namedModules(self(call), pyStr(call.kwargs.get("prefix") ?? str(""))).map(([n, mod]) => tuple([str(n), mod])))),
    m("children", (call) => iterator([...(self(call).module?.children.values() ?? [])].filter((c) => c.kind === "object"))),
    m("named_children", (call) => iterator([...(self(call).module?.children ?? [])].filter(([, c]) => c.kind === "object").map(([n, c]) => tuple([str(n), c])))),
    m("parameters", (call) => iterator(moduleParameters(self(call), call.args[1]?.kind !== "bool" || call.args[1].value).map(([, p]) => p))),
    m("named_parameters", (call) => iterator(moduleParameters(self(call)).map(([n, p]) => tuple([str(n), p])))),
    m("buffers", (call) => iterator(moduleBuffers(self(call)).map(([, b]) => b))),
    m("named_buffers", (call) => iterator(moduleBuffers(self(call)).map(([n, b]) => tuple([str(n), b])))),
    m("apply", (call) => {
      const obj = self(call);
      const mods = namedModules(obj).map(([, mod]) => mod);
      // children before parents, as PyTorch's apply recurses first
      for (const mod of mods.reverse()) call.interp.callValue(call.args[1], [mod]);
      return obj;
    }, ["fn"]),
    m("get_submodule", (call) => {
      let cur: Value = self(call);
      for (const part of pyStr(call.args[1]).split(".").filter(Boolean)) cur = call.interp.getAttr(cur, part);
      return cur;
    }, ["target"]),
    m("train", returnsSelf),
    m("eval", returnsSelf),
    m("to", returnsSelf),
    m("cuda", returnsSelf),
    m("cpu", returnsSelf),
    m("float", returnsSelf),
    m("double", returnsSelf),
    m("half", returnsSelf),
    m("bfloat16", returnsSelf),
    m("requires_grad_", (call) => {
      const obj = self(call);
      const flag = call.args[1] ?? call.kwargs.get("requires_grad") ?? bool(true);
      const on = flag.kind === "bool" ? flag.value : true;
      for (const [, mod] of namedModules(obj))
        for (const [k, p] of mod.module?.params ?? []) if (p.kind === "tensor") mod.module!.params.set(k, { ...p, requiresGrad: on });
      return obj;
    }),
    m("zero_grad", () => NONE),
    m("share_memory", returnsSelf),
    m("extra_repr", () => str("")),
    m("state_dict", () => makeDict()),
    m("load_state_dict", () => NONE),
    m("register_forward_hook", () => NONE),
    m("register_forward_pre_hook", () => NONE),
    m("register_full_backward_hook", () => NONE),
    m("_get_name", (call) => str(self(call).cls.name)),
    m("__getattr__", (call) => {
      const obj = self(call);
      const name = pyStr(call.args[1]);
      if (name === "_modules" || name === "_parameters" || name === "_buffers") {
        const state = moduleStateOf(obj, call.interp);
        return storeView(name === "_modules" ? state.children : name === "_parameters" ? state.params : state.buffers);
      }
      // called explicitly (self.__getattr__('layer_%d' % i), super().__getattr__(name)): PyTorch looks in the three stores
      const stored = obj.module?.params.get(name) ?? obj.module?.buffers.get(name) ?? obj.module?.children.get(name);
      if (stored !== undefined) return stored;
      throw new PyException("AttributeError", `'${obj.cls.name}' object has no attribute '${name}'`);
    }, ["name"]),
    m("__dir__", (call) => list([...self(call).attrs.keys()].map(str))),
  ]);
  return makeClass("Module", [types.object], attrs, { onCreate: (obj, site, interp) => prepareModule(obj, site, interp) }, "torch.nn.modules.module");
}

/**
 * The entries of a module's _modules/_parameters/_buffers seen as a dict: writes go
 * through to the store, so `module._modules[name] = m` replaces the child in its place,
 * as in PyTorch.
 */
class StoreEntries extends Map<string, DictEntry> {
  constructor(private readonly store: Map<string, Value>) {
    super();
    for (const [name, value] of store) super.set(hashKey(str(name)), { key: str(name), value });
  }
  override set(key: string, entry: DictEntry): this {
    super.set(key, entry);
    if (entry.key.kind === "str") this.store.set(entry.key.value, entry.value);
    return this;
  }
  override delete(key: string): boolean {
    const entry = this.get(key);
    if (entry?.key.kind === "str") this.store.delete(entry.key.value);
    return super.delete(key);
  }
  override clear(): void {
    this.store.clear();
    super.clear();
  }
}

function storeView(store: Map<string, Value>): DictValue {
  return { kind: "dict", entries: new StoreEntries(store), ordered: true };
}

/** Whether a module object's class derives from nn.Module. */
export function isModuleClass(cls: ClassValue, moduleClass: ClassValue): boolean {
  return cls.mro.includes(moduleClass);
}
