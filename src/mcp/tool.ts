// What a tool of `torchshape mcp` is: its name, a description that tells an agent
// when to call it, its arguments (zod, from the SDK's bundle), and what it answers
// as texts. Tools know nothing of the protocol; server.ts registers them.
import type { ZodType } from "zod";
import type { McpSdk } from "./loadSdk.js";

export type Zod = McpSdk["z"];
type ArgumentSchemas = Record<string, ZodType>;

export interface TorchshapeTool<Args> {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly arguments: (z: Zod) => ArgumentSchemas;
  /** the answer's texts (a readable one first, JSON after); bad arguments throw (toolResult.ts) */
  readonly run: (args: Args) => string[];
}

/** Arguments several tools take. */
export function inputsArgument(z: Zod) {
  return z
    .array(z.string())
    .optional()
    .describe('forward() inputs, one shape per argument, batch included: ["1,3,32,32"], ["N,3,H,W"] (symbolic), ["4,50:int64"]; default: the input the file gives (a `# torchshape: input=` comment, a call on torch.randn), else symbolic');
}

export function searchPathsArgument(z: Zod) {
  return z.array(z.string()).optional().describe("extra folders for absolute imports (a package that is not installed in the project's Python)");
}

export function fileArgument(z: Zod) {
  return z.string().describe("a Python file or Jupyter notebook, absolute or relative to the folder the server was started in");
}

export function lineArguments(z: Zod) {
  return {
    line: z.number().int().min(1).describe("1-based line number (in a notebook: the line within the cell)"),
    cell: z.number().int().min(1).optional().describe("notebooks only: the cell, 1-based, markdown cells counted, as the editor numbers them"),
  };
}
