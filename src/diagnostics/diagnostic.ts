// A diagnostic record: what is wrong, where, and where else to look. It knows
// nothing of terminals, editors or SARIF; reporters and the LSP convert it.
import type { SourceLocation } from "../eval/values.js";
import type { DiagnosticCode } from "./codes.js";

export type Severity = "error" | "warning" | "info";

export interface RelatedLocation {
  readonly location: SourceLocation;
  readonly message: string;
}

export interface Diagnostic {
  readonly severity: Severity;
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly location: SourceLocation;
  readonly related: readonly RelatedLocation[];
  /** the model whose analysis found it */
  model?: string;
  /** a suggested fix, as text */
  readonly fix?: string;
}
