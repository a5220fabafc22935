// torchshape's diagnostic records → LSP diagnostics. The engine knows nothing of
// LSP; this is the one place that converts (code = the rule's code, source "torchshape").
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from "vscode-languageserver";
import type { Diagnostic, Severity } from "../diagnostics/diagnostic.js";
import { rangeOfSpan } from "./ranges.js";

export const diagnosticSource = "torchshape";

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function toLspDiagnostic(d: Diagnostic, uriOf: (file: string) => string): LspDiagnostic {
  return {
    range: rangeOfSpan(d.location.span),
    severity: severities[d.severity],
    code: d.code,
    source: diagnosticSource,
    message: d.fix ? `${d.message}\nhelp: ${d.fix}` : d.message,
    relatedInformation: d.related.length > 0 ? d.related.map((r) => ({ location: { uri: uriOf(r.location.file), range: rangeOfSpan(r.location.span) }, message: r.message })) : undefined,
  };
}

/** The diagnostics of one document: those located in its file (an imported file's own faults show when it is opened). */
export function documentDiagnostics(diagnostics: readonly Diagnostic[], file: string, uriOf: (file: string) => string): LspDiagnostic[] {
  return diagnostics.filter((d) => d.location.file === file).map((d) => toLspDiagnostic(d, uriOf));
}
