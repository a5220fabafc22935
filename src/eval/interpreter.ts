// A small Python evaluator over the typed tree. The same interpreter runs
// __init__ (concrete values) and forward (abstract tensors); what torch means is
// supplied from outside through TensorSemantics and native namespaces.
import type * as A from "../parse/ast.js";
import type { Tensor } from "../shapes/tensor.js";
import { unknownTensor } from "../shapes/tensor.js";
import { bindArguments } from "./binding.js";
import { BudgetExceeded, PyException } from "./errors.js";
import { numericValue, primitiveBinary, pyEquals, pyFormat, pyLess, pyRepr, pyStr, rangeLength, truthOfPrimitive } from "./operators.js";
import { loopEffects } from "./loopEffects.js";
import { computeMro } from "./mro.js";
import { describe, exprText, typeName } from "./naming.js";
import { Scope } from "./scope.js";
import { normalizeIndex, sliceItems } from "./slicing.js";
import { mergeValues, unknownNamespace, unknownResultOf } from "./unknowns.js";
import {
  bool,
  ELLIPSIS,
  float,
  forceValue,
  hashKey,
  int,
  lazy,
  list,
  makeDict,
  makeObject,
  NONE,
  str,
  tuple,
  unknown,
  type BoundMethodValue,
  type ClassValue,
  type FunctionValue,
  type NamespaceValue,
  type NativeCall,
  type ObjectValue,
  type SourceLocation,
  type Value,
} from "./values.js";

/** What tensors mean: implemented by the torch model (src/torch), not by the evaluator. */
export interface TensorSemantics {
  attribute(t: Tensor, name: string, interp: Interpreter): Value;
  /** `inplace`: the augmented form (`a += b`), which must keep a's shape */
  binary(op: A.BinaryOperator, a: Value, b: Value, interp: Interpreter, inplace?: boolean): Value;
  unary(op: "-" | "+" | "~", a: Tensor, interp: Interpreter): Value;
  compare(op: A.CompareOperator, a: Value, b: Value, interp: Interpreter): Value;
  getItem(t: Tensor, index: Value, interp: Interpreter): Value;
  setItem(t: Tensor, index: Value, value: Value, interp: Interpreter): void;
  iterate(t: Tensor, interp: Interpreter): Value[] | undefined;
  setAttribute(t: Tensor, name: string, value: Value, interp: Interpreter): void;
}

export interface ImportResolver {
  /** a module by absolute dotted name, or relative (level > 0) to the importing scope; undefined when unresolvable */
  importModule(name: string, level: number, from: Scope, interp: Interpreter): NamespaceValue | undefined;
}

export interface Note {
  readonly message: string;
  readonly location?: SourceLocation;
}

export type Completion = { readonly type: "return"; readonly value: Value } | { readonly type: "break" } | { readonly type: "continue" } | undefined;

interface Frame {
  readonly func: FunctionValue;
  readonly scope: Scope;
}

export interface InterpreterOptions {
  readonly stepLimit: number;
  readonly depthLimit: number;
  /** wall-clock budget in ms */
  readonly timeLimitMs: number;
}

export const defaultInterpreterOptions: InterpreterOptions = { stepLimit: 20_000_000, depthLimit: 150, timeLimitMs: 20_000 };

export class Interpreter {
  readonly notes: Note[] = [];
  private readonly noteKeys = new Set<string>();
  private steps = 0;
  private readonly frames: Frame[] = [];
  private readonly deadline: number;
  /** the innermost call expression being evaluated: where natives report */
  site: SourceLocation | undefined;
  /** told of every assignment to a name (editors show the shapes of forward's locals) */
  onAssign?: (name: string, value: Value, target: SourceLocation) => void;

  constructor(
    readonly builtins: Scope,
    readonly tensors: TensorSemantics,
    readonly imports: ImportResolver,
    readonly options: InterpreterOptions = defaultInterpreterOptions,
  ) {
    this.deadline = Date.now() + options.timeLimitMs;
  }

  note(message: string, location: SourceLocation | undefined = this.site): void {
    const key = `${message}@${location?.file}:${location?.span.line}`;
    if (this.noteKeys.has(key)) return;
    this.noteKeys.add(key);
    this.notes.push({ message, location });
  }

  private tick(): void {
    if (++this.steps > this.options.stepLimit) throw new BudgetExceeded(`step budget of ${this.options.stepLimit} exceeded`);
    if ((this.steps & 0xfff) === 0 && Date.now() > this.deadline) throw new BudgetExceeded(`time budget of ${this.options.timeLimitMs} ms exceeded`);
  }

  currentFrame(): Frame | undefined {
    return this.frames[this.frames.length - 1];
  }

  // ---------------------------------------------------------------- statements

  execModule(body: readonly A.Stmt[], scope: Scope): void {
    this.execBlock(body, scope);
  }

  execBlock(body: readonly A.Stmt[], scope: Scope): Completion {
    for (const stmt of body) {
      const c = this.execStmt(stmt, scope);
      if (c) return c;
    }
    return undefined;
  }

  private loc(scope: Scope, span: A.Span): SourceLocation {
    return { file: scope.file, span };
  }

  execStmt(s: A.Stmt, scope: Scope): Completion {
    this.tick();
    switch (s.kind) {
      case "expr":
        // a value computed only to be dropped: an imported name in it need not be evaluated
        this.evalExprLazy(s.value, scope);
        return undefined;
      case "assign": {
        // a name bound to an imported name stays lazy (an alias needs no value yet)
        const value = s.targets.every((t) => t.kind === "name") ? this.evalExprLazy(s.value, scope) : this.evalExpr(s.value, scope);
        for (const t of s.targets) this.assignTarget(t, value, scope);
        return undefined;
      }
      case "augassign":
        this.execAugAssign(s, scope);
        return undefined;
      case "annassign":
        if (scope.kind === "class" && s.target.kind === "name") this.recordAnnotation(scope, s.target.id, s.value !== undefined);
        if (s.value) this.assignTarget(s.target, this.evalExpr(s.value, scope), scope);
        return undefined;
      case "return":
        return { type: "return", value: s.value ? this.evalExprLazy(s.value, scope) : NONE };
      case "if":
        return this.execIf(s, scope);
      case "for":
        return this.execFor(s, scope);
      case "while":
        return this.execWhile(s, scope);
      case "pass":
        return undefined;
      case "break":
        return { type: "break" };
      case "continue":
        return { type: "continue" };
      case "def":
        scope.assign(s.name, this.applyDecorators(s.decorators, this.makeFunction(s, scope), scope));
        return undefined;
      case "class":
        scope.assign(s.name, this.applyDecorators(s.decorators, this.makeClass(s, scope), scope));
        return undefined;
      case "import":
        this.execImport(s, scope);
        return undefined;
      case "importfrom":
        this.execImportFrom(s, scope);
        return undefined;
      case "raise":
        throw this.makeRaise(s, scope);
      case "assert": {
        const ok = this.truthy(this.evalExpr(s.test, scope));
        if (ok === false) throw new PyException("AssertionError", s.msg ? pyStr(this.evalExpr(s.msg, scope)) : "", undefined, this.loc(scope, s.span));
        return undefined;
      }
      case "try":
        return this.execTry(s, scope);
      case "with":
        return this.execWith(s, scope);
      case "delete":
        for (const t of s.targets) this.deleteTarget(t, scope);
        return undefined;
      case "global":
        for (const n of s.names) scope.declareGlobal(n);
        return undefined;
      case "nonlocal":
        for (const n of s.names) scope.declareNonlocal(n);
        return undefined;
      case "unsupported":
        this.note(`statement '${s.what}' is not modelled; skipped`, this.loc(scope, s.span));
        return undefined;
    }
  }

