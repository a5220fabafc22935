// The syntax torchshape only needs to find is said by tree-sitter queries in
// grammars/*.scm; this file runs them and reads the captures.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Parser from "tree-sitter";
import Python from "tree-sitter-python";
import type { SyntaxNode } from "tree-sitter";

import { packageRoot } from "../packageRoot.js";

const grammarsDir = join(packageRoot(), "grammars");
const compiled = new Map<string, Parser.Query>();

function query(name: string): Parser.Query {
  let q = compiled.get(name);
  if (!q) {
    q = new Parser.Query(Python as unknown as Parser.Language, readFileSync(join(grammarsDir, `${name}.scm`), "utf8"));
    compiled.set(name, q);
  }
  return q;
}

export interface ClassCandidate {
  readonly name: string;
  /** 0-based line of the `class` keyword (or of its first decorator) */
  readonly line: number;
}

/** Module-level classes with base classes, in source order. */
export function moduleClassCandidates(root: SyntaxNode): ClassCandidate[] {
  return query("module-classes")
    .matches(root)
    .map((m) => {
      const name = m.captures.find((c) => c.name === "class.name")!.node;
      const def = m.captures.find((c) => c.name === "class.definition")!.node;
      return { name: name.text, line: def.startPosition.row };
    });
}

export interface Directive {
  /** 0-based line */
  readonly line: number;
  readonly text: string;
}

/** `# torchshape: ...` comments. */
export function directives(root: SyntaxNode): Directive[] {
  return query("directives")
    .captures(root)
    .map((c) => ({ line: c.node.startPosition.row, text: c.node.text.replace(/^#\s*/, "") }));
}
