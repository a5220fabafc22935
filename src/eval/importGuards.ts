// Imports inside `try: ... except ImportError:` — code that is ready for a module
// to be absent (optional accelerators: apex, flash-attn, ...). There, a module that
// is neither on the search paths nor in the standard library is absent: the import
// raises ModuleNotFoundError, with a note, and the handler runs, as it would where
// the module is not installed. Elsewhere an unresolved module stays unknown.
import type * as A from "../parse/ast.js";
import { PyException } from "./errors.js";
import type { Interpreter } from "./interpreter.js";
import type { Scope } from "./scope.js";
import { isAlwaysInstalled } from "./stdlibNames.js";
import type { Value } from "./values.js";

/** Per interpreter, per file: how many try statements that handle ImportError are running. */
const depths = new WeakMap<Interpreter, Map<string, number>>();

function depthsOf(interp: Interpreter): Map<string, number> {
  let d = depths.get(interp);
  if (!d) depths.set(interp, (d = new Map()));
  return d;
}

/** Whether a try statement's handlers would catch an ImportError. */
export function catchesImportError(interp: Interpreter, s: A.TryStmt, scope: Scope, matches: (e: PyException, type: Value) => boolean): boolean {
  const probe = new PyException("ModuleNotFoundError", "");
  return s.handlers.some((h) => {
    if (!h.type) return true;
    try {
      return matches(probe, interp.evalExpr(h.type, scope));
    } catch (e) {
      if (e instanceof PyException) return false;
      throw e;
    }
  });
}

/** Runs the body of such a try with its file's imports guarded (an imported module's own top level is not). */
export function guardingImports<T>(interp: Interpreter, file: string, body: () => T): T {
  const d = depthsOf(interp);
  d.set(file, (d.get(file) ?? 0) + 1);
  try {
    return body();
  } finally {
    d.set(file, d.get(file)! - 1);
  }
}

export function importsGuarded(interp: Interpreter, scope: Scope): boolean {
  return (depthsOf(interp).get(scope.file) ?? 0) > 0;
}

/** An unresolved absolute import where the code handles ImportError: the module is absent. */
export function raiseIfAbsent(interp: Interpreter, name: string, level: number, scope: Scope, span: A.Span): void {
  if (level !== 0 || !importsGuarded(interp, scope) || isAlwaysInstalled(name)) return;
  interp.note(`module '${name}' is not on the search paths; the ImportError handler around it runs`, scope.location(span));
  throw new PyException("ModuleNotFoundError", `No module named '${name}'`, undefined, scope.location(span));
}
