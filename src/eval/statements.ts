// Statements: blocks, control flow (if/for/while/try/with), imports, and the
// targets of assignment and del. Functions take the interpreter first; what
// they need of expressions, calls and attributes they reach through it.
import type * as A from "../parse/ast.js";
import { unknownTensor } from "../shapes/tensor.js";
import { applyDecorators } from "./definitions.js";
import { catchesImportError, guardingImports, importsGuarded, raiseIfAbsent } from "./importGuards.js";
import { PyException } from "./errors.js";
import type { Completion, Interpreter } from "./interpreter.js";
import { loopEffects } from "./loopEffects.js";
import { describe } from "./naming.js";
import { deleteItem } from "./items.js";
import { markPrintedMessage } from "./builtins/exceptions.js";
import { inplaceMethod } from "./operatorDispatch.js";
import { pyStr, rangeLength } from "./operators.js";
import { Bindings } from "./bindings.js";
import type { Scope } from "./scope.js";
import { mergeValues, unknownNamespace } from "./unknowns.js";
import { bool, hashKey, int, lazy, list, makeDict, makeObject, NONE, str, tuple, unknown, type Value } from "./values.js";

export function execBlock(interp: Interpreter, body: readonly A.Stmt[], scope: Scope): Completion {
  for (const stmt of body) {
    const c = execStmt(interp, stmt, scope);
    if (c) return c;
  }
  return undefined;
}

export function execStmt(interp: Interpreter, s: A.Stmt, scope: Scope): Completion {
  interp.tick();
  try {
    return execStmtKind(interp, s, scope);
  } catch (e) {
    // an exception the evaluator raised remembers the statement it came from (reports place it there)
    if (e instanceof PyException && !e.location && !e.raisedAt) e.raisedAt = scope.location(s.span);
    throw e;
  }
}

function execStmtKind(interp: Interpreter, s: A.Stmt, scope: Scope): Completion {
  switch (s.kind) {
    case "expr":
      // a value computed only to be dropped: an imported name in it need not be evaluated
      interp.evalExprLazy(s.value, scope);
      return undefined;
    case "assign": {
      // a name bound to an imported name stays lazy (an alias needs no value yet)
      const value = s.targets.every((t) => t.kind === "name") ? interp.evalExprLazy(s.value, scope) : interp.evalExpr(s.value, scope);
      for (const t of s.targets) assignTarget(interp, t, value, scope);
      return undefined;
    }
    case "augassign":
      execAugAssign(interp, s, scope);
      return undefined;
    case "annassign":
      if (scope.kind === "class" && s.target.kind === "name") recordAnnotation(scope, s.target.id, s.value !== undefined);
      if (s.value) {
        const value = interp.evalExpr(s.value, scope);
        assignTarget(interp, s.target, value, scope);
        interp.functionObserver?.annotatedAssign(s, value, scope);
      }
      return undefined;
    case "return":
      return { type: "return", value: s.value ? interp.evalExprLazy(s.value, scope) : NONE };
    case "if":
      return execIf(interp, s, scope);
    case "for":
      return execFor(interp, s, scope);
    case "while":
      return execWhile(interp, s, scope);
    case "pass":
      return undefined;
    case "break":
      return { type: "break" };
    case "continue":
      return { type: "continue" };
    case "def":
      scope.assign(s.name, applyDecorators(interp, s.decorators, interp.makeFunction(s, scope), scope));
      return undefined;
    case "class":
      scope.assign(s.name, applyDecorators(interp, s.decorators, interp.makeClass(s, scope), scope));
      return undefined;
    case "import":
      execImport(interp, s, scope);
      return undefined;
    case "importfrom":
      execImportFrom(interp, s, scope);
      return undefined;
    case "raise":
      throw makeRaise(interp, s, scope);
    case "assert": {
      const ok = interp.truthy(interp.evalExpr(s.test, scope));
      if (ok === false) throw new PyException("AssertionError", s.msg ? pyStr(interp.evalExpr(s.msg, scope)) : "", undefined, scope.location(s.span));
      return undefined;
    }
    case "try":
      return execTry(interp, s, scope);
    case "with":
      return execWith(interp, s, scope);
    case "delete":
      for (const t of s.targets) deleteTarget(interp, t, scope);
      return undefined;
    case "global":
      for (const n of s.names) scope.declareGlobal(n);
      return undefined;
    case "nonlocal":
      for (const n of s.names) scope.declareNonlocal(n);
      return undefined;
    case "unsupported":
      interp.note(`statement '${s.what}' is not modelled; skipped`, scope.location(s.span));
      return undefined;
  }
}

