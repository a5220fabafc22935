// Graphviz dot. Nodes, edges and clusters carry their view ids (id="n3", "e0",
// "c1") so the SVG Graphviz makes from it can be matched to the graph's JSON
// (the HTML page's hover and folding). A check error is a red edge with the
// message as its tooltip.
import type { GraphView, ViewNode } from "./graphView.js";

export function dotString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

const NODE_STYLE: Readonly<Record<ViewNode["kind"], string>> = {
  input: 'shape=box, style="rounded,filled", fillcolor="#eef7ee", color="#4a8a4a"',
  output: 'shape=box, style="rounded,filled", fillcolor="#eef7ee", color="#4a8a4a"',
  layer: 'shape=box, style="rounded,filled", fillcolor="#e8f0fe", color="#5b7bb5"',
  op: 'shape=ellipse, style=filled, fillcolor="#fff8e6", color="#b58a2e", fontsize=9, height=0.25, margin="0.04,0.02"',
  module: 'shape=box3d, style=filled, fillcolor="#f1ecfa", color="#7a5bb5"',
};

function nodeLabel(n: ViewNode): string {
  if (n.kind === "input" || n.kind === "output") return `${n.label}\n${shapeText(n.output_shape)}`;
  return n.label;
}

function shapeText(shape: unknown): string {
  if (shape === null || shape === undefined) return "--";
  if (shape === "unknown") return "?";
  if (Array.isArray(shape) && shape.every((d) => !Array.isArray(d))) return `[${shape.join(", ")}]`;
  return Array.isArray(shape) ? `(${shape.map(shapeText).join(", ")})` : String(shape);
}

export function renderDot(view: GraphView): string {
  const lines = [
    `digraph ${dotString(view.model)} {`,
    '  graph [rankdir=TB, fontname="Helvetica", fontsize=10, nodesep=0.3, ranksep=0.35];',
    '  node [fontname="Helvetica", fontsize=10, height=0.3];',
    '  edge [fontname="Helvetica", fontsize=8, color="#777777", fontcolor="#555555", arrowsize=0.6];',
  ];
  const byCluster = new Map<string | null, ViewNode[]>();
  for (const n of view.nodes) byCluster.set(n.cluster, [...(byCluster.get(n.cluster) ?? []), n]);
  const emit = (cluster: string | null, indent: string) => {
    for (const n of byCluster.get(cluster) ?? []) lines.push(`${indent}${dotString(n.id)} [id=${dotString(n.id)}, class=${dotString(n.kind)}, label=${dotString(nodeLabel(n))}, ${NODE_STYLE[n.kind]}];`);
    for (const c of view.clusters.filter((c) => c.parent === cluster)) {
      lines.push(`${indent}subgraph ${dotString(`cluster_${c.id}`)} {`);
      lines.push(`${indent}  id=${dotString(c.id)}; class="cluster"; label=${dotString(c.label)}; style="rounded,filled"; fillcolor="#f7f8fa"; color="#aab2bd"; fontsize=9; labeljust=l;`);
      emit(c.id, `${indent}  `);
      lines.push(`${indent}}`);
    }
  };
  emit(null, "  ");
  view.edges.forEach((e, i) => {
    const error = e.error ? `, class="error", color="#d00000", fontcolor="#d00000", penwidth=2.2, tooltip=${dotString(e.error)}, labeltooltip=${dotString(e.error)}` : "";
    lines.push(`  ${dotString(e.from)} -> ${dotString(e.to)} [id=${dotString(`e${i}`)}, label=${dotString(e.label)}${error}];`);
  });
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
