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
  /** a later layer that proves a suspected fault raises it to an error */
  severity: Severity;
  readonly code: DiagnosticCode;
  /** the filled template (see messages.ts); a later layer may add a clause */
  message: string;
  readonly location: SourceLocation;
  /** a later layer that shares or proves the fault adds itself */
  readonly related: RelatedLocation[];
  /** the model whose analysis found it */
  model?: string;
  /** a suggested fix, as text */
  fix?: string;
  /**
   * How many rows (layer calls) of its model's forward pass had begun when it was
   * found, its own layer's included: the sizes that lead to it (MCP's explain)
   */
  rowsBefore?: number;
}
