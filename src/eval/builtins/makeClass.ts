// A class of the evaluator's own (builtins, torch, the stdlib models), its MRO computed.
import { computeMro } from "../mro.js";
import { registerSubclass } from "../subclasses.js";
import type { ClassValue, NativeClassBehaviour, Value } from "../values.js";

export function makeClass(name: string, bases: readonly ClassValue[], attrs: Record<string, Value> = {}, nativeBehaviour?: NativeClassBehaviour, module = "builtins"): ClassValue {
  const cls: ClassValue = { kind: "class", name, qualname: name, bases, mro: [], attrs: new Map(Object.entries(attrs)), native: nativeBehaviour, module, decorators: [] };
  cls.mro = computeMro(cls);
  registerSubclass(cls);
  return cls;
}
