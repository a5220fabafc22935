// nn.Sequential, nn.ModuleList, nn.ModuleDict, nn.ParameterList and
// nn.ParameterDict: modules that hold modules. Containers are never rows.
import { makeClass } from "../eval/builtins.js";
import { PyException } from "../eval/errors.js";
import { withRequiredArguments } from "../eval/nativeArguments.js";
import { normalizeIndex, sliceItems } from "../eval/slicing.js";
import { keyError } from "../eval/builtins/exceptions.js";
import { numericValue, pyStr } from "../eval/operators.js";
import { bool, int, isModuleObject, makeObject, native, NONE, str, tuple, unknown, type ClassValue, type NativeCall, type ObjectValue, type Value } from "../eval/values.js";
import type { Tensor } from "../shapes/tensor.js";
import type { NoneValue } from "../eval/values.js";
import type { Interpreter } from "../eval/interpreter.js";
import { callModule, childrenNotKnown, moduleStateOf, prepareModule, registerModule } from "./module.js";

function selfOf(call: NativeCall): ObjectValue {
  const s = call.args[0];
  if (s?.kind !== "object") throw new PyException("TypeError", "container method called without its module");
  moduleStateOf(s, call.interp);
  return s;
}

function childEntries(obj: ObjectValue): [string, ObjectValue][] {
  return [...(obj.module?.children ?? [])].filter((e): e is [string, ObjectValue] => e[1].kind === "object");
}

/** What iterating a container gives, as PyTorch's _modules.values(): a None registered in it (nn.ModuleList([block, None])) too. */
function registered(obj: ObjectValue): Value[] {
  return [...(obj.module?.children.values() ?? [])];
}

function iterator(items: Value[]): Value {
  return { kind: "iterator", items, position: 0 };
}

/** A new container of the same class holding the given children (slicing). */
function sameClassWith(obj: ObjectValue, entries: [string, Value][], rekey: boolean, interp: Interpreter): ObjectValue {
  const out = makeObject(obj.cls);
  prepareModule(out, obj.module?.createdAt, interp);
  entries.forEach(([name, child], i) => out.module!.children.set(rekey ? String(i) : name, child as ObjectValue));
  return out;
}

function appendModule(obj: ObjectValue, module: Value, call: NativeCall): void {
  registerModule(obj, String(obj.module!.children.size), module, call.interp);
}

/** extend(), ModuleList(modules), +=: every module of an iterable, or contents not known when it cannot be listed. */
function appendEach(obj: ObjectValue, modules: Value, call: NativeCall): void {
  const items = call.interp.iterate(modules);
  if (items) for (const x of items) appendModule(obj, x, call);
  else childrenNotKnown(obj, modules.kind === "unknown" ? modules.why : `${modules.kind} could not be listed`, call.interp);
}

/** What a container with children the analysis cannot see gives for anything read from it. */
function unknownContents(obj: ObjectValue): Value | undefined {
  const why = obj.module?.unknownChildren;
  return why === undefined ? undefined : unknown(`the modules of this ${obj.cls.name} are not known (${why})`);
}

/** A container method that reads its children: unknown when some of them are not known. */
function reading(fn: (call: NativeCall) => Value): (call: NativeCall) => Value {
  return (call) => unknownContents(selfOf(call)) ?? fn(call);
}

function indexOf(obj: ObjectValue, index: Value, what: string): string {
  const i = numericValue(index);
  if (typeof i !== "number") throw new PyException("TypeError", `${what} indices must be integers`);
  const keys = [...obj.module!.children.keys()];
  const n = normalizeIndex(i, keys.length);
  if (n < 0 || n >= keys.length) throw new PyException("IndexError", `index ${i} is out of range`);
  return keys[n];
}

export interface ContainerClasses {
  readonly Sequential: ClassValue;
  readonly ModuleList: ClassValue;
  readonly ModuleDict: ClassValue;
  readonly ParameterList: ClassValue;
  readonly ParameterDict: ClassValue;
}

