// A tool's answer as MCP wants it: text content, or a tool error (isError) whose one
// line says what was wrong with the arguments. A bad argument never ends the server:
// the agent reads the error and calls again.
import { AnalysisInputError } from "../analysis/analyze.js";
import { InputSpecError } from "../analysis/inputSpec.js";
import { EnvironmentError } from "../environment/discover.js";
import { ProjectConfigError } from "../environment/projectConfig.js";
import { TorchVersionError } from "../environment/torchVersion.js";

/** An argument the tool cannot use (a file that does not exist, a line past the end). */
export class ToolInputError extends Error {}

export interface ToolResult {
  [key: string]: unknown;
  content: { type: "text"; text: string }[];
  isError?: boolean;
}

/** Errors that are the caller's input, said in one line, as the CLI says them with exit 2. */
function inputErrorMessage(e: unknown): string | undefined {
  if (e instanceof ToolInputError || e instanceof AnalysisInputError || e instanceof InputSpecError || e instanceof EnvironmentError || e instanceof ProjectConfigError || e instanceof TorchVersionError) return e.message;
  // JavaScript's own stack ran out in a deeply nested expression: bad input, not a crash
  if (e instanceof RangeError && /call stack/i.test(e.message)) return "the file is nested too deeply to analyse";
  return undefined;
}

export function toolError(message: string): ToolResult {
  return { content: [{ type: "text", text: message }], isError: true };
}

/** Run a tool: its texts as content, a failure as a tool error. */
export function toolResult(run: () => readonly string[]): ToolResult {
  try {
    return { content: run().map((text) => ({ type: "text", text })) };
  } catch (e) {
    const input = inputErrorMessage(e);
    if (input !== undefined) return toolError(input);
    return toolError(`internal error: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
  }
}