function recordAnnotation(scope: Scope, name: string, hasDefault: boolean): void {
  let ann = scope.vars.get("__annotations__");
  if (!ann || ann.kind !== "dict") {
    ann = makeDict([], true);
    scope.vars.set("__annotations__", ann);
  }
  if (ann.kind === "dict") ann.entries.set(hashKey(str(name)), { key: str(name), value: bool(hasDefault) });
}

function execAugAssign(interp: Interpreter, s: A.AugAssignStmt, scope: Scope): void {
  const current = interp.evalExpr(s.target, scope);
  const rhs = interp.evalExpr(s.value, scope);
  // list += iterable extends in place (aliases see it)
  if (current.kind === "list" && s.op === "+") {
    const items = interp.iterate(rhs);
    if (items) current.items.push(...items);
    return;
  }
  if (current.kind === "object") {
    const inplace = interp.lookupSpecial(current, inplaceMethod[s.op] ?? "");
    if (inplace) {
      assignTarget(interp, s.target, interp.callValue(inplace, [rhs]), scope);
      return;
    }
  }
  // a tensor += writes into the tensor: its own rule checks the shape is kept
  if (current.kind === "tensor") {
    interp.atSite(scope.location(s.span), () => assignTarget(interp, s.target, interp.tensors.binary(s.op, current, rhs, interp, true), scope));
    return;
  }
  assignTarget(interp, s.target, interp.binary(s.op, current, rhs), scope);
}

function execIf(interp: Interpreter, s: A.IfStmt, scope: Scope): Completion {
  const test = interp.truthy(interp.evalExpr(s.test, scope));
  if (test === true) return execBlock(interp, s.body, scope);
  if (test === false) return execBlock(interp, s.orelse, scope);
  return execBothBranches(interp, s, scope);
}

/** An undecidable condition: analyse both sides and merge what they bind. */
function execBothBranches(interp: Interpreter, s: A.IfStmt, scope: Scope): Completion {
  interp.note(`condition at line ${s.span.line + 1} cannot be decided from the source; both branches analysed`, scope.location(s.test.span));
  if (scope.kind !== "function") return execBothBranchesInPlace(interp, s, scope);
  const thenScope = scope.fork();
  const elseScope = scope.fork();
  const ct = execBranch(interp, s.body, thenScope);
  const ce = execBranch(interp, s.orelse, elseScope);
  // a branch that raises is one the real run cannot have taken
  if (ct === "raised" && ce === "raised") throw new PyException("RuntimeError", `both branches of the condition at line ${s.span.line + 1} raise`);
  if (ct === "raised" || ce === "raised") {
    const [survivor, c] = ct === "raised" ? [elseScope, ce as Completion] : [thenScope, ct];
    survivor.vars.copyInto(scope.vars);
    return c;
  }
  if (ct?.type === "return" && ce?.type === "return") return { type: "return", value: mergeValues(ct.value, ce.value) };
  // one side returns, the other goes on: the function's result is either, so the
  // returned value waits to be merged with whatever the rest of the function returns
  if (ct?.type === "return" || ce?.type === "return") {
    const [returned, goesOn, c] = ct?.type === "return" ? [ct, elseScope, ce] : [ce as { type: "return"; value: Value }, thenScope, ct];
    interp.returnMayBe(returned.value);
    goesOn.vars.copyInto(scope.vars);
    return c;
  }
  mergeBindings(scope, thenScope.vars, elseScope.vars);
  return ct ?? ce;
}

/** Each name either side binds: the value they agree on, or their merge. Peeked, not read: a lazy import both sides share stays lazy. */
function mergeBindings(scope: Scope, a: Bindings, b: Bindings): void {
  for (const name of new Set([...a.names(), ...b.names()])) {
    const x = a.peek(name);
    const y = b.peek(name);
    if (x && y) scope.vars.set(name, mergeValues(x, y));
    else if (x ?? y) scope.vars.set(name, (x ?? y)!);
  }
}

/**
 * At module or class level the branches run in the scope itself (what they define
 * closes over it), one after the other from the same starting bindings; then
 * what they bind is merged, as in a function: never the last side's value alone.
 */
