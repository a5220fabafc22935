// The rest of math (Python 3.11): combinatorics on exact integers, float decomposition,
// gamma functions and IEEE remainders. A symbolic argument gives an unknown; an integer
// result too large for a double's exact range gives an unknown, never a rounded guess.
import { PyException } from "../errors.js";
import { numericValue } from "../operators.js";
import { float, int, native, tuple, unknown, type NativeCall, type Value } from "../values.js";

const exactLimit = 2 ** 53;

function number(v: Value | undefined): number | undefined {
  if (!v) throw new PyException("TypeError", "missing argument");
  if (v.kind === "float") return v.value;
  const n = numericValue(v);
  return typeof n === "number" ? n : undefined;
}

/** a math function over known numbers: unknown when any argument is symbolic */
function over(name: string, f: (xs: number[], call: NativeCall) => Value): Value {
  return native(`math.${name}`, (call) => {
    const xs = call.args.map(number);
    if (xs.some((x) => x === undefined)) return unknown(`math.${name} of a symbolic value`);
    return f(xs as number[], call);
  });
}

function exactInt(name: string, n: number): Value {
  return Math.abs(n) < exactLimit ? int(n) : unknown(`math.${name}: the result is beyond exact integers`);
}

function nonNegativeInt(name: string, x: number): number {
  if (!Number.isInteger(x)) throw new PyException("TypeError", `'float' object cannot be interpreted as an integer`);
  if (x < 0) throw new PyException("ValueError", `${name}() not defined for negative values`);
  return x;
}

function factorial(n: number): number {
  let r = 1;
  for (let i = 2; i <= n; i++) r *= i;
  return r;
}

function perm(n: number, k: number): number {
  if (k > n) return 0;
  let r = 1;
  for (let i = n - k + 1; i <= n; i++) r *= i;
  return r;
}

function comb(n: number, k: number): number {
  if (k > n) return 0;
  k = Math.min(k, n - k);
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** Lanczos approximation (g = 7), exact factorials for positive integers */
function gamma(x: number): number {
  if (Number.isInteger(x)) {
    if (x <= 0) throw new PyException("ValueError", "math domain error");
    if (x <= 171) return factorial(x - 1);
  }
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return Math.sqrt(2 * Math.PI) * t ** (z + 0.5) * Math.exp(-t) * a;
}

function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let e = Math.max(-1073, Math.floor(Math.log2(Math.abs(x))) + 1);
  let m = x * 2 ** -e;
  while (Math.abs(m) < 0.5) {
    m *= 2;
    e--;
  }
  while (Math.abs(m) >= 1) {
    m /= 2;
    e++;
  }
  return [m, e];
}

/** Neumaier's compensated sum: fsum's exactness for the sums model code makes */
function fsum(xs: number[]): number {
  let sum = 0;
  let c = 0;
  for (const x of xs) {
    const t = sum + x;
    c += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return sum + c;
}

function nextAfter(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x === y) return y;
  if (x === 0) return y > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  buf.setBigUint64(0, (y > x) === (x > 0) ? bits + 1n : bits - 1n);
  return buf.getFloat64(0);
}

function remainder(x: number, y: number): number {
  if (y === 0 || !Number.isFinite(x)) throw new PyException("ValueError", "math domain error");
  if (!Number.isFinite(y)) return x;
  const q = x / y;
  let n = Math.round(q);
  if (Math.abs(q % 1) === 0.5 && n % 2 !== 0) n -= 1;
  return x - n * y;
}

export function mathExtras(): Record<string, Value> {
  const f1 = (name: string, g: (x: number) => number) => over(name, ([x]) => float(g(x)));
  return {
    acosh: f1("acosh", Math.acosh),
    asinh: f1("asinh", Math.asinh),
    atanh: f1("atanh", Math.atanh),
    cbrt: f1("cbrt", Math.cbrt),
    exp2: f1("exp2", (x) => 2 ** x),
    gamma: f1("gamma", gamma),
    lgamma: f1("lgamma", (x) => Math.log(Math.abs(gamma(x)))),
    ulp: f1("ulp", (x) => (Number.isFinite(x) ? Math.abs(nextAfter(Math.abs(x), Infinity) - Math.abs(x)) : Math.abs(x))),
    fmod: over("fmod", ([x, y]) => {
      if (y === 0) throw new PyException("ValueError", "math domain error");
      return float(x % y);
    }),
    remainder: over("remainder", ([x, y]) => float(remainder(x, y))),
    ldexp: over("ldexp", ([x, e]) => float(x * 2 ** e)),
    nextafter: over("nextafter", ([x, y]) => float(nextAfter(x, y))),
    frexp: over("frexp", ([x]) => {
      const [m, e] = frexp(x);
      return tuple([float(m), int(e)]);
    }),
    modf: over("modf", ([x]) => {
      const whole = Math.trunc(x);
      return tuple([float(Number.isFinite(x) ? x - whole : 0 * Math.sign(x)), float(whole)]);
    }),
    factorial: over("factorial", ([x]) => exactInt("factorial", factorial(nonNegativeInt("factorial", x)))),
    perm: over("perm", ([n, k], call) => exactInt("perm", perm(nonNegativeInt("perm", n), nonNegativeInt("perm", call.args[1] ? k : n)))),
    comb: over("comb", ([n, k]) => exactInt("comb", comb(nonNegativeInt("comb", n), nonNegativeInt("comb", k)))),
    lcm: over("lcm", (xs) => {
      let acc = 1;
      for (const x of xs) {
        if (x === 0) return int(0);
        let a = Math.abs(acc);
        let b = Math.abs(x);
        while (b) [a, b] = [b, a % b];
        acc = Math.abs(acc * x) / a;
      }
      return exactInt("lcm", acc);
    }),
    dist: native("math.dist", (call) => {
      const p = call.interp.iterate(call.args[0])?.map(number);
      const q = call.interp.iterate(call.args[1])?.map(number);
      if (!p || !q || [...p, ...q].some((x) => x === undefined)) return unknown("math.dist of unknown points");
      if (p.length !== q.length) throw new PyException("ValueError", "both points must have the same number of dimensions");
      return float(Math.hypot(...p.map((x, i) => x! - q[i]!)));
    }),
    fsum: native("math.fsum", (call) => {
      const xs = call.interp.iterate(call.args[0])?.map(number);
      if (!xs || xs.some((x) => x === undefined)) return unknown("math.fsum of unknown values");
      return float(fsum(xs as number[]));
    }),
  };
}
