// A file's text with its models' inferred shapes written into forward's signature
// and return type: what `torchshape annotate` writes and the MCP tool annotate shows.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { analyzeFile, AnalysisInputError } from "../analysis/analyze.js";
import { findEnvironment } from "../environment/discover.js";
import { parseTree } from "../parse/parser.js";
import { convertModule } from "../parse/toAst.js";
import { annotationEdits, applyEdits, type AnnotationStyle, type TextEdit } from "./annotationEdits.js";

export function annotateFile(file: string, style: AnnotationStyle, options: { searchPaths?: readonly string[]; python?: string } = {}): { before: string; after: string; edits: readonly TextEdit[] } {
  let before: string;
  try {
    before = readFileSync(file, "utf8");
  } catch {
    throw new AnalysisInputError(`${file}: cannot read file`);
  }
  const result = analyzeFile(file, { source: before, allowNoModels: true, searchPaths: options.searchPaths, environment: findEnvironment(file, { python: options.python }) });
  const syntax = convertModule(parseTree(before).rootNode);
  const edits = annotationEdits(result, resolve(file), syntax, before, style);
  return { before, after: applyEdits(before, edits), edits };
}
