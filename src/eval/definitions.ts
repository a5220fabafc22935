// Definitions: the function and class values a `def` or `class` statement
// makes, and the decorators applied to them.
import type * as A from "../parse/ast.js";
import type { Interpreter } from "./interpreter.js";
import { computeMro } from "./mro.js";
import { registerSubclass } from "./subclasses.js";
import { exprText } from "./naming.js";
import { Scope } from "./scope.js";
import { NONE, str, type ClassValue, type FunctionValue, type Value } from "./values.js";

export function makeFunction(interp: Interpreter, s: A.FunctionDef, scope: Scope): FunctionValue {
  const defaults = new Map<string, Value>();
  for (const p of s.params) if (p.default) defaults.set(p.name, interp.evalExprLazy(p.default, scope));
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
    returns: s.returns,
    isGenerator: false,
    attrs: new Map(),
    docstring: s.docstring,
  };
}

export function applyDecorators(interp: Interpreter, decorators: readonly A.Expr[], target: Value, scope: Scope): Value {
  let v = target;
  for (let i = decorators.length - 1; i >= 0; i--) {
    const d = interp.evalExpr(decorators[i], scope);
    if (d.kind === "unknown") {
      interp.note(`decorator '${exprText(decorators[i])}' is not known; the definition is left as written`, scope.location(decorators[i].span));
      continue;
    }
    const decorated = interp.callValue(d, [v], new Map(), scope.location(decorators[i].span));
    if (decorated.kind === "unknown") {
      interp.note(`decorator '${exprText(decorators[i])}' gave an unknown value; the definition is left as written`, scope.location(decorators[i].span));
      continue;
    }
    if (target.kind === "class" && decorated.kind !== "class") continue;
    v = decorated;
  }
  return v;
}

export function makeClass(interp: Interpreter, s: A.ClassDef, scope: Scope): ClassValue {
  const bases: ClassValue[] = [];
  for (const b of s.bases) {
    const v = interp.evalExpr(b, scope);
    if (v.kind === "class") bases.push(v);
    else if (v.kind === "unknown") interp.note(`base class '${exprText(b)}' of ${s.name} is unknown`, scope.location(b.span));
  }
  const object = interp.builtins.vars.get("object") as ClassValue;
  if (bases.length === 0) bases.push(object);
  const body = new Scope("class", scope, scope.file, scope.moduleName);
  const outerQual = scope.kind === "class" ? scope.vars.get("__qualname__") : undefined;
  const qualname = outerQual?.kind === "str" ? `${outerQual.value}.${s.name}` : s.name;
  body.vars.set("__qualname__", str(qualname));
  body.vars.set("__module__", str(scope.moduleName));
  body.vars.set("__doc__", s.docstring !== undefined ? str(s.docstring) : NONE);
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
  registerSubclass(cls);
  const metaKeyword = s.keywords.find((k) => k.name === "metaclass");
  const meta = metaKeyword ? interp.evalExpr(metaKeyword.value, scope) : undefined;
  cls.metaclass = meta?.kind === "class" ? meta : bases.find((b) => b.metaclass)?.metaclass;
  interp.execBlock(s.body, body);
  for (const v of body.vars.names().map((n) => body.vars.peek(n)!)) {
    const f = v.kind === "function" ? v : (v.kind === "staticmethod" || v.kind === "classmethod" || v.kind === "property") && v.func.kind === "function" ? v.func : undefined;
    if (f && !f.definingClass) f.definingClass = cls;
    if (v.kind === "property" && v.setter?.kind === "function" && !v.setter.definingClass) v.setter.definingClass = cls;
  }
  const init = cls.mro.find((c) => c.native?.construct === undefined && c.attrs.has("__init_subclass_hook__"));
  if (init) {
    const hook = init.attrs.get("__init_subclass_hook__");
    if (hook?.kind === "native") hook.call({ args: [cls], kwargs: new Map(), interp });
  }
  return cls;
}
