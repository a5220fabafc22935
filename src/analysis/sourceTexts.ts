// Source text for messages: the analysed file's own text (an editor buffer may
// differ from disk) and, read once on demand, the files it imports.
import { readTextFile } from "./diskReads.js";
import type { SourceLocation } from "../eval/values.js";
import { textOfSpan } from "../diagnostics/sourceText.js";

export type SourceTextLookup = (location: SourceLocation) => string | undefined;

export function sourceTextLookup(mainFile: string, mainSource: string): SourceTextLookup {
  const texts = new Map<string, string | undefined>([[mainFile, mainSource]]);
  const textOf = (file: string): string | undefined => {
    if (!texts.has(file)) {
      let text: string | undefined;
      try {
        text = readTextFile(file);
      } catch {
        text = undefined;
      }
      texts.set(file, text);
    }
    return texts.get(file);
  };
  return (location) => {
    const source = textOf(location.file);
    return source === undefined ? undefined : textOfSpan(source, location.span);
  };
}
