// The parts of the MCP TypeScript SDK (and its zod) the server uses. scripts/bundle.mjs
// bundles this file alone into dist/mcpSdk.cjs, which only `torchshape mcp` loads
// (loadSdk.ts), so no other command pays for the SDK at start-up.
export { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
export { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
export { z } from "zod";