  private recordAnnotation(scope: Scope, name: string, hasDefault: boolean): void {
    let ann = scope.vars.get("__annotations__");
    if (!ann || ann.kind !== "dict") {
      ann = makeDict([], true);
      scope.vars.set("__annotations__", ann);
    }
    if (ann.kind === "dict") ann.entries.set(hashKey(str(name)), { key: str(name), value: bool(hasDefault) });
  }

  private execAugAssign(s: A.AugAssignStmt, scope: Scope): void {
    const current = this.evalExpr(s.target, scope);
    const rhs = this.evalExpr(s.value, scope);
    // list += iterable extends in place (aliases see it)
    if (current.kind === "list" && s.op === "+") {
      const items = this.iterate(rhs);
      if (items) current.items.push(...items);
      return;
    }
    if (current.kind === "object") {
      const inplace = this.lookupSpecial(current, inplaceMethod[s.op] ?? "");
      if (inplace) {
        this.assignTarget(s.target, this.callValue(inplace, [rhs]), scope);
        return;
      }
    }
    // a tensor += writes into the tensor: its own rule checks the shape is kept
    if (current.kind === "tensor") {
      const saved = this.site;
      this.site = this.loc(scope, s.span);
      try {
        this.assignTarget(s.target, this.tensors.binary(s.op, current, rhs, this, true), scope);
      } finally {
        this.site = saved;
      }
      return;
    }
    this.assignTarget(s.target, this.binary(s.op, current, rhs), scope);
  }

  private execIf(s: A.IfStmt, scope: Scope): Completion {
    const test = this.truthy(this.evalExpr(s.test, scope));
    if (test === true) return this.execBlock(s.body, scope);
    if (test === false) return this.execBlock(s.orelse, scope);
    return this.execBothBranches(s, scope);
  }

  /** An undecidable condition: analyse both sides and merge what they bind. */
  private execBothBranches(s: A.IfStmt, scope: Scope): Completion {
    this.note(`condition at line ${s.span.line + 1} cannot be decided from the source; both branches analysed`, this.loc(scope, s.test.span));
    if (scope.kind !== "function") {
      const c = this.execBlock(s.body, scope);
      return c ?? this.execBlock(s.orelse, scope);
    }
    const thenScope = scope.fork();
    const elseScope = scope.fork();
    const ct = this.execBranch(s.body, thenScope);
    const ce = this.execBranch(s.orelse, elseScope);
    // a branch that raises is one the real run cannot have taken
    if (ct === "raised" && ce === "raised") throw new PyException("RuntimeError", `both branches of the condition at line ${s.span.line + 1} raise`);
    if (ct === "raised" || ce === "raised") {
      const [survivor, c] = ct === "raised" ? [elseScope, ce as Completion] : [thenScope, ct];
      survivor.vars.copyInto(scope.vars);
      return c;
    }
    // peeked, not read: a lazy import both sides share stays lazy
    const names = new Set([...thenScope.vars.names(), ...elseScope.vars.names()]);
    for (const name of names) {
      const a = thenScope.vars.peek(name);
      const b = elseScope.vars.peek(name);
      if (a && b) scope.vars.set(name, mergeValues(a, b));
      else if (a ?? b) scope.vars.set(name, (a ?? b)!);
    }
    if (ct?.type === "return" && ce?.type === "return") return { type: "return", value: mergeValues(ct.value, ce.value) };
    if (ct?.type === "return") return ct;
    if (ce?.type === "return") return ce;
    return ct ?? ce;
  }

  private execBranch(body: readonly A.Stmt[], scope: Scope): Completion | "raised" {
    try {
      return this.execBlock(body, scope);
    } catch (e) {
      if (e instanceof PyException) return "raised";
      throw e;
    }
  }

  private execFor(s: A.ForStmt, scope: Scope): Completion {
    const iterable = this.evalExpr(s.iter, scope);
    const items = this.iterate(iterable);
    if (!items) {
      this.note(`cannot iterate over ${describe(iterable)}; loop at line ${s.span.line + 1} skipped`, this.loc(scope, s.iter.span));
      this.forgetLoopEffects([s.target], [...s.body, ...s.orelse], scope, s.span.line);
      return undefined;
    }
    for (const item of items) {
      this.assignTarget(s.target, item, scope);
      const c = this.execBlock(s.body, scope);
      if (c?.type === "break") return undefined;
      if (c?.type === "return") return c;
    }
    return this.execBlock(s.orelse, scope);
  }

  /** A loop not run (or not run to its end): what its body rebinds or changes in place becomes unknown, not stale. */
  private forgetLoopEffects(targets: readonly A.Expr[], body: readonly A.Stmt[], scope: Scope, line: number): void {
    const effects = loopEffects(body, targets);
    const why = `changed by the loop at line ${line + 1}, which could not be followed`;
    for (const name of effects.rebound) scope.assign(name, unknown(why));
    for (const name of effects.mutated) {
      if (effects.rebound.has(name)) continue;
      const v = scope.lookup(name);
      if (v && (v.kind === "list" || v.kind === "dict" || v.kind === "set")) scope.assign(name, unknown(why));
    }
  }

  private execWhile(s: A.WhileStmt, scope: Scope): Completion {
    for (;;) {
      const test = this.truthy(this.evalExpr(s.test, scope));
      if (test === undefined) {
        this.note(`loop condition at line ${s.span.line + 1} cannot be decided; loop stopped`, this.loc(scope, s.test.span));
        this.forgetLoopEffects([], [...s.body, ...s.orelse], scope, s.span.line);
        return undefined;
      }
      if (!test) return this.execBlock(s.orelse, scope);
      const c = this.execBlock(s.body, scope);
      if (c?.type === "break") return undefined;
      if (c?.type === "return") return c;
    }
  }

  private execTry(s: A.TryStmt, scope: Scope): Completion {
    let completion: Completion;
    try {
      try {
        completion = this.execBlock(s.body, scope);
      } catch (e) {
        if (!(e instanceof PyException)) throw e;
        const handler = s.handlers.find((h) => !h.type || this.exceptionMatches(e, this.evalExpr(h.type, scope)));
        if (!handler) throw e;
        if (handler.name) scope.assign(handler.name, this.exceptionValue(e));
        return this.execBlock(handler.body, scope);
      }
      if (!completion) completion = this.execBlock(s.orelse, scope);
      return completion;
    } finally {
      const f = this.execBlock(s.finalbody, scope);
      if (f) return f;
    }
  }

  private exceptionMatches(e: PyException, type: Value): boolean {
    if (type.kind === "tuple") return type.items.some((t) => this.exceptionMatches(e, t));
    if (type.kind !== "class") return false;
    if (e.value?.kind === "object") return e.value.cls.mro.includes(type);
    const builtin = this.builtins.vars.get(e.pyType);
    if (builtin?.kind === "class") return builtin.mro.includes(type);
    return type.name === e.pyType || type.name === "Exception" || type.name === "BaseException";
  }

