// Expectations written inside fixture files, pyright-samples style:
//   x = x.view(-1, 512)  # expect-error: view-size          (this line)
//   # expect-warning: view-folds-batch                      (the next code line)
//   h = h.view(-1, 512)
// Several codes may be listed, comma-separated. The severities are error,
// warning and info.
import type { Severity } from "../../src/diagnostics/diagnostic.js";

export interface Expectation {
  readonly severity: Severity;
  readonly code: string;
  /** 1-based line the diagnostic must be reported on */
  readonly line: number;
}

const marker = /#\s*expect-(error|warning|info):\s*([\w-]+(?:\s*,\s*[\w-]+)*)/;

export function expectationsIn(source: string): Expectation[] {
  const lines = source.split("\n");
  const out: Expectation[] = [];
  lines.forEach((text, i) => {
    const m = marker.exec(text);
    if (!m) return;
    const ownLine = text.slice(0, m.index).trim() !== "";
    let line = i;
    if (!ownLine) {
      // a comment line of its own speaks of the next line of code
      line = i + 1;
      while (line < lines.length && (lines[line].trim() === "" || lines[line].trim().startsWith("#"))) line++;
    }
    for (const code of m[2].split(",").map((c) => c.trim())) out.push({ severity: m[1] as Severity, code, line: line + 1 });
  });
  return out;
}

/** "error[view-size]@24", for comparing sets in tests. */
export function expectationKey(e: { severity: string; code: string; line: number }): string {
  return `${e.severity}[${e.code}]@${e.line}`;
}
