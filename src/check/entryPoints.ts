// Where a file builds models, read from its syntax alone: factory functions that
// can be called without arguments, and constructor calls bound at module level or
// under `if __name__ == "__main__":`. Whether a callee really makes an nn.Module
// is for the evaluation to say (see fileModels.ts).
import type { CallExpr, Expr, FunctionDef, IfStmt, PyModule, Stmt } from "../parse/ast.js";
import { unwrapModelCall } from "../analysis/inputsInFile.js";

/** `if __name__ == "__main__":` (either operand order, either quote). */
export function isMainGuard(s: Stmt): boolean {
  if (s.kind !== "if" || s.test.kind !== "compare" || s.test.ops.length !== 1 || s.test.ops[0] !== "==") return false;
  const sides = [s.test.left, s.test.comparators[0]];
  const isName = (e: Expr) => e.kind === "name" && e.id === "__name__";
  const isMain = (e: Expr) => e.kind === "constant" && e.value.type === "str" && e.value.value === "__main__";
  return (isName(sides[0]) && isMain(sides[1])) || (isMain(sides[0]) && isName(sides[1]));
}

/** Statements of a block and of the if/try/with blocks inside it; not loops, functions or classes. */
function* blockStatements(body: readonly Stmt[]): Generator<Stmt> {
  for (const s of body) {
    yield s;
    if (s.kind === "if" && !isMainGuard(s)) {
      yield* blockStatements(s.body);
      yield* blockStatements(s.orelse);
    } else if (s.kind === "with") yield* blockStatements(s.body);
    else if (s.kind === "try") {
      yield* blockStatements(s.body);
      for (const h of s.handlers) yield* blockStatements(h.body);
    }
  }
}

/** A function body returns a value somewhere (nested functions and classes aside). */
function returnsValue(body: readonly Stmt[]): boolean {
  for (const s of body) {
    switch (s.kind) {
      case "return":
        if (s.value) return true;
        break;
      case "if":
      case "for":
      case "while":
        if (returnsValue(s.body) || returnsValue(s.orelse)) return true;
        break;
      case "with":
        if (returnsValue(s.body)) return true;
        break;
      case "try":
        if (returnsValue(s.body) || s.handlers.some((h) => returnsValue(h.body))) return true;
        break;
      default:
        break;
    }
  }
  return false;
}

/**
 * Public module-level functions that can be called with no arguments and return
 * something: `def resnet18(*, weights=None, progress=True, **kwargs) -> ResNet`.
 */
export function factoryDefs(syntax: PyModule): FunctionDef[] {
  return syntax.body.filter((s): s is FunctionDef => s.kind === "def" && !s.name.startsWith("_") && needsNoArguments(s) && returnsValue(s.body));
}

/** Every parameter has a default, or is *args / **kwargs. */
export function needsNoArguments(def: FunctionDef): boolean {
  return def.params.every((p) => p.kind === "varargs" || p.kind === "varkw" || p.default !== undefined);
}

/**
 * A call bound to names at the top of the file, under its main guard, or in a
 * function the guard calls without arguments (`main()`): `net = Net(num_classes=10).to(device)`.
 */
export interface InstantiationSite {
  readonly call: CallExpr;
  /** the names it is bound to: the model is what they hold once the statement ran */
  readonly targets: readonly string[];
  /** what runs after the module loaded (the guard, or the function it calls), and the index of its top-level statement holding the call */
  readonly block?: { readonly owner: IfStmt | FunctionDef; readonly index: number };
  /** the binding is a top-level statement of its block, not inside an if/try/with that may pass it by */
  readonly direct: boolean;
}

function siteOf(s: Stmt, block: InstantiationSite["block"], direct: boolean): InstantiationSite | undefined {
  const targets = s.kind === "assign" ? s.targets : s.kind === "annassign" && s.value ? [s.target] : [];
  const value = s.kind === "assign" ? s.value : s.kind === "annassign" ? s.value : undefined;
  if (!value) return undefined;
  const call = unwrapModelCall(value);
  const names = targets.flatMap((t) => (t.kind === "name" ? [t.id] : []));
  if (call.kind !== "call" || (call.func.kind !== "name" && call.func.kind !== "attribute") || names.length === 0) return undefined;
  return { call, targets: names, block, direct };
}

function blockSites(owner: IfStmt | FunctionDef, sites: InstantiationSite[]): void {
  owner.body.forEach((top, index) => {
    for (const s of blockStatements([top])) {
      const site = siteOf(s, { owner, index }, s === top);
      if (site) sites.push(site);
    }
  });
}

/** `main()` (or `sys.exit(main())`) in the guard, calling a module-level function that needs no argument. */
function calledWithoutArguments(s: Stmt, defs: ReadonlyMap<string, FunctionDef>): FunctionDef | undefined {
  if (s.kind !== "expr" || s.value.kind !== "call") return undefined;
  let call = s.value;
  if (call.args.length === 1 && call.args[0].kind === "call") call = call.args[0];
  if (call.func.kind !== "name" || call.args.length > 0 || call.keywords.length > 0) return undefined;
  const def = defs.get(call.func.id);
  return def && needsNoArguments(def) ? def : undefined;
}

/** Module-level sites first (already run when the module loaded), then those under main guards and in the functions they call, in order. */
export function instantiationSites(syntax: PyModule): InstantiationSite[] {
  const sites: InstantiationSite[] = [];
  for (const s of blockStatements(syntax.body)) {
    const site = siteOf(s, undefined, syntax.body.includes(s));
    if (site) sites.push(site);
  }
  const defs = new Map(syntax.body.flatMap((s) => (s.kind === "def" ? [[s.name, s] as const] : [])));
  for (const guard of syntax.body.filter((s): s is IfStmt => isMainGuard(s))) {
    blockSites(guard, sites);
    for (const s of guard.body) {
      const called = calledWithoutArguments(s, defs);
      if (called) blockSites(called, sites);
    }
  }
  return sites;
}

/**
 * A cheap look at the text: the file binds a call at the top level or has a main
 * guard. Such files are checked first, so that a class they build with real
 * arguments is analysed that way rather than with its defaults.
 */
export function mayBuildModelsAtTopLevel(text: string): boolean {
  return /^if\s+__name__\s*==|^[A-Za-z_]\w*\s*(?::[^=\n]+)?=\s*[A-Za-z_][\w.]*\(/m.test(text);
}
