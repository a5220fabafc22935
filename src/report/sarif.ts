// SARIF 2.1.0, for code-scanning UIs: one run, the rules from the code registry.
// SARIF has no cells: a region in a notebook counts lines within its cell, and the
// cell (1-based) is the region's property `cell`.
import { pathToFileURL } from "node:url";
import type { CheckResult } from "../check/check.js";
import { diagnosticCodes } from "../diagnostics/codes.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceLocation } from "../eval/values.js";
import { displayPath } from "./json.js";
import { userLine } from "../analysis/sourceFile.js";

const sarifSchema = "https://json.schemastore.org/sarif-2.1.0.json";

function uriOf(file: string): string {
  const shown = displayPath(file);
  return shown === file ? pathToFileURL(file).href : shown.split(/[\\/]/).map(encodeURIComponent).join("/");
}

/** A region from a 1-based line of the analysed text (a notebook's joined cells) and its columns. */
function region(file: string, line: number, startColumn: number, end?: { line: number; column: number }) {
  const start = userLine(file, line - 1);
  return {
    startLine: start.line,
    startColumn,
    ...(end ? { endLine: userLine(file, end.line - 1).line, endColumn: end.column } : {}),
    ...(start.cell !== undefined ? { properties: { cell: start.cell } } : {}),
  };
}

function physicalLocation(loc: SourceLocation) {
  return {
    artifactLocation: { uri: uriOf(loc.file) },
    region: region(loc.file, loc.span.line + 1, loc.span.col + 1, { line: loc.span.endLine + 1, column: loc.span.endCol + 1 }),
  };
}

function level(d: Diagnostic): "error" | "warning" | "note" {
  return d.severity === "info" ? "note" : d.severity;
}

export function toSarif(result: CheckResult, version: string) {
  const ruleIds = Object.keys(diagnosticCodes);
  return {
    $schema: sarifSchema,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "torchshape",
            version,
            informationUri: "https://www.npmjs.com/package/torchshape",
            rules: ruleIds.map((id) => ({ id, shortDescription: { text: diagnosticCodes[id as keyof typeof diagnosticCodes] } })),
          },
        },
        results: result.diagnostics.map((d) => ({
          ruleId: d.code,
          ruleIndex: ruleIds.indexOf(d.code),
          level: level(d),
          message: { text: d.fix ? `${d.message} (fix: ${d.fix})` : d.message },
          locations: [{ physicalLocation: physicalLocation(d.location) }],
          ...(d.related.length > 0 ? { relatedLocations: d.related.map((r, i) => ({ id: i + 1, physicalLocation: physicalLocation(r.location), message: { text: r.message } })) } : {}),
        })),
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: [
              ...result.skipped.map((s) => ({
                level: "note",
                message: { text: `not checked: ${s.reason}` },
                locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(s.file) }, ...(s.line !== undefined ? { region: { startLine: s.line, startColumn: s.column ?? 1, ...(s.cell !== undefined ? { properties: { cell: s.cell } } : {}) } } : {}) } }],
              })),
              ...result.classes.notAnalysed.map((c) => ({
                level: "note",
                message: { text: `not analysed: ${c.name} ${c.reason.kind === "could not build" ? `could not be built (${c.reason.detail})` : "needs constructor arguments"}` },
                locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(c.file) }, region: region(c.file, c.line, 1) } }],
              })),
            ],
          },
        ],
        // what was covered: the models analysed and the classes found (a property bag, free-form in SARIF)
        properties: {
          modelsChecked: result.modelsChecked,
          modelsNotBuilt: result.notBuilt.length,
          modelClasses: { found: result.classes.found, analysed: result.classes.analysed, notAnalysed: result.classes.notAnalysed.length },
        },
      },
    ],
  };
}

export function renderSarif(result: CheckResult, version: string): string {
  return `${JSON.stringify(toSarif(result, version), null, 2)}\n`;
}
