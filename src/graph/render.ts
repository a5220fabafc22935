// One entry for every graph format; JSON backs them all.
import type { GraphView } from "./graphView.js";
import { renderMermaid } from "./mermaid.js";
import { renderDot } from "./dot.js";

export const graphFormats = ["mermaid", "dot", "svg", "html", "json"] as const;
export type GraphFormat = (typeof graphFormats)[number];

export function graphJson(views: readonly GraphView[]): string {
  return `${JSON.stringify({ version: 1, graphs: views }, null, 2)}\n`;
}

/** The text of a format; svg and html load Graphviz's WebAssembly on first use. */
export async function renderGraph(views: readonly GraphView[], format: GraphFormat): Promise<string> {
  switch (format) {
    case "json":
      return graphJson(views);
    case "mermaid":
      return renderMermaid(views[0]);
    case "dot":
      return renderDot(views[0]);
    case "svg":
      return (await import("./svg.js")).renderSvg(views[0]);
    case "html":
      return (await import("./html.js")).renderHtml(views[0]);
  }
}
