// The names of a scope. A binding may be deferred (a lazy value: what
// `from m import x` binds), and is computed the first time it is read, so an
// imported module is evaluated only when one of its names is needed.
import { forceValue, type LazyValue, type Value } from "./values.js";

export class Bindings extends Map<string, Value> {
  private deferred?: Map<string, LazyValue>;

  /** Bind a name to a lazy value: computed on first read. */
  defer(name: string, value: LazyValue): void {
    super.delete(name);
    (this.deferred ??= new Map()).set(name, value);
  }

  override set(name: string, value: Value): this {
    if (value.kind === "lazy") {
      this.defer(name, value);
      return this;
    }
    this.deferred?.delete(name);
    return super.set(name, value);
  }

  override get(name: string): Value | undefined {
    const v = super.get(name);
    if (v !== undefined) return v;
    const d = this.deferred?.get(name);
    if (!d) return undefined;
    const resolved = forceValue(d);
    // still the same deferred binding (forcing did not rebind the name): keep the value
    if (this.deferred?.get(name) === d) {
      this.deferred.delete(name);
      super.set(name, resolved);
    }
    return resolved;
  }

  /** The binding as it is: a deferred one comes back lazy, not computed. */
  peek(name: string): Value | undefined {
    return super.get(name) ?? this.deferred?.get(name);
  }

  override has(name: string): boolean {
    return super.has(name) || (this.deferred?.has(name) ?? false);
  }

  override delete(name: string): boolean {
    const a = this.deferred?.delete(name) ?? false;
    return super.delete(name) || a;
  }

  override clear(): void {
    this.deferred?.clear();
    super.clear();
  }

  override get size(): number {
    return super.size + (this.deferred?.size ?? 0);
  }

  /** Every bound name, deferred ones included, without computing any. */
  names(): string[] {
    return [...super.keys(), ...(this.deferred?.keys() ?? [])];
  }

  /** Copy every binding into another, deferred ones still deferred. */
  copyInto(other: Bindings): void {
    for (const [k, v] of super.entries()) other.set(k, v);
    for (const [k, v] of this.deferred ?? []) other.defer(k, v);
  }

  // iterating looks at the values: deferred bindings are computed first
  private forceAll(): void {
    if (!this.deferred) return;
    for (const name of [...this.deferred.keys()]) this.get(name);
  }

  override keys(): MapIterator<string> {
    this.forceAll();
    return super.keys();
  }

  override values(): MapIterator<Value> {
    this.forceAll();
    return super.values();
  }

  override entries(): MapIterator<[string, Value]> {
    this.forceAll();
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[string, Value]> {
    return this.entries();
  }

  override forEach(callback: (value: Value, key: string, map: Map<string, Value>) => void, thisArg?: unknown): void {
    this.forceAll();
    super.forEach(callback, thisArg);
  }
}
