// A tensor dimension: a known integer, or a symbolic expression over named input
// sizes (N, H, W) with the arithmetic that conv and pool formulas need.
//
// Symbolic values are kept as polynomials with integer coefficients over atoms;
// an atom is a variable, a floor division of a polynomial by a positive integer,
// or an opaque term we cannot simplify. Normal forms make equal expressions
// print equally ("H // 2 // 2" and "H // 4" are the same dim).

export type Dim = number | SymDim;

/** Numbers the data-dependent sizes of one forward walk (nms_1, nms_2, ...). */
let dataDependentCount = 0;

/** Each forward walk numbers its data-dependent sizes from 1, so that a result does not depend on what ran before. */
export function resetDataDependentDims(): void {
  dataDependentCount = 0;
}

type Atom =
  | { readonly kind: "var"; readonly name: string; readonly key: string }
  | { readonly kind: "floordiv"; readonly num: Poly; readonly den: number; readonly key: string }
  | { readonly kind: "opaque"; readonly text: string; readonly key: string; readonly dataDependent?: boolean };

/** A product of atoms (sorted by key, with repetition) times a coefficient. */
interface Term {
  readonly atoms: readonly Atom[];
  readonly coef: number;
}

/** monomial key → term; the constant term has key "". */
type Poly = ReadonlyMap<string, Term>;

export class SymDim {
  private constructor(readonly poly: Poly) {}

  static fromPoly(poly: Poly): Dim {
    const constant = onlyConstant(poly);
    return constant === undefined ? new SymDim(poly) : constant;
  }

  static variable(name: string): SymDim {
    return new SymDim(single({ atoms: [{ kind: "var", name, key: name }], coef: 1 }));
  }

  /**
   * A dimension we cannot express: printed as given, equal only to itself.
   * `dataDependent` when it derives from a size that depends on the data.
   */
  static opaque(text: string, dataDependent = false): SymDim {
    return new SymDim(single({ atoms: [{ kind: "opaque", text, key: `?${dataDependent ? "data:" : ""}${text}`, dataDependent }], coef: 1 }));
  }

  /**
   * A size that depends on the tensor's values, not on shapes (the boxes nms
   * keeps, the elements a mask selects): a fresh dimension, equal only to
   * itself, named after what made it (`nms_1`, `nonzero_2`).
   */
  static dataDependent(what: string): SymDim {
    return SymDim.opaque(`${what}_${++dataDependentCount}`, true);
  }

  toString(): string {
    return printPoly(this.poly);
  }
}

function single(term: Term): Poly {
  return new Map([[monomialKey(term.atoms), term]]);
}

function monomialKey(atoms: readonly Atom[]): string {
  return atoms.map((a) => a.key).join("*");
}

function onlyConstant(poly: Poly): number | undefined {
  if (poly.size === 0) return 0;
  if (poly.size === 1 && poly.has("")) return poly.get("")!.coef;
  return undefined;
}

function polyOf(d: Dim): Poly {
  if (typeof d === "number") return d === 0 ? new Map() : new Map([["", { atoms: [], coef: d }]]);
  return d.poly;
}

function addPolys(a: Poly, b: Poly, scaleB = 1): Map<string, Term> {
  const out = new Map<string, Term>(a);
  for (const [key, term] of b) {
    const coef = (out.get(key)?.coef ?? 0) + term.coef * scaleB;
    if (coef === 0) out.delete(key);
    else out.set(key, { atoms: term.atoms, coef });
  }
  return out;
}

function mulPolys(a: Poly, b: Poly): Map<string, Term> {
  let out = new Map<string, Term>();
  for (const ta of a.values()) {
    for (const tb of b.values()) {
      const atoms = [...ta.atoms, ...tb.atoms].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
      out = addPolys(out, new Map([[monomialKey(atoms), { atoms, coef: ta.coef * tb.coef }]]));
    }
  }
  return out;
}

export function isSymbolic(d: Dim): d is SymDim {
  return typeof d !== "number";
}

export function dimAdd(a: Dim, b: Dim): Dim {
  if (typeof a === "number" && typeof b === "number") return a + b;
  return SymDim.fromPoly(addPolys(polyOf(a), polyOf(b)));
}