  private exceptionValue(e: PyException): Value {
    if (e.value) return e.value;
    const cls = this.builtins.vars.get(e.pyType);
    if (cls?.kind === "class") {
      const obj = makeObject(cls);
      obj.attrs.set("args", tuple([str(e.pyMessage)]));
      return obj;
    }
    return unknown(e.message);
  }

  private makeRaise(s: A.RaiseStmt, scope: Scope): PyException {
    const site = this.loc(scope, s.span);
    if (!s.exc) return new PyException("RuntimeError", "re-raised exception", undefined, site);
    let v = this.evalExpr(s.exc, scope);
    if (v.kind === "class") v = this.callValue(v, []);
    if (v.kind === "object") {
      const args = v.attrs.get("args");
      const message = args?.kind === "tuple" && args.items.length > 0 ? pyStr(args.items[0]) : "";
      return new PyException(v.cls.name, message, v, site);
    }
    return new PyException("Exception", pyStr(v), v, site);
  }

  private execWith(s: A.WithStmt, scope: Scope): Completion {
    for (const item of s.items) {
      const ctx = this.evalExpr(item.context, scope);
      let entered: Value = ctx;
      if (ctx.kind === "object") {
        const enter = this.lookupSpecial(ctx, "__enter__");
        if (enter) entered = this.callValue(enter, []);
      }
      if (item.target) this.assignTarget(item.target, entered, scope);
    }
    return this.execBlock(s.body, scope);
  }

  /** `import a.b as c` / `import a.b`: the module is resolved and evaluated when the name is first used. */
  private execImport(s: A.ImportStmt, scope: Scope): void {
    for (const alias of s.names) {
      // `import a.b.c` binds `a`
      const name = alias.asname ? alias.name : alias.name.split(".")[0];
      scope.assign(alias.asname ?? name, lazy(name, () => this.importOrUnknown(name, 0, scope, s.span)));
    }
  }

  private importOrUnknown(name: string, level: number, scope: Scope, span: A.Span): Value {
    const mod = this.imports.importModule(name, level, scope, this);
    if (mod) return mod;
    const shown = ".".repeat(level) + name;
    this.note(`module '${shown}' could not be resolved; its names are unknown`, this.loc(scope, span));
    return unknownNamespace(shown);
  }

  /** `from m import x`: each name is lazy, and m is evaluated when one of them is first needed. */
  private execImportFrom(s: A.ImportFromStmt, scope: Scope): void {
    if (s.module === "__future__") return;
    const shown = `${".".repeat(s.level)}${s.module}`;
    if (s.star) {
      const mod = this.importOrUnknown(s.module, s.level, scope, s.span);
      if (mod.kind === "namespace" && mod.publicNames) for (const n of mod.publicNames()) scope.assign(n, lazy(`${shown}.${n}`, () => mod.get(n) ?? unknown(n)));
      return;
    }
    for (const alias of s.names) scope.assign(alias.asname ?? alias.name, lazy(`${shown}.${alias.name}`, () => this.importedName(s, alias.name, scope)));
  }

  private importedName(s: A.ImportFromStmt, name: string, scope: Scope): Value {
    const mod = this.importOrUnknown(s.module, s.level, scope, s.span);
    let v: Value | undefined = mod.kind === "namespace" ? mod.get(name) : undefined;
    // `from package import submodule`
    v ??= this.imports.importModule(s.module ? `${s.module}.${name}` : name, s.level, scope, this);
    if (v !== undefined) return v;
    this.note(`cannot import '${name}' from '${".".repeat(s.level)}${s.module}'`, this.loc(scope, s.span));
    return unknown(`${s.module}.${name} could not be imported`);
  }

  // ---------------------------------------------------------------- definitions

  makeFunction(s: A.FunctionDef, scope: Scope): FunctionValue {
    const defaults = new Map<string, Value>();
    for (const p of s.params) if (p.default) defaults.set(p.name, this.evalExprLazy(p.default, scope));
    const qualPrefix = scope.kind === "class" ? `${scope.vars.get("__qualname__")?.kind === "str" ? (scope.vars.get("__qualname__") as { value: string }).value : ""}.` : "";
    return {
      kind: "function",
      name: s.name,
      qualname: qualPrefix + s.name,
      params: s.params,
      defaults,
      // read when called: an imported module converts a function's body only then
      get body() {
        return s.body;
      },
      closure: scope,
      file: scope.file,
      span: s.span,
      isGenerator: false,
      attrs: new Map(),
    };
  }

  private applyDecorators(decorators: readonly A.Expr[], target: Value, scope: Scope): Value {
    let v = target;
    for (let i = decorators.length - 1; i >= 0; i--) {
      const d = this.evalExpr(decorators[i], scope);
      if (d.kind === "unknown") {
        this.note(`decorator '${exprText(decorators[i])}' is not known; the definition is left as written`, this.loc(scope, decorators[i].span));
        continue;
      }
      const decorated = this.callValue(d, [v], new Map(), this.loc(scope, decorators[i].span));
      if (decorated.kind === "unknown") {
        this.note(`decorator '${exprText(decorators[i])}' gave an unknown value; the definition is left as written`, this.loc(scope, decorators[i].span));
        continue;
      }
      if (target.kind === "class" && decorated.kind !== "class") continue;
      v = decorated;
    }
    return v;
  }

  makeClass(s: A.ClassDef, scope: Scope): ClassValue {
    const bases: ClassValue[] = [];
    for (const b of s.bases) {
      const v = this.evalExpr(b, scope);
      if (v.kind === "class") bases.push(v);
      else if (v.kind === "unknown") this.note(`base class '${exprText(b)}' of ${s.name} is unknown`, this.loc(scope, b.span));
    }
    const object = this.builtins.vars.get("object") as ClassValue;
    if (bases.length === 0) bases.push(object);
    const body = new Scope("class", scope, scope.file, scope.moduleName);
    const outerQual = scope.kind === "class" ? scope.vars.get("__qualname__") : undefined;
    const qualname = outerQual?.kind === "str" ? `${outerQual.value}.${s.name}` : s.name;
    body.vars.set("__qualname__", str(qualname));
    body.vars.set("__module__", str(scope.moduleName));
    const cls: ClassValue = {
      kind: "class",
      name: s.name,
      qualname,
      bases,
      mro: [],
      attrs: body.vars,
      location: { file: scope.file, span: s.span },
      module: scope.moduleName,
      decorators: s.decorators.map(exprText),
    };
    cls.mro = computeMro(cls);
    const metaKeyword = s.keywords.find((k) => k.name === "metaclass");
    const meta = metaKeyword ? this.evalExpr(metaKeyword.value, scope) : undefined;
    cls.metaclass = meta?.kind === "class" ? meta : bases.find((b) => b.metaclass)?.metaclass;
    this.execBlock(s.body, body);
    for (const v of body.vars.names().map((n) => body.vars.peek(n)!)) {
      const f = v.kind === "function" ? v : (v.kind === "staticmethod" || v.kind === "classmethod" || v.kind === "property") && v.func.kind === "function" ? v.func : undefined;
      if (f && !f.definingClass) f.definingClass = cls;
      if (v.kind === "property" && v.setter?.kind === "function" && !v.setter.definingClass) v.setter.definingClass = cls;
    }
    const init = cls.mro.find((c) => c.native?.construct === undefined && c.attrs.has("__init_subclass_hook__"));
    if (init) {
      const hook = init.attrs.get("__init_subclass_hook__");
      if (hook?.kind === "native") hook.call({ args: [cls], kwargs: new Map(), interp: this });
    }
    return cls;
  }

