// Parse Python source with tree-sitter and convert it to the typed tree of ast.ts.
import type Parser from "tree-sitter";
import type { Expr, PyModule } from "./ast.js";
import { firstCompileRuleViolation } from "./compileRules.js";
import { loadTreeSitter } from "./leanTreeSitter.js";
import { convertModule, firstSyntaxError, PythonSyntaxError, type ConvertOptions } from "./toAst.js";
import { repairStarredTuples, type InsertedColumns } from "./starredTuples.js";
import { ReadingDeadlinePassed } from "./readingDeadline.js";
import type { StatementReuse } from "./statementReuse.js";

let sharedParser: Parser | undefined;

/**
 * One parser for the process: creating one loads the grammar. tree-sitter is loaded
 * here, when something is first parsed, not when the CLI starts: a run whose files all
 * come from the syntax cache (src/analysis/syntaxCache.ts) never loads it, which saves
 * a fifth of node's own start.
 */
export function treeSitterParser(): Parser {
  if (!sharedParser) {
    const { TreeSitter, python } = loadTreeSitter();
    sharedParser = new TreeSitter();
    sharedParser.setLanguage(python);
  }
  return sharedParser;
}

/**
 * Parse a text; with a deadline (Date.now() time), tree-sitter stops there and ReadingDeadlinePassed is raised.
 * `previous`: the tree of an earlier text with the edit between them applied (editedDocumentParser.ts).
 */
export function parseTree(source: string, deadline?: number, previous?: Parser.Tree): Parser.Tree {
  const parser = treeSitterParser();
  // The native binding reads long sources through a callback in chunks; a string works up to its buffer size.
  const input = (index: number) => source.slice(index, index + 16384);
  if (deadline === undefined) return parser.parse(input, previous ?? null);
  const tree = parser.parse(input, previous ?? null, { progressCallback: () => Date.now() > deadline });
  if (!tree) {
    // a halted parse would resume on the next text otherwise
    parser.reset();
    throw new ReadingDeadlinePassed();
  }
  return tree;
}

export interface ParseOptions extends ConvertOptions {
  /**
   * Check what Python's compiler refuses and tree-sitter takes (compileRules.ts); on by
   * default. An imported library module skips it: the check walks the whole tree,
   * which costs about as much as parsing, and its function bodies are mostly never read.
   */
  readonly compileRules?: boolean;
}

/** A file's parse: the tree, the text it was made from, and the characters a repair inserted there (starredTuples.ts). */
export interface ParsedText {
  readonly tree: Parser.Tree;
  readonly source: string;
  readonly inserted?: InsertedColumns;
}

/**
 * Parse a file's text, with the repairs of tree-sitter's refusals of valid Python (starredTuples.ts); a deadline as
 * parseTree's. `parseFirst` parses the text as it is: an editor's document from its previous tree (editedDocumentParser.ts).
 */
export function parseText(source: string, deadline?: number, parseFirst: (text: string) => Parser.Tree = (text) => parseTree(text, deadline)): ParsedText {
  const tree = parseFirst(source);
  if (!tree.rootNode.hasError) return { tree, source };
  return repairStarredTuples(source, tree, (text) => parseTree(text, deadline)) ?? { tree, source };
}

/** Parse a file's text; throws PythonSyntaxError with the first error's position. */
export function parsePython(source: string, options: ParseOptions = {}): PyModule {
  const parsed = parseText(source);
  const error = options.compileRules === false ? recoveredError(parsed) : syntaxErrorOf(parsed);
  if (error) throw error;
  return convertModule(parsed.tree.rootNode, { ...options, inserted: parsed.inserted });
}

function recoveredError({ tree, inserted }: ParsedText): PythonSyntaxError | undefined {
  const error = firstSyntaxError(tree.rootNode);
  return error && new PythonSyntaxError(error.text ? `invalid syntax near '${error.text}'` : "invalid syntax", error.line, inserted ? inserted.original(error.line, error.col) : error.col);
}

/**
 * The first syntax error of a parsed text: where tree-sitter recovered, or what Python's compiler refuses and
 * tree-sitter took; `checked`, an editor's document's statements the rules found clean in its previous text.
 */
export function syntaxErrorOf(parsed: ParsedText, deadline?: number, checked?: StatementReuse<true>): PythonSyntaxError | undefined {
  const recovered = recoveredError(parsed);
  if (recovered) return recovered;
  // statements checked in a repaired text are not the document's own
  const refused = firstCompileRuleViolation(parsed.tree.rootNode, parsed.source, deadline, parsed.inserted ? undefined : checked);
  return refused && new PythonSyntaxError(refused.message, refused.line, parsed.inserted ? parsed.inserted.original(refused.line, refused.col) : refused.col);
}

/** Python's keywords: never a name. */
const keywords = new Set("False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(" "));

/**
 * A name, or a call of one without arguments (`resnet50()`, the usual --model), read
 * without loading tree-sitter, as the parser reads it; undefined for anything else.
 */
function nameOrEmptyCall(text: string): Expr | undefined {
  const m = /^([A-Za-z_]\w*)(\(\s*\))?$/.exec(text);
  if (!m || keywords.has(m[1])) return undefined;
  const name: Expr = { kind: "name", span: { line: 0, col: 0, endLine: 0, endCol: m[1].length }, id: m[1] };
  return m[2] === undefined ? name : { kind: "call", span: { line: 0, col: 0, endLine: 0, endCol: text.length }, func: name, args: [], keywords: [] };
}

/** Parse text that should be one Python expression (`resnet18(num_classes=10)`); undefined when it is not. */
export function parseExpressionText(text: string): Expr | undefined {
  const simple = nameOrEmptyCall(text);
  if (simple) return simple;
  let module: PyModule;
  try {
    module = parsePython(text);
  } catch {
    return undefined;
  }
  const stmt = module.body[0];
  return module.body.length === 1 && stmt.kind === "expr" ? stmt.value : undefined;
}

export { PythonSyntaxError };