export function dimSub(a: Dim, b: Dim): Dim {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return SymDim.fromPoly(addPolys(polyOf(a), polyOf(b), -1));
}

export function dimMul(a: Dim, b: Dim): Dim {
  if (typeof a === "number" && typeof b === "number") return a * b;
  return SymDim.fromPoly(mulPolys(polyOf(a), polyOf(b)));
}

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/** Python's `a // b` for sizes (b a positive integer when a is symbolic). */
export function dimFloorDiv(a: Dim, b: Dim): Dim {
  if (typeof a === "number" && typeof b === "number") return floorDiv(a, b);
  if (typeof b !== "number" || b <= 0) return SymDim.opaque(`${wrap(a)} // ${wrap(b)}`);
  if (b === 1) return a;
  const poly = polyOf(a);
  // Split into the part whose coefficients b divides (exact) and the rest.
  const exact = new Map<string, Term>();
  const rest = new Map<string, Term>();
  for (const [key, term] of poly) {
    const q = floorDiv(term.coef, b);
    const r = term.coef - q * b;
    if (q !== 0) exact.set(key, { atoms: term.atoms, coef: q });
    if (r !== 0) rest.set(key, { atoms: term.atoms, coef: r });
  }
  if (rest.size === 0) return SymDim.fromPoly(exact);
  if (rest.size === 1 && rest.has("")) {
    // 0 <= r < b: floor(r / b) is zero
    return SymDim.fromPoly(exact);
  }
  // (x // a) // b == x // (a * b)
  if (rest.size === 1) {
    const [term] = rest.values();
    if (term.coef === 1 && term.atoms.length === 1 && term.atoms[0].kind === "floordiv") {
      const inner = term.atoms[0];
      return dimAdd(SymDim.fromPoly(exact), floorDivAtom(inner.num, inner.den * b));
    }
  }
  return dimAdd(SymDim.fromPoly(exact), floorDivAtom(rest, b));
}

function floorDivAtom(num: Poly, den: number): Dim {
  const key = `(${printPoly(num)})//${den}`;
  return SymDim.fromPoly(single({ atoms: [{ kind: "floordiv", num, den, key }], coef: 1 }));
}

/** ceil(a / b) = (a + b - 1) // b for a positive integer b (prints better than -((-a) // b)) */
export function dimCeilDiv(a: Dim, b: Dim): Dim {
  if (typeof b === "number" && b > 0) return dimFloorDiv(dimAdd(a, b - 1), b);
  return dimNeg(dimFloorDiv(dimNeg(a), b));
}

export function dimNeg(a: Dim): Dim {
  return dimMul(a, -1);
}

export function dimMod(a: Dim, b: Dim): Dim {
  if (typeof a === "number" && typeof b === "number") return a - floorDiv(a, b) * b;
  return dimSub(a, dimMul(dimFloorDiv(a, b), b));
}

/** Exact division when it is known to be exact, else undefined. */
export function dimDivExact(a: Dim, b: Dim): Dim | undefined {
  if (typeof a === "number" && typeof b === "number") return b !== 0 && a % b === 0 ? a / b : undefined;
  if (typeof b === "number") {
    if (b === 0) return undefined;
    const out = new Map<string, Term>();
    for (const [key, term] of polyOf(a)) {
      if (term.coef % b !== 0) return undefined;
      out.set(key, { atoms: term.atoms, coef: term.coef / b });
    }
    return SymDim.fromPoly(out);
  }
  // a symbolic divisor: exact when b divides every term as a monomial with integer coefficient
  const bPoly = polyOf(b);
  if (bPoly.size !== 1) return dividedBySum(a, bPoly);
  const [bt] = bPoly.values();
  const out = new Map<string, Term>();
  for (const term of polyOf(a).values()) {
    const q = termQuotient(term, bt);
    if (!q) return undefined;
    out.set(monomialKey(q.atoms), q);
  }
  return SymDim.fromPoly(out);
}

