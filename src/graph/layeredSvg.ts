// The SVG of a layered layout, with the element structure Graphviz writes
// (g.node / g.edge / g.cluster with the view's ids, a <title> each), so the HTML
// page folds and hovers it the same way.
import type { GraphView, ViewNode } from "./graphView.js";
import { layeredLayout, nodeLines, type PlacedNode } from "./layeredLayout.js";

function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const FILL: Readonly<Record<ViewNode["kind"], [string, string]>> = {
  input: ["#eef7ee", "#4a8a4a"],
  output: ["#eef7ee", "#4a8a4a"],
  layer: ["#e8f0fe", "#5b7bb5"],
  op: ["#fff8e6", "#b58a2e"],
  module: ["#f1ecfa", "#7a5bb5"],
};

const f = (n: number) => n.toFixed(1);

function nodeSvg(p: PlacedNode): string {
  const [fill, stroke] = FILL[p.node.kind];
  const x0 = p.x - p.width / 2;
  const y0 = p.y - p.height / 2;
  const shape =
    p.node.kind === "op"
      ? `<ellipse fill="${fill}" stroke="${stroke}" cx="${f(p.x)}" cy="${f(p.y)}" rx="${f(p.width / 2)}" ry="${f(p.height / 2)}"/>`
      : `<rect fill="${fill}" stroke="${stroke}" x="${f(x0)}" y="${f(y0)}" width="${f(p.width)}" height="${f(p.height)}" rx="${p.node.kind === "module" ? 0 : 5}"/>`;
  const lines = nodeLines(p.node);
  const text = lines.map((l, i) => `<text text-anchor="middle" x="${f(p.x)}" y="${f(p.y + 4 + (i - (lines.length - 1) / 2) * 12)}" font-family="Helvetica,sans-Serif" font-size="${p.node.kind === "op" ? 9 : 10}">${xml(l)}</text>`).join("");
  return `<g id="${xml(p.node.id)}" class="node ${p.node.kind}"><title>${xml(p.node.id)}</title>${shape}${text}</g>`;
}

export function renderLayeredSvg(view: GraphView): string {
  const layout = layeredLayout(view);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${f(layout.width)}pt" height="${f(layout.height)}pt" viewBox="0 0 ${f(layout.width)} ${f(layout.height)}">`);
  out.push(`<g id="graph0" class="graph"><title>${xml(view.model)}</title><rect fill="white" x="0" y="0" width="${f(layout.width)}" height="${f(layout.height)}"/>`);
  for (const c of layout.clusters)
    out.push(`<g id="${xml(c.id)}" class="cluster"><title>cluster_${xml(c.id)}</title><rect fill="#f7f8fa" stroke="#aab2bd" x="${f(c.x)}" y="${f(c.y)}" width="${f(c.width)}" height="${f(c.height)}" rx="6"/><text x="${f(c.x + 6)}" y="${f(c.y + 12)}" font-family="Helvetica,sans-Serif" font-size="9">${xml(c.label)}</text></g>`);
  view.edges.forEach((e, i) => {
    const a = layout.nodes.get(e.from);
    const b = layout.nodes.get(e.to);
    if (!a || !b) return;
    const x0 = a.x;
    const y0 = a.y + a.height / 2;
    const x1 = b.x;
    const y1 = b.y - b.height / 2 - 5;
    // an edge over several ranks bends out to the right of what lies between
    const long = b.rank - a.rank > 1;
    let pass = 0;
    for (let r = a.rank + 1; long && r < b.rank; r++) pass = Math.max(pass, layout.rankRight[r] ?? 0);
    const bend = long ? pass + 16 - (x0 + x1) / 2 : 0;
    const d = long ? `M${f(x0)},${f(y0)} C${f(x0 + bend * 1.3)},${f(y0 + 20)} ${f(x1 + bend * 1.3)},${f(y1 - 20)} ${f(x1)},${f(y1)}` : `M${f(x0)},${f(y0)} L${f(x1)},${f(y1)}`;
    const color = e.error ? "#d00000" : "#777777";
    const width = e.error ? 2.2 : 1;
    const arrow = `${f(x1 - 3.5)},${f(y1)} ${f(x1 + 3.5)},${f(y1)} ${f(x1)},${f(y1 + 5)}`;
    const labelX = long ? (x0 + x1) / 2 + bend + 4 : (x0 + x1) / 2 + 6;
    const labelY = (y0 + y1) / 2 + 3;
    out.push(
      `<g id="e${i}" class="edge${e.error ? " error" : ""}"><title>${xml(e.error ?? `${e.from}->${e.to}`)}</title><path fill="none" stroke="${color}" stroke-width="${width}" d="${d}"/><polygon fill="${color}" stroke="${color}" points="${arrow}"/><text x="${f(labelX)}" y="${f(labelY)}" font-family="Helvetica,sans-Serif" font-size="8" fill="${e.error ? color : "#555555"}">${xml(e.label)}</text></g>`,
    );
  });
  for (const p of layout.nodes.values()) out.push(nodeSvg(p));
  out.push("</g></svg>");
  return `${out.join("\n")}\n`;
}
