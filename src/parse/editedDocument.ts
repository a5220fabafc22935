// What an editor's document keeps from one analysis to the next, so that an edit costs
// about what it changed: its tree, reparsed from where the edit was
// (editedDocumentParser.ts), and what was done to each of its top-level statements,
// taken again where the statement is unchanged (statementReuse.ts). The language
// server reads each new text as it arrives (src/analysis/editedText.ts), while it
// waits for typing to pause, so the analysis after the pause starts from its syntax.
import type { PyModule } from "./ast.js";
import { EditedDocumentParser } from "./editedDocumentParser.js";
import { StatementReuse } from "./statementReuse.js";
import type { ConvertedStatement } from "./toAst.js";

/** A text read ahead of its analysis: its syntax, or the error reading it raised (a syntax error), raised again by the analysis. */
export type ReadAhead = { readonly text: string } & ({ readonly syntax: PyModule } | { readonly error: unknown });

export class EditedDocument {
  readonly parser = new EditedDocumentParser();
  /** each top-level statement converted to our tree, with its comments */
  readonly converted = new StatementReuse<ConvertedStatement>();
  /** the top-level statements in which no compiler rule found a fault (compileRules.ts) */
  readonly ruleChecked = new StatementReuse<true>();
  /** the latest text read ahead of its analysis */
  readAhead: ReadAhead | undefined;
}