function execBothBranchesInPlace(interp: Interpreter, s: A.IfStmt, scope: Scope): Completion {
  const before = new Bindings();
  scope.vars.copyInto(before);
  const ct = execBranch(interp, s.body, scope);
  const afterThen = new Bindings();
  scope.vars.copyInto(afterThen);
  scope.vars.clear();
  before.copyInto(scope.vars);
  const ce = execBranch(interp, s.orelse, scope);
  if (ct === "raised" && ce === "raised") throw new PyException("RuntimeError", `both branches of the condition at line ${s.span.line + 1} raise`);
  if (ce === "raised") {
    scope.vars.clear();
    afterThen.copyInto(scope.vars);
    return ct as Completion;
  }
  if (ct === "raised") return ce;
  const afterElse = new Bindings();
  scope.vars.copyInto(afterElse);
  mergeBindings(scope, afterThen, afterElse);
  return ct ?? ce;
}

function execBranch(interp: Interpreter, body: readonly A.Stmt[], scope: Scope): Completion | "raised" {
  try {
    return execBlock(interp, body, scope);
  } catch (e) {
    if (e instanceof PyException) return "raised";
    throw e;
  }
}

function execFor(interp: Interpreter, s: A.ForStmt, scope: Scope): Completion {
  const iterable = interp.evalExpr(s.iter, scope);
  // at the iterable's place: a cut while listing it (a tensor of 10**9 rows) is noted there
  const items = interp.atSite(scope.location(s.iter.span), () => loopItems(interp, iterable));
  if (!items) {
    interp.note(`cannot iterate over ${describe(iterable)}; loop at line ${s.span.line + 1} skipped`, scope.location(s.iter.span));
    forgetLoopEffects([s.target], [...s.body, ...s.orelse], scope, s.span.line);
    return undefined;
  }
  let iterations = 0;
  for (const item of items) {
    if (++iterations > interp.options.loopIterationLimit) return stopLoop(interp, s, [s.target], scope);
    assignTarget(interp, s.target, item, scope);
    const c = execBlock(interp, s.body, scope);
    if (c?.type === "break") return undefined;
    if (c?.type === "return") return c;
  }
  return execBlock(interp, s.orelse, scope);
}

/** The items of a for loop's iterable; a range is counted out as it goes, so a long one is cut by the loop's own limit. */
function loopItems(interp: Interpreter, iterable: Value): Iterable<Value> | undefined {
  if (iterable.kind !== "range") return interp.iterate(iterable);
  const { start, stop, step } = iterable;
  const n = rangeLength(start, stop, step);
  return (function* () {
    for (let i = 0; i < n; i++) yield int(start + i * step);
  })();
}

/** A loop past its iteration limit: stopped, with a cut noted, and what it changes is unknown from here on. */
function stopLoop(interp: Interpreter, s: A.ForStmt | A.WhileStmt, targets: readonly A.Expr[], scope: Scope): Completion {
  const limit = interp.options.loopIterationLimit.toLocaleString("en-US");
  interp.cut(`loop at line ${s.span.line + 1} stopped after ${limit} iterations (the analysis limit); what it changes is unknown`, scope.location(s.span));
  forgetLoopEffects(targets, [...s.body, ...s.orelse], scope, s.span.line);
  return undefined;
}

/** A loop not run (or not run to its end): what its body rebinds or changes in place becomes unknown, not stale. */
function forgetLoopEffects(targets: readonly A.Expr[], body: readonly A.Stmt[], scope: Scope, line: number): void {
  const effects = loopEffects(body, targets);
  const why = `changed by the loop at line ${line + 1}, which could not be followed`;
  for (const name of effects.rebound) scope.assign(name, unknown(why));
  for (const name of effects.mutated) {
    if (effects.rebound.has(name)) continue;
    const v = scope.lookup(name);
    if (v && (v.kind === "list" || v.kind === "dict" || v.kind === "set")) scope.assign(name, unknown(why));
  }
}

function execWhile(interp: Interpreter, s: A.WhileStmt, scope: Scope): Completion {
  for (let iterations = 1; ; iterations++) {
    if (iterations > interp.options.loopIterationLimit) return stopLoop(interp, s, [], scope);
    const test = interp.truthy(interp.evalExpr(s.test, scope));
    if (test === undefined) {
      interp.note(`loop condition at line ${s.span.line + 1} cannot be decided; loop stopped`, scope.location(s.test.span));
      forgetLoopEffects([], [...s.body, ...s.orelse], scope, s.span.line);
      return undefined;
    }
    if (!test) return execBlock(interp, s.orelse, scope);
    const c = execBlock(interp, s.body, scope);
    if (c?.type === "break") return undefined;
    if (c?.type === "return") return c;
  }
}

// ---------------------------------------------------------------- exceptions and with

