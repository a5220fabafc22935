// `check`'s text output, the way ruff and pyright print: path:line:col: severity[code] message.
import type { CheckResult } from "../check/check.js";
import { displayPath } from "./json.js";

export function renderCheckText(result: CheckResult): string {
  const out: string[] = [];
  for (const d of result.diagnostics) {
    const { file, span } = d.location;
    out.push(`${displayPath(file)}:${span.line + 1}:${span.col + 1}: ${d.severity}[${d.code}] ${d.message}`);
    for (const r of d.related) out.push(`  ${displayPath(r.location.file)}:${r.location.span.line + 1}:${r.location.span.col + 1}: note: ${r.message}`);
    if (d.fix) out.push(`  help: ${d.fix}`);
  }
  for (const s of result.skipped) out.push(`${s.message.startsWith(displayPath(s.file)) || s.message.startsWith(s.file) ? s.message.replace(s.file, displayPath(s.file)) : `${displayPath(s.file)}: ${s.message}`} (skipped)`);
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = result.diagnostics.filter((d) => d.severity === "warning").length;
  out.push(
    `${errors === 0 ? "No shape errors" : `${errors} error${errors === 1 ? "" : "s"}`}${warnings ? `, ${warnings} warning${warnings === 1 ? "" : "s"}` : ""} in ${result.files.length} file${result.files.length === 1 ? "" : "s"} (${result.modelsChecked} model${result.modelsChecked === 1 ? "" : "s"} checked${result.skipped.length ? `, ${result.skipped.length} file${result.skipped.length === 1 ? "" : "s"} skipped` : ""})`,
  );
  return `${out.join("\n")}\n`;
}
