// Whether a module's top level binds a name itself (an import, an assignment, a
// def or class), read from its syntax without running it: a package whose
// __init__ rebinds a submodule's name (`from .create_conv2d import create_conv2d`)
// must run before that name is read, or the submodule would be taken for it.
import type { Expr, Stmt } from "../parse/ast.js";

function targetBinds(t: Expr, name: string): boolean {
  if (t.kind === "name") return t.id === name;
  if (t.kind === "tuple" || t.kind === "list") return t.elts.some((e) => targetBinds(e, name));
  if (t.kind === "starred") return targetBinds(t.value, name);
  return false;
}

export function bindsAtTopLevel(body: readonly Stmt[], name: string): boolean {
  for (const s of body) {
    switch (s.kind) {
      case "importfrom":
        if (s.names.some((a) => (a.asname ?? a.name) === name)) return true;
        break;
      case "import":
        if (s.names.some((a) => (a.asname ?? a.name.split(".")[0]) === name)) return true;
        break;
      case "assign":
        if (s.targets.some((t) => targetBinds(t, name))) return true;
        break;
      case "annassign":
      case "augassign":
        if (targetBinds(s.target, name)) return true;
        break;
      case "def":
      case "class":
        if (s.name === name) return true;
        break;
      case "for":
        if (targetBinds(s.target, name)) return true;
        if (bindsAtTopLevel(s.body, name) || bindsAtTopLevel(s.orelse, name)) return true;
        break;
      case "if":
      case "while":
        if (bindsAtTopLevel(s.body, name) || bindsAtTopLevel(s.orelse, name)) return true;
        break;
      case "try":
        if ([s.body, s.orelse, s.finalbody, ...s.handlers.map((h) => h.body)].some((b) => bindsAtTopLevel(b, name))) return true;
        break;
      case "with":
        if (bindsAtTopLevel(s.body, name)) return true;
        break;
      default:
        break;
    }
  }
  return false;
}
