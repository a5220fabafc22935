// Shape arithmetic shared by the layer rules: broadcasting, dim normalisation,
// element counts and the conv/pool output-size formulas of PyTorch's docs.
import { dimAdd, dimCeilDiv, dimEquals, dimFloorDiv, dimMul, dimProduct, dimSub, dimToString, isSymbolic, type Dim } from "./dim.js";

export type Shape = readonly Dim[];

export function formatShape(shape: Shape | undefined): string {
  return shape ? `[${shape.map(dimToString).join(", ")}]` : "unknown";
}

export function numel(shape: Shape): Dim {
  return dimProduct(shape);
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => dimEquals(d, b[i]));
}

/** Whether some input can make two shapes the same: equal ranks, and each pair of sizes equal or not both known. */
export function shapesMayBeEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => dimEquals(d, b[i]) || isSymbolic(d) || isSymbolic(b[i]));
}

/** A dim index in [-rank, rank) normalised to [0, rank); undefined when out of range. */
export function normalizeAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}

export type BroadcastResult = { readonly ok: true; readonly shape: Shape } | { readonly ok: false; readonly axis: number; readonly left: Dim; readonly right: Dim };

/** NumPy/PyTorch broadcasting of two shapes. A symbolic pair that differs is taken to match the non-1 side. */
export function broadcastShapes(a: Shape, b: Shape): BroadcastResult {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (dimEquals(da, db) || db === 1) out.push(da);
    else if (da === 1) out.push(db);
    else if (isSymbolic(da) || isSymbolic(db)) out.push(isSymbolic(da) ? db : da);
    else return { ok: false, axis: i - rank, left: da, right: db };
  }
  return { ok: true, shape: out };
}

/** floor((in + 2p - d(k-1) - 1) / s) + 1, the Conv/MaxPool output size. */
export function convOutputSize(input: Dim, kernel: number, stride: number, padding: number, dilation = 1, ceilMode = false): Dim {
  const span = dimSub(dimAdd(input, 2 * padding), dilation * (kernel - 1) + 1);
  let out = dimAdd(ceilMode ? dimCeilDiv(span, stride) : dimFloorDiv(span, stride), 1);
  // ceil_mode: the last window must start inside the input or left padding
  if (ceilMode && typeof out === "number" && typeof input === "number" && (out - 1) * stride >= input + padding) out -= 1;
  return out;
}

/** (in - 1)s - 2p + d(k-1) + output_padding + 1, the ConvTranspose output size. */
export function convTransposeOutputSize(input: Dim, kernel: number, stride: number, padding: number, outputPadding: number, dilation = 1): Dim {
  return dimAdd(dimMul(dimSub(input, 1), stride), -2 * padding + dilation * (kernel - 1) + outputPadding + 1);
}