  // ---------------------------------------------------------------- assignment

  assignTarget(t: A.Expr, value: Value, scope: Scope): void {
    switch (t.kind) {
      case "name":
        scope.assign(t.id, value);
        this.onAssign?.(t.id, value, { file: scope.file, span: t.span });
        return;
      case "attribute":
        this.setAttr(this.evalExpr(t.value, scope), t.attr, value);
        return;
      case "subscript":
        this.setItem(this.evalExpr(t.value, scope), this.evalExpr(t.index, scope), value);
        return;
      case "tuple":
      case "list":
        this.unpack(t.elts, value, scope, t.span);
        return;
      case "starred":
        this.assignTarget(t.value, value, scope);
        return;
      default:
        this.note(`cannot assign to ${t.kind}`, this.loc(scope, t.span));
    }
  }

  private unpack(targets: readonly A.Expr[], value: Value, scope: Scope, span: A.Span): void {
    const items = this.iterate(value);
    const starIndex = targets.findIndex((t) => t.kind === "starred");
    if (!items) {
      this.note(`cannot unpack ${describe(value)}`, this.loc(scope, span));
      const u = value.kind === "tensor" ? unknownTensor(`unpacking a tensor of unknown shape`) : unknown(`unpacking ${describe(value)}`);
      for (const t of targets) this.assignTarget(t, u, scope);
      return;
    }
    if (starIndex < 0) {
      if (items.length !== targets.length)
        throw new PyException("ValueError", `${items.length > targets.length ? "too many values to unpack" : "not enough values to unpack"} (expected ${targets.length}, got ${items.length})`);
      targets.forEach((t, i) => this.assignTarget(t, items[i], scope));
      return;
    }
    const after = targets.length - starIndex - 1;
    if (items.length < targets.length - 1) throw new PyException("ValueError", `not enough values to unpack (expected at least ${targets.length - 1}, got ${items.length})`);
    targets.slice(0, starIndex).forEach((t, i) => this.assignTarget(t, items[i], scope));
    this.assignTarget(targets[starIndex], list(items.slice(starIndex, items.length - after)), scope);
    targets.slice(starIndex + 1).forEach((t, i) => this.assignTarget(t, items[items.length - after + i], scope));
  }

  private deleteTarget(t: A.Expr, scope: Scope): void {
    if (t.kind === "name") scope.delete(t.id);
    else if (t.kind === "subscript") {
      const obj = this.evalExpr(t.value, scope);
      const key = this.evalExpr(t.index, scope);
      if (obj.kind === "dict") obj.entries.delete(hashKey(key));
      else if (obj.kind === "list" && key.kind === "int" && typeof key.value === "number") obj.items.splice(normalizeIndex(key.value, obj.items.length), 1);
      else if (obj.kind === "object") {
        const del = this.lookupSpecial(obj, "__delitem__");
        if (del) this.callValue(del, [key]);
      }
    } else if (t.kind === "attribute") {
      const obj = this.evalExpr(t.value, scope);
      if (obj.kind === "object") {
        obj.attrs.delete(t.attr);
        obj.module?.children.delete(t.attr);
        obj.module?.params.delete(t.attr);
        obj.module?.buffers.delete(t.attr);
      }
    } else if (t.kind === "tuple" || t.kind === "list") for (const e of t.elts) this.deleteTarget(e, scope);
  }

  // ---------------------------------------------------------------- expressions

  /** The value of an expression, computed: never lazy. */
  evalExpr(e: A.Expr, scope: Scope): Value {
    const v = this.evalExprRaw(e, scope);
    return v.kind === "lazy" ? v.force() : v;
  }

  /**
   * The value of an expression where it is only moved (an argument, a default,
   * an assignment): an imported name, or an attribute of one, stays lazy, so its
   * module is evaluated only if the value is ever needed.
   */
  evalExprLazy(e: A.Expr, scope: Scope): Value {
    if (e.kind === "name") {
      const v = scope.peek(e.id) ?? this.builtins.vars.get(e.id);
      if (v === undefined) throw new PyException("NameError", `name '${e.id}' is not defined`, undefined, this.loc(scope, e.span));
      return v;
    }
    if (e.kind === "attribute") {
      const base = this.evalExprLazy(e.value, scope);
      const site = this.loc(scope, e.span);
      if (base.kind === "lazy") return lazy(`${base.what}.${e.attr}`, () => this.getAttr(base.force(), e.attr, site));
      return this.getAttr(base, e.attr, site);
    }
    return this.evalExprRaw(e, scope);
  }

  private evalExprRaw(e: A.Expr, scope: Scope): Value {
    switch (e.kind) {
      case "name": {
        const v = scope.lookup(e.id) ?? this.builtins.vars.get(e.id);
        if (v === undefined) throw new PyException("NameError", `name '${e.id}' is not defined`, undefined, this.loc(scope, e.span));
        return v;
      }
      case "constant":
        return constantValue(e.value);
      case "fstring":
        return str(
          e.parts
            .map((p) => {
              if (typeof p === "string") return p;
              const v = this.evalExpr(p.expr, scope);
              return p.conversion === "r" ? pyRepr(v) : pyFormat(v, p.format);
            })
            .join(""),
        );
      case "attribute":
        return this.getAttr(this.evalExpr(e.value, scope), e.attr, this.loc(scope, e.span));
      case "subscript":
        return this.getItem(this.evalExpr(e.value, scope), this.evalExpr(e.index, scope), this.loc(scope, e.span));
      case "slice":
        return {
          kind: "slice",
          lower: e.lower ? this.evalExpr(e.lower, scope) : NONE,
          upper: e.upper ? this.evalExpr(e.upper, scope) : NONE,
          step: e.step ? this.evalExpr(e.step, scope) : NONE,
        };
      case "call":
        return this.evalCall(e, scope);
      case "binop": {
        const left = this.evalExpr(e.left, scope);
        const right = this.evalExpr(e.right, scope);
        const saved = this.site;
        this.site = this.loc(scope, e.span);
        try {
          return this.binary(e.op, left, right);
        } finally {
          this.site = saved;
        }
      }
      case "unary":
        return this.unary(e.op, this.evalExpr(e.operand, scope));
      case "boolop": {
        const left = this.evalExpr(e.left, scope);
        const t = this.truthy(left);
        if (t === undefined) {
          const right = this.evalExpr(e.right, scope);
          return mergeValues(left, right);
        }
        if (e.op === "and") return t ? this.evalExpr(e.right, scope) : left;
        return t ? left : this.evalExpr(e.right, scope);
      }
      case "compare":
        return this.evalCompare(e, scope);
      case "ifexp": {
        const t = this.truthy(this.evalExpr(e.test, scope));
        if (t === true) return this.evalExpr(e.body, scope);
        if (t === false) return this.evalExpr(e.orelse, scope);
        this.note(`condition at line ${e.span.line + 1} cannot be decided from the source`, this.loc(scope, e.test.span));
        return mergeValues(this.evalExpr(e.body, scope), this.evalExpr(e.orelse, scope));
      }
      case "lambda": {
        const defaults = new Map<string, Value>();
        for (const p of e.params) if (p.default) defaults.set(p.name, this.evalExprLazy(p.default, scope));
        return { kind: "function", name: "<lambda>", qualname: "<lambda>", params: e.params, defaults, body: e.body, closure: scope, file: scope.file, span: e.span, isGenerator: false, attrs: new Map() };
      }
      case "list":
        return list(this.evalElements(e.elts, scope));
      case "tuple":
        return tuple(this.evalElements(e.elts, scope));
      case "set": {
        const entries = new Map<string, Value>();
        for (const v of this.evalElements(e.elts, scope)) entries.set(hashKey(v), v);
        return { kind: "set", entries };
      }
      case "dict": {
        const d = makeDict();
        for (const entry of e.entries) {
          if (entry.key) {
            const k = this.evalExpr(entry.key, scope);
            d.entries.set(hashKey(k), { key: k, value: this.evalExpr(entry.value, scope) });
          } else {
            const other = this.evalExpr(entry.value, scope);
            for (const [k, v] of this.mappingEntries(other)) d.entries.set(hashKey(k), { key: k, value: v });
          }
        }
        return d;
      }
      case "listcomp":
      case "setcomp":
      case "genexp":
      case "dictcomp":
        return this.evalComprehension(e, scope);
      case "starred":
        throw new PyException("SyntaxError", "can't use starred expression here");
      case "walrus": {
        const v = this.evalExpr(e.value, scope);
        scope.assign(e.target, v);
        return v;
      }
      case "unsupported":
        this.note(`'${e.what}' is not modelled`, this.loc(scope, e.span));
        return unknown(`'${e.what}' is not modelled`);
    }
  }

