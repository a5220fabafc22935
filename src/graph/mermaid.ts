// Mermaid `flowchart TD`: GitHub and GitLab render it in markdown, so a pull
// request can carry the picture as text. Clusters are subgraphs; an edge with a
// check error is drawn red.
import type { GraphView, ViewNode } from "./graphView.js";

/** Text inside Mermaid's quotes: quotes and angle brackets as its entity codes. */
function escaped(text: string): string {
  return text.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}

function quoted(text: string): string {
  return `"${escaped(text)}"`;
}

function nodeLine(n: ViewNode): string {
  const text = n.kind === "input" || n.kind === "output" ? `"${escaped(n.label)}<br/>${escaped(shapeText(n.output_shape))}"` : quoted(n.label);
  switch (n.kind) {
    case "input":
    case "output":
      return `${n.id}([${text}]):::${n.kind}`;
    case "op":
      return `${n.id}(${text}):::op`;
    case "module":
      return `${n.id}[[${text}]]:::module`;
    default:
      return `${n.id}[${text}]:::layer`;
  }
}

function shapeText(shape: unknown): string {
  if (shape === null) return "--";
  if (shape === "unknown") return "?";
  if (Array.isArray(shape) && shape.every((d) => !Array.isArray(d))) return `[${shape.join(", ")}]`;
  return Array.isArray(shape) ? `(${shape.map(shapeText).join(", ")})` : String(shape);
}

export function renderMermaid(view: GraphView): string {
  const lines = ["flowchart TD"];
  const byCluster = new Map<string | null, ViewNode[]>();
  for (const n of view.nodes) byCluster.set(n.cluster, [...(byCluster.get(n.cluster) ?? []), n]);
  const emit = (cluster: string | null, indent: string) => {
    for (const n of byCluster.get(cluster) ?? []) lines.push(`${indent}${nodeLine(n)}`);
    for (const c of view.clusters.filter((c) => c.parent === cluster)) {
      lines.push(`${indent}subgraph ${c.id}[${quoted(c.label)}]`);
      emit(c.id, `${indent}  `);
      lines.push(`${indent}end`);
    }
  };
  emit(null, "  ");
  view.edges.forEach((e) => lines.push(`  ${e.from} -->|${quoted(e.label)}| ${e.to}`));
  view.edges.forEach((e, i) => {
    if (e.error) lines.push(`  linkStyle ${i} stroke:#d00000,stroke-width:2px,color:#d00000`);
  });
  lines.push("  classDef input fill:#eef7ee,stroke:#4a8a4a");
  lines.push("  classDef output fill:#eef7ee,stroke:#4a8a4a");
  lines.push("  classDef layer fill:#e8f0fe,stroke:#5b7bb5");
  lines.push("  classDef op fill:#fff8e6,stroke:#b58a2e,font-size:11px");
  lines.push("  classDef module fill:#f1ecfa,stroke:#7a5bb5");
  return `${lines.join("\n")}\n`;
}
