// The client's settings for torchshape: the same keys whether they come from
// initializationOptions or from workspace/configuration section "torchshape".
//   { "input": ["1,3,32,32"], "inputs": { "Net": ["1,3,32,32"] }, "searchPaths": ["/path/to/site-packages"], "python": ".venv/bin/python" }
import { isAbsolute, resolve } from "node:path";
import { InputSpecError, parseInputSpec } from "../analysis/inputSpec.js";
import type { InputSpec } from "../analysis/summary.js";
import { inputToText } from "../report/shapeText.js";
import { parseVersion } from "../eval/versionOrder.js";

export interface TorchshapeSettings {
  /** inputs for models whose file gives none (no comment, no call) */
  readonly defaultInputs: readonly InputSpec[];
  /** per model (class, factory or call), as [tool.torchshape.inputs] gives them, over the project's own */
  readonly modelInputs: ReadonlyMap<string, readonly string[]>;
  readonly searchPaths: readonly string[];
  /** the Python whose packages resolve imports; undefined: found as the command line finds it */
  readonly python?: string;
  /** the torch version to model; undefined: the environment's */
  readonly torchVersion?: string;
}

export const noSettings: TorchshapeSettings = { defaultInputs: [], modelInputs: new Map(), searchPaths: [] };

export interface ParsedSettings {
  readonly settings: TorchshapeSettings;
  /** what was ignored and why, for the client's log */
  readonly problems: readonly string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The section itself, or the object holding it under "torchshape" (initializationOptions are often nested so). */
function sectionOf(raw: unknown): Record<string, unknown> {
  const section = isRecord(raw) && isRecord(raw.torchshape) ? raw.torchshape : raw;
  return isRecord(section) ? section : {};
}

/** A string or a list of strings; blanks dropped. */
function stringList(v: unknown, key: string, problems: string[]): string[] {
  if (v === undefined || v === null) return [];
  const items = Array.isArray(v) ? v : [v];
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== "string") problems.push(`torchshape.${key}: ignored ${JSON.stringify(item)} (expected a string)`);
    else if (item.trim() !== "") out.push(item.trim());
  }
  return out;
}

/**
 * initializationOptions overlaid with workspace/configuration: a key the configuration
 * sets wins; an empty list (an editor's default) does not hide the initialization value.
 */
export function overlaySettings(initializationOptions: unknown, configuration: unknown): Record<string, unknown> {
  const isSet = (v: unknown) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
  const over = Object.fromEntries(Object.entries(sectionOf(configuration)).filter(([, v]) => isSet(v)));
  return { ...sectionOf(initializationOptions), ...over };
}

/** Why an input shape does not parse; undefined when it does. */
function inputSpecProblem(text: string): string | undefined {
  try {
    parseInputSpec(text);
    return undefined;
  } catch (e) {
    if (!(e instanceof InputSpecError)) throw e;
    return e.message;
  }
}

/** Settings from what the client sent; relative search paths are taken from the workspace root. */
export function parseSettings(raw: unknown, workspaceRoot: string): ParsedSettings {
  const problems: string[] = [];
  const section = sectionOf(raw);
  const defaultInputs: InputSpec[] = [];
  for (const text of stringList(section.input, "input", problems)) {
    try {
      defaultInputs.push(parseInputSpec(text));
    } catch (e) {
      if (!(e instanceof InputSpecError)) throw e;
      problems.push(`torchshape.input: ${e.message}`);
    }
  }
  const modelInputs = new Map<string, string[]>();
  if (section.inputs !== undefined && !isRecord(section.inputs)) problems.push("torchshape.inputs: ignored (expected an object: model name → its input shapes)");
  for (const [model, written] of Object.entries(isRecord(section.inputs) ? section.inputs : {})) {
    const specs = stringList(written, `inputs.${model}`, problems);
    const bad = specs.map(inputSpecProblem).find((m) => m !== undefined);
    if (bad !== undefined) problems.push(`torchshape.inputs.${model}: ${bad}`);
    else if (specs.length > 0) modelInputs.set(model, specs);
  }
  const searchPaths = stringList(section.searchPaths, "searchPaths", problems).map((p) => (isAbsolute(p) ? p : resolve(workspaceRoot, p)));
  const [python] = stringList(section.python, "python", problems);
  const [writtenVersion] = stringList(section.torchVersion, "torchVersion", problems);
  const torchVersion = writtenVersion !== undefined && parseVersion(writtenVersion) ? writtenVersion : undefined;
  if (writtenVersion !== undefined && !torchVersion) problems.push(`torchshape.torchVersion: ignored '${writtenVersion}' (not a version, e.g. 1.13 or 2.1.0)`);
  return { settings: { defaultInputs, modelInputs, searchPaths, torchVersion, python: python === undefined || /^[^\\/]+$/.test(python) ? python : isAbsolute(python) ? python : resolve(workspaceRoot, python) }, problems };
}

/** The key a cached analysis was made with: equal keys, equal results. */
export function settingsKey(s: TorchshapeSettings): string {
  return JSON.stringify({ inputs: s.defaultInputs.map(inputToText), modelInputs: [...s.modelInputs], searchPaths: s.searchPaths, python: s.python, torchVersion: s.torchVersion });
}
