// What Python's compiler refuses but tree-sitter's grammar accepts without an ERROR
// node: indentation that matches no block, empty bodies, `f(,)`, a positional
// argument after a keyword one, parameters out of order or twice, leading zeros,
// `return` outside a function, `break` outside a loop, `x as y` as a statement.
// Analysing such a file would describe a program Python never runs, so each is a
// syntax error at its place, worded as Python words it.
import type { SyntaxNode } from "tree-sitter";
import { ReadingDeadlinePassed } from "./readingDeadline.js";
import { StatementReuse } from "./statementReuse.js";

export interface CompileRuleViolation {
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

class Violation extends Error {
  constructor(
    readonly at: CompileRuleViolation,
  ) {
    super(at.message);
  }
}

function fail(node: SyntaxNode, message: string, at = node.startPosition): never {
  throw new Violation({ line: at.row, col: at.column, message });
}

/**
 * The first place of the tree that Python's compiler refuses, or undefined; past `deadline` (Date.now() time),
 * ReadingDeadlinePassed. `checked`: an editor's document's top-level statements found clean in its previous text,
 * which every rule here would find clean again (each rule reads its statement's own nodes and rows), so only what
 * an edit changed is walked.
 */
export function firstCompileRuleViolation(root: SyntaxNode, source: string, deadline?: number, checked?: StatementReuse<true>): CompileRuleViolation | undefined {
  const lines = new SourceLines(source);
  try {
    checkIndentation(root, lines);
    // one native walk for every kind of node a rule looks at (a walk per kind cost more than
    // parsing); the rules on every integer and every bracket only where the text has a candidate
    const types = [...alwaysWatched];
    if (leadingZeroCandidate.test(source) || underscoreCandidate.test(source)) types.push("integer");
    if (underscoreCandidate.test(source)) types.push("float");
    if (loneCommaCandidate.test(source)) types.push(...commaWatched);
    let visited = 0;
    const walk = (node: SyntaxNode) => {
      for (const n of node.descendantsOfType(types)) {
        if (deadline !== undefined && (++visited & 0xff) === 0 && Date.now() > deadline) throw new ReadingDeadlinePassed();
        ruleFor[n.type](n, lines);
      }
    };
    if (!checked) walk(root);
    else {
      for (const statement of statementsOf(root)) {
        const key = lines.statementKey(statement);
        if (checked.take(key)) continue;
        walk(statement);
        checked.put(key, true);
      }
    }
  } catch (e) {
    if (e instanceof Violation) return e.at;
    throw e;
  } finally {
    checked?.finish();
  }
  return undefined;
}

const ruleFor: Record<string, (n: SyntaxNode, lines: SourceLines) => void> = {
  block: checkBlock,
  if_statement: checkClauses,
  for_statement: checkClauses,
  while_statement: checkClauses,
  try_statement: checkClauses,
  keyword_argument: checkKeywordArgument,
  dictionary_splat: checkAfterKeyword,
  parameters: checkParameters,
  lambda_parameters: checkParameters,
  yield: checkInsideFunction,
  break_statement: checkInsideLoop,
  continue_statement: checkInsideLoop,
  import_from_statement: checkImportFrom,
  as_pattern: checkAsPattern,
  for_in_clause: checkComprehensionSource,
  list_splat: checkStarred,
  list_splat_pattern: checkStarredTarget,
  assignment: checkAssignment,
  augmented_assignment: checkAugmentedAssignment,
  constrained_type: checkConstrainedType,
  float: checkDecimalUnderscores,
  expression_statement: checkOneLine,
  return_statement: checkOneLineAndInsideFunction,
  delete_statement: checkOneLine,
  raise_statement: checkOneLine,
  assert_statement: checkOneLine,
  import_statement: checkOneLine,
  integer: checkInteger,
  argument_list: checkCommas,
  list: checkCommas,
  set: checkCommas,
  dictionary: checkCommas,
  tuple: checkCommas,
  subscript: checkCommas,
};
const commaWatched = ["argument_list", "list", "set", "dictionary", "tuple", "subscript"];
const alwaysWatched = Object.keys(ruleFor).filter((t) => t !== "integer" && t !== "float" && !commaWatched.includes(t));
/** an underscore after a digit and before anything but a digit, or doubled */
const underscoreCandidate = /\d_(?![0-9])/;
/** a digit run that starts with 0 and has another digit after it, not inside a name or after a point */
const leadingZeroCandidate = /(?<![\w.])0[0-9_]*[1-9]/;
/** a comma right after an opening bracket or another comma */
const loneCommaCandidate = /[([{,][ \t\r\n\\]*,/;

/** The text of each row, and how far a row is indented when that is plain to see. */
class SourceLines {
  private readonly rows: string[];
  constructor(source: string) {
    this.rows = source.split("\n");
  }

  /** The row's indentation in spaces; undefined when tabs, form feeds or a line continuation make it a matter of Python's finer rules. */
  indentation(row: number): number | undefined {
    const text = this.rows[row] ?? "";
    const lead = /^[ \t\f]*/.exec(text)![0];
    if (lead.includes("\t") || lead.includes("\f")) return undefined;
    if (row > 0 && /\\\r?$/.test(this.rows[row - 1] ?? "")) return undefined;
    return lead.length;
  }

  /** Where the first token after a position stands (comments are no tokens); at the end of the file, its last line, as Python places the fault. */
  nextTokenAfter(at: { row: number; column: number }): { row: number; column: number } {
    for (let row = at.row; row < this.rows.length; row++) {
      const text = row === at.row ? Buffer.from(this.rows[row]).subarray(at.column).toString() : this.rows[row];
      const rest = text.trimStart();
      if (rest !== "" && !rest.startsWith("#")) return { row, column: row === at.row ? at.column : text.length - rest.length };
    }
    let last = this.rows.length - 1;
    while (last > 0 && this.rows[last].trim() === "") last--;
    return { row: last, column: 0 };
  }

  /**
   * Python's word for a row indented where no block stands: deeper than the line before,
   * an unexpected indent; shallower (a dedent), an unindent matching no outer level.
   */
  misindented(row: number, indent: number): string {
    for (let r = row - 1; r >= 0; r--) {
      const text = this.rows[r];
      const rest = text.trimStart();
      if (rest === "" || rest.startsWith("#")) continue;
      return text.length - rest.length > indent ? "unindent does not match any outer indentation level" : "unexpected indent";
    }
    return "unexpected indent";
  }

  /**
   * A top-level statement's key among its document's texts (statementReuse.ts): its place and text, and whether
   * the row before ends in a backslash, which makes its indentation a matter the rules leave alone.
   */
  statementKey(statement: SyntaxNode): string {
    const { row, column } = statement.startPosition;
    const continued = row > 0 && /\\\r?$/.test(this.rows[row - 1] ?? "");
    return StatementReuse.key(row, column, continued ? "continued" : "", statement.text);
  }

  /** The row's length in UTF-16 units (where Python places a fault at the line's end). */
  length(row: number): number {
    return (this.rows[row] ?? "").replace(/\r$/, "").length;
  }

  /** Whether the node is the first thing on its row (not after a `;` or a colon). */
  leadsRow(node: SyntaxNode): boolean {
    const { row, column } = node.startPosition;
    const text = this.rows[row] ?? "";
    const lead = /^[ \t\f]*/.exec(text)![0];
    // columns count bytes: a row that leads with plain whitespace has as many bytes as characters there
    return column === Buffer.byteLength(lead);
  }
}

/** Named children other than comments and backslash continuations. */
function statementsOf(node: SyntaxNode): SyntaxNode[] {
  return node.namedChildren.filter((c) => c.type !== "comment" && c.type !== "line_continuation");
}

/** Module statements start at the left edge. */
function checkIndentation(root: SyntaxNode, lines: SourceLines): void {
  for (const s of statementsOf(root)) {
    if (!lines.leadsRow(s)) continue;
    const indent = lines.indentation(s.startPosition.row);
    if (indent !== undefined && indent > 0) fail(s, lines.misindented(s.startPosition.row, indent));
  }
}

const headerNames: Record<string, string> = {
  function_definition: "function definition",
  class_definition: "class definition",
  if_statement: "'if' statement",
  elif_clause: "'elif' statement",
  else_clause: "'else' statement",
  for_statement: "'for' statement",
  while_statement: "'while' statement",
  try_statement: "'try' statement",
  except_clause: "'except' statement",
  except_group_clause: "'except*' statement",
  finally_clause: "'finally' statement",
  with_statement: "'with' statement",
  case_clause: "'case' statement",
};

/** A block's statements: at least one, on the header's line or each indented alike, deeper than the header. */
function checkBlock(block: SyntaxNode, lines: SourceLines): void {
  const header = block.parent;
  if (!header) return;
  const headerRow = header.startPosition.row;
  const statements = statementsOf(block);
  // a body begun on the header's line (`if x: a`) takes no indented lines after it
  const sameLineBody = statements.length > 0 && !lines.leadsRow(statements[0]);
  const expected = () => `expected an indented block after ${headerNames[header.type] ?? `'${header.type}'`} on line ${headerRow + 1}`;
  if (statements.length === 0) fail(header, expected(), lines.nextTokenAfter(header.endPosition));
  const headerIndent = lines.indentation(headerRow);
  let level: number | undefined;
  for (const s of statements) {
    if (!lines.leadsRow(s)) continue;
    const indent = lines.indentation(s.startPosition.row);
    if (indent === undefined || headerIndent === undefined) return;
    if (sameLineBody) fail(s, "unexpected indent");
    if (level === undefined) {
      if (indent <= headerIndent) fail(s, expected());
      level = indent;
    } else if (indent !== level) fail(s, lines.misindented(s.startPosition.row, indent));
  }
}

/** elif, else, except and finally stand where their statement's keyword stands. */
function checkClauses(statement: SyntaxNode, lines: SourceLines): void {
  const indent = lines.indentation(statement.startPosition.row);
  if (indent === undefined || !lines.leadsRow(statement)) return;
  for (const c of statement.namedChildren) {
    if (!/_clause$/.test(c.type) || !lines.leadsRow(c)) continue;
    const own = lines.indentation(c.startPosition.row);
    if (own !== undefined && own !== indent) fail(c, lines.misindented(c.startPosition.row, own));
  }
  if (statement.type === "try_statement" && !statement.namedChildren.some((c) => /^(except|except_group|finally)_clause$/.test(c.type))) {
    fail(statement, "expected 'except' or 'finally' block", lines.nextTokenAfter(statement.endPosition));
  }
}

function checkInteger(n: SyntaxNode): void {
  if (/^0[0-9_]*[1-9][0-9_]*$/.test(n.text)) fail(n, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
  checkDecimalUnderscores(n);
}

/** In a decimal literal an underscore stands between two digits only (`1_000`; not `1_`, `1_e9`, `1._5`). */
function checkDecimalUnderscores(n: SyntaxNode): void {
  const text = n.text;
  if (/^0[xXoObB]/.test(text) || !text.includes("_")) return;
  if (/_(?![0-9])|(?<![0-9])_/.test(text)) fail(n, "invalid decimal literal");
}

function checkKeywordArgument(n: SyntaxNode): void {
  checkAfterKeyword(n);
  if (n.parent?.type !== "argument_list") return;
  const name = n.childForFieldName("name")?.text;
  for (let a = n.previousNamedSibling; a; a = a.previousNamedSibling) {
    if (a.type === "keyword_argument" && a.childForFieldName("name")?.text === name) fail(n, `keyword argument repeated: ${name}`);
  }
}

/**
 * An annotation belongs to a statement's single target: not to a target in a chain of
 * assignments (`x = y: int = 1`), to a tuple, or inside an augmented assignment's value.
 */
function checkAssignment(n: SyntaxNode): void {
  const parent = n.parent;
  const annotated = (a: SyntaxNode) => a.childForFieldName("type") !== null;
  if (parent?.type === "augmented_assignment") fail(n, "invalid syntax");
  if (parent?.type === "assignment" && (annotated(n) || annotated(parent))) fail(n, "invalid syntax");
  if (!annotated(n)) return;
  const left = n.childForFieldName("left");
  // `(a): int = 1` is one target in parentheses; a comma makes a tuple
  if ((left?.type === "pattern_list" || left?.type === "tuple_pattern") && left.children.some((c) => c.type === ",")) fail(left, "only single target (not tuple) can be annotated");
  if (left?.type === "list_pattern") fail(left, "only single target (not list) can be annotated");
}

/** An augmented assignment is a statement of its own, never the value of another assignment (`a = b += c`, `x += y += 1`). */
function checkAugmentedAssignment(n: SyntaxNode): void {
  const parent = n.parent?.type;
  if (parent === "assignment" || parent === "augmented_assignment") fail(n, "invalid syntax", n.childForFieldName("operator")?.startPosition);
}

/** `T: bound` is a type parameter's (Python 3.12's `def f[T: int]`); an annotation has no colon of its own (`q: A: k: B`). */
function checkConstrainedType(n: SyntaxNode): void {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === "type_parameter") return;
    if (p.type.endsWith("statement") || p.type === "function_definition" || p.type === "class_definition" || p.type === "module") break;
  }
  fail(n, "invalid syntax");
}

/** A comma with nothing before it (`f(,)`, `{,}`, `[1,,2]`). */
function checkCommas(n: SyntaxNode): void {
  let previous: string | undefined;
  for (const c of n.children) {
    if (c.type === "comment") continue;
    if (c.type === "," && (previous === undefined || previous === "," || previous === "(" || previous === "[" || previous === "{")) fail(c, "invalid syntax");
    previous = c.type;
  }
}

/**
 * After the last keyword of a run of keyword arguments (or a `**mapping`), Python takes no
 * positional argument, and after `**` no `*iterable` either.
 */
function checkAfterKeyword(n: SyntaxNode): void {
  if (n.parent?.type !== "argument_list") return;
  const next = nextArgument(n);
  // a run is checked once, from its last keyword
  if (next && (next.type === "keyword_argument" || next.type === "dictionary_splat")) return;
  let doubleStar = n.type === "dictionary_splat";
  for (let a = next; a; a = nextArgument(a)) {
    if (a.type === "dictionary_splat") doubleStar = true;
    else if (a.type === "keyword_argument") continue;
    else if (a.type === "list_splat") {
      if (doubleStar) fail(a, "iterable argument unpacking follows keyword argument unpacking");
    } else fail(a, doubleStar ? "positional argument follows keyword argument unpacking" : "positional argument follows keyword argument");
  }
}

function nextArgument(n: SyntaxNode): SyntaxNode | null {
  let a = n.nextNamedSibling;
  while (a && (a.type === "comment" || a.type === "line_continuation")) a = a.nextNamedSibling;
  return a;
}

function parameterName(p: SyntaxNode): SyntaxNode | undefined {
  switch (p.type) {
    case "identifier":
      return p;
    case "default_parameter":
    case "typed_default_parameter":
      return p.childForFieldName("name") ?? undefined;
    case "typed_parameter": {
      const inner = p.namedChildren.find((c) => c.type !== "type");
      return inner && inner.type !== "identifier" ? parameterName(inner) : inner;
    }
    case "list_splat_pattern":
    case "dictionary_splat_pattern":
      return p.namedChildren.find((c) => c.type === "identifier");
    default:
      return undefined;
  }
}

/** Python's order: plain, then with defaults, `*` or `*args`, keyword-only, `**kwargs` last; each name once. */
function checkParameters(n: SyntaxNode): void {
  const seen = new Set<string>();
  let defaulted = false;
  let star: SyntaxNode | undefined;
  let starNamed = false;
  let doubleStar = false;
  const parameters = statementsOf(n);
  // a bare * takes a named parameter right after it
  const namedAfter = (star: SyntaxNode) => {
    const next = parameters[parameters.indexOf(star) + 1];
    return next !== undefined && (next.type === "identifier" || next.type.endsWith("parameter"));
  };
  for (const p of parameters) {
    if (doubleStar) fail(p, "arguments cannot follow var-keyword argument");
    const name = parameterName(p);
    if (name) {
      if (seen.has(name.text)) fail(name, `duplicate argument '${name.text}' in function definition`);
      seen.add(name.text);
    }
    const splat = p.type === "list_splat_pattern" || (p.type === "typed_parameter" && p.namedChildren.some((c) => c.type === "list_splat_pattern"));
    const doubleSplat = p.type === "dictionary_splat_pattern" || (p.type === "typed_parameter" && p.namedChildren.some((c) => c.type === "dictionary_splat_pattern"));
    if (p.type === "keyword_separator" || splat) {
      if (star) fail(p, "* argument may appear only once");
      star = p;
      starNamed = splat;
    } else if (doubleSplat) {
      if (star && !starNamed && !namedAfter(star)) fail(star, "named arguments must follow bare *");
      doubleStar = true;
    } else if (p.type === "default_parameter" || p.type === "typed_default_parameter") defaulted = true;
    else if ((p.type === "identifier" || p.type === "typed_parameter") && defaulted && !star) fail(p, "non-default argument follows default argument");
  }
  if (star && !starNamed && !doubleStar && !namedAfter(star)) fail(star, "named arguments must follow bare *");
}

function checkInsideFunction(n: SyntaxNode): void {
  const word = n.type === "yield" ? "yield" : "return";
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === "function_definition" || (word === "yield" && p.type === "lambda")) return;
    if (p.type === "class_definition" || p.type === "module") fail(n, `'${word}' outside function`);
  }
}

function checkInsideLoop(n: SyntaxNode): void {
  const refusal = n.type === "break_statement" ? "'break' outside loop" : "'continue' not properly in loop";
  let from: SyntaxNode = n;
  for (let p = n.parent; p; from = p, p = p.parent) {
    // inside the loop's body, not its else clause
    const body = p.childForFieldName("body");
    if ((p.type === "for_statement" || p.type === "while_statement") && body && body.startIndex === from.startIndex && body.endIndex === from.endIndex) return;
    if (p.type === "function_definition" || p.type === "class_definition" || p.type === "module") fail(n, refusal);
  }
}

function checkImportFrom(n: SyntaxNode, lines: SourceLines): void {
  const tokens = n.children.filter((c) => c.type !== "comment");
  if (tokens[tokens.length - 1]?.type === "," && !tokens.some((c) => c.type === "(")) fail(tokens[tokens.length - 1], "trailing comma not allowed without surrounding parentheses");
  // what is imported from a module is a name, never a dotted path (`from typing import Callable. List`)
  for (const imported of n.childrenForFieldName("name")) {
    const name = imported.type === "aliased_import" ? imported.childForFieldName("name") : imported;
    if (name?.type === "dotted_name" && name.namedChildren.filter((c) => c.type === "identifier").length > 1) fail(name, "invalid syntax");
  }
  checkOneLine(n, lines);
}

function checkOneLineAndInsideFunction(n: SyntaxNode, lines: SourceLines): void {
  checkInsideFunction(n);
  checkOneLine(n, lines);
}

/**
 * A simple statement ends at its line's end, unless a bracket is open or a backslash
 * continues it; tree-sitter reads on (`self.k =` and the next line's `k = self.k(x)` as one
 * assignment, `seelf.fused:` and the indented line under it as an annotation).
 */
function checkOneLine(n: SyntaxNode, lines: SourceLines): void {
  if (n.startPosition.row === n.endPosition.row) return;
  const text = n.text;
  let depth = 0;
  let row = n.startPosition.row;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") {
      const continued = text[i - 1] === "\\" || (text[i - 1] === "\r" && text[i - 2] === "\\");
      if (depth <= 0 && !continued) fail(n, "invalid syntax", { row, column: lines.length(row) });
      row++;
    } else if (c === "#") {
      const eol = text.indexOf("\n", i);
      if (eol === -1) break;
      i = eol - 1;
    } else if (c === "'" || c === '"') {
      const end = stringEnd(text, i);
      for (let j = i; j < end; j++) if (text[j] === "\n") row++;
      i = end - 1;
    } else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
  }
}

