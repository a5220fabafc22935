// Notes and warnings after a summary: what was unknown, skipped or assumed.
import type { AnalysisResult } from "../analysis/summary.js";
import { displayPath } from "./json.js";
import { placeText } from "../analysis/sourceFile.js";

export function renderNotes(result: AnalysisResult, style: "text" | "markdown", limit = 20): string {
  const lines: string[] = [];
  for (const d of result.diagnostics)
    lines.push(`${placeText(displayPath(d.location.file), d.location.file, d.location.span.line, d.location.span.col)}: ${d.severity}[${d.code}] ${d.message}`);
  for (const n of result.notes.slice(0, limit)) {
    // an unmodelled layer or op makes shapes unknown from there on: say it louder than a note
    const level = /not modelled/.test(n.message) ? "warning" : "note";
    lines.push(`${n.location ? `${placeText(displayPath(n.location.file), n.location.file, n.location.span.line)}: ` : ""}${level}: ${n.message}`);
  }
  if (result.notes.length > limit) lines.push(`(${result.notes.length - limit} more notes)`);
  if (lines.length === 0) return "";
  return style === "markdown" ? `\n${lines.map((l) => `- ${l}`).join("\n")}\n` : `${lines.join("\n")}\n`;
}
