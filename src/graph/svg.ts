// SVG rendered in-process by Graphviz compiled to WebAssembly (@viz-js/viz):
// nothing downloaded at run time, no system Graphviz. Loaded on first use only,
// so the other commands never pay for it. Past graphvizMaxNodes, our own layered
// layout draws it instead (bench/graph.js: dot takes about 0.9 s for 430 nodes and
// about 33 s for 5,000).
import { createRequire } from "node:module";
import type { GraphView } from "./graphView.js";
import { renderDot } from "./dot.js";
import { renderLayeredSvg } from "./layeredSvg.js";

export const graphvizMaxNodes = 600;

type VizInstance = { renderString(dot: string, options: { format: string; engine?: string }): string };
let viz: Promise<VizInstance> | undefined;

function graphviz(): Promise<VizInstance> {
  // require, not import(): the CLI bundle runs compiled from V8's code cache, where import() is not available
  viz ??= Promise.resolve().then(() => (createRequire(import.meta.url)("@viz-js/viz") as typeof import("@viz-js/viz")).instance());
  return viz;
}

export async function renderSvg(view: GraphView): Promise<string> {
  if (view.nodes.length > graphvizMaxNodes) return renderLayeredSvg(view);
  const instance = await graphviz();
  return instance.renderString(renderDot(view), { format: "svg", engine: "dot" });
}