/** term / divisor as a monomial with an integer coefficient, when it is one. */
function termQuotient(term: Term, divisor: Term): Term | undefined {
  const remaining = [...term.atoms];
  for (const atom of divisor.atoms) {
    const i = remaining.findIndex((x) => x.key === atom.key);
    if (i < 0) return undefined;
    remaining.splice(i, 1);
  }
  if (term.coef % divisor.coef !== 0) return undefined;
  return { atoms: remaining, coef: term.coef / divisor.coef };
}

/** a / b for a divisor of several terms: exact when a is a monomial times b ((364a + 364b) / (a + b) = 364). */
function dividedBySum(a: Dim, b: Poly): Dim | undefined {
  const leading = (p: Poly) => [...p.values()].sort((x, y) => degree(y) - degree(x) || (monomialKey(x.atoms) < monomialKey(y.atoms) ? -1 : 1))[0];
  const aPoly = polyOf(a);
  if (aPoly.size === 0) return 0;
  const q = termQuotient(leading(aPoly), leading(b));
  if (!q) return undefined;
  const quotient = SymDim.fromPoly(single(q));
  return dimEquals(a, dimMul(quotient, SymDim.fromPoly(b))) ? quotient : undefined;
}

export function dimEquals(a: Dim, b: Dim): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b;
  return onlyConstant(addPolys(polyOf(a), polyOf(b), -1)) === 0;
}

/** Whether a == b is decidable: known true, known false, or unknown. */
export function dimCompareEq(a: Dim, b: Dim): boolean | undefined {
  if (dimEquals(a, b)) return true;
  const diff = dimSub(a, b);
  if (typeof diff === "number") return false;
  const [low, high] = bounds(diff.poly);
  if (low > 0 || high < 0) return false;
  return undefined;
}

/**
 * Sign facts assuming every variable is a positive integer, and every
 * data-dependent size nonempty: true when a > b is certain, false when a <= b is.
 * (Code that branches on `boxes.numel() > 0` is read on its nonempty path.)
 */
export function dimGreater(a: Dim, b: Dim): boolean | undefined {
  const diff = dimSub(a, b);
  if (typeof diff === "number") return diff > 0;
  const [low, high] = bounds(diff.poly);
  if (low > 0) return true;
  if (high <= 0) return false;
  return undefined;
}

/**
 * Bounds of a polynomial whose atoms are each at least 1 (variables, data-dependent
 * sizes): all other terms positive, it is at least the constant plus their
 * coefficients; all negative, at most that. Other forms are unbounded.
 */
function bounds(poly: Poly): [number, number] {
  let constant = 0;
  let positive = 0;
  let negative = 0;
  for (const term of poly.values()) {
    if (term.atoms.length === 0) {
      constant = term.coef;
      continue;
    }
    if (!term.atoms.every((a) => a.kind === "var" || (a.kind === "opaque" && a.dataDependent))) return [-Infinity, Infinity];
    if (term.coef > 0) positive += term.coef;
    else negative += term.coef;
  }
  return [negative < 0 ? -Infinity : constant + positive, positive > 0 ? Infinity : constant + negative];
}

export function dimProduct(dims: readonly Dim[]): Dim {
  return dims.reduce<Dim>((acc, d) => dimMul(acc, d), 1);
}

/** Substitute concrete values for variables; undefined if something stays symbolic. */
export function dimEvaluate(d: Dim, env: ReadonlyMap<string, number>): number | undefined {
  if (typeof d === "number") return d;
  return evalPoly(d.poly, env);
}

function evalPoly(poly: Poly, env: ReadonlyMap<string, number>): number | undefined {
  let sum = 0;
  for (const term of poly.values()) {
    let v = term.coef;
    for (const atom of term.atoms) {
      let a: number | undefined;
      if (atom.kind === "var") a = env.get(atom.name);
      else if (atom.kind === "floordiv") {
        const n = evalPoly(atom.num, env);
        a = n === undefined ? undefined : floorDiv(n, atom.den);
      }
      if (a === undefined) return undefined;
      v *= a;
    }
    sum += v;
  }
  return sum;
}

/** Whether a dim depends on the data (a data-dependent size appears in it). */
export function dimIsDataDependent(d: Dim): boolean {
  return typeof d !== "number" && polyIsDataDependent(d.poly);
}

