// The rest of itertools (Python 3.11). Iterators are produced eagerly, so the infinite
// ones (count, cycle) give an unknown unless a bound is known (repeat with times).
import type { Interpreter } from "../interpreter.js";
import { numericValue } from "../operators.js";
import { requireInt } from "../builtins.js";
import { native, tuple, unknown, type Value } from "../values.js";

const iter = (items: Value[]): Value => ({ kind: "iterator", items, position: 0 });

function itemsOf(interp: Interpreter, v: Value | undefined): Value[] | undefined {
  return v ? interp.iterate(v) : undefined;
}

function truthy(interp: Interpreter, v: Value): boolean | undefined {
  return interp.truthy(v);
}

/** r-length arrangements, each chosen index allowed again when `again` (combinations_with_replacement) */
function choose(xs: Value[], r: number, ordered: boolean, again: boolean): Value[] {
  const out: Value[] = [];
  const pick = (start: number, chosen: number[]) => {
    if (chosen.length === r) return void out.push(tuple(chosen.map((i) => xs[i])));
    for (let i = ordered ? 0 : start; i < xs.length; i++) {
      if (ordered && chosen.includes(i)) continue;
      pick(again ? i : i + 1, [...chosen, i]);
    }
  };
  if (r <= xs.length || again) pick(0, []);
  return out;
}

export function itertoolsExtras(): Record<string, Value> {
  // `at`: which argument is the iterable (the predicate comes first in dropwhile, takewhile, filterfalse, starmap)
  const over = (name: string, at: number, f: (xs: Value[], interp: Interpreter, args: readonly Value[], kwargs: ReadonlyMap<string, Value>) => Value | undefined) =>
    native(`itertools.${name}`, (call) => {
      const xs = itemsOf(call.interp, call.args[at]);
      if (!xs) return unknown(`itertools.${name} over an unknown value`);
      return f(xs, call.interp, call.args, call.kwargs) ?? unknown(`itertools.${name} of undecidable values`);
    });
  return {
    count: native("itertools.count", () => unknown("itertools.count() is infinite")),
    cycle: native("itertools.cycle", () => unknown("itertools.cycle() is infinite")),
    compress: over("compress", 0, (xs, interp, args) => {
      const selectors = itemsOf(interp, args[1]);
      if (!selectors) return undefined;
      const keep: Value[] = [];
      for (let i = 0; i < Math.min(xs.length, selectors.length); i++) {
        const t = truthy(interp, selectors[i]);
        if (t === undefined) return undefined;
        if (t) keep.push(xs[i]);
      }
      return iter(keep);
    }),
    dropwhile: over("dropwhile", 1, (xs, interp, args) => {
      let i = 0;
      for (; i < xs.length; i++) {
        const t = truthy(interp, interp.callValue(args[0], [xs[i]]));
        if (t === undefined) return undefined;
        if (!t) break;
      }
      return iter(xs.slice(i));
    }),
    takewhile: over("takewhile", 1, (xs, interp, args) => {
      const out: Value[] = [];
      for (const x of xs) {
        const t = truthy(interp, interp.callValue(args[0], [x]));
        if (t === undefined) return undefined;
        if (!t) break;
        out.push(x);
      }
      return iter(out);
    }),
    filterfalse: over("filterfalse", 1, (xs, interp, args) => {
      const out: Value[] = [];
      for (const x of xs) {
        const t = truthy(interp, args[0].kind === "none" ? x : interp.callValue(args[0], [x]));
        if (t === undefined) return undefined;
        if (!t) out.push(x);
      }
      return iter(out);
    }),
    groupby: over("groupby", 0, (xs, interp, args, kwargs) => {
      const key = args[1] ?? kwargs.get("key");
      const groups: Value[] = [];
      let current: { k: Value; items: Value[] } | undefined;
      for (const x of xs) {
        const k = key && key.kind !== "none" ? interp.callValue(key, [x]) : x;
        const same = current ? interp.equals(current.k, k) : false;
        if (same === undefined) return undefined;
        if (current && same) current.items.push(x);
        else {
          current = { k, items: [x] };
          groups.push(tuple([k, iter(current.items)]));
        }
      }
      return iter(groups);
    }),
    pairwise: over("pairwise", 0, (xs) => iter(xs.slice(1).map((x, i) => tuple([xs[i], x])))),
    permutations: over("permutations", 0, (xs, _interp, args, kwargs) => {
      const r = args[1] ?? kwargs.get("r");
      return iter(choose(xs, r && r.kind !== "none" ? requireInt(r, "r") : xs.length, true, false));
    }),
    combinations_with_replacement: over("combinations_with_replacement", 0, (xs, _interp, args, kwargs) => iter(choose(xs, requireInt(args[1] ?? kwargs.get("r"), "r"), false, true))),
    starmap: over("starmap", 1, (xs, interp, args) => {
      const out: Value[] = [];
      for (const x of xs) {
        const a = itemsOf(interp, x);
        if (!a) return undefined;
        out.push(interp.callValue(args[0], a));
      }
      return iter(out);
    }),
    tee: over("tee", 0, (xs, _interp, args) => {
      const n = args[1] ? numericValue(args[1]) : 2;
      return typeof n === "number" ? tuple(Array.from({ length: n }, () => iter([...xs]))) : undefined;
    }),
    islice: over("islice", 0, (xs, _interp, args) => {
      const bound = (v: Value | undefined) => (v && v.kind !== "none" ? requireInt(v, "islice") : undefined);
      const [start, stop, step] = args.length <= 2 ? [0, bound(args[1]), 1] : [bound(args[1]) ?? 0, bound(args[2]), bound(args[3]) ?? 1];
      const out: Value[] = [];
      for (let i = start; i < (stop ?? xs.length) && i < xs.length; i += step) out.push(xs[i]);
      return iter(out);
    }),
  };
}
