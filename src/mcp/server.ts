// `torchshape mcp`: a Model Context Protocol server over stdio for AI coding agents.
// Wiring only: the SDK (loaded from its own bundle), the tools, the transport.
import { packageRoot } from "../packageRoot.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadMcpSdk } from "./loadSdk.js";
import type { TorchshapeTool } from "./tool.js";
import { toolResult } from "./toolResult.js";
import { annotateTool } from "./tools/annotate.js";
import { checkTool } from "./tools/check.js";
import { explainTool } from "./tools/explain.js";
import { fitTool } from "./tools/fit.js";
import { shapeAtTool } from "./tools/shapeAt.js";
import { summarizeTool } from "./tools/summarize.js";

export const mcpTools: readonly TorchshapeTool<never>[] = [summarizeTool, checkTool, shapeAtTool, explainTool, fitTool, annotateTool] as readonly TorchshapeTool<never>[];

const instructions =
  "torchshape reads PyTorch source (files and notebooks) without running it: per-layer shapes and parameter counts (summarize), " +
  "shape errors with fixes (check), the shapes on a line (shape_at), why an error happens (explain), the largest batch in a memory budget (fit), and forward's shape annotations as a diff (annotate). " +
  "Paths are absolute or relative to the folder the server was started in.";

export async function startMcpServer(): Promise<void> {
  const { McpServer, StdioServerTransport, z } = loadMcpSdk();
  const version = (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
  const server = new McpServer({ name: "torchshape", version }, { instructions });
  for (const tool of mcpTools) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.arguments(z), annotations: { readOnlyHint: true, openWorldHint: false } },
      (args: unknown) => toolResult(() => tool.run(args as never)),
    );
  }
  await server.connect(new StdioServerTransport());
}
