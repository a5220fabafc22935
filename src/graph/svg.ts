// SVG rendered in-process by Graphviz compiled to WebAssembly (@viz-js/viz):
// nothing downloaded at run time, no system Graphviz. Loaded on first use only,
// so the other commands never pay for it.
import type { GraphView } from "./graphView.js";
import { renderDot } from "./dot.js";

type VizInstance = { renderString(dot: string, options: { format: string; engine?: string }): string };
let viz: Promise<VizInstance> | undefined;

function graphviz(): Promise<VizInstance> {
  viz ??= import("@viz-js/viz").then((m) => m.instance());
  return viz;
}

export async function renderSvg(view: GraphView): Promise<string> {
  const instance = await graphviz();
  return instance.renderString(renderDot(view), { format: "svg", engine: "dot" });
}