function execTry(interp: Interpreter, s: A.TryStmt, scope: Scope): Completion {
  let completion: Completion;
  const guarded = catchesImportError(interp, s, scope, (e, type) => exceptionMatches(interp, e, type));
  try {
    try {
      completion = guarded ? guardingImports(interp, scope.file, () => execBlock(interp, s.body, scope)) : execBlock(interp, s.body, scope);
    } catch (e) {
      if (!(e instanceof PyException)) throw e;
      const handler = s.handlers.find((h) => !h.type || exceptionMatches(interp, e, interp.evalExpr(h.type, scope)));
      if (!handler) throw e;
      if (handler.name) scope.assign(handler.name, exceptionValue(interp, e));
      return execBlock(interp, handler.body, scope);
    }
    if (!completion) completion = execBlock(interp, s.orelse, scope);
    return completion;
  } finally {
    const f = execBlock(interp, s.finalbody, scope);
    if (f) return f;
  }
}

function exceptionMatches(interp: Interpreter, e: PyException, type: Value): boolean {
  if (type.kind === "tuple") return type.items.some((t) => exceptionMatches(interp, e, t));
  if (type.kind !== "class") return false;
  if (e.value?.kind === "object") return e.value.cls.mro.includes(type);
  const builtin = interp.builtins.vars.get(e.pyType);
  if (builtin?.kind === "class") return builtin.mro.includes(type);
  return type.name === e.pyType || type.name === "Exception" || type.name === "BaseException";
}

function exceptionValue(interp: Interpreter, e: PyException): Value {
  if (e.value) return e.value;
  const cls = interp.builtins.vars.get(e.pyType);
  if (cls?.kind === "class") {
    const obj = makeObject(cls);
    obj.attrs.set("args", tuple(e.pyArgs ? [...e.pyArgs] : [str(e.pyMessage)]));
    markPrintedMessage(obj, e.pyMessage);
    return obj;
  }
  return unknown(e.message);
}

function makeRaise(interp: Interpreter, s: A.RaiseStmt, scope: Scope): PyException {
  const site = scope.location(s.span);
  if (!s.exc) return new PyException("RuntimeError", "re-raised exception", undefined, site);
  let v = interp.evalExpr(s.exc, scope);
  if (v.kind === "class") v = interp.callValue(v, []);
  if (v.kind === "object") {
    const args = v.attrs.get("args");
    const message = args?.kind === "tuple" && args.items.length > 0 ? pyStr(args.items[0]) : "";
    return new PyException(v.cls.name, message, v, site);
  }
  return new PyException("Exception", pyStr(v), v, site);
}

function execWith(interp: Interpreter, s: A.WithStmt, scope: Scope): Completion {
  for (const item of s.items) {
    const ctx = interp.evalExpr(item.context, scope);
    let entered: Value = ctx;
    if (ctx.kind === "object") {
      const enter = interp.lookupSpecial(ctx, "__enter__");
      if (enter) entered = interp.callValue(enter, []);
    }
    if (item.target) assignTarget(interp, item.target, entered, scope);
  }
  return execBlock(interp, s.body, scope);
}

// ---------------------------------------------------------------- imports

/** `import a.b as c` / `import a.b`: the module is resolved and evaluated when the name is first used. */
function execImport(interp: Interpreter, s: A.ImportStmt, scope: Scope): void {
  for (const alias of s.names) {
    // `import a.b.c` binds `a`
    const name = alias.asname ? alias.name : alias.name.split(".")[0];
    // where ImportError is handled, the import happens now, so that an absent module raises there
    if (importsGuarded(interp, scope)) importOrUnknown(interp, alias.name, 0, scope, s.span);
    scope.assign(alias.asname ?? name, lazy(name, () => importOrUnknown(interp, name, 0, scope, s.span)));
  }
}

function importOrUnknown(interp: Interpreter, name: string, level: number, scope: Scope, span: A.Span): Value {
  const mod = interp.imports.importModule(name, level, scope, interp);
  if (mod) return mod;
  raiseIfAbsent(interp, name, level, scope, span);
  const shown = ".".repeat(level) + name;
  interp.note(`module '${shown}' could not be resolved; its names are unknown`, scope.location(span));
  return unknownNamespace(shown);
}

