// One self-contained HTML page: the SVG inline, zoom (wheel) and pan (drag),
// clusters that fold and unfold on click, a panel that shows the row of the node
// under the pointer (params, shapes, file:line) and a check error's message.
// No script or style is loaded from anywhere.
import type { GraphView } from "./graphView.js";
import { renderSvg } from "./svg.js";

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** JSON that a <script> element can hold: no "</script>" can close it early. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

const STYLE = `
html, body { margin: 0; height: 100%; font: 13px system-ui, sans-serif; background: #fff; }
#bar { position: fixed; top: 0; left: 0; right: 0; height: 19px; padding: 6px 10px; background: #f4f5f7; border-bottom: 1px solid #ddd; z-index: 2; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
#canvas { position: absolute; top: 32px; left: 0; right: 0; bottom: 0; overflow: hidden; cursor: grab; }
#canvas svg { width: 100%; height: 100%; }
#info { position: fixed; right: 10px; top: 42px; max-width: 420px; background: #fffffff0; border: 1px solid #ccc; border-radius: 4px; padding: 8px; display: none; white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 12px; z-index: 3; }
g.cluster > path, g.cluster > polygon { cursor: pointer; }
g.cluster.folded > path, g.cluster.folded > polygon { fill: #dde3ec; stroke-dasharray: 4 2; }
g.edge.error path { stroke: #d00000; }
svg.far text { display: none; }
.hidden { display: none; }
`;

/** the smallest scale at which the whole graph is shown when the page opens (10 pt labels at 5 px) */
const READABLE_SCALE = 0.5;