export function createContainerClasses(moduleClass: ClassValue): ContainerClasses {
  // `required`: the positional parameters after self that PyTorch's method cannot do without
  const m = (owner: string, name: string, fn: (call: NativeCall) => Value, required: readonly string[] = []) => [name, native(`${owner}.${name}`, withRequiredArguments(`${owner}.${name}`, required, fn))] as const;
  const len = (owner: string) => m(owner, "__len__", reading((call) => int(registered(selfOf(call)).length)));

  const Sequential = makeClass(
    "Sequential",
    [moduleClass],
    Object.fromEntries([
      m("Sequential", "__init__", (call) => {
        const self = selfOf(call);
        const args = call.args.slice(1);
        if (args.length === 1 && args[0].kind === "dict") for (const e of args[0].entries.values()) registerModule(self, pyStr(e.key), e.value, call.interp);
        else args.forEach((a, i) => registerModule(self, String(i), a, call.interp));
        return NONE;
      }),
      m("Sequential", "forward", reading((call) => {
        let x = call.args[1];
        for (const [, child] of childEntries(selfOf(call))) x = callModule(child, [x], new Map(), call.interp);
        return x;
      }), ["input"]),
      m("Sequential", "__getitem__", reading((call) => {
        const self = selfOf(call);
        const index = call.args[1];
        if (index.kind === "slice") return sameClassWith(self, sliceItems(childEntries(self), index) ?? [], false, call.interp);
        return self.module!.children.get(indexOf(self, index, "Sequential"))!;
      }), ["idx"]),
      m("Sequential", "__setitem__", (call) => {
        const self = selfOf(call);
        registerModule(self, indexOf(self, call.args[1], "Sequential"), call.args[2], call.interp);
        return NONE;
      }, ["idx", "module"]),
      m("Sequential", "__delitem__", (call) => {
        const self = selfOf(call);
        self.module!.children.delete(indexOf(self, call.args[1], "Sequential"));
        return NONE;
      }, ["idx"]),
      len("Sequential"),
      m("Sequential", "__iter__", reading((call) => iterator(registered(selfOf(call))))),
      m("Sequential", "append", (call) => {
        appendModule(selfOf(call), call.args[1], call);
        return selfOf(call);
      }, ["module"]),
      m("Sequential", "extend", (call) => {
        appendEach(selfOf(call), call.args[1], call);
        return selfOf(call);
      }, ["modules"]),
      m("Sequential", "insert", (call) => insertModule(call), ["index", "module"]),
    ]),
    undefined,
    "torch.nn",
  );

  const ModuleList = makeClass(
    "ModuleList",
    [moduleClass],
    Object.fromEntries([
      m("ModuleList", "__init__", (call) => {
        const self = selfOf(call);
        const mods = call.args[1] ?? call.kwargs.get("modules");
        if (mods && mods.kind !== "none") appendEach(self, mods, call);
        return NONE;
      }),
      m("ModuleList", "__getitem__", reading((call) => {
        const self = selfOf(call);
        const index = call.args[1];
        if (index.kind === "slice") return sameClassWith(self, sliceItems(childEntries(self), index) ?? [], true, call.interp);
        return self.module!.children.get(indexOf(self, index, "ModuleList"))!;
      }), ["idx"]),
      m("ModuleList", "__setitem__", (call) => {
        const self = selfOf(call);
        registerModule(self, indexOf(self, call.args[1], "ModuleList"), call.args[2], call.interp);
        return NONE;
      }, ["idx", "module"]),
      len("ModuleList"),
      m("ModuleList", "__iter__", reading((call) => iterator(registered(selfOf(call))))),
      m("ModuleList", "append", (call) => {
        appendModule(selfOf(call), call.args[1], call);
        return selfOf(call);
      }, ["module"]),
      m("ModuleList", "extend", (call) => {
        appendEach(selfOf(call), call.args[1], call);
        return selfOf(call);
      }, ["modules"]),
      m("ModuleList", "__iadd__", (call) => {
        appendEach(selfOf(call), call.args[1], call);
        return selfOf(call);
      }, ["modules"]),
      m("ModuleList", "__add__", (call) => {
        const self = selfOf(call);
        const sum = sameClassWith(self, childEntries(self), true, call.interp);
        if (self.module!.unknownChildren) childrenNotKnown(sum, self.module!.unknownChildren, call.interp);
        appendEach(sum, call.args[1], call);
        return sum;
      }, ["other"]),
      m("ModuleList", "insert", (call) => insertModule(call), ["index", "module"]),
      m("ModuleList", "forward", () => {
        throw new PyException("NotImplementedError", "ModuleList has no forward");
      }),
    ]),
    undefined,
    "torch.nn",
  );

  const ModuleDict = makeClass(
    "ModuleDict",
    [moduleClass],
    Object.fromEntries([
      m("ModuleDict", "__init__", (call) => {
        const self = selfOf(call);
        const mods = call.args[1] ?? call.kwargs.get("modules");
        if (mods && mods.kind !== "none") updateDict(self, mods, call);
        return NONE;
      }),
      m("ModuleDict", "__getitem__", (call) => {
        const c = selfOf(call).module!.children.get(pyStr(call.args[1])) ?? unknownContents(selfOf(call));
        if (!c) throw keyError(call.args[1]);
        return c;
      }, ["key"]),
      m("ModuleDict", "__setitem__", (call) => {
        registerModule(selfOf(call), pyStr(call.args[1]), call.args[2], call.interp);
        return NONE;
      }, ["key", "module"]),
      m("ModuleDict", "__delitem__", (call) => {
        selfOf(call).module!.children.delete(pyStr(call.args[1]));
        return NONE;
      }, ["key"]),
      m("ModuleDict", "__contains__", (call) => (selfOf(call).module!.children.has(pyStr(call.args[1])) ? bool(true) : (unknownContents(selfOf(call)) ?? bool(false))), ["key"]),
      len("ModuleDict"),
      m("ModuleDict", "__iter__", reading((call) => iterator([...selfOf(call).module!.children.keys()].map(str)))),
      m("ModuleDict", "keys", reading((call) => iterator([...selfOf(call).module!.children.keys()].map(str)))),
      m("ModuleDict", "values", reading((call) => iterator(childEntries(selfOf(call)).map(([, c]) => c)))),
      m("ModuleDict", "items", reading((call) => iterator(childEntries(selfOf(call)).map(([k, c]) => tuple([str(k), c]))))),
      m("ModuleDict", "update", (call) => {
        updateDict(selfOf(call), call.args[1], call);
        return NONE;
      }, ["modules"]),
      m("ModuleDict", "pop", (call) => {
        const self = selfOf(call);
        const key = pyStr(call.args[1]);
        const c = self.module!.children.get(key) ?? NONE;
        self.module!.children.delete(key);
        return c;
      }, ["key"]),
      m("ModuleDict", "forward", () => {
        throw new PyException("NotImplementedError", "ModuleDict has no forward");
      }),
    ]),
    undefined,
    "torch.nn",
  );

  const parameterContainer = (name: string, keyed: boolean) =>
    makeClass(
      name,
      [moduleClass],
      Object.fromEntries([
        m(name, "__init__", (call) => {
          const self = selfOf(call);
          const src = call.args[1];
          if (src && src.kind !== "none") {
            if (keyed) for (const [k, v] of call.interp.mappingEntries(src)) self.module!.params.set(pyStr(k), asParameter(v));
            else (call.interp.iterate(src) ?? []).forEach((v, i) => self.module!.params.set(String(i), asParameter(v)));
          }
          return NONE;
        }),
        m(name, "__getitem__", (call) => {
          const self = selfOf(call);
          const key = keyed ? pyStr(call.args[1]) : [...self.module!.params.keys()][normalizeIndex(numericValue(call.args[1]) as number, self.module!.params.size)];
          return self.module!.params.get(key ?? "") ?? NONE;
        }, [keyed ? "key" : "idx"]),
        m(name, "__len__", (call) => int(selfOf(call).module!.params.size)),
        m(name, "__iter__", (call) => iterator(keyed ? [...selfOf(call).module!.params.keys()].map(str) : [...selfOf(call).module!.params.values()])),
        m(name, "append", (call) => {
          const self = selfOf(call);
          self.module!.params.set(String(self.module!.params.size), asParameter(call.args[1]));
          return self;
        }, ["value"]),
      ]),
      undefined,
      "torch.nn",
    );

  return { Sequential, ModuleList, ModuleDict, ParameterList: parameterContainer("ParameterList", false), ParameterDict: parameterContainer("ParameterDict", true) };
}