/** `from m import x`: each name is lazy, and m is evaluated when one of them is first needed. */
function execImportFrom(interp: Interpreter, s: A.ImportFromStmt, scope: Scope): void {
  if (s.module === "__future__") return;
  const shown = `${".".repeat(s.level)}${s.module}`;
  if (s.star) {
    const mod = importOrUnknown(interp, s.module, s.level, scope, s.span);
    if (mod.kind === "namespace" && mod.publicNames) for (const n of mod.publicNames()) scope.assign(n, lazy(`${shown}.${n}`, () => mod.get(n) ?? unknown(n)));
    return;
  }
  if (importsGuarded(interp, scope)) for (const alias of s.names) scope.assign(alias.asname ?? alias.name, importedName(interp, s, alias.name, scope));
  else for (const alias of s.names) scope.assign(alias.asname ?? alias.name, lazy(`${shown}.${alias.name}`, () => importedName(interp, s, alias.name, scope)));
}

function importedName(interp: Interpreter, s: A.ImportFromStmt, name: string, scope: Scope): Value {
  const mod = importOrUnknown(interp, s.module, s.level, scope, s.span);
  let v: Value | undefined = mod.kind === "namespace" ? mod.get(name) : undefined;
  // `from package import submodule`
  v ??= interp.imports.importModule(s.module ? `${s.module}.${name}` : name, s.level, scope, interp);
  if (v !== undefined) return v;
  interp.note(`cannot import '${name}' from '${".".repeat(s.level)}${s.module}'`, scope.location(s.span));
  return unknown(`${s.module}.${name} could not be imported`);
}

// ---------------------------------------------------------------- assignment and deletion targets

export function assignTarget(interp: Interpreter, t: A.Expr, value: Value, scope: Scope): void {
  switch (t.kind) {
    case "name":
      scope.assign(t.id, value);
      interp.onAssign?.(t.id, value, { file: scope.file, span: t.span });
      return;
    case "attribute":
      interp.setAttr(interp.evalExpr(t.value, scope), t.attr, value);
      return;
    case "subscript": {
      const [obj, index] = [interp.evalExpr(t.value, scope), interp.evalExpr(t.index, scope)];
      // the subscript's own span: a tensor rule reports there (x[:, ::0] = 1)
      interp.atSite(scope.location(t.span), () => interp.setItem(obj, index, value));
      return;
    }
    case "tuple":
    case "list":
      unpack(interp, t.elts, value, scope, t.span);
      return;
    case "starred":
      assignTarget(interp, t.value, value, scope);
      return;
    default:
      interp.note(`cannot assign to ${t.kind}`, scope.location(t.span));
  }
}

function unpack(interp: Interpreter, targets: readonly A.Expr[], value: Value, scope: Scope, span: A.Span): void {
  const items = interp.iterate(value);
  const starIndex = targets.findIndex((t) => t.kind === "starred");
  if (!items) {
    interp.note(`cannot unpack ${describe(value)}`, scope.location(span));
    const u = value.kind === "tensor" ? unknownTensor(`unpacking a tensor of unknown shape`) : unknown(`unpacking ${describe(value)}`);
    for (const t of targets) assignTarget(interp, t, u, scope);
    return;
  }
  if (starIndex < 0) {
    if (items.length !== targets.length)
      throw new PyException("ValueError", `${items.length > targets.length ? "too many values to unpack" : "not enough values to unpack"} (expected ${targets.length}, got ${items.length})`);
    targets.forEach((t, i) => assignTarget(interp, t, items[i], scope));
    return;
  }
  const after = targets.length - starIndex - 1;
  if (items.length < targets.length - 1) throw new PyException("ValueError", `not enough values to unpack (expected at least ${targets.length - 1}, got ${items.length})`);
  targets.slice(0, starIndex).forEach((t, i) => assignTarget(interp, t, items[i], scope));
  assignTarget(interp, targets[starIndex], list(items.slice(starIndex, items.length - after)), scope);
  targets.slice(starIndex + 1).forEach((t, i) => assignTarget(interp, t, items[items.length - after + i], scope));
}

function deleteTarget(interp: Interpreter, t: A.Expr, scope: Scope): void {
  if (t.kind === "name") scope.delete(t.id);
  else if (t.kind === "subscript") {
    deleteItem(interp, interp.evalExpr(t.value, scope), interp.evalExpr(t.index, scope));
  } else if (t.kind === "attribute") {
    const obj = interp.evalExpr(t.value, scope);
    if (obj.kind === "object") {
      obj.attrs.delete(t.attr);
      obj.module?.children.delete(t.attr);
      obj.module?.params.delete(t.attr);
      obj.module?.buffers.delete(t.attr);
    }
  } else if (t.kind === "tuple" || t.kind === "list") for (const e of t.elts) deleteTarget(interp, e, scope);
}