  /** Elements of a display or the positional arguments of a call (lazily, for a call). */
  private evalElements(elts: readonly A.Expr[], scope: Scope, lazily = false): Value[] {
    const out: Value[] = [];
    for (const el of elts) {
      if (el.kind === "starred") {
        const v = this.evalExpr(el.value, scope);
        const items = this.iterate(v);
        if (items) out.push(...items);
        else out.push(unknown(`unpacking ${describe(v)}`));
      } else out.push(lazily ? this.evalExprLazy(el, scope) : this.evalExpr(el, scope));
    }
    return out;
  }

  private evalCompare(e: A.CompareExpr, scope: Scope): Value {
    let left = this.evalExpr(e.left, scope);
    let result: Value = bool(true);
    for (let i = 0; i < e.ops.length; i++) {
      const right = this.evalExpr(e.comparators[i], scope);
      const r = this.compare(e.ops[i], left, right);
      if (r.kind === "bool" && !r.value) return r;
      if (r.kind !== "bool") result = r;
      left = right;
    }
    return result;
  }

  private evalComprehension(e: A.ComprehensionExpr, scope: Scope): Value {
    const inner = new Scope("function", scope, scope.file, scope.moduleName);
    const results: Value[] = [];
    const dict = makeDict();
    let uncountable = false;
    const run = (level: number): void => {
      if (level === e.generators.length) {
        if (e.kind === "dictcomp") {
          const k = this.evalExpr(e.elt, inner);
          dict.entries.set(hashKey(k), { key: k, value: this.evalExpr(e.value!, inner) });
        } else results.push(this.evalExpr(e.elt, inner));
        return;
      }
      const g = e.generators[level];
      const iterable = this.evalExpr(g.iter, level === 0 ? scope : inner);
      const items = this.iterate(iterable);
      if (!items) {
        this.note(`cannot iterate over ${describe(iterable)} in a comprehension`, this.loc(scope, g.iter.span));
        uncountable = true;
        return;
      }
      for (const item of items) {
        this.tick();
        this.assignTarget(g.target, item, inner);
        let keep = true;
        for (const cond of g.ifs) {
          const t = this.truthy(this.evalExpr(cond, inner));
          if (t === false) {
            keep = false;
            break;
          }
        }
        if (keep) run(level + 1);
      }
    };
    run(0);
    // how many items an unknown iterable gives is unknown: not an empty result
    if (uncountable) return unknown("a comprehension over something that cannot be iterated");
    switch (e.kind) {
      case "listcomp":
        return list(results);
      case "genexp":
        return { kind: "iterator", items: results, position: 0 };
      case "setcomp": {
        const entries = new Map<string, Value>();
        for (const v of results) entries.set(hashKey(v), v);
        return { kind: "set", entries };
      }
      default:
        return dict;
    }
  }

  private evalCall(e: A.CallExpr, scope: Scope): Value {
    const func = this.evalExpr(e.func, scope);
    const args = this.evalElements(e.args, scope, true);
    const kwargs = new Map<string, Value>();
    for (const k of e.keywords) {
      if (k.name !== undefined) {
        kwargs.set(k.name, this.evalExprLazy(k.value, scope));
        continue;
      }
      const v = this.evalExpr(k.value, scope);
      for (const [key, value] of this.mappingEntries(v)) kwargs.set(key.kind === "str" ? key.value : pyStr(key), value);
    }
    if (func.kind === "unknown") {
      this.note(`call of '${exprText(e.func)}' is not modelled (${func.why})`, this.loc(scope, e.span));
      return unknownResultOf(args, `'${exprText(e.func)}' is not modelled`);
    }
    return this.callValueRaw(func, args, kwargs, this.loc(scope, e.span));
  }

  mappingEntries(v: Value): [Value, Value][] {
    if (v.kind === "dict") return [...v.entries.values()].map((en) => [en.key, en.value]);
    if (v.kind === "object") {
      const keys = this.lookupSpecial(v, "keys");
      if (keys) {
        const ks = this.iterate(this.callValue(keys, [])) ?? [];
        return ks.map((k) => [k, this.getItem(v, k)]);
      }
    }
    return [];
  }

  // ---------------------------------------------------------------- calls

  /** Call a value; the result is computed (never lazy), for natives and rules that look at it. */
  callValue(func: Value, args: readonly Value[], kwargs: ReadonlyMap<string, Value> = new Map(), site: SourceLocation | undefined = this.site): Value {
    const v = this.callValueRaw(func, args, kwargs, site);
    return v.kind === "lazy" ? v.force() : v;
  }

  /** Call a value; a function that returns an imported name it was given returns it still lazy. */
  private callValueRaw(func: Value, args: readonly Value[], kwargs: ReadonlyMap<string, Value>, site: SourceLocation | undefined): Value {
    this.tick();
    const saved = this.site;
    this.site = site;
    try {
      switch (func.kind) {
        case "function":
          return this.callFunction(func, args, kwargs);
        case "boundmethod":
          return this.callValueRaw(func.func, [func.self, ...args], kwargs, site);
        case "native":
          if (func.keepsLazyArgs) return func.call({ args, kwargs, interp: this, site });
          return func.call({ args: forcedAll(args), kwargs: forcedMap(kwargs), interp: this, site });
        case "lazy":
          return this.callValueRaw(func.force(), args, kwargs, site);
        case "partial": {
          const merged = new Map(func.kwargs);
          for (const [k, v] of kwargs) merged.set(k, v);
          return this.callValueRaw(func.func, [...func.args, ...args], merged, site);
        }
        case "class":
          return this.instantiate(func, args, kwargs, site);
        case "object": {
          const call = this.lookupSpecial(func, "__call__");
          if (call) return this.callValueRaw(call, args, kwargs, site);
          throw new PyException("TypeError", `'${func.cls.name}' object is not callable`);
        }
        case "staticmethod":
        case "classmethod":
          return this.callValueRaw(func.func, args, kwargs, site);
        case "unknown":
          return unknownResultOf(args, func.why);
        default:
          throw new PyException("TypeError", `'${typeName(func)}' object is not callable`);
      }
    } finally {
      this.site = saved;
    }
  }

