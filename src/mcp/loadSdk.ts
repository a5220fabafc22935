// dist/mcpSdk.cjs (the SDK bundled on its own, see sdk.ts), loaded when the server starts.
import { createRequire } from "node:module";
import { join } from "node:path";
import { packageRoot } from "../packageRoot.js";

export type McpSdk = typeof import("./sdk.js");

export function loadMcpSdk(): McpSdk {
  return createRequire(import.meta.url)(join(packageRoot(), "dist", "mcpSdk.cjs")) as McpSdk;
}