const SCRIPT = `
(() => {
  const graph = JSON.parse(document.getElementById("graph-data").textContent);
  const svg = document.querySelector("#canvas svg");
  const info = document.getElementById("info");
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const edges = graph.edges;
  // zoom and pan move the viewBox
  const vb = svg.viewBox.baseVal;
  let view = { x: vb.x, y: vb.y, w: vb.width, h: vb.height };
  // text too small to read is not drawn: redrawing thousands of labels is most of what a fold or a zoom costs
  const apply = () => {
    svg.setAttribute("viewBox", view.x + " " + view.y + " " + view.w + " " + view.h);
    const r = svg.getBoundingClientRect();
    svg.classList.toggle("far", Math.min(r.width / view.w, r.height / view.h) < 0.35);
  };
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  // the page opens on the whole graph when its labels are readable so, else at the graph's natural size, at the top
  const r0 = svg.getBoundingClientRect();
  if (Math.min(r0.width / vb.width, r0.height / vb.height) < ${READABLE_SCALE}) {
    view = { x: vb.width < r0.width ? vb.x - (r0.width - vb.width) / 2 : vb.x, y: vb.y, w: r0.width, h: r0.height };
  }
  apply();
  svg.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    const r = svg.getBoundingClientRect();
    const k = ev.deltaY > 0 ? 1.15 : 1 / 1.15;
    const scale = Math.max(view.w / r.width, view.h / r.height);
    const px = view.x + (ev.clientX - r.left) * scale, py = view.y + (ev.clientY - r.top) * scale;
    view = { x: px - (px - view.x) * k, y: py - (py - view.y) * k, w: view.w * k, h: view.h * k };
    apply();
  }, { passive: false });
  let drag = null;
  svg.addEventListener("mousedown", (ev) => { drag = { x: ev.clientX, y: ev.clientY, view: { ...view } }; });
  window.addEventListener("mouseup", () => { drag = null; });
  window.addEventListener("mousemove", (ev) => {
    if (!drag) return;
    const r = svg.getBoundingClientRect();
    const scale = Math.max(view.w / r.width, view.h / r.height);
    view = { ...drag.view, x: drag.view.x - (ev.clientX - drag.x) * scale, y: drag.view.y - (ev.clientY - drag.y) * scale };
    apply();
  });
  // folding: a cluster's nodes, its inner clusters and the edges between them hide; edges crossing its border stay.
  // Each element counts the folded clusters that hide it, so nested folds undo in any order; a cluster's members
  // are found on its first click, so a click costs what the cluster holds, not the whole graph.
  const clusterParent = new Map(graph.clusters.map((c) => [c.id, c.parent]));
  const within = (clusterId, ancestor) => { for (let c = clusterId; c; c = clusterParent.get(c)) if (c === ancestor) return true; return false; };
  const members = new Map();
  const membersOf = (id) => {
    if (!members.has(id)) {
      const ids = [];
      for (const n of graph.nodes) if (within(n.cluster, id)) ids.push(n.id);
      for (const c of graph.clusters) if (c.id !== id && within(c.id, id)) ids.push(c.id);
      edges.forEach((e, i) => { if (within(nodes.get(e.from).cluster, id) && within(nodes.get(e.to).cluster, id)) ids.push("e" + i); });
      members.set(id, ids.map((x) => document.getElementById(x)).filter((el) => el));
    }
    return members.get(id);
  };
  const hiders = new Map();
  const folded = new Set();
  const toggle = (id) => {
    const fold = !folded.has(id);
    if (fold) folded.add(id); else folded.delete(id);
    for (const el of membersOf(id)) {
      const count = (hiders.get(el) || 0) + (fold ? 1 : -1);
      hiders.set(el, count);
      el.classList.toggle("hidden", count > 0);
    }
    document.getElementById(id).classList.toggle("folded", fold);
  };
  for (const c of graph.clusters) {
    document.getElementById(c.id)?.addEventListener("click", (ev) => {
      if (ev.target.closest("g.node")) return;
      ev.stopPropagation();
      toggle(c.id);
    });
  }
  const shape = (s) => s === null || s === undefined ? "--" : s === "unknown" ? "?" : Array.isArray(s) && s.every((d) => !Array.isArray(d)) ? "[" + s.join(", ") + "]" : Array.isArray(s) ? "(" + s.map(shape).join(", ") + ")" : String(s);
  const describe = (n) => [
    n.label,
    "type: " + n.type,
    n.params !== undefined ? "params: " + (n.params === null ? "?" : n.params.toLocaleString("en-US")) : null,
    n.input_shape !== undefined ? "input: " + shape(n.input_shape) : null,
    n.output_shape !== undefined ? "output: " + shape(n.output_shape) : null,
    n.file !== undefined ? "defined: " + n.file + ":" + (n.cell !== undefined ? "cell " + n.cell + ":" : "") + n.line : null,
    n.call_line !== undefined ? "called: " + (n.call_cell !== undefined ? "cell " + n.call_cell + ", " : "") + "line " + n.call_line : null,
  ].filter((l) => l !== null).join("\\n");
  svg.addEventListener("mouseover", (ev) => {
    const node = ev.target.closest("g.node");
    const edge = ev.target.closest("g.edge");
    if (node && nodes.has(node.id)) info.textContent = describe(nodes.get(node.id));
    else if (edge) {
      const e = edges[Number(edge.id.slice(1))];
      if (!e) return;
      info.textContent = nodes.get(e.from).label + " → " + nodes.get(e.to).label + "\\n" + e.label + (e.error ? "\\n\\nerror: " + e.error : "");
    } else return;
    info.style.display = "block";
  });
  svg.addEventListener("mouseout", (ev) => { if (ev.target.closest("g.node, g.edge")) info.style.display = "none"; });
})();
`;

export function pageHtml(view: GraphView, svg: string): string {
  const title = `${view.model} — torchshape graph`;
  const body = svg.replace(/^<\?xml[^>]*>\s*/, "").replace(/^<!DOCTYPE[^>]*>\s*/, "");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<div id="bar"><b>${escapeHtml(view.model)}</b> (${escapeHtml(view.file)}), depth ${view.depth}: ${view.nodes.length} nodes, ${view.edges.length} edges. Wheel zooms, drag pans, a click on a cluster folds it.</div>
<div id="canvas">${body}</div>
<div id="info"></div>
<script type="application/json" id="graph-data">${scriptJson(view)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

export async function renderHtml(view: GraphView): Promise<string> {
  return pageHtml(view, await renderSvg(view));
}
