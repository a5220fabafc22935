// tree-sitter-python's concrete tree → the typed syntax tree of ast.ts.
// Field names come from the grammar's node-types.json (childForFieldName), not child indexes.
import type { SyntaxNode } from "tree-sitter";
import type * as A from "./ast.js";
import type { InsertedColumns } from "./starredTuples.js";
import { StatementReuse } from "./statementReuse.js";
import { ReadingDeadlinePassed } from "./readingDeadline.js";

/** Where this converter's code lives: a syntax tree stored by another converter is not read (src/analysis/syntaxCache.ts). */
export const converterUrl = import.meta.url;

export class PythonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly col: number,
  ) {
    super(message);
  }
}

function spanOf(node: SyntaxNode): A.Span {
  const { startPosition: start, endPosition: end } = node;
  if (inserted) return { line: start.row, col: inserted.original(start.row, start.column), endLine: end.row, endCol: inserted.original(end.row, end.column) };
  return { line: start.row, col: start.column, endLine: end.row, endCol: end.column };
}

function field(node: SyntaxNode, name: string): SyntaxNode | null {
  return node.childForFieldName(name);
}

function requiredField(node: SyntaxNode, name: string): SyntaxNode {
  const child = node.childForFieldName(name);
  if (!child) throw new PythonSyntaxError(`${node.type} without ${name}`, node.startPosition.row, node.startPosition.column);
  return child;
}

/** Named children other than comments and backslash continuations (both can appear anywhere in the tree). */
function namedChildren(node: SyntaxNode): SyntaxNode[] {
  return node.namedChildren.filter((c) => c.type !== "comment" && c.type !== "line_continuation");
}

export interface ConvertOptions {
  /**
   * Convert a function's body when it is first read: an imported library's
   * functions are mostly never called, and converting is most of parsing's cost.
   * A syntax fault found then becomes an `unsupported` statement.
   */
  readonly deferFunctionBodies?: boolean;
  /** collect comments (`# torchshape:` lines); imported modules need none */
  readonly comments?: boolean;
  /** characters a repair inserted into the parsed text (starredTuples.ts): spans are the file's columns */
  readonly inserted?: InsertedColumns;
  /** an editor's document: its unchanged top-level statements taken from its previous conversion (not with `inserted`) */
  readonly reuse?: StatementReuse<ConvertedStatement>;
  /** when converting must stop (Date.now() time): ReadingDeadlinePassed; deferred function bodies have none */
  readonly deadline?: number;
}

/** Whether the function being converted defers its body (set for the duration of a conversion). */
let deferBodies = false;
/** The conversion's inserted characters (set for the duration of a conversion). */
let inserted: InsertedColumns | undefined;

/** A top-level statement converted, with the comments inside it (row, text), as an editor's document keeps it. */
export interface ConvertedStatement {
  readonly stmts: A.Stmt[];
  readonly comments: readonly (readonly [number, string])[];
}

export function convertModule(root: SyntaxNode, options: ConvertOptions = {}): A.PyModule {
  const comments = new Map<number, string>();
  const [saved, savedInserted, savedDeadline] = [deferBodies, inserted, deadline];
  deferBodies = options.deferFunctionBodies ?? false;
  inserted = options.inserted;
  deadline = options.deadline;
  try {
    // statements converted with inserted characters mapped out are not the document's own
    const reuse = options.inserted ? undefined : options.reuse;
    if (!reuse) {
      if (options.comments !== false) collectComments(root, comments);
      return { body: convertStatements(namedChildren(root)), comments, lineCount: root.endPosition.row + 1 };
    }
    const body: A.Stmt[] = [];
    for (const n of root.namedChildren) {
      // a comment is a statement's when inside it, else the module's own child
      if (n.type === "comment") comments.set(n.startPosition.row, commentText(n));
      if (n.type === "comment" || n.type === "line_continuation") continue;
      const key = StatementReuse.key(n.startPosition.row, n.startPosition.column, deferBodies ? "deferred" : "", n.text);
      let converted = reuse.take(key);
      if (!converted) reuse.put(key, (converted = { stmts: convertStatement(n), comments: n.descendantsOfType("comment").map((c) => [c.startPosition.row, commentText(c)] as const) }));
      body.push(...converted.stmts);
      for (const [row, text] of converted.comments) comments.set(row, text);
    }
    reuse.finish();
    return { body, comments, lineCount: root.endPosition.row + 1 };
  } finally {
    [deferBodies, inserted, deadline] = [saved, savedInserted, savedDeadline];
  }
}