/** The offset after the string literal that opens at `i` (single or triple quoted). */
function stringEnd(text: string, i: number): number {
  const quote = text[i];
  const close = text.startsWith(quote.repeat(3), i) ? quote.repeat(3) : quote;
  for (let j = i + close.length; j < text.length; j++) {
    if (text[j] === "\\") j++;
    else if (close.length === 1 && text[j] === "\n") return j;
    else if (text.startsWith(close, j)) return j + close.length;
  }
  return text.length;
}

/**
 * `*x` stands only among the items of a tuple, a list, a set, a call's arguments or a
 * subscript; tree-sitter takes it as a whole statement, a value, an operand or a
 * comprehension's element too.
 */
function checkStarred(starred: SyntaxNode): void {
  // tree-sitter binds `*f(x)`, `*a.b`, `*a[0]` as a call, an attribute, a subscript of `*f`; Python stars the whole
  let n = starred;
  while (n.parent && (n.parent.type === "call" || n.parent.type === "attribute" || n.parent.type === "subscript") && n.parent.startIndex === n.startIndex) n = n.parent;
  const parent = n.parent;
  // `(*a)`: parentheses make a tuple only with a comma
  if (parent?.type === "tuple" && !parent.children.some((c) => c.type === ",")) fail(n, "cannot use starred expression here");
  if (!parent || starredHomes.has(parent.type)) return;
  const isField = (name: string) => parent.childForFieldName(name)?.startIndex === n.startIndex;
  if (parent.type === "expression_statement" || parent.type === "return_statement" || parent.type === "yield" || ((parent.type === "assignment" || parent.type === "augmented_assignment") && isField("right"))) fail(n, "can't use starred expression here");
  if (parent.type === "assignment" && isField("left")) fail(n, "starred assignment target must be in a list or tuple");
  if (parent.type === "parenthesized_expression") fail(n, "cannot use starred expression here");
  if (parent.type === "delete_statement") fail(n, "cannot delete starred");
  if (comprehensions.has(parent.type) && isField("body")) fail(n, "iterable unpacking cannot be used in comprehension");
  fail(n, "invalid syntax");
}

