// `check --format json`: the diagnostics of the contract's JSON, and the files not checked.
import type { CheckResult } from "../check/check.js";
import { diagnosticToJson, displayPath } from "./json.js";

export function toCheckJson(result: CheckResult) {
  return {
    version: 1,
    files: result.files.map((f) => displayPath(f)),
    diagnostics: result.diagnostics.map(diagnosticToJson),
    not_checked: result.skipped.map((s) => ({ file: displayPath(s.file), ...(s.line !== undefined ? { line: s.line, column: s.column ?? 1 } : {}), reason: s.reason })),
    models_checked: result.modelsChecked,
  };
}

export function renderCheckJson(result: CheckResult): string {
  return `${JSON.stringify(toCheckJson(result), null, 2)}\n`;
}
