// The method resolution order of a class.
import { PyException } from "./errors.js";
import type { ClassValue } from "./values.js";

/** C3 linearisation, as Python computes it. */
export function computeMro(cls: ClassValue): ClassValue[] {
  const seqs: ClassValue[][] = [...cls.bases.map((b) => [...b.mro]), [...cls.bases]];
  const out: ClassValue[] = [cls];
  for (;;) {
    const nonEmpty = seqs.filter((s) => s.length > 0);
    if (nonEmpty.length === 0) return out;
    const head = nonEmpty.map((s) => s[0]).find((h) => !nonEmpty.some((s) => s.indexOf(h) > 0));
    if (!head) throw new PyException("TypeError", `cannot create a consistent method resolution order for ${cls.name}`);
    out.push(head);
    for (const s of nonEmpty) if (s[0] === head) s.shift();
  }
}
