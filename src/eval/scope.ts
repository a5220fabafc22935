// Name resolution: a function's locals, its enclosing functions, the module's
// globals, then builtins. Class bodies are skipped by the functions they define,
// as in Python.
import type { Span } from "../parse/ast.js";
import { Bindings } from "./bindings.js";
import type { SourceLocation, Value } from "./values.js";

export type ScopeKind = "module" | "function" | "class" | "builtins";

export class Scope {
  readonly vars = new Bindings();
  private globalNames?: Set<string>;
  private nonlocalNames?: Set<string>;

  constructor(
    readonly kind: ScopeKind,
    readonly parent: Scope | undefined,
    /** the file this scope's code comes from */
    readonly file: string,
    /** dotted module name, for class qualnames and relative imports */
    readonly moduleName: string,
  ) {}

  get globals(): Scope {
    let s: Scope = this;
    while (s.kind !== "module" && s.parent) s = s.parent;
    return s;
  }

  /** Where a piece of this scope's code stands, for notes and reports. */
  location(span: Span): SourceLocation {
    return { file: this.file, span };
  }

  lookup(name: string): Value | undefined {
    if (this.globalNames?.has(name)) return this.globals.lookup(name);
    const own = this.vars.get(name);
    if (own !== undefined) return own;
    let s = this.parent;
    while (s) {
      // names bound in a class body are not visible to its methods
      if (s.kind !== "class") {
        const v = s.vars.get(name);
        if (v !== undefined) return v;
      }
      s = s.parent;
    }
    return undefined;
  }

  /** Like lookup, but a deferred binding (a lazy import) comes back lazy instead of being computed. */
  peek(name: string): Value | undefined {
    if (this.globalNames?.has(name)) return this.globals.peek(name);
    const own = this.vars.peek(name);
    if (own !== undefined) return own;
    let s = this.parent;
    while (s) {
      if (s.kind !== "class") {
        const v = s.vars.peek(name);
        if (v !== undefined) return v;
      }
      s = s.parent;
    }
    return undefined;
  }

  assign(name: string, value: Value): void {
    if (this.globalNames?.has(name)) {
      this.globals.vars.set(name, value);
      return;
    }
    if (this.nonlocalNames?.has(name)) {
      let s = this.parent;
      while (s && !(s.kind === "function" && s.vars.has(name))) s = s.parent;
      (s ?? this).vars.set(name, value);
      return;
    }
    this.vars.set(name, value);
  }

  delete(name: string): void {
    this.vars.delete(name);
  }

  declareGlobal(name: string): void {
    (this.globalNames ??= new Set()).add(name);
  }

  declareNonlocal(name: string): void {
    (this.nonlocalNames ??= new Set()).add(name);
  }

  /** A shallow copy of this scope's own bindings, for analysing both sides of an undecidable branch. */
  fork(): Scope {
    const copy = new Scope(this.kind, this.parent, this.file, this.moduleName);
    this.vars.copyInto(copy.vars);
    copy.globalNames = this.globalNames;
    copy.nonlocalNames = this.nonlocalNames;
    return copy;
  }
}
