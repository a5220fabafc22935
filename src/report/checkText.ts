// `check`'s text output, the way ruff and pyright print: path:line:col: severity[code] message,
// then the related places as notes and the fix as help; files not checked are notes too.
// A place in a notebook is its cell and the line in it: nb.ipynb:cell 3:12:5.
import type { CheckResult, FileNote } from "../check/check.js";
import type { NotAnalysedClass } from "../check/coverage.js";
import type { UnbuiltModel } from "../check/fileModels.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { displayPath } from "./json.js";
import { placeText } from "../analysis/sourceFile.js";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** A diagnostic as check prints it: its line, its related places as notes, its fix as help. */
export function diagnosticLines(d: Diagnostic): string[] {
  const { file, span } = d.location;
  return [
    `${placeText(displayPath(file), file, span.line, span.col)}: ${d.severity}[${d.code}] ${d.message}`,
    ...d.related.map((r) => `  ${placeText(displayPath(r.location.file), r.location.file, r.location.span.line, r.location.span.col)}: note: ${r.message}`),
    ...(d.fix ? [`  help: ${d.fix}`] : []),
  ];
}

function fileNoteLine(n: FileNote): string {
  const place = n.line !== undefined ? `:${n.cell !== undefined ? `cell ${n.cell}:` : ""}${n.line}:${n.column ?? 1}` : "";
  return `${displayPath(n.file)}${place}: note: not checked: ${n.reason}`;
}

function cutShortLine(n: FileNote): string {
  return `${displayPath(n.file)}: note: analysed in part: ${n.reason}`;
}

function notAnalysedLine(c: NotAnalysedClass): string {
  const why =
    c.reason.kind === "could not build"
      ? `could not be built (${c.reason.detail})`
      : `needs constructor arguments and nothing checked builds it (\`# torchshape: model=${c.name}(...)\` gives them)`;
  return `${placeText(displayPath(c.file), c.file, c.line - 1, 0)}: note: not analysed: ${c.name} ${why}`;
}

function notBuiltLine(m: UnbuiltModel): string {
  return `${placeText(displayPath(m.file), m.file, m.line - 1, 0)}: note: not analysed: ${m.name} could not be built (${m.reason})`;
}

/** "158 model classes: 105 analysed, 53 not analysed: 49 need constructor arguments, 4 could not build"; nothing when every class was analysed. */
function classesClause(result: CheckResult): string | undefined {
  const { found, analysed, notAnalysed } = result.classes;
  if (notAnalysed.length === 0) return undefined;
  const needs = notAnalysed.filter((c) => c.reason.kind === "needs constructor arguments").length;
  const failed = notAnalysed.length - needs;
  const reasons = [...(needs ? [`${needs} need${needs === 1 ? "s" : ""} constructor arguments`] : []), ...(failed ? [`${failed} could not build`] : [])];
  return `${found} model class${found === 1 ? "" : "es"}: ${analysed} analysed, ${notAnalysed.length} not analysed: ${reasons.join(", ")}`;
}

/** "2 models partly analysed: torchvision not found": a reason of its own, counted apart from the rest. */
function partlyAnalysedClause(result: CheckResult): string | undefined {
  const { models, files, missingPackages } = result.partlyAnalysed;
  if (models === 0 && files === 0) return undefined;
  const what = [...(models ? [plural(models, "model")] : []), ...(files ? [`${plural(files, "file")} without a model found`] : [])].join(" and ");
  return `${what} partly analysed: ${missingPackages.join(", ")} not found`;
}

export function summaryLine(result: CheckResult): string {
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = result.diagnostics.filter((d) => d.severity === "warning").length;
  const partly = partlyAnalysedClause(result);
  // a clean result is only claimed for what was analysed in full
  const inPart = partly !== undefined || result.cutShort.length > 0 || result.skipped.length > 0;
  const found = errors > 0 ? plural(errors, "error") : inPart ? "No shape errors in what could be analysed" : "No shape errors";
  const classes = classesClause(result);
  const unbuilt = result.notBuilt.length ? `, ${result.notBuilt.length} could not be built` : "";
  const functions = result.functionsChecked ? `, ${plural(result.functionsChecked, "annotated function")}` : "";
  const checked = plural(result.modelsChecked, "model") + functions + " checked" + unbuilt + (classes ? `; ${classes}` : "");
  const extra = [checked, ...(partly ? [partly] : []), ...(result.cutShort.length ? [`${plural(result.cutShort.length, "file")} cut short by analysis limits`] : []), ...(result.skipped.length ? [`${plural(result.skipped.length, "file")} not checked`] : [])];
  return `${found}${warnings ? `, ${plural(warnings, "warning")}` : ""} in ${plural(result.files.length, "file")} (${extra.join(", ")})`;
}

export function renderCheckText(result: CheckResult): string {
  const out = [...result.diagnostics.flatMap(diagnosticLines), ...result.skipped.map(fileNoteLine), ...result.cutShort.map(cutShortLine), ...result.notBuilt.filter((m) => !m.reported).map(notBuiltLine), ...result.classes.notAnalysed.map(notAnalysedLine), ...result.environments.map((e) => `note: ${e}`), summaryLine(result)];
  return `${out.join("\n")}\n`;
}
