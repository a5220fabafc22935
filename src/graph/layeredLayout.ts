// A layered layout of our own for graphs too large for Graphviz's dot (its
// crossing minimisation grows much faster than the graph: about 33 s for 5,000
// nodes here). Nodes come in execution order, which is a topological order, so a
// node's rank is one more than its deepest input's; within a rank, each node wants
// the mean x of its inputs, and nodes are pushed apart left to right. An edge over
// more than one rank bends out to the right of the column (a residual's shortcut).
// Linear in nodes and edges.
import type { GraphView, ViewNode } from "./graphView.js";

export interface PlacedNode {
  readonly node: ViewNode;
  /** centre */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly rank: number;
}

export interface PlacedCluster {
  readonly id: string;
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface LayeredLayout {
  readonly nodes: ReadonlyMap<string, PlacedNode>;
  readonly clusters: readonly PlacedCluster[];
  readonly width: number;
  readonly height: number;
  /** the right edge of each rank's rightmost node: where an edge over several ranks can pass */
  readonly rankRight: readonly number[];
}

const CHAR_WIDTH = 6.2;
const NODE_HEIGHT = 24;
const RANK_GAP = 26;
const NODE_GAP = 18;
const CLUSTER_PAD = 10;
const CLUSTER_LABEL = 14;

export function nodeLines(n: ViewNode): string[] {
  return n.kind === "input" || n.kind === "output" ? [n.label, shapeText(n.output_shape)] : [n.label];
}

function shapeText(shape: unknown): string {
  if (shape === null || shape === undefined) return "--";
  if (shape === "unknown") return "?";
  if (Array.isArray(shape) && shape.every((d) => !Array.isArray(d))) return `[${shape.join(", ")}]`;
  return Array.isArray(shape) ? `(${shape.map(shapeText).join(", ")})` : String(shape);
}

export function layeredLayout(view: GraphView): LayeredLayout {
  const index = new Map(view.nodes.map((n, i) => [n.id, i] as const));
  const inputs: number[][] = view.nodes.map(() => []);
  for (const e of view.edges) {
    const from = index.get(e.from);
    const to = index.get(e.to);
    if (from !== undefined && to !== undefined && from < to) inputs[to].push(from);
  }
  const rank = view.nodes.map(() => 0);
  for (let i = 0; i < view.nodes.length; i++) for (const p of inputs[i]) rank[i] = Math.max(rank[i], rank[p] + 1);
  const size = view.nodes.map((n) => {
    const lines = nodeLines(n);
    return { width: Math.max(40, Math.max(...lines.map((l) => l.length)) * CHAR_WIDTH + 16), height: NODE_HEIGHT + (lines.length - 1) * 12 };
  });
  const ranks: number[][] = [];
  view.nodes.forEach((_, i) => (ranks[rank[i]] ??= []).push(i));
  // the ranks each cluster spans (its inner clusters' included), so that its border and label get room
  const parentOf = new Map(view.clusters.map((c) => [c.id, c.parent] as const));
  const span = new Map<string, { first: number; last: number }>();
  view.nodes.forEach((n, i) => {
    for (let c = n.cluster; c; c = parentOf.get(c) ?? null) {
      const s = span.get(c);
      span.set(c, s ? { first: Math.min(s.first, rank[i]), last: Math.max(s.last, rank[i]) } : { first: rank[i], last: rank[i] });
    }
  });
  const opening = new Map<number, number>();
  const closing = new Map<number, number>();
  for (const { first, last } of span.values()) {
    opening.set(first, (opening.get(first) ?? 0) + 1);
    closing.set(last, (closing.get(last) ?? 0) + 1);
  }
  const x = view.nodes.map(() => 0);
  const y = view.nodes.map(() => 0);
  let top = CLUSTER_PAD;
  for (const [r, members] of ranks.entries()) {
    if (!members) continue;
    top += (opening.get(r) ?? 0) * (CLUSTER_PAD + CLUSTER_LABEL) + (closing.get(r - 1) ?? 0) * CLUSTER_PAD;
    const wanted = members.map((i) => (inputs[i].length > 0 ? inputs[i].reduce((s, p) => s + x[p], 0) / inputs[i].length : 0));
    const order = members.map((i, k) => ({ i, want: wanted[k] })).sort((a, b) => a.want - b.want);
    let right = -Infinity;
    for (const { i, want } of order) {
      const half = size[i].width / 2;
      x[i] = Math.max(want, right + NODE_GAP + half);
      right = x[i] + half;
    }
    const height = Math.max(...members.map((i) => size[i].height));
    for (const i of members) y[i] = top + height / 2;
    top += height + RANK_GAP;
  }
  // shift everything right of the left margin
  const left = Math.min(...view.nodes.map((_, i) => x[i] - size[i].width / 2));
  const placed = new Map<string, PlacedNode>();
  const rankRight = ranks.map(() => 0);
  view.nodes.forEach((n, i) => {
    const p = { node: n, x: x[i] - left + CLUSTER_PAD * 4, y: y[i], width: size[i].width, height: size[i].height, rank: rank[i] };
    placed.set(n.id, p);
    rankRight[rank[i]] = Math.max(rankRight[rank[i]], p.x + p.width / 2);
  });

  // clusters: the box around their nodes and inner clusters, deepest first
  const boxes = new Map<string, { x0: number; y0: number; x1: number; y1: number }>();
  const grow = (id: string, x0: number, y0: number, x1: number, y1: number) => {
    const b = boxes.get(id);
    boxes.set(id, b ? { x0: Math.min(b.x0, x0), y0: Math.min(b.y0, y0), x1: Math.max(b.x1, x1), y1: Math.max(b.y1, y1) } : { x0, y0, x1, y1 });
  };
  for (const p of placed.values()) if (p.node.cluster) grow(p.node.cluster, p.x - p.width / 2, p.y - p.height / 2, p.x + p.width / 2, p.y + p.height / 2);
  const byDepth = [...view.clusters].sort((a, b) => b.depth - a.depth);
  const clusters: PlacedCluster[] = [];
  for (const c of byDepth) {
    const b = boxes.get(c.id);
    if (!b) continue;
    const box = { x0: b.x0 - CLUSTER_PAD, y0: b.y0 - CLUSTER_PAD - CLUSTER_LABEL, x1: b.x1 + CLUSTER_PAD, y1: b.y1 + CLUSTER_PAD };
    clusters.push({ id: c.id, label: c.label, x: box.x0, y: box.y0, width: box.x1 - box.x0, height: box.y1 - box.y0 });
    if (c.parent) grow(c.parent, box.x0, box.y0, box.x1, box.y1);
  }
  clusters.reverse();
  let width = 0;
  for (const p of placed.values()) width = Math.max(width, p.x + p.width / 2);
  for (const c of clusters) width = Math.max(width, c.x + c.width);
  return { nodes: placed, clusters, width: width + 120, height: top, rankRight };
}
