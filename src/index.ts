// The programmatic API: what the CLI, the language server and tests call.
export { analyzeFile, AnalysisInputError, type AnalyzeOptions } from "./analysis/analyze.js";
export { parseInputSpec, parseTorchshapeComment, InputSpecError } from "./analysis/inputSpec.js";
export type { AnalysisResult, ModelSummary, LayerRow, InputSpec, ReportedShape } from "./analysis/summary.js";
export { checkPaths, type CheckResult, type CheckOptions } from "./check/check.js";
export type { Diagnostic, Severity, RelatedLocation } from "./diagnostics/diagnostic.js";
export { diagnosticCodes, type DiagnosticCode } from "./diagnostics/codes.js";
export { toContractJson, renderJson } from "./report/json.js";
export { renderModelTable } from "./report/table.js";
export { renderModelMarkdown } from "./report/markdown.js";
export { toSarif } from "./report/sarif.js";
export { findEnvironment, describeEnvironment, EnvironmentError, type Environment, type DiscoveryOptions } from "./environment/discover.js";
export { projectConfigFor, readProjectConfig, ProjectConfigError, type ProjectConfig } from "./environment/projectConfig.js";
export { latestTorchVersion } from "./torch/torchApi.js";