function asParameter(v: Value): Tensor | NoneValue {
  return v.kind === "tensor" ? { ...v, isParameter: true, requiresGrad: v.isParameter ? v.requiresGrad : true } : NONE;
}

function insertModule(call: NativeCall): Value {
  const self = selfOf(call);
  const entries = childEntries(self).map(([, c]) => c as Value);
  let i = numericValue(call.args[1]) as number;
  if (i < 0) i += entries.length;
  entries.splice(i, 0, call.args[2]);
  self.module!.children.clear();
  entries.forEach((c, k) => registerModule(self, String(k), c, call.interp));
  return NONE;
}

function updateDict(self: ObjectValue, mods: Value, call: NativeCall): void {
  if (mods.kind === "unknown") return childrenNotKnown(self, mods.why, call.interp);
  if (mods.kind === "dict" || (mods.kind === "object" && !isModuleObject(mods))) {
    for (const [k, v] of call.interp.mappingEntries(mods)) registerModule(self, pyStr(k), v, call.interp);
    return;
  }
  if (isModuleObject(mods)) {
    for (const [k, v] of mods.module.children) registerModule(self, k, v, call.interp);
    return;
  }
  const pairs = call.interp.iterate(mods);
  if (!pairs) return childrenNotKnown(self, `${mods.kind} could not be listed`, call.interp);
  pairs.forEach((pair, i) => {
    const kv = call.interp.iterate(pair);
    if (!kv) return childrenNotKnown(self, `update element #${i} could not be listed`, call.interp);
    if (kv.length !== 2) throw new PyException("ValueError", `ModuleDict update sequence element #${i} has length ${kv.length}; 2 is required`);
    registerModule(self, pyStr(kv[0]), kv[1], call.interp);
  });
}

/** Containers are never rows: their children are. */
export function isContainerClass(cls: ClassValue, containers: ContainerClasses): boolean {
  return cls.mro.includes(containers.Sequential) || cls.mro.includes(containers.ModuleList) || cls.mro.includes(containers.ModuleDict) || cls.mro.includes(containers.ParameterList) || cls.mro.includes(containers.ParameterDict);
}
