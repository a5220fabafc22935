// Version order as Python's packaging.version.Version has it (PEP 440):
// 1.13.0a0 < 1.13 == 1.13.0 < 1.13.1 < 2.0.0.dev1 < 2.0.0rc1 < 2.0 < 2.0.post1.
// torch.__version__ is a TorchVersion, a str that compares this way.

export interface Version {
  readonly epoch: number;
  readonly release: readonly number[];
  /** a pre-release: ["a" | "b" | "rc", n] */
  readonly pre?: readonly [string, number];
  readonly post?: number;
  readonly dev?: number;
  readonly local?: readonly (number | string)[];
}

const pattern =
  /^\s*v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;

const preNames: Readonly<Record<string, string>> = { a: "a", alpha: "a", b: "b", beta: "b", c: "rc", rc: "rc", pre: "rc", preview: "rc" };

/** A version string as packaging reads it; undefined for what it calls an InvalidVersion. */
export function parseVersion(text: string): Version | undefined {
  const m = pattern.exec(text);
  if (!m) return undefined;
  const [, epoch, release, preName, preNumber, postImplicit, postName, postNumber, devName, devNumber, local] = m;
  return {
    epoch: epoch ? Number(epoch) : 0,
    release: release.split(".").map(Number),
    ...(preName ? { pre: [preNames[preName.toLowerCase()], Number(preNumber ?? 0)] as const } : {}),
    ...(postImplicit !== undefined ? { post: Number(postImplicit) } : postName ? { post: Number(postNumber ?? 0) } : {}),
    ...(devName ? { dev: Number(devNumber ?? 0) } : {}),
    ...(local ? { local: local.toLowerCase().split(/[-_.]/).map((s) => (/^\d+$/.test(s) ? Number(s) : s)) } : {}),
  };
}

function sign(n: number): -1 | 0 | 1 {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function compareNumbers(a: readonly number[], b: readonly number[]): -1 | 0 | 1 {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = sign((a[i] ?? 0) - (b[i] ?? 0));
    if (d !== 0) return d;
  }
  return 0;
}

/** packaging's sort key, field by field: a dev-only release sorts before its pre-releases, a final release after them. */
function preRank(v: Version): readonly number[] {
  if (v.pre) return [0, ["a", "b", "rc"].indexOf(v.pre[0]), v.pre[1]];
  return v.post === undefined && v.dev !== undefined ? [-1] : [1];
}

function compareLocal(a: readonly (number | string)[] | undefined, b: readonly (number | string)[] | undefined): -1 | 0 | 1 {
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    // numeric segments sort after alphanumeric ones
    if (typeof x !== typeof y) return typeof x === "number" ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return sign(a.length - b.length);
}

export function compareVersions(a: Version, b: Version): -1 | 0 | 1 {
  return (
    sign(a.epoch - b.epoch) ||
    compareNumbers(a.release, b.release) ||
    compareNumbers(preRank(a), preRank(b)) ||
    compareNumbers([a.post === undefined ? -1 : 0, a.post ?? 0], [b.post === undefined ? -1 : 0, b.post ?? 0]) ||
    compareNumbers([a.dev === undefined ? 1 : 0, a.dev ?? 0], [b.dev === undefined ? 1 : 0, b.dev ?? 0]) ||
    compareLocal(a.local, b.local)
  );
}

/** a < b as versions; undefined when either is not one. */
export function versionLess(a: string, b: string): boolean | undefined {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  return va && vb ? compareVersions(va, vb) < 0 : undefined;
}

/** Whether `version` is at least `since` (both written as versions). */
export function atLeast(version: string, since: string): boolean {
  const v = parseVersion(version);
  const s = parseVersion(since);
  return !v || !s || compareVersions(v, s) >= 0;
}
