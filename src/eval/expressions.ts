// Expressions: names (lazily, where a value is only moved), displays,
// comprehensions, conditionals and call expressions. Operators, attributes and
// subscripts are dispatched through the interpreter to their own files.
import type * as A from "../parse/ast.js";
import { callValueRaw } from "./calls.js";
import { PyException } from "./errors.js";
import type { Interpreter } from "./interpreter.js";
import { describe, exprText } from "./naming.js";
import { pyFormat, pyStr } from "./operators.js";
import { reprOfValue, strOfValue } from "./builtins/conversions.js";
import { Scope } from "./scope.js";
import { mergeValues, unknownResultOf } from "./unknowns.js";
import { uncounted, uncountedRows } from "./uncountedRows.js";
import { bool, ELLIPSIS, float, hashKey, int, lazy, list, makeDict, NONE, str, tuple, unknown, type Value } from "./values.js";
import { IntegerTooLarge } from "./sizeLimits.js";

/** The value of an expression, computed: never lazy. */
export function evalExpr(interp: Interpreter, e: A.Expr, scope: Scope): Value {
  const v = evalExprRaw(interp, e, scope);
  return v.kind === "lazy" ? v.force() : v;
}

/**
 * The value of an expression where it is only moved (an argument, a default,
 * an assignment): an imported name, or an attribute of one, stays lazy, so its
 * module is evaluated only if the value is ever needed.
 */
export function evalExprLazy(interp: Interpreter, e: A.Expr, scope: Scope): Value {
  if (e.kind === "name") {
    const v = scope.peek(e.id) ?? interp.builtins.vars.get(e.id);
    if (v === undefined) throw new PyException("NameError", `name '${e.id}' is not defined`, undefined, scope.location(e.span));
    return v;
  }
  if (e.kind === "attribute") {
    const base = evalExprLazy(interp, e.value, scope);
    const site = scope.location(e.span);
    if (base.kind === "lazy") return lazy(`${base.what}.${e.attr}`, () => interp.getAttr(base.force(), e.attr, site));
    return interp.getAttr(base, e.attr, site);
  }
  return evalExprRaw(interp, e, scope);
}

function evalExprRaw(interp: Interpreter, e: A.Expr, scope: Scope): Value {
  switch (e.kind) {
    case "name": {
      const v = scope.lookup(e.id) ?? interp.builtins.vars.get(e.id);
      if (v === undefined) throw new PyException("NameError", `name '${e.id}' is not defined`, undefined, scope.location(e.span));
      return v;
    }
    case "constant":
      if (e.value.type === "int" && !Number.isSafeInteger(e.value.value)) {
        const why = new IntegerTooLarge().message;
        interp.cut(why, scope.location(e.span));
        return unknown(why);
      }
      return constantValue(e.value);
    case "fstring":
      return str(
        e.parts
          .map((p) => {
            if (typeof p === "string") return p;
            const v = evalExpr(interp, p.expr, scope);
            // an object formats through its own __str__ or __repr__ (an exception's message), as Python's format() does
            const text = p.conversion === "r" ? reprOfValue(interp, v) : v.kind === "object" && (!p.format || p.conversion === "s") ? strOfValue(interp, v) : undefined;
            return text ? pyFormat(text, p.format) : pyFormat(v, p.format);
          })
          .join(""),
      );
    case "attribute":
      return interp.getAttr(evalExpr(interp, e.value, scope), e.attr, scope.location(e.span));
    case "subscript":
      return interp.getItem(evalExpr(interp, e.value, scope), evalExpr(interp, e.index, scope), scope.location(e.span));
    case "slice":
      return {
        kind: "slice",
        lower: e.lower ? evalExpr(interp, e.lower, scope) : NONE,
        upper: e.upper ? evalExpr(interp, e.upper, scope) : NONE,
        step: e.step ? evalExpr(interp, e.step, scope) : NONE,
      };
    case "call":
      return evalCall(interp, e, scope);
    case "binop": {
      const left = evalExpr(interp, e.left, scope);
      const right = evalExpr(interp, e.right, scope);
      return interp.atSite(scope.location(e.span), () => interp.binary(e.op, left, right));
    }
    case "unary":
      return interp.unary(e.op, evalExpr(interp, e.operand, scope));
    case "boolop": {
      const left = evalExpr(interp, e.left, scope);
      const t = interp.truthy(left);
      if (t === undefined) {
        const right = evalExpr(interp, e.right, scope);
        return mergeValues(left, right);
      }
      if (e.op === "and") return t ? evalExpr(interp, e.right, scope) : left;
      return t ? left : evalExpr(interp, e.right, scope);
    }
    case "compare":
      return evalCompare(interp, e, scope);
    case "ifexp": {
      const t = interp.truthy(evalExpr(interp, e.test, scope));
      if (t === true) return evalExpr(interp, e.body, scope);
      if (t === false) return evalExpr(interp, e.orelse, scope);
      interp.note(`condition at line ${e.span.line + 1} cannot be decided from the source`, scope.location(e.test.span));
      return mergeValues(evalExpr(interp, e.body, scope), evalExpr(interp, e.orelse, scope));
    }
    case "lambda": {
      const defaults = new Map<string, Value>();
      for (const p of e.params) if (p.default) defaults.set(p.name, evalExprLazy(interp, p.default, scope));
      return { kind: "function", name: "<lambda>", qualname: "<lambda>", params: e.params, defaults, body: e.body, closure: scope, file: scope.file, span: e.span, isGenerator: false, attrs: new Map() };
    }
    case "list":
      return list(evalElements(interp, e.elts, scope));
    case "tuple":
      return tuple(evalElements(interp, e.elts, scope));
    case "set": {
      const entries = new Map<string, Value>();
      for (const v of evalElements(interp, e.elts, scope)) entries.set(hashKey(v), v);
      return { kind: "set", entries };
    }
    case "dict": {
      const d = makeDict();
      for (const entry of e.entries) {
        if (entry.key) {
          const k = evalExpr(interp, entry.key, scope);
          d.entries.set(hashKey(k), { key: k, value: evalExpr(interp, entry.value, scope) });
        } else {
          const other = evalExpr(interp, entry.value, scope);
          for (const [k, v] of interp.mappingEntries(other)) d.entries.set(hashKey(k), { key: k, value: v });
        }
      }
      return d;
    }
    case "listcomp":
    case "setcomp":
    case "genexp":
    case "dictcomp":
      return evalComprehension(interp, e, scope);
    case "starred":
      throw new PyException("SyntaxError", "can't use starred expression here");
    case "walrus": {
      const v = evalExpr(interp, e.value, scope);
      scope.assign(e.target, v);
      return v;
    }
    case "unsupported":
      interp.note(`'${e.what}' is not modelled`, scope.location(e.span));
      return unknown(`'${e.what}' is not modelled`);
  }
}