/** A deferred function body, converted on first read (nested functions deferred in turn). */
function deferredBlock(node: SyntaxNode | null, span: A.Span, columns: InsertedColumns | undefined): A.Stmt[] {
  const [saved, savedInserted, savedDeadline] = [deferBodies, inserted, deadline];
  deferBodies = true;
  inserted = columns;
  deadline = undefined;
  try {
    return block(node);
  } catch (e) {
    if (!(e instanceof PythonSyntaxError)) throw e;
    return [{ kind: "unsupported", span, what: `syntax error in the function body: ${e.message}` }];
  } finally {
    [deferBodies, inserted, deadline] = [saved, savedInserted, savedDeadline];
  }
}

function collectComments(node: SyntaxNode, out: Map<number, string>): void {
  // Comments are extras hanging off whatever node encloses them; the native search finds them all (a JS cursor walk is ~10x slower)
  for (const c of node.descendantsOfType("comment")) out.set(c.startPosition.row, commentText(c));
}

const commentText = (comment: SyntaxNode) => comment.text.replace(/^#/, "");

function convertStatements(nodes: SyntaxNode[]): A.Stmt[] {
  const out: A.Stmt[] = [];
  for (const n of nodes) out.push(...convertStatement(n));
  return out;
}

function block(node: SyntaxNode | null): A.Stmt[] {
  return node ? convertStatements(namedChildren(node)) : [];
}

function convertStatement(node: SyntaxNode): A.Stmt[] {
  const span = spanOf(node);
  switch (node.type) {
    case "expression_statement":
      return namedChildren(node).length === 1 ? [convertExpressionStatement(namedChildren(node)[0], span)] : [{ kind: "expr", span, value: tupleOf(namedChildren(node), span) }];
    case "return_statement": {
      const v = namedChildren(node)[0];
      return [{ kind: "return", span, value: v ? expr(v) : undefined }];
    }
    case "pass_statement":
      return [{ kind: "pass", span }];
    case "break_statement":
      return [{ kind: "break", span }];
    case "continue_statement":
      return [{ kind: "continue", span }];
    case "if_statement":
      return [convertIf(node)];
    case "for_statement":
      return [
        {
          kind: "for",
          span,
          target: target(requiredField(node, "left")),
          iter: expr(requiredField(node, "right")),
          body: block(field(node, "body")),
          orelse: elseBody(node),
        },
      ];
    case "while_statement":
      return [
        {
          kind: "while",
          span,
          test: expr(requiredField(node, "condition")),
          body: block(field(node, "body")),
          orelse: elseBody(node),
        },
      ];
    case "function_definition":
      return [convertFunction(node, [])];
    case "class_definition":
      return [convertClass(node, [])];
    case "decorated_definition": {
      const decorators = namedChildren(node)
        .filter((c) => c.type === "decorator")
        .map((d) => expr(namedChildren(d)[0]));
      const def = requiredField(node, "definition");
      return [def.type === "class_definition" ? convertClass(def, decorators, span) : convertFunction(def, decorators, span)];
    }
    case "import_statement":
      return [{ kind: "import", span, names: node.childrenForFieldName("name").map(importAlias) }];
    case "import_from_statement":
    case "future_import_statement":
      return [convertImportFrom(node)];
    case "raise_statement": {
      const v = namedChildren(node).find((c) => c !== field(node, "cause"));
      return [{ kind: "raise", span, exc: v ? expr(v) : undefined }];
    }
    case "assert_statement": {
      const [test, msg] = namedChildren(node);
      return [{ kind: "assert", span, test: expr(test), msg: msg ? expr(msg) : undefined }];
    }
    case "try_statement":
      return [convertTry(node)];
    case "with_statement":
      return [convertWith(node)];
    case "delete_statement": {
      const v = namedChildren(node)[0];
      const targets = v.type === "expression_list" ? namedChildren(v).map(expr) : [expr(v)];
      return [{ kind: "delete", span, targets }];
    }
    case "global_statement":
    case "nonlocal_statement":
      return [{ kind: node.type === "global_statement" ? "global" : "nonlocal", span, names: namedChildren(node).map((c) => c.text) }];
    case "print_statement":
    case "exec_statement":
      throw new PythonSyntaxError(`Python 2 syntax (${node.type.replace("_statement", "")} statement)`, span.line, span.col);
    default:
      return [{ kind: "unsupported", span, what: node.type }];
  }
}

function elseBody(node: SyntaxNode): A.Stmt[] {
  const alternative = field(node, "alternative");
  return alternative ? block(field(alternative, "body")) : [];
}

function convertExpressionStatement(node: SyntaxNode, span: A.Span): A.Stmt {
  if (node.type === "assignment") {
    const targets: A.Expr[] = [];
    let cur: SyntaxNode = node;
    // a = b = value: the grammar nests assignments to the right
    while (cur.type === "assignment") {
      const right = field(cur, "right");
      const annotation = field(cur, "type");
      if (annotation && targets.length === 0) {
        return { kind: "annassign", span, target: target(requiredField(cur, "left")), annotation: typeExpr(annotation), value: right ? expr(right) : undefined };
      }
      targets.push(target(requiredField(cur, "left")));
      if (!right) throw new PythonSyntaxError("assignment without value", span.line, span.col);
      cur = right;
    }
    return { kind: "assign", span, targets, value: expr(cur) };
  }
  if (node.type === "augmented_assignment") {
    const op = requiredField(node, "operator").type.slice(0, -1) as A.BinaryOperator;
    return { kind: "augassign", span, target: target(requiredField(node, "left")), op, value: expr(requiredField(node, "right")) };
  }
  return { kind: "expr", span, value: expr(node) };
}

function convertIf(node: SyntaxNode): A.IfStmt {
  const alternatives = node.childrenForFieldName("alternative");
  let orelse: A.Stmt[] = [];
  // elif chains become nested ifs, built from the last clause backwards
  for (let i = alternatives.length - 1; i >= 0; i--) {
    const alt = alternatives[i];
    if (alt.type === "else_clause") orelse = block(field(alt, "body"));
    else orelse = [{ kind: "if", span: spanOf(alt), test: expr(requiredField(alt, "condition")), body: block(field(alt, "consequence")), orelse }];
  }
  return { kind: "if", span: spanOf(node), test: expr(requiredField(node, "condition")), body: block(field(node, "consequence")), orelse };
}

function convertTry(node: SyntaxNode): A.TryStmt {
  const handlers: A.ExceptHandler[] = [];
  let orelse: A.Stmt[] = [];
  let finalbody: A.Stmt[] = [];
  for (const c of namedChildren(node)) {
    if (c.type === "except_clause" || c.type === "except_group_clause") {
      const values = c.childrenForFieldName("value");
      const alias = field(c, "alias");
      const body = namedChildren(c).find((x) => x.type === "block") ?? null;
      let type: A.Expr | undefined;
      let name: string | undefined = alias?.text;
      // older grammar shape: `except E as e` as an as_pattern
      if (values.length === 1 && values[0].type === "as_pattern") {
        const inner = namedChildren(values[0]);
        type = expr(inner[0]);
        name = inner[1]?.text;
      } else if (values.length > 0) {
        type = values.length === 1 ? expr(values[0]) : { kind: "tuple", span: spanOf(values[0]), elts: values.map(expr) };
      }
      handlers.push({ type, name, body: block(body), span: spanOf(c) });
    } else if (c.type === "else_clause") orelse = block(field(c, "body"));
    else if (c.type === "finally_clause") finalbody = block(namedChildren(c).find((x) => x.type === "block") ?? null);
  }
  return { kind: "try", span: spanOf(node), body: block(field(node, "body")), handlers, orelse, finalbody };
}

function convertWith(node: SyntaxNode): A.WithStmt {
  const clause = namedChildren(node).find((c) => c.type === "with_clause");
  const items = (clause ? namedChildren(clause) : []).map((item) => {
    const value = requiredField(item, "value");
    if (value.type === "as_pattern") {
      const [ctx, alias] = namedChildren(value);
      const aliasTarget = alias?.type === "as_pattern_target" ? namedChildren(alias)[0] : alias;
      return { context: expr(ctx), target: aliasTarget ? target(aliasTarget) : undefined };
    }
    return { context: expr(value) };
  });
  return { kind: "with", span: spanOf(node), items, body: block(field(node, "body")) };
}

function importAlias(node: SyntaxNode): A.ImportAlias {
  if (node.type === "aliased_import") return { name: requiredField(node, "name").text, asname: requiredField(node, "alias").text };
  return { name: node.text };
}

function convertImportFrom(node: SyntaxNode): A.ImportFromStmt {
  const span = spanOf(node);
  const moduleNode = field(node, "module_name");
  let module = "";
  let level = 0;
  if (node.type === "future_import_statement") module = "__future__";
  else if (moduleNode?.type === "relative_import") {
    for (const c of moduleNode.namedChildren) {
      if (c.type === "import_prefix") level = c.text.length;
      else if (c.type === "dotted_name") module = c.text;
    }
  } else if (moduleNode) module = moduleNode.text;
  const star = namedChildren(node).some((c) => c.type === "wildcard_import");
  return { kind: "importfrom", span, module, level, names: node.childrenForFieldName("name").map(importAlias), star };
}

function convertFunction(node: SyntaxNode, decorators: A.Expr[], outer?: A.Span): A.FunctionDef {
  const name = requiredField(node, "name");
  const bodyNode = field(node, "body");
  const span = outer ?? spanOf(node);
  const returns = field(node, "return_type");
  const def = {
    kind: "def" as const,
    span,
    name: name.text,
    nameSpan: spanOf(name),
    params: convertParameters(field(node, "parameters")),
    // the grammar wraps the annotation in a `type` node
    ...(returns ? { returns: typeExpr(returns) } : {}),
    decorators,
    isAsync: node.firstChild?.type === "async",
    docstring: docstringOf(bodyNode),
  };
  if (!deferBodies) return { ...def, body: block(bodyNode) };
  let body: A.Stmt[] | undefined;
  const columns = inserted;
  return {
    ...def,
    get body() {
      return (body ??= deferredBlock(bodyNode, span, columns));
    },
  };
}

function convertClass(node: SyntaxNode, decorators: A.Expr[], outer?: A.Span): A.ClassDef {
  const name = requiredField(node, "name");
  const { args, keywords } = convertArguments(field(node, "superclasses"));
  const bodyNode = field(node, "body");
  return { kind: "class", span: outer ?? spanOf(node), name: name.text, nameSpan: spanOf(name), bases: args, keywords, body: block(bodyNode), decorators, docstring: docstringOf(bodyNode) };
}

/** A body's docstring: a plain string literal as its first statement (an f-string is not one). */
function docstringOf(body: SyntaxNode | null): string | undefined {
  const first = body ? namedChildren(body)[0] : undefined;
  const literal = first?.type === "expression_statement" && first.namedChildCount === 1 ? first.namedChildren[0] : undefined;
  if (!literal || (literal.type !== "string" && literal.type !== "concatenated_string")) return undefined;
  const value = literal.type === "string" ? convertString(literal) : concatStrings(namedChildren(literal).map(convertString), spanOf(literal));
  return value.kind === "constant" && value.value.type === "str" ? value.value.value : undefined;
}

function convertParameters(node: SyntaxNode | null): A.Parameter[] {
  if (!node) return [];
  const params: A.Parameter[] = [];
  let kwonly = false;
  for (const p of namedChildren(node)) {
    const span = spanOf(p);
    const normal = kwonly ? "kwonly" : "normal";
    switch (p.type) {
      case "identifier":
        params.push({ name: p.text, kind: normal, span });
        break;
      case "typed_parameter": {
        const inner = namedChildren(p).find((c) => c !== field(p, "type"))!;
        if (inner.type === "list_splat_pattern") {
          params.push({ name: namedChildren(inner)[0].text, kind: "varargs", span });
          kwonly = true;
        } else if (inner.type === "dictionary_splat_pattern") params.push({ name: namedChildren(inner)[0].text, kind: "varkw", span });
        else params.push({ name: inner.text, kind: normal, span, ...annotationOf(p) });
        break;
      }
      case "default_parameter":
        params.push({ name: requiredField(p, "name").text, kind: normal, default: expr(requiredField(p, "value")), span });
        break;
      case "typed_default_parameter":
        params.push({ name: requiredField(p, "name").text, kind: normal, default: expr(requiredField(p, "value")), span, ...annotationOf(p) });
        break;
      case "list_splat_pattern":
        params.push({ name: namedChildren(p)[0].text, kind: "varargs", span });
        kwonly = true;
        break;
      case "dictionary_splat_pattern":
        params.push({ name: namedChildren(p)[0].text, kind: "varkw", span });
        break;
      case "keyword_separator":
        kwonly = true;
        break;
      case "positional_separator":
        for (let i = 0; i < params.length; i++) if (params[i].kind === "normal") params[i] = { ...params[i], kind: "posonly" };
        break;
      default:
        throw new PythonSyntaxError(`unexpected parameter syntax ${p.type}`, span.line, span.col);
    }
  }
  return params;
}

/** An annotation: the grammar wraps it in `type` nodes, and writes `X[A, B]` there as a generic type. */
function typeExpr(node: SyntaxNode): A.Expr {
  if (node.type === "type" && node.firstNamedChild) return typeExpr(node.firstNamedChild);
  if (node.type === "generic_type") {
    const [head, parameters] = namedChildren(node);
    const items = parameters ? namedChildren(parameters).map(typeExpr) : [];
    const span = spanOf(node);
    const index: A.Expr = items.length === 1 ? items[0] : { kind: "tuple", span: parameters ? spanOf(parameters) : span, elts: items };
    return { kind: "subscript", span, value: typeExpr(head), index };
  }
  if (node.type === "union_type") {
    const [left, right] = namedChildren(node);
    if (left && right) return { kind: "binop", span: spanOf(node), op: "|", left: typeExpr(left), right: typeExpr(right) };
  }
  return expr(node);
}

function annotationOf(p: SyntaxNode): { annotation?: A.Expr } {
  const type = field(p, "type");
  return type ? { annotation: typeExpr(type) } : {};
}

function convertArguments(node: SyntaxNode | null): { args: A.Expr[]; keywords: A.Keyword[] } {
  const args: A.Expr[] = [];
  const keywords: A.Keyword[] = [];
  if (!node) return { args, keywords };
  if (node.type === "generator_expression") return { args: [expr(node)], keywords };
  for (const a of namedChildren(node)) {
    if (a.type === "keyword_argument") keywords.push({ name: requiredField(a, "name").text, value: expr(requiredField(a, "value")), span: spanOf(a) });
    else if (a.type === "dictionary_splat") keywords.push({ value: expr(namedChildren(a)[0]), span: spanOf(a) });
    else args.push(expr(a));
  }
  return { args, keywords };
}

function tupleOf(nodes: SyntaxNode[], span: A.Span): A.Expr {
  return { kind: "tuple", span, elts: nodes.map(expr) };
}

/** Assignment targets use pattern nodes; they map onto the same expression shapes. */
function target(node: SyntaxNode): A.Expr {
  switch (node.type) {
    case "pattern_list":
    case "tuple_pattern":
      return { kind: "tuple", span: spanOf(node), elts: namedChildren(node).map(target) };
    case "list_pattern":
      return { kind: "list", span: spanOf(node), elts: namedChildren(node).map(target) };
    case "list_splat_pattern":
      return { kind: "starred", span: spanOf(node), value: target(namedChildren(node)[0]) };
    default:
      return expr(node);
  }
}

/**
 * tree-sitter reads `[*f()]` and `[*self.net.children()]` with the star on the primary
 * (`(*f)()`); Python's star takes the whole call, attribute or subscript: moved outside.
 */
function starOutside(base: A.Expr, span: A.Span, build: (base: A.Expr) => A.Expr): A.Expr {
  return base.kind === "starred" ? { kind: "starred", span, value: build(base.value), double: base.double } : build(base);
}

/**
 * How deeply expressions may nest. Python refuses far less (200 brackets, or a
 * RecursionError while compiling); past this the file is one note, not analysed,
 * whatever stack the host gives.
 */
export const maxExpressionDepth = 2_500;

/** An expression nested past maxExpressionDepth: a syntax error wherever the file is only imported. */
export class NestedTooDeeply extends PythonSyntaxError {}

let expressionDepth = 0;

/** the conversion's deadline (Date.now() time), read every 1,024 expressions: a 1 MB list of names takes seconds to convert */
let deadline: number | undefined;
let expressionsConverted = 0;

function expr(node: SyntaxNode): A.Expr {
  if (expressionDepth >= maxExpressionDepth) throw new NestedTooDeeply("nested too deeply to analyse", node.startPosition.row, node.startPosition.column);
  if (deadline !== undefined && (++expressionsConverted & 0x3ff) === 0 && Date.now() > deadline) throw new ReadingDeadlinePassed();
  expressionDepth++;
  try {
    return exprAt(node);
  } finally {
    expressionDepth--;
  }
}

function exprAt(node: SyntaxNode): A.Expr {
  const span = spanOf(node);
  switch (node.type) {
    case "identifier":
      return { kind: "name", span, id: node.text };
    case "integer":
      return { kind: "constant", span, value: { type: "int", value: parseInteger(node.text) } };
    case "float":
      return node.text.endsWith("j") || node.text.endsWith("J")
        ? { kind: "unsupported", span, what: "complex number" }
        : { kind: "constant", span, value: { type: "float", value: Number(node.text.replace(/_/g, "")) } };
    case "true":
    case "false":
      return { kind: "constant", span, value: { type: "bool", value: node.type === "true" } };
    case "none":
      return { kind: "constant", span, value: { type: "none" } };
    case "ellipsis":
      return { kind: "constant", span, value: { type: "ellipsis" } };
    case "string":
      return convertString(node);
    case "concatenated_string":
      return concatStrings(namedChildren(node).map(convertString), span);
    case "attribute": {
      const attr = requiredField(node, "attribute");
      return starOutside(expr(requiredField(node, "object")), span, (value) => ({ kind: "attribute", span, value, attr: attr.text, attrSpan: spanOf(attr) }));
    }
    case "subscript": {
      const parts = node.childrenForFieldName("subscript").map(expr);
      const index = parts.length === 1 ? parts[0] : ({ kind: "tuple", span, elts: parts } as A.Expr);
      return starOutside(expr(requiredField(node, "value")), span, (value) => ({ kind: "subscript", span, value, index }));
    }
    case "slice":
      return convertSlice(node);
    case "call": {
      const { args, keywords } = convertArguments(field(node, "arguments"));
      return starOutside(expr(requiredField(node, "function")), span, (func) => ({ kind: "call", span, func, args, keywords }));
    }
    case "binary_operator":
      return { kind: "binop", span, op: requiredField(node, "operator").type as A.BinaryOperator, left: expr(requiredField(node, "left")), right: expr(requiredField(node, "right")) };
    case "unary_operator":
      return { kind: "unary", span, op: requiredField(node, "operator").type as "-" | "+" | "~", operand: expr(requiredField(node, "argument")) };
    case "not_operator":
      return { kind: "unary", span, op: "not", operand: expr(requiredField(node, "argument")) };
    case "boolean_operator":
      return { kind: "boolop", span, op: requiredField(node, "operator").type as "and" | "or", left: expr(requiredField(node, "left")), right: expr(requiredField(node, "right")) };
    case "comparison_operator":
      return convertComparison(node);
    case "conditional_expression": {
      const [body, test, orelse] = namedChildren(node);
      return { kind: "ifexp", span, body: expr(body), test: expr(test), orelse: expr(orelse) };
    }
    case "lambda":
      return { kind: "lambda", span, params: convertParameters(field(node, "parameters")), body: expr(requiredField(node, "body")) };
    case "list":
    case "set":
    case "tuple":
      return { kind: node.type, span, elts: namedChildren(node).map(expr) };
    case "expression_list":
    case "pattern_list":
    case "tuple_pattern":
      return { kind: "tuple", span, elts: namedChildren(node).map(expr) };
    case "list_pattern":
      return { kind: "list", span, elts: namedChildren(node).map(expr) };
    case "parenthesized_expression": {
      const inner = namedChildren(node);
      return inner.length === 1 ? expr(inner[0]) : { kind: "unsupported", span, what: "parenthesized expression" };
    }
    case "dictionary":
      return {
        kind: "dict",
        span,
        entries: namedChildren(node).map((c) =>
          c.type === "pair" ? { key: expr(requiredField(c, "key")), value: expr(requiredField(c, "value")) } : { value: expr(namedChildren(c)[0]) },
        ),
      };
    case "list_comprehension":
    case "set_comprehension":
    case "generator_expression":
    case "dictionary_comprehension":
      return convertComprehension(node);
    case "list_splat":
    case "list_splat_pattern":
      return { kind: "starred", span, value: expr(namedChildren(node)[0]) };
    case "dictionary_splat":
      return { kind: "starred", span, value: expr(namedChildren(node)[0]), double: true };
    case "named_expression":
      return { kind: "walrus", span, target: requiredField(node, "name").text, value: expr(requiredField(node, "value")) };
    case "keyword_argument":
      // only reachable through malformed calls; keep going
      return { kind: "unsupported", span, what: "keyword argument" };
    default:
      return { kind: "unsupported", span, what: node.type };
  }
}

function parseInteger(text: string): number {
  const t = text.replace(/_/g, "").toLowerCase().replace(/l$/, "");
  if (t.startsWith("0x")) return parseInt(t.slice(2), 16);
  if (t.startsWith("0o")) return parseInt(t.slice(2), 8);
  if (t.startsWith("0b")) return parseInt(t.slice(2), 2);
  return Number(t);
}

function convertSlice(node: SyntaxNode): A.SliceExpr {
  // Children are expressions separated by ':' tokens; position decides lower/upper/step.
  const parts: (A.Expr | undefined)[] = [undefined];
  for (const c of node.children) {
    if (c.type === ":") parts.push(undefined);
    else if (c.isNamed && c.type !== "comment") parts[parts.length - 1] = expr(c);
  }
  return { kind: "slice", span: spanOf(node), lower: parts[0], upper: parts[1], step: parts[2] };
}

function convertComparison(node: SyntaxNode): A.CompareExpr {
  const operands = namedChildren(node).map(expr);
  const ops = node.childrenForFieldName("operators").map((o) => (o.type === "<>" ? "!=" : o.type) as A.CompareOperator);
  return { kind: "compare", span: spanOf(node), left: operands[0], ops, comparators: operands.slice(1) };
}

function convertComprehension(node: SyntaxNode): A.ComprehensionExpr {
  const span = spanOf(node);
  const generators: { target: A.Expr; iter: A.Expr; ifs: A.Expr[] }[] = [];
  for (const c of namedChildren(node)) {
    if (c.type === "for_in_clause") {
      const rights = c.childrenForFieldName("right").filter((r) => r.isNamed);
      const iter = rights.length === 1 ? expr(rights[0]) : ({ kind: "tuple", span: spanOf(c), elts: rights.map(expr) } as A.Expr);
      generators.push({ target: target(requiredField(c, "left")), iter, ifs: [] });
    } else if (c.type === "if_clause") generators[generators.length - 1]?.ifs.push(expr(namedChildren(c)[0]));
  }
  const body = requiredField(node, "body");
  const kinds: Record<string, A.ComprehensionExpr["kind"]> = {
    list_comprehension: "listcomp",
    set_comprehension: "setcomp",
    generator_expression: "genexp",
    dictionary_comprehension: "dictcomp",
  };
  if (node.type === "dictionary_comprehension")
    return { kind: "dictcomp", span, elt: expr(requiredField(body, "key")), value: expr(requiredField(body, "value")), generators };
  return { kind: kinds[node.type], span, elt: expr(body), generators };
}

function convertString(node: SyntaxNode): A.Expr {
  const span = spanOf(node);
  // a plain literal (no f prefix) is read from its text: no walk over its children
  const text = node.text;
  const plain = /^([a-zA-Z]*)('''|"""|'|")/.exec(text);
  if (plain && !/f/i.test(plain[1]) && text.endsWith(plain[2]) && text.length >= plain[0].length + plain[2].length) {
    const body = text.slice(plain[0].length, text.length - plain[2].length);
    return { kind: "constant", span, value: { type: "str", value: /r/i.test(plain[1]) ? body : unescape(body, false) } };
  }
  const start = node.children.find((c) => c.type === "string_start")?.text ?? '"';
  const prefix = start.replace(/['"]/g, "").toLowerCase();
  const raw = prefix.includes("r");
  const isF = prefix.includes("f");
  const parts: (string | { expr: A.Expr; conversion?: string; format?: string })[] = [];
  for (const c of node.namedChildren) {
    if (c.type === "string_content") parts.push(raw ? c.text : unescape(c.text, isF));
    else if (c.type === "interpolation") {
      const e = requiredField(c, "expression");
      const conv = field(c, "type_conversion")?.text.replace("!", "");
      const fmt = field(c, "format_specifier")?.text.replace(/^:/, "");
      parts.push({ expr: expr(e), conversion: conv, format: fmt });
    }
  }
  if (!isF) return { kind: "constant", span, value: { type: "str", value: parts.join("") } };
  return { kind: "fstring", span, parts };
}

function concatStrings(pieces: A.Expr[], span: A.Span): A.Expr {
  const parts: A.FStringExpr["parts"][number][] = [];
  for (const p of pieces) {
    if (p.kind === "constant" && p.value.type === "str") parts.push(p.value.value);
    else if (p.kind === "fstring") parts.push(...p.parts);
  }
  if (parts.every((p) => typeof p === "string")) return { kind: "constant", span, value: { type: "str", value: parts.join("") } };
  return { kind: "fstring", span, parts };
}

const simpleEscapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0", a: "\x07", b: "\b", f: "\f", v: "\v", "\n": "" };

function unescape(text: string, fstring: boolean): string {
  let s = text.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\s\S])/g, (m, e: string) => {
    if (e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
    return simpleEscapes[e] ?? m;
  });
  if (fstring) s = s.replace(/\{\{/g, "{").replace(/\}\}/g, "}");
  return s;
}

/** The first syntax error of a tree, if any: tree-sitter recovers, we refuse. */
export function firstSyntaxError(root: SyntaxNode): { line: number; col: number; text: string } | undefined {
  if (!root.hasError) return undefined;
  const cursor = root.walk();
  for (;;) {
    const n = cursor.currentNode;
    if (n.type === "ERROR" || n.isMissing) return { line: n.startPosition.row, col: n.startPosition.column, text: n.isMissing ? `missing ${n.type}` : n.text.split("\n")[0].slice(0, 40) };
    if (n.hasError && cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return { line: root.startPosition.row, col: 0, text: "" };
    }
  }
}
