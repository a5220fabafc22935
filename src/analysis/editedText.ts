// Reading an editor's text into our syntax tree: parsed from where the edit was, the
// compiler's rules and the conversion done again only for the top-level statements the
// edit touched (src/parse/editedDocument.ts). The language server does it as each
// edit arrives, during the pause it waits for typing to stop (src/lsp/server.ts), and
// the analysis after the pause takes the syntax of the text it was given from there.
import type { PyModule } from "../parse/ast.js";
import type { EditedDocument } from "../parse/editedDocument.js";
import { parseText, syntaxErrorOf } from "../parse/parser.js";
import { ReadingDeadlinePassed } from "../parse/readingDeadline.js";
import { convertModule } from "../parse/toAst.js";

/** The syntax of a file's text, read within `deadline` (Date.now()); throws its syntax error. */
export function readText(source: string, deadline: number, edited: EditedDocument | undefined): PyModule {
  const parsed = parseText(source, deadline, edited && ((text) => edited.parser.parse(text, deadline)));
  const error = syntaxErrorOf(parsed, deadline, edited?.ruleChecked);
  if (error) throw error;
  // a repaired parse is of a text with characters inserted, not the document's: converted afresh
  return convertModule(parsed.tree.rootNode, { inserted: parsed.inserted, reuse: parsed.inserted ? undefined : edited?.converted, deadline });
}

/** Reads an editor's new text now, for its analysis to take: a text that takes longer than `timeLimitMs` is left to the analysis. */
export function readAhead(source: string, edited: EditedDocument, timeLimitMs: number): void {
  edited.readAhead = undefined;
  try {
    edited.readAhead = { text: source, syntax: readText(source, Date.now() + timeLimitMs, edited) };
  } catch (e) {
    if (e instanceof ReadingDeadlinePassed) return;
    edited.readAhead = { text: source, error: e };
  }
}

/** The syntax read ahead for exactly this text (its error raised again), else a fresh reading. */
export function readEditedText(source: string, deadline: number, edited: EditedDocument | undefined): PyModule {
  const ahead = edited?.readAhead;
  if (ahead?.text === source) {
    edited!.readAhead = undefined;
    if ("error" in ahead) throw ahead.error;
    return ahead.syntax;
  }
  return readText(source, deadline, edited);
}
