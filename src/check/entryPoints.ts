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
  return syntax.body.filter(
    (s): s is FunctionDef =>
      s.kind === "def" &&
      !s.name.startsWith("_") &&
      s.params.every((p) => p.kind === "varargs" || p.kind === "varkw" || p.default !== undefined) &&
      returnsValue(s.body),
  );
}

/** A call bound to names at the top of the file or under its main guard: `net = Net(num_classes=10).to(device)`. */
export interface InstantiationSite {
  readonly call: CallExpr;
  /** the names it is bound to: the model is what they hold once the statement ran */
  readonly targets: readonly string[];
  /** under the main guard: the guard, and the index of its top-level statement holding the call */
  readonly guard?: { readonly stmt: IfStmt; readonly index: number };
}

function siteOf(s: Stmt, guard: InstantiationSite["guard"]): InstantiationSite | undefined {
  const targets = s.kind === "assign" ? s.targets : s.kind === "annassign" && s.value ? [s.target] : [];
  const value = s.kind === "assign" ? s.value : s.kind === "annassign" ? s.value : undefined;
  if (!value) return undefined;
  const call = unwrapModelCall(value);
  const names = targets.flatMap((t) => (t.kind === "name" ? [t.id] : []));
  if (call.kind !== "call" || (call.func.kind !== "name" && call.func.kind !== "attribute") || names.length === 0) return undefined;
  return { call, targets: names, guard };
}

/** Module-level sites first (already run when the module loaded), then those under main guards, in order. */
export function instantiationSites(syntax: PyModule): InstantiationSite[] {
  const sites: InstantiationSite[] = [];
  for (const s of blockStatements(syntax.body)) {
    const site = siteOf(s, undefined);
    if (site) sites.push(site);
  }
  for (const stmt of syntax.body.filter((s): s is IfStmt => isMainGuard(s))) {
    stmt.body.forEach((top, index) => {
      for (const s of blockStatements([top])) {
        const site = siteOf(s, { stmt, index });
        if (site) sites.push(site);
      }
    });
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