/** Elements of a display or the positional arguments of a call (lazily, for a call). */
function evalElements(interp: Interpreter, elts: readonly A.Expr[], scope: Scope, lazily = false): Value[] {
  const out: Value[] = [];
  for (const el of elts) {
    if (el.kind === "starred") {
      const v = evalExpr(interp, el.value, scope);
      const items = interp.iterate(v);
      if (items) out.push(...items);
      else out.push(unknown(`unpacking ${describe(v)}`));
    } else out.push(lazily ? evalExprLazy(interp, el, scope) : evalExpr(interp, el, scope));
  }
  return out;
}

function evalCompare(interp: Interpreter, e: A.CompareExpr, scope: Scope): Value {
  let left = evalExpr(interp, e.left, scope);
  let result: Value = bool(true);
  for (let i = 0; i < e.ops.length; i++) {
    const right = evalExpr(interp, e.comparators[i], scope);
    const r = interp.compare(e.ops[i], left, right);
    if (r.kind === "bool" && !r.value) return r;
    if (r.kind !== "bool") result = r;
    left = right;
  }
  return result;
}

function evalComprehension(interp: Interpreter, e: A.ComprehensionExpr, scope: Scope): Value {
  const inner = new Scope("function", scope, scope.file, scope.moduleName);
  const first = evalExpr(interp, e.generators[0].iter, scope);
  const uncountedResult = overUncountedRows(interp, e, first, inner);
  if (uncountedResult) return uncountedResult;
  const results: Value[] = [];
  const dict = makeDict();
  let uncountable = false;
  const run = (level: number): void => {
    if (level === e.generators.length) {
      if (e.kind === "dictcomp") {
        const k = evalExpr(interp, e.elt, inner);
        dict.entries.set(hashKey(k), { key: k, value: evalExpr(interp, e.value!, inner) });
      } else results.push(evalExpr(interp, e.elt, inner));
      return;
    }
    const g = e.generators[level];
    const iterable = level === 0 ? first : evalExpr(interp, g.iter, inner);
    const items = interp.atSite(scope.location(g.iter.span), () => interp.iterate(iterable));
    if (!items) {
      interp.note(`cannot iterate over ${describe(iterable)} in a comprehension`, scope.location(g.iter.span));
      uncountable = true;
      return;
    }
    for (const item of items) {
      interp.tick();
      interp.assignTarget(g.target, item, inner);
      let keep = true;
      for (const cond of g.ifs) {
        const t = interp.truthy(evalExpr(interp, cond, inner));
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

/**
 * [f(x) for x in rows] over rows we cannot count (a tensor whose length is
 * symbolic): f runs once on a row of that shape; the result is that many f(x).
 * Only a single plain generator of a list or generator expression.
 */
function overUncountedRows(interp: Interpreter, e: A.ComprehensionExpr, iterable: Value, inner: Scope): Value | undefined {
  if ((e.kind !== "listcomp" && e.kind !== "genexp") || e.generators.length !== 1 || e.generators[0].ifs.length > 0) return undefined;
  const g = e.generators[0];
  const rows = uncountedRows(iterable);
  if (!rows) return undefined;
  interp.assignTarget(g.target, rows.item, inner);
  return uncounted(rows.count, evalExpr(interp, e.elt, inner));
}

function evalCall(interp: Interpreter, e: A.CallExpr, scope: Scope): Value {
  const func = evalExpr(interp, e.func, scope);
  const args = evalElements(interp, e.args, scope, true);
  const kwargs = new Map<string, Value>();
  for (const k of e.keywords) {
    if (k.name !== undefined) {
      kwargs.set(k.name, evalExprLazy(interp, k.value, scope));
      continue;
    }
    const v = evalExpr(interp, k.value, scope);
    // which arguments an unknown mapping holds is not known: the call is not followed, rather than made without them
    if (v.kind === "unknown") {
      interp.note(`call of '${exprText(e.func)}' with **${exprText(k.value)} is not followed (${v.why})`, scope.location(e.span));
      return unknownResultOf(args, `the keyword arguments in **${exprText(k.value)} are not known: ${v.why}`);
    }
    for (const [key, value] of interp.mappingEntries(v)) kwargs.set(key.kind === "str" ? key.value : pyStr(key), value);
  }
  if (func.kind === "unknown") {
    interp.note(`call of '${exprText(e.func)}' is not modelled (${func.why})`, scope.location(e.span));
    return unknownResultOf(args, `'${exprText(e.func)}' is not modelled`);
  }
  return callValueRaw(interp, func, args, kwargs, scope.location(e.span));
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
