// type.__subclasses__(): the classes made so far that name a class as a direct base,
// in creation order (libraries find their backends and registries this way).
import type { ClassValue } from "./values.js";

const direct = new WeakMap<ClassValue, ClassValue[]>();

export function registerSubclass(cls: ClassValue): void {
  for (const base of cls.bases) {
    let list = direct.get(base);
    if (!list) direct.set(base, (list = []));
    list.push(cls);
  }
}

export function subclassesOf(cls: ClassValue): readonly ClassValue[] {
  return direct.get(cls) ?? [];
}