  private callFunction(func: FunctionValue, args: readonly Value[], kwargs: ReadonlyMap<string, Value>): Value {
    if (this.frames.length >= this.options.depthLimit) throw new BudgetExceeded(`recursion deeper than ${this.options.depthLimit} calls`);
    const bound = bindArguments(func.name, func.params, func.defaults, args, kwargs);
    const scope = new Scope("function", func.closure, func.file, func.closure.moduleName);
    for (const [k, v] of bound) scope.vars.set(k, v);
    this.frames.push({ func, scope });
    try {
      if (!Array.isArray(func.body)) return this.evalExprLazy(func.body as A.Expr, scope);
      const c = this.execBlock(func.body as readonly A.Stmt[], scope);
      return c?.type === "return" ? c.value : NONE;
    } finally {
      this.frames.pop();
    }
  }

  instantiate(cls: ClassValue, args: readonly Value[], kwargs: ReadonlyMap<string, Value>, site?: SourceLocation): Value {
    for (const c of cls.mro) if (c.native?.construct) return c.native.construct(cls, { args: forcedAll(args), kwargs: forcedMap(kwargs), interp: this, site });
    const obj = makeObject(cls);
    const prepare = cls.mro.find((c) => c.native?.onCreate)?.native?.onCreate;
    prepare?.(obj, site);
    const init = this.lookupInMro(cls, "__init__");
    if (init) this.callValue(this.bindDescriptor(init.value, obj, cls), args, kwargs, site);
    return obj;
  }

  // ---------------------------------------------------------------- attributes

  lookupInMro(cls: ClassValue, name: string, start = 0): { value: Value; owner: ClassValue } | undefined {
    for (let i = start; i < cls.mro.length; i++) {
      const v = cls.mro[i].attrs.get(name);
      if (v !== undefined) return { value: v, owner: cls.mro[i] };
    }
    return undefined;
  }

  /** How a class attribute looks when reached through an instance (or class). */
  bindDescriptor(v: Value, self: Value, cls: ClassValue): Value {
    switch (v.kind) {
      case "function":
      case "native":
        return self.kind === "class" ? v : ({ kind: "boundmethod", self, func: v } as BoundMethodValue);
      case "staticmethod":
        return v.func;
      case "classmethod":
        return { kind: "boundmethod", self: cls, func: v.func };
      case "property":
        return self.kind === "class" ? v : this.callValue(v.func, [self]);
      default:
        return v;
    }
  }

  /** An attribute a class gets from its metaclass: methods bind to the class itself. */
  private metaclassAttribute(v: Value, cls: ClassValue): Value {
    if (v.kind === "function" || v.kind === "native") return { kind: "boundmethod", self: cls, func: v };
    if (v.kind === "property") return this.callValue(v.func, [cls]);
    return this.bindDescriptor(v, cls, cls);
  }

  /** A special method looked up on the type, bound to the object. */
  lookupSpecial(obj: ObjectValue, name: string): Value | undefined {
    const found = this.lookupInMro(obj.cls, name);
    return found ? this.bindDescriptor(found.value, obj, obj.cls) : undefined;
  }

  getAttr(obj: Value, name: string, site?: SourceLocation): Value {
    // type(x) for values that are not instances of a Python class
    if (name === "__class__" && obj.kind !== "object" && obj.kind !== "unknown" && obj.kind !== "namespace" && obj.kind !== "super") {
      const typeCls = this.builtins.vars.get("type");
      if (typeCls) return this.callValue(typeCls, [obj]);
    }
    switch (obj.kind) {
      case "object":
        return this.objectAttr(obj, name);
      case "class": {
        if (name === "__name__") return str(obj.name);
        if (name === "__qualname__") return str(obj.qualname);
        if (name === "__mro__") return tuple(obj.mro);
        const found = this.lookupInMro(obj, name);
        if (found) return this.bindDescriptor(found.value, obj, obj);
        const meta = obj.metaclass ? this.lookupInMro(obj.metaclass, name) : undefined;
        if (meta) return this.metaclassAttribute(meta.value, obj);
        throw new PyException("AttributeError", `type object '${obj.name}' has no attribute '${name}'`, undefined, site);
      }
      case "namespace": {
        const v = obj.get(name);
        if (v !== undefined) return v;
        if (obj.set) throw new PyException("AttributeError", `module '${obj.name}' has no attribute '${name}'`, undefined, site);
        return unknown(`${obj.name}.${name} is not modelled`);
      }
      case "tensor":
        return this.tensors.attribute(obj, name, this);
      case "unknown":
        return obj;
      case "function": {
        // attributes set on the function (functools.wraps sets __wrapped__, __name__, ...) come first
        const own = obj.attrs.get(name);
        if (own !== undefined) return own;
        if (name === "__name__") return str(obj.name);
        if (name === "__qualname__") return str(obj.qualname);
        if (name === "__module__") return str(obj.closure.moduleName);
        if (name === "__doc__") return NONE;
        if (name === "__dict__") return makeDict([...obj.attrs].map(([k, v]) => [str(k), v] as const));
        throw new PyException("AttributeError", `'function' object has no attribute '${name}'`, undefined, site);
      }
      case "boundmethod":
        if (name === "__self__") return obj.self;
        return this.getAttr(obj.func, name, site);
      case "partial":
        if (name === "func") return forceValue(obj.func);
        if (name === "args") return tuple(obj.args.map(forceValue));
        if (name === "keywords") return makeDict([...obj.kwargs].map(([k, v]) => [str(k), forceValue(v)] as const));
        break;
      case "tuple":
        if (obj.namedtuple) {
          const found = this.lookupInMro(obj.namedtuple, name);
          if (found) return this.bindDescriptor(found.value, obj, obj.namedtuple);
        }
        break;
      case "super": {
        const selfType = obj.self.kind === "class" ? obj.self : obj.self.kind === "object" ? obj.self.cls : undefined;
        if (!selfType) break;
        const found = this.lookupInMro(selfType, name, selfType.mro.indexOf(obj.cls) + 1);
        if (found) return this.bindDescriptor(found.value, obj.self, selfType);
        throw new PyException("AttributeError", `'super' object has no attribute '${name}'`, undefined, site);
      }
      default:
        break;
    }
    const method = this.builtinMethod(obj, name);
    if (method) return method;
    throw new PyException("AttributeError", `'${typeName(obj)}' object has no attribute '${name}'`, undefined, site);
  }

