// Parse Python source with tree-sitter and convert it to the typed tree of ast.ts.
import Parser from "tree-sitter";
import Python from "tree-sitter-python";
import type { Expr, PyModule } from "./ast.js";
import { convertModule, firstSyntaxError, PythonSyntaxError, type ConvertOptions } from "./toAst.js";

let sharedParser: Parser | undefined;

/** One parser for the process: creating one loads the grammar. */
export function treeSitterParser(): Parser {
  if (!sharedParser) {
    sharedParser = new Parser();
    sharedParser.setLanguage(Python as unknown as Parser.Language);
  }
  return sharedParser;
}

export function parseTree(source: string): Parser.Tree {
  // The native binding reads long sources through a callback in chunks; a string works up to its buffer size.
  return treeSitterParser().parse((index: number) => source.slice(index, index + 16384));
}

/** Parse a file's text; throws PythonSyntaxError with the first error's position. */
export function parsePython(source: string, options: ConvertOptions = {}): PyModule {
  const tree = parseTree(source);
  const error = firstSyntaxError(tree.rootNode);
  if (error) throw new PythonSyntaxError(error.text ? `invalid syntax near '${error.text}'` : "invalid syntax", error.line, error.col);
  return convertModule(tree.rootNode, options);
}

/** Parse text that should be one Python expression (`resnet18(num_classes=10)`); undefined when it is not. */
export function parseExpressionText(text: string): Expr | undefined {
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
