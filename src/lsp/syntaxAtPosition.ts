// What the cursor is on, read from the tree-sitter tree: `self.<path>` (a layer),
// a plain name (a tensor variable), the function and class around it; and where a
// statement ends (inlay hints go there, after its last bracket).
import type { SyntaxNode, Tree } from "tree-sitter";
import type { Position } from "vscode-languageserver";
import type { Span } from "../parse/ast.js";

export interface EnclosingFunction {
  readonly name: string;
  /** parameter names in order, `self` included */
  readonly params: readonly string[];
  readonly span: Span;
}

export type CursorTarget =
  /** `self.conv1`, `self.block.conv` (path without `self.`) */
  | { readonly kind: "selfAttribute"; readonly path: string; readonly span: Span; readonly inClass?: string }
  | { readonly kind: "name"; readonly name: string; readonly span: Span; readonly inFunction?: EnclosingFunction; readonly inClass?: string };

function spanOf(node: SyntaxNode): Span {
  return { line: node.startPosition.row, col: node.startPosition.column, endLine: node.endPosition.row, endCol: node.endPosition.column };
}

function isField(parent: SyntaxNode | null, field: string, node: SyntaxNode): boolean {
  return parent?.childForFieldName(field)?.id === node.id;
}

function identifierAt(tree: Tree, p: Position): SyntaxNode | undefined {
  // the character under the cursor, else the one before it (a cursor just after a name)
  for (const column of [p.character, p.character - 1]) {
    if (column < 0) continue;
    const node = tree.rootNode.descendantForPosition({ row: p.line, column });
    if (node.type === "identifier") return node;
  }
  return undefined;
}

function ancestor(node: SyntaxNode, type: string): SyntaxNode | undefined {
  for (let n = node.parent; n; n = n.parent) if (n.type === type) return n;
  return undefined;
}

function parameterName(param: SyntaxNode): string | undefined {
  switch (param.type) {
    case "identifier":
      return param.text;
    case "typed_parameter":
      return param.namedChildren.find((c) => c.type === "identifier")?.text;
    case "default_parameter":
    case "typed_default_parameter":
      return param.childForFieldName("name")?.text;
    default:
      return undefined; // *args, **kwargs, the / and * separators
  }
}

function enclosingFunction(node: SyntaxNode): EnclosingFunction | undefined {
  const def = ancestor(node, "function_definition");
  const name = def?.childForFieldName("name")?.text;
  if (!def || !name) return undefined;
  const params = (def.childForFieldName("parameters")?.namedChildren ?? []).map(parameterName).filter((n): n is string => n !== undefined);
  return { name, params, span: spanOf(def) };
}

function enclosingClass(node: SyntaxNode): string | undefined {
  return ancestor(node, "class_definition")?.childForFieldName("name")?.text;
}

/** `self.a.b` ending at this attribute node, as "a.b"; undefined for other chains. */
function selfPath(attribute: SyntaxNode): string | undefined {
  const segments: string[] = [];
  let node: SyntaxNode | null = attribute;
  while (node?.type === "attribute") {
    const attr = node.childForFieldName("attribute");
    if (!attr) return undefined;
    segments.unshift(attr.text);
    node = node.childForFieldName("object");
  }
  return node?.type === "identifier" && node.text === "self" ? segments.join(".") : undefined;
}

export function targetAt(tree: Tree, p: Position): CursorTarget | undefined {
  const node = identifierAt(tree, p);
  if (!node) return undefined;
  const parent = node.parent;
  if (parent?.type === "attribute" && isField(parent, "attribute", node)) {
    const path = selfPath(parent);
    return path === undefined ? undefined : { kind: "selfAttribute", path, span: spanOf(parent), inClass: enclosingClass(node) };
  }
  // otherwise a name, `x` of `x.view(...)` included
  // names that are not variables: keyword arguments, definitions' names
  if (parent && (isField(parent, "name", node) && ["keyword_argument", "function_definition", "class_definition"].includes(parent.type))) return undefined;
  return { kind: "name", name: node.text, span: spanOf(node), inFunction: enclosingFunction(node), inClass: enclosingClass(node) };
}

/** The end of the simple statement around a position (an assignment spanning lines ends on its last); undefined inside compound headers. */
export function statementEnd(tree: Tree, line: number, col: number): Position | undefined {
  for (let n: SyntaxNode | null = tree.rootNode.descendantForPosition({ row: line, column: col }); n; n = n.parent) {
    if (n.type === "expression_statement") return { line: n.endPosition.row, character: n.endPosition.column };
    if (n.type === "block" || n.type === "module") return undefined;
  }
  return undefined;
}
