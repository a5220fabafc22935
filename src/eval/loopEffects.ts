// What a loop body can change: for a loop the evaluator cannot run (its iterable
// or its condition is unknown), whatever the body rebinds or mutates in place no
// longer holds its value from before the loop, so the caller forgets it instead
// of going on with a stale value (an empty `outputs` list that `torch.cat` rejects).
import type * as A from "../parse/ast.js";

export interface LoopEffects {
  /** names the body binds: assignment, loop and `with` targets, walrus, def, class, import, del */
  readonly rebound: ReadonlySet<string>;
  /** names whose value the body changes in place: `xs.append(y)`, `xs[i] = y`, `del d[k]` */
  readonly mutated: ReadonlySet<string>;
}

/** `targets`: the loop's own target (`for x, y in ...`), bound on every pass. */
export function loopEffects(body: readonly A.Stmt[], targets: readonly A.Expr[] = []): LoopEffects {
  const rebound = new Set<string>();
  const mutated = new Set<string>();
  const target = (t: A.Expr): void => {
    if (t.kind === "name") rebound.add(t.id);
    else if (t.kind === "tuple" || t.kind === "list") t.elts.forEach(target);
    else if (t.kind === "starred") target(t.value);
    else if (t.kind === "subscript") {
      if (t.value.kind === "name") mutated.add(t.value.id);
      expr(t.value);
      expr(t.index);
    } else expr(t);
  };
  const expr = (e: A.Expr | undefined): void => {
    if (!e) return;
    switch (e.kind) {
      case "walrus":
        rebound.add(e.target);
        expr(e.value);
        return;
      case "call":
        // a method called on a local container may change it: xs.append(y), d.update(...)
        if (e.func.kind === "attribute" && e.func.value.kind === "name") mutated.add(e.func.value.id);
        expr(e.func);
        e.args.forEach(expr);
        e.keywords.forEach((k) => expr(k.value));
        return;
      case "attribute":
      case "starred":
        expr(e.value);
        return;
      case "subscript":
        expr(e.value);
        expr(e.index);
        return;
      case "slice":
        expr(e.lower);
        expr(e.upper);
        expr(e.step);
        return;
      case "binop":
      case "boolop":
        expr(e.left);
        expr(e.right);
        return;
      case "unary":
        expr(e.operand);
        return;
      case "compare":
        expr(e.left);
        e.comparators.forEach(expr);
        return;
      case "ifexp":
        expr(e.test);
        expr(e.body);
        expr(e.orelse);
        return;
      case "list":
      case "tuple":
      case "set":
        e.elts.forEach(expr);
        return;
      case "dict":
        e.entries.forEach((en) => {
          expr(en.key);
          expr(en.value);
        });
        return;
      case "listcomp":
      case "setcomp":
      case "genexp":
      case "dictcomp":
        // the comprehension's own targets are its locals; only what it calls can leak out
        expr(e.elt);
        expr(e.value);
        e.generators.forEach((g) => {
          expr(g.iter);
          g.ifs.forEach(expr);
        });
        return;
      case "fstring":
        for (const p of e.parts) if (typeof p !== "string") expr(p.expr);
        return;
      default:
        return;
    }
  };
  const stmts = (ss: readonly A.Stmt[]): void => ss.forEach(stmt);
  const stmt = (s: A.Stmt): void => {
    switch (s.kind) {
      case "expr":
        expr(s.value);
        return;
      case "assign":
        s.targets.forEach(target);
        expr(s.value);
        return;
      case "augassign":
        target(s.target);
        expr(s.value);
        return;
      case "annassign":
        if (s.value) target(s.target);
        expr(s.value);
        return;
      case "return":
        expr(s.value);
        return;
      case "if":
      case "while":
        expr(s.test);
        stmts(s.body);
        stmts(s.orelse);
        return;
      case "for":
        target(s.target);
        expr(s.iter);
        stmts(s.body);
        stmts(s.orelse);
        return;
      case "def":
      case "class":
        rebound.add(s.name);
        return;
      case "import":
      case "importfrom":
        for (const a of s.names) rebound.add(a.asname ?? a.name.split(".")[0]);
        return;
      case "try":
        stmts(s.body);
        for (const h of s.handlers) {
          if (h.name) rebound.add(h.name);
          stmts(h.body);
        }
        stmts(s.orelse);
        stmts(s.finalbody);
        return;
      case "with":
        for (const item of s.items) {
          expr(item.context);
          if (item.target) target(item.target);
        }
        stmts(s.body);
        return;
      case "delete":
        s.targets.forEach(target);
        return;
      case "assert":
        expr(s.test);
        return;
      case "raise":
        expr(s.exc);
        return;
      default:
        return;
    }
  };
  targets.forEach(target);
  stmts(body);
  return { rebound, mutated };
}