  private objectAttr(obj: ObjectValue, name: string): Value {
    // data descriptors (properties) on the type win over the instance dict
    const classAttr = this.lookupInMro(obj.cls, name);
    if (classAttr?.value.kind === "property") return this.callValue(classAttr.value.func, [obj]);
    const own = obj.attrs.get(name);
    if (own !== undefined) return own;
    if (obj.module) {
      const p = obj.module.params.get(name) ?? obj.module.buffers.get(name) ?? obj.module.children.get(name);
      if (p !== undefined) return p;
    }
    if (name === "__class__") return obj.cls;
    if (name === "__dict__") return makeDict([...obj.attrs].map(([k, v]) => [str(k), v] as const));
    if (classAttr) return this.bindDescriptor(classAttr.value, obj, obj.cls);
    const getattr = this.lookupInMro(obj.cls, "__getattr__");
    if (getattr) return this.callValue(this.bindDescriptor(getattr.value, obj, obj.cls), [str(name)]);
    throw new PyException("AttributeError", `'${obj.cls.name}' object has no attribute '${name}'`);
  }

  setAttr(obj: Value, name: string, value: Value): void {
    if (obj.kind === "object") {
      const prop = this.lookupInMro(obj.cls, name);
      if (prop?.value.kind === "property" && prop.value.setter) {
        this.callValue(prop.value.setter, [obj, value]);
        return;
      }
      const setattr = this.lookupInMro(obj.cls, "__setattr__");
      if (setattr && setattr.value.kind !== "native") {
        this.callValue(this.bindDescriptor(setattr.value, obj, obj.cls), [str(name), value]);
        return;
      }
      if (setattr?.value.kind === "native") {
        setattr.value.call({ args: [obj, str(name), value], kwargs: new Map(), interp: this, site: this.site });
        return;
      }
      obj.attrs.set(name, value);
      return;
    }
    if (obj.kind === "class") {
      obj.attrs.set(name, value);
      return;
    }
    if (obj.kind === "namespace" && obj.set) {
      obj.set(name, value);
      return;
    }
    if (obj.kind === "function") {
      obj.attrs.set(name, value);
      return;
    }
    if (obj.kind === "tensor") {
      this.tensors.setAttribute(obj, name, value, this);
      return;
    }
    if (obj.kind === "unknown") return;
    throw new PyException("AttributeError", `'${typeName(obj)}' object attribute '${name}' is read-only`);
  }

  /** Methods of the builtin types (str.join, list.append, dict.items, ...). */
  builtinMethod(obj: Value, name: string): Value | undefined {
    const methods = this.builtins.vars.get(`__methods_${obj.kind}__`);
    if (methods?.kind !== "dict") return undefined;
    const m = methods.entries.get(hashKey(str(name)))?.value;
    return m ? { kind: "boundmethod", self: obj, func: m } : undefined;
  }

  // ---------------------------------------------------------------- items & iteration

  /** Run `f` with the site set to a subscript's own span, so a rule reports there and not at the enclosing call. */
  private atSite<T>(site: SourceLocation | undefined, f: () => T): T {
    const saved = this.site;
    this.site = site ?? saved;
    try {
      return f();
    } finally {
      this.site = saved;
    }
  }

  getItem(obj: Value, index: Value, site?: SourceLocation): Value {
    switch (obj.kind) {
      case "list":
      case "tuple": {
        if (index.kind === "slice") {
          const items = sliceItems(obj.items, index);
          if (!items) return unknown("slice with symbolic bounds");
          return obj.kind === "list" ? list(items) : tuple(items);
        }
        const i = numericValue(index);
        if (typeof i !== "number") return index.kind === "unknown" || i !== undefined ? unknown("index not known") : thrower("TypeError", `${obj.kind} indices must be integers`);
        const n = normalizeIndex(i, obj.items.length);
        if (n < 0 || n >= obj.items.length) throw new PyException("IndexError", `${obj.kind} index out of range`, undefined, site);
        return obj.items[n];
      }
      case "str": {
        if (index.kind === "slice") {
          const chars = sliceItems([...obj.value].map(str), index);
          return chars ? str(chars.map((c) => (c as { value: string }).value).join("")) : unknown("slice");
        }
        const i = numericValue(index);
        if (typeof i !== "number") return unknown("index not known");
        return str(obj.value[normalizeIndex(i, obj.value.length)] ?? "");
      }
      case "dict": {
        const e = obj.entries.get(hashKey(index));
        if (!e) {
          if (index.kind === "unknown") return unknown("key not known");
          throw new PyException("KeyError", pyRepr(index), undefined, site);
        }
        return e.value;
      }
      case "range": {
        const i = numericValue(index);
        if (typeof i !== "number") return unknown("index not known");
        const len = rangeLength(obj.start, obj.stop, obj.step);
        return int(obj.start + normalizeIndex(i, len) * obj.step);
      }
      case "tensor":
        return this.atSite(site, () => this.tensors.getItem(obj, index, this));
      case "object": {
        const m = this.lookupSpecial(obj, "__getitem__");
        if (m) return this.callValue(m, [index]);
        break;
      }
      case "class": {
        // Enum["NAME"]: the metaclass's __getitem__
        const meta = obj.metaclass ? this.lookupInMro(obj.metaclass, "__getitem__") : undefined;
        if (meta) return this.callValue(this.metaclassAttribute(meta.value, obj), [index]);
        const m = this.lookupInMro(obj, "__class_getitem__");
        if (m) return this.callValue(m.value, [obj, index]);
        // typing generics like List[int]: the subscript does not matter for analysis
        return obj;
      }
      case "unknown":
        return obj;
      case "native":
        return obj;
      default:
        break;
    }
    throw new PyException("TypeError", `'${typeName(obj)}' object is not subscriptable`, undefined, site);
  }

  setItem(obj: Value, index: Value, value: Value): void {
    switch (obj.kind) {
      case "list": {
        if (index.kind === "slice") {
          const items = this.iterate(value) ?? [];
          const start = numericValue(index.lower);
          const stop = numericValue(index.upper);
          const s = typeof start === "number" ? normalizeIndex(start, obj.items.length) : 0;
          const e = typeof stop === "number" ? normalizeIndex(stop, obj.items.length) : obj.items.length;
          obj.items.splice(s, Math.max(0, e - s), ...items);
          return;
        }
        const i = numericValue(index);
        if (typeof i !== "number") return;
        obj.items[normalizeIndex(i, obj.items.length)] = value;
        return;
      }
      case "dict":
        obj.entries.set(hashKey(index), { key: index, value });
        return;
      case "tensor":
        this.tensors.setItem(obj, index, value, this);
        return;
      case "object": {
        const m = this.lookupSpecial(obj, "__setitem__");
        if (m) {
          this.callValue(m, [index, value]);
          return;
        }
        break;
      }
      case "unknown":
        return;
      default:
        break;
    }
    throw new PyException("TypeError", `'${typeName(obj)}' object does not support item assignment`);
  }

