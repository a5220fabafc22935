// Sequences whose length is a size, not a number: the rows of a tensor whose
// first size is symbolic (the detections a model kept). A comprehension over
// them runs its element once, on a row of that shape, and gives an Unknown that
// remembers "count items like this" (UnknownValue.rows): len() and the tensor
// joins read it; everything else sees an unknown, as before.
import { dimEquals } from "../shapes/dim.js";
import { makeTensor } from "../shapes/tensor.js";
import { tuple, unknown, type UnknownValue, type Value } from "./values.js";

type Rows = NonNullable<UnknownValue["rows"]>;

/** The uncounted rows a value iterates over, when it is such a sequence. */
export function uncountedRows(v: Value): Rows | undefined {
  if (v.kind === "unknown") return v.rows;
  if (v.kind === "tensor" && v.shape && v.shape.length > 0 && typeof v.shape[0] !== "number") return { count: v.shape[0], item: makeTensor(v.shape.slice(1), v.dtype) };
  return undefined;
}

/** zip() of uncounted sequences of one length: the tuples of their rows. */
export function zipUncounted(seqs: readonly Value[]): UnknownValue | undefined {
  const rows = seqs.map(uncountedRows);
  if (rows.length === 0 || rows.some((r) => !r)) return undefined;
  const count = rows[0]!.count;
  if (!rows.every((r) => dimEquals(r!.count, count))) return undefined;
  return uncounted(count, tuple(rows.map((r) => r!.item)));
}

export function uncounted(count: Rows["count"], item: Value): UnknownValue {
  return { ...unknown("a sequence whose length is a symbolic size"), rows: { count, item } };
}
