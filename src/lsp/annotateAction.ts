// The "Annotate shapes" code action: `torchshape annotate`'s edits (jaxtyping
// style) for the open document, as one workspace edit.
import { CodeActionKind, type CodeAction } from "vscode-languageserver/node";
import type { AnalysisResult } from "../analysis/summary.js";
import { annotationEdits } from "../annotate/annotationEdits.js";
import { parseTree } from "../parse/parser.js";
import { convertModule } from "../parse/toAst.js";

export const annotateShapesTitle = "Annotate shapes";

export function annotateShapesAction(result: AnalysisResult, file: string, text: string, uri: string): CodeAction | undefined {
  let syntax;
  try {
    syntax = convertModule(parseTree(text).rootNode);
  } catch {
    return undefined;
  }
  const edits = annotationEdits(result, file, syntax, text, "jaxtyping");
  if (edits.length === 0) return undefined;
  const changes = edits.map((e) => ({ range: { start: { line: e.line, character: e.col }, end: { line: e.endLine, character: e.endCol } }, newText: e.text }));
  return { title: annotateShapesTitle, kind: CodeActionKind.RefactorRewrite, edit: { changes: { [uri]: changes } } };
}
