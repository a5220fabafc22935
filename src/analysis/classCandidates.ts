// The classes of a file that may be nn.Module subclasses: those at its top level.
// Whether a base really is nn.Module (through any import alias or an indirect
// subclass) is decided by evaluating the file, not here. Read from the converted
// tree, which may come from the syntax cache, so that no tree-sitter query is
// compiled or run for it.
import type { PyModule } from "../parse/ast.js";

export interface ClassCandidate {
  readonly name: string;
  /** 0-based line of the `class` keyword (or of its first decorator) */
  readonly line: number;
}

/** Module-level classes with base classes, in source order. */
export function moduleClassCandidates(syntax: PyModule): ClassCandidate[] {
  return syntax.body.flatMap((s) => (s.kind === "class" && (s.bases.length > 0 || s.keywords.length > 0) ? [{ name: s.name, line: s.span.line }] : []));
}
