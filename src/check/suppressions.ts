// `# torchshape: ignore` and `# torchshape: ignore[code, code]` on a diagnostic's line.
import { sourceTextOrUndefined } from "../analysis/sourceFile.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";

const ignorePattern = /#\s*torchshape:\s*ignore(?:\[([^\]]*)\])?/;

export function isSuppressed(d: Diagnostic, linesOf: (file: string) => readonly string[]): boolean {
  const line = linesOf(d.location.file)[d.location.span.line] ?? "";
  const m = ignorePattern.exec(line);
  if (!m) return false;
  if (m[1] === undefined) return true;
  return m[1].split(",").map((c) => c.trim()).includes(d.code);
}

/** A cached line reader for suppression checks. */
export function lineReader(): (file: string) => readonly string[] {
  const cache = new Map<string, string[]>();
  return (file) => {
    let lines = cache.get(file);
    if (!lines) {
      lines = sourceTextOrUndefined(file)?.split("\n") ?? [];
      cache.set(file, lines);
    }
    return lines;
  };
}
