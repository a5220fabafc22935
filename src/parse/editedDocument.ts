// What an editor's document keeps from one analysis to the next, so that an edit costs
// about what it changed: its tree, reparsed from where the edit was
// (editedDocumentParser.ts), and what was done to each of its top-level statements,
// taken again where the statement is unchanged (statementReuse.ts).
import { EditedDocumentParser } from "./editedDocumentParser.js";
import { StatementReuse } from "./statementReuse.js";
import type { ConvertedStatement } from "./toAst.js";

export class EditedDocument {
  readonly parser = new EditedDocumentParser();
  /** each top-level statement converted to our tree, with its comments */
  readonly converted = new StatementReuse<ConvertedStatement>();
  /** the top-level statements in which no compiler rule found a fault (compileRules.ts) */
  readonly ruleChecked = new StatementReuse<true>();
}