function polyIsDataDependent(poly: Poly): boolean {
  for (const term of poly.values())
    for (const atom of term.atoms) {
      if (atom.kind === "opaque" && atom.dataDependent) return true;
      if (atom.kind === "floordiv" && polyIsDataDependent(atom.num)) return true;
    }
  return false;
}

export function dimVariables(d: Dim): Set<string> {
  const out = new Set<string>();
  if (typeof d !== "number") collectVars(d.poly, out);
  return out;
}

function collectVars(poly: Poly, out: Set<string>): void {
  for (const term of poly.values())
    for (const atom of term.atoms) {
      if (atom.kind === "var") out.add(atom.name);
      else if (atom.kind === "floordiv") collectVars(atom.num, out);
    }
}

export function dimToString(d: Dim): string {
  return typeof d === "number" ? String(d) : d.toString();
}

/** JSON form of a dim: an integer, or its expression as a string. */
export function dimToJson(d: Dim): number | string {
  return typeof d === "number" ? d : d.toString();
}

function wrap(d: Dim): string {
  const s = dimToString(d);
  return /^[\w.]+$/.test(s) ? s : `(${s})`;
}

function printAtom(atom: Atom): string {
  if (atom.kind === "var") return atom.name;
  if (atom.kind === "opaque") return atom.text;
  const num = printPoly(atom.num);
  return `${atom.num.size > 1 || /\s/.test(num) ? `(${num})` : num} // ${atom.den}`;
}

function printTerm(term: Term, abs: boolean): string {
  const coef = abs ? Math.abs(term.coef) : term.coef;
  // variables first, then floor divisions: "8 * N * (H // 4)"
  const ordered = [...term.atoms].sort((a, b) => Number(a.kind !== "var") - Number(b.kind !== "var"));
  const factors = ordered.map((a) => (term.atoms.length > 1 || coef !== 1 ? (a.kind === "var" ? a.name : `(${printAtom(a)})`) : printAtom(a)));
  if (factors.length === 0) return String(coef);
  if (coef === 1) return factors.join(" * ");
  if (coef === -1 && !abs) return `-${factors.join(" * ")}`;
  return [String(coef), ...factors].join(" * ");
}

function degree(term: Term): number {
  return term.atoms.length;
}

function printPoly(poly: Poly): string {
  const terms = [...poly.values()].sort((a, b) => degree(b) - degree(a) || (monomialKey(a.atoms) < monomialKey(b.atoms) ? -1 : 1));
  if (terms.length === 0) return "0";
  let out = printTerm(terms[0], false);
  for (const t of terms.slice(1)) out += t.coef < 0 ? ` - ${printTerm(t, true)}` : ` + ${printTerm(t, false)}`;
  return out;
}

/** What solving `d = value` over the positive integers needs to know about d's form. */
export interface DimForm {
  /** the constant term */
  readonly constant: number;
  /** the gcd of the other terms' coefficients: d - constant is always a multiple of it */
  readonly gcd: number;
  /** d never decreases as a variable grows (positive coefficients all the way down) */
  readonly monotone: boolean;
  /** every atom can be evaluated (no opaque terms) */
  readonly evaluable: boolean;
}

function gcdOf(a: number, b: number): number {
  return b === 0 ? Math.abs(a) : gcdOf(b, a % b);
}

function polyMonotone(poly: Poly): { monotone: boolean; evaluable: boolean } {
  let monotone = true;
  let evaluable = true;
  for (const term of poly.values()) {
    if (term.atoms.length > 0 && term.coef < 0) monotone = false;
    for (const atom of term.atoms) {
      if (atom.kind === "opaque") evaluable = false;
      else if (atom.kind === "floordiv") {
        const inner = polyMonotone(atom.num);
        monotone &&= inner.monotone;
        evaluable &&= inner.evaluable;
      }
    }
  }
  return { monotone, evaluable };
}

export function dimForm(d: Dim): DimForm {
  if (typeof d === "number") return { constant: d, gcd: 0, monotone: true, evaluable: true };
  let gcd = 0;
  let constant = 0;
  for (const [key, term] of d.poly) {
    if (key === "") constant = term.coef;
    else gcd = gcdOf(gcd, term.coef);
  }
  return { constant, gcd, ...polyMonotone(d.poly) };
}