/** `*a = b`, `for *a in b`: a starred target stands only among a tuple's or a list's. */
function checkStarredTarget(n: SyntaxNode): void {
  const parent = n.parent;
  if ((parent?.type === "assignment" || parent?.type === "for_statement" || parent?.type === "for_in_clause") && parent.childForFieldName("left")?.startIndex === n.startIndex) fail(n, "starred assignment target must be in a list or tuple");
}

const starredHomes = new Set(["expression_list", "tuple", "list", "set", "argument_list", "subscript", "type", "pattern_list", "tuple_pattern", "list_pattern"]);
const comprehensions = new Set(["list_comprehension", "set_comprehension", "generator_expression"]);

/** `x as y` belongs to with, except and case; tree-sitter also takes it as an expression. */
function checkAsPattern(n: SyntaxNode): void {
  for (let p = n.parent; p; p = p.parent) if (asPatternHomes.has(p.type)) return;
  fail(n, "invalid syntax");
}

const asPatternHomes = new Set(["with_clause", "with_item", "except_clause", "except_group_clause", "case_clause"]);

/** `[x for x in a, b]`: Python wants the tuple in parentheses; `f(x for x in a, b)` is a generator beside another argument. */
function checkComprehensionSource(n: SyntaxNode): void {
  const sources = n.childrenForFieldName("right").filter((r) => r.isNamed && r.type !== "comment");
  if (sources.length < 2) return;
  const generator = n.parent;
  if (generator?.type === "generator_expression" && generator.parent?.type === "call" && generator.parent.childForFieldName("arguments")?.startIndex === generator.startIndex) fail(generator, "Generator expression must be parenthesized");
  fail(sources[1], "invalid syntax");
}
