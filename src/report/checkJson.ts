// `check --format json`: the diagnostics of the contract's JSON, the files not checked,
// the models analysed (and what built each) and those that could not be built, and
// the classes not analysed, with why.
import type { CheckResult } from "../check/check.js";
import { diagnosticToJson, displayPath, lineFields } from "./json.js";

export function toCheckJson(result: CheckResult) {
  return {
    version: 1,
    files: result.files.map((f) => displayPath(f)),
    diagnostics: result.diagnostics.map(diagnosticToJson),
    not_checked: result.skipped.map((s) => ({ file: displayPath(s.file), ...(s.line !== undefined ? { ...(s.cell !== undefined ? { cell: s.cell } : {}), line: s.line, column: s.column ?? 1 } : {}), reason: s.reason })),
    models_checked: result.modelsChecked,
    functions_checked: result.functionsChecked,
    cut_short: result.cutShort.map((s) => ({ file: displayPath(s.file), reason: s.reason })),
    partly_analysed: { models: result.partlyAnalysed.models, files: result.partlyAnalysed.files, missing_packages: result.partlyAnalysed.missingPackages },
    environments: result.environments,
    models: result.models.map((m) => ({ name: m.name, file: displayPath(m.file), ...lineFields(m.file, m.line - 1), via: m.via, input_source: m.inputSource, ...(m.incomplete ? { incomplete: m.incomplete } : {}) })),
    functions: result.functions.map((f) => ({ name: f.name, file: displayPath(f.file), ...lineFields(f.file, f.line - 1), ...(f.incomplete ? { incomplete: f.incomplete } : {}) })),
    models_not_built: result.notBuilt.map((m) => ({ name: m.name, file: displayPath(m.file), ...lineFields(m.file, m.line - 1), via: m.via, reason: m.reason })),
    model_classes: {
      found: result.classes.found,
      analysed: result.classes.analysed,
      not_analysed: result.classes.notAnalysed.map((c) => ({
        name: c.name,
        file: displayPath(c.file),
        ...lineFields(c.file, c.line - 1),
        reason: c.reason.kind,
        ...(c.reason.kind === "could not build" ? { detail: c.reason.detail } : {}),
      })),
    },
  };
}

export function renderCheckJson(result: CheckResult): string {
  return `${JSON.stringify(toCheckJson(result), null, 2)}\n`;
}