  /** All items of an iterable, or undefined when they cannot be known. */
  iterate(v: Value): Value[] | undefined {
    switch (v.kind) {
      case "list":
      case "tuple":
        return [...v.items];
      case "str":
        return [...v.value].map(str);
      case "set":
        return [...v.entries.values()];
      case "dict":
        return [...v.entries.values()].map((e) => e.key);
      case "range": {
        const out: Value[] = [];
        const n = rangeLength(v.start, v.stop, v.step);
        if (n > 1_000_000) throw new BudgetExceeded(`range of ${n} items`);
        for (let i = 0; i < n; i++) out.push(int(v.start + i * v.step));
        return out;
      }
      case "iterator": {
        const rest = v.items.slice(v.position);
        v.position = v.items.length;
        return rest;
      }
      case "tensor":
        return this.tensors.iterate(v, this);
      case "object": {
        const it = this.lookupSpecial(v, "__iter__");
        if (it) return this.iterate(this.callValue(it, []));
        const getitem = this.lookupSpecial(v, "__getitem__");
        const len = this.lookupSpecial(v, "__len__");
        if (getitem && len) {
          const n = numericValue(this.callValue(len, []));
          if (typeof n !== "number") return undefined;
          const out: Value[] = [];
          for (let i = 0; i < n; i++) out.push(this.callValue(getitem, [int(i)]));
          return out;
        }
        return undefined;
      }
      case "class": {
        // iterating an Enum class yields its members, aliases once
        const members = v.attrs.get("__members__");
        if (members?.kind === "dict") return [...new Set([...members.entries.values()].map((e) => e.value))];
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /** Python truthiness; undefined when it depends on data or unknown values. */
  truthy(v: Value): boolean | undefined {
    if (v.kind === "object") {
      const b = this.lookupSpecial(v, "__bool__");
      if (b) return this.truthy(this.callValue(b, []));
      const len = this.lookupSpecial(v, "__len__");
      if (len) return this.truthy(this.callValue(len, []));
      return true;
    }
    return truthOfPrimitive(v);
  }

  // ---------------------------------------------------------------- operators

  binary(op: A.BinaryOperator, a: Value, b: Value): Value {
    if (a.kind === "tensor" || b.kind === "tensor") return this.tensors.binary(op, a, b, this);
    const p = primitiveBinary(op, a, b);
    if (p) return p;
    if (a.kind === "object") {
      const m = this.lookupSpecial(a, binaryMethod[op]);
      if (m) return this.callValue(m, [b]);
    }
    if (b.kind === "object") {
      const m = this.lookupSpecial(b, `__r${binaryMethod[op].slice(2)}`);
      if (m) return this.callValue(m, [a]);
    }
    if (a.kind === "unknown" || b.kind === "unknown") return a.kind === "unknown" ? a : b;
    throw new PyException("TypeError", `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
  }

  unary(op: "-" | "+" | "~" | "not", v: Value): Value {
    if (op === "not") {
      const t = this.truthy(v);
      return t === undefined ? unknown("truth value not known") : bool(!t);
    }
    if (v.kind === "tensor") return this.tensors.unary(op, v, this);
    const n = numericValue(v);
    if (n !== undefined) {
      if (op === "-") return primitiveBinary("*", int(-1), v)!;
      if (op === "+") return int(n);
      return typeof n === "number" ? int(~n) : unknown("~ on a symbolic size");
    }
    if (v.kind === "float") return float(op === "-" ? -v.value : v.value);
    if (v.kind === "unknown") return v;
    if (v.kind === "object") {
      const m = this.lookupSpecial(v, op === "-" ? "__neg__" : op === "+" ? "__pos__" : "__invert__");
      if (m) return this.callValue(m, []);
    }
    throw new PyException("TypeError", `bad operand type for unary ${op}: '${typeName(v)}'`);
  }

  compare(op: A.CompareOperator, a: Value, b: Value): Value {
    const decided = (r: boolean | undefined): Value => (r === undefined ? unknown("comparison not decidable") : bool(r));
    if ((a.kind === "tensor" || b.kind === "tensor") && op !== "is" && op !== "is not" && op !== "in" && op !== "not in") return this.tensors.compare(op, a, b, this);
    switch (op) {
      case "is":
        return decided(identical(a, b));
      case "is not": {
        const r = identical(a, b);
        return decided(r === undefined ? undefined : !r);
      }
      case "==":
        return decided(this.equals(a, b));
      case "!=": {
        const r = this.equals(a, b);
        return decided(r === undefined ? undefined : !r);
      }
      case "<":
        return decided(pyLess(a, b));
      case ">":
        return decided(pyLess(b, a));
      case "<=": {
        const r = pyLess(b, a);
        return decided(r === undefined ? undefined : !r);
      }
      case ">=": {
        const r = pyLess(a, b);
        return decided(r === undefined ? undefined : !r);
      }
      case "in":
        return decided(this.contains(b, a));
      case "not in": {
        const r = this.contains(b, a);
        return decided(r === undefined ? undefined : !r);
      }
    }
  }

  equals(a: Value, b: Value): boolean | undefined {
    if (a.kind === "object") {
      const eq = this.lookupInMro(a.cls, "__eq__");
      if (eq && eq.value.kind === "function") return this.truthy(this.callValue(this.bindDescriptor(eq.value, a, a.cls), [b]));
    }
    return pyEquals(a, b);
  }

  contains(container: Value, item: Value): boolean | undefined {
    if (container.kind === "dict") return container.entries.has(hashKey(item));
    if (container.kind === "set") return container.entries.has(hashKey(item));
    if (container.kind === "str" && item.kind === "str") return container.value.includes(item.value);
    if (container.kind === "object") {
      const m = this.lookupSpecial(container, "__contains__");
      if (m) return this.truthy(this.callValue(m, [item]));
    }
    if (container.kind === "unknown") return undefined;
    const items = this.iterate(container);
    if (!items) return undefined;
    let result: boolean | undefined = false;
    for (const x of items) {
      const e = this.equals(x, item);
      if (e === true) return true;
      if (e === undefined) result = undefined;
    }
    return result;
  }
}

const binaryMethod: Record<A.BinaryOperator, string> = {
  "+": "__add__",
  "-": "__sub__",
  "*": "__mul__",
  "/": "__truediv__",
  "//": "__floordiv__",
  "%": "__mod__",
  "**": "__pow__",
  "@": "__matmul__",
  "&": "__and__",
  "|": "__or__",
  "^": "__xor__",
  "<<": "__lshift__",
  ">>": "__rshift__",
};

const inplaceMethod: Partial<Record<A.BinaryOperator, string>> = { "+": "__iadd__", "*": "__imul__", "-": "__isub__" };

/** The arguments as a native sees them: computed (a plain loop: this runs for every native call). */
function forcedAll(values: readonly Value[]): readonly Value[] {
  for (let i = 0; i < values.length; i++) if (values[i].kind === "lazy") return values.map(forceValue);
  return values;
}

function forcedMap(values: ReadonlyMap<string, Value>): ReadonlyMap<string, Value> {
  if (values.size === 0) return values;
  for (const v of values.values()) if (v.kind === "lazy") return new Map([...values].map(([k, x]) => [k, forceValue(x)] as const));
  return values;
}

function thrower(type: string, message: string): never {
  throw new PyException(type, message);
}

function identical(a: Value, b: Value): boolean | undefined {
  if (a.kind === "unknown" || b.kind === "unknown") return undefined;
  if (a.kind === "none" || b.kind === "none") return a.kind === b.kind;
  if (a.kind === "bool" && b.kind === "bool") return a.value === b.value;
  if (a.kind === "str" && b.kind === "str") return a.value === b.value;
  if (a.kind === "int" && b.kind === "int") return pyEquals(a, b);
  if (a.kind === "dtype" && b.kind === "dtype") return a.dtype === b.dtype;
  return a === b;
}

function constantValue(c: A.ConstantValue): Value {
  switch (c.type) {
    case "int":
      return int(c.value);
    case "float":
      return float(c.value);
    case "str":
      return str(c.value);
    case "bool":
      return bool(c.value);
    case "none":
      return NONE;
    case "ellipsis":
      return ELLIPSIS;
  }
}

export type { NativeCall };
