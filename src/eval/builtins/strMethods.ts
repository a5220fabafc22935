// str's methods, as Python 3.11 documents them ("String Methods"). encode gives bytes,
// which the evaluator does not model: an honest unknown.
import { PyException } from "../errors.js";
import type { Interpreter } from "../interpreter.js";
import { typeName } from "../naming.js";
import { sliceBounds } from "../slicing.js";
import { bool, hashKey, int, list, makeDict, str, tuple, unknown, type NativeCall, type Value } from "../values.js";
import { requireInt } from "./collect.js";
import { arg, selfOf, type MethodTable } from "./methodTables.js";
import { strFormat } from "./strFormat.js";

const whitespace = /^[\s\x1c-\x1f\x85]$/u;
const isSpace = (c: string) => whitespace.test(c) && c !== "\ufeff";
const lineBreaks = new Set(["\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]);
const isCased = (c: string) => c.toLowerCase() !== c.toUpperCase();
const isUpper = (c: string) => isCased(c) && c === c.toUpperCase() && c !== c.toLowerCase();
const isLower = (c: string) => isCased(c) && c === c.toLowerCase() && c !== c.toUpperCase();

function text(call: NativeCall): string {
  return selfOf(call, "str").value;
}

function strArg(call: NativeCall, position: number, keyword: string, method: string): string {
  const v = arg(call, position, keyword);
  if (v?.kind !== "str") throw new PyException("TypeError", `${method}() argument must be str, not ${v ? typeName(v) : "None"}`);
  return v.value;
}

/** the [start:end] window that find/count/startswith take, as indices into s */
function window(call: NativeCall, s: string, from: number): [number, number] {
  const bound = (v: Value | undefined) => (v && v.kind !== "none" ? requireInt(v, "slice indices") : undefined);
  const [start, end] = sliceBounds(s.length, bound(call.args[from]), bound(call.args[from + 1]), 1);
  return [start, Math.max(start, end)];
}

/** chars stripped by strip/lstrip/rstrip: whitespace by default */
function stripper(call: NativeCall): (c: string) => boolean {
  const chars = arg(call, 1, "chars");
  if (!chars) return isSpace;
  if (chars.kind !== "str") throw new PyException("TypeError", `strip arg must be None or str`);
  return (c) => chars.value.includes(c);
}

function strip(s: string, drop: (c: string) => boolean, left: boolean, right: boolean): string {
  const cs = [...s];
  let a = 0;
  let b = cs.length;
  while (left && a < b && drop(cs[a])) a++;
  while (right && b > a && drop(cs[b - 1])) b--;
  return cs.slice(a, b).join("");
}

/** str.split/rsplit: by a separator, or by runs of whitespace when sep is None */
function split(call: NativeCall, fromRight: boolean): Value {
  const s = text(call);
  const sepValue = arg(call, 1, "sep");
  const maxValue = arg(call, 2, "maxsplit");
  const max = maxValue ? requireInt(maxValue, "maxsplit") : -1;
  if (sepValue && sepValue.kind !== "str") throw new PyException("TypeError", `must be str or None, not ${typeName(sepValue)}`);
  let parts: string[];
  if (sepValue) {
    const sep = sepValue.value;
    if (sep === "") throw new PyException("ValueError", "empty separator");
    parts = s.split(sep);
    if (max >= 0 && parts.length > max + 1) parts = fromRight ? [parts.slice(0, parts.length - max).join(sep), ...parts.slice(parts.length - max)] : [...parts.slice(0, max), parts.slice(max).join(sep)];
    return list(parts.map(str));
  }
  // whitespace: runs are one separator, and the ends are stripped (the remainder keeps its own whitespace)
  parts = [];
  const cs = [...s];
  if (!fromRight) {
    let i = 0;
    while (i < cs.length) {
      while (i < cs.length && isSpace(cs[i])) i++;
      if (i >= cs.length) break;
      if (max >= 0 && parts.length === max) {
        parts.push(cs.slice(i).join(""));
        break;
      }
      let j = i;
      while (j < cs.length && !isSpace(cs[j])) j++;
      parts.push(cs.slice(i, j).join(""));
      i = j;
    }
    return list(parts.map(str));
  }
  let i = cs.length;
  while (i > 0) {
    while (i > 0 && isSpace(cs[i - 1])) i--;
    if (i <= 0) break;
    if (max >= 0 && parts.length === max) {
      parts.unshift(cs.slice(0, i).join(""));
      break;
    }
    let j = i;
    while (j > 0 && !isSpace(cs[j - 1])) j--;
    parts.unshift(cs.slice(j, i).join(""));
    i = j;
  }
  return list(parts.map(str));
}

function find(call: NativeCall, fromRight: boolean): number {
  const s = text(call);
  const sub = strArg(call, 1, "sub", fromRight ? "rfind" : "find");
  const [start, end] = window(call, s, 2);
  if (end - start < sub.length) return -1;
  const hay = s.slice(start, end);
  const at = fromRight ? hay.lastIndexOf(sub) : hay.indexOf(sub);
  return at < 0 ? -1 : at + start;
}

function affix(call: NativeCall, test: (s: string, p: string) => boolean, method: string): Value {
  const s = text(call);
  const [start, end] = window(call, s, 2);
  const p = call.args[1];
  const options = p?.kind === "tuple" ? p.items : [p];
  for (const o of options) if (o?.kind !== "str") throw new PyException("TypeError", `${method} first arg must be str or a tuple of str, not ${o ? typeName(o) : "None"}`);
  const part = s.slice(start, end);
  if (end < start || start > s.length) return bool(false);
  return bool(options.some((o) => test(part, (o as { value: string }).value)));
}

function pad(call: NativeCall, place: (s: string, width: number, fill: string) => string): Value {
  const s = text(call);
  const width = requireInt(arg(call, 1, "width"), "width");
  const fillValue = arg(call, 2, "fillchar");
  const fill = fillValue ? (fillValue.kind === "str" ? fillValue.value : "") : " ";
  if ([...fill].length !== 1) throw new PyException("TypeError", "The fill character must be exactly one character long");
  const n = [...s].length;
  return str(width <= n ? s : place(s, width - n, fill));
}

function title(s: string): string {
  let out = "";
  let previousCased = false;
  for (const c of s) {
    out += isCased(c) ? (previousCased ? c.toLowerCase() : c.toUpperCase()) : c;
    previousCased = isCased(c);
  }
  return out;
}

function isTitle(s: string): boolean {
  let cased = false;
  let previousCased = false;
  for (const c of s) {
    if (isUpper(c)) {
      if (previousCased) return false;
      previousCased = cased = true;
    } else if (isLower(c)) {
      if (!previousCased) return false;
      previousCased = cased = true;
    } else previousCased = false;
  }
  return cased;
}

function splitLines(s: string, keepEnds: boolean): string[] {
  const out: string[] = [];
  let line = "";
  const cs = [...s];
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i];
    if (!lineBreaks.has(c)) {
      line += c;
      continue;
    }
    let end = c;
    if (c === "\r" && cs[i + 1] === "\n") {
      end = "\r\n";
      i++;
    }
    out.push(keepEnds ? line + end : line);
    line = "";
  }
  if (line) out.push(line);
  return out;
}

function expandTabs(s: string, size: number): string {
  let out = "";
  let column = 0;
  for (const c of s) {
    if (c === "\t") {
      const n = size > 0 ? size - (column % size) : 0;
      out += " ".repeat(n);
      column += n;
    } else {
      out += c;
      column = c === "\n" || c === "\r" ? 0 : column + 1;
    }
  }
  return out;
}

/** str.translate: each character's code looked up in the table (a dict, or anything with __getitem__) */
function translate(interp: Interpreter, s: string, table: Value): Value {
  let out = "";
  for (const c of s) {
    const code = int(c.codePointAt(0)!);
    if (table.kind === "dict") {
      const e = table.entries.get(hashKey(code));
      if (!e) out += c;
      else if (e.value.kind === "none") continue;
      else if (e.value.kind === "str") out += e.value.value;
      else out += String.fromCodePoint(requireInt(e.value, "character mapping"));
      continue;
    }
    let mapped: Value;
    try {
      mapped = interp.getItem(table, code);
    } catch (e) {
      if (e instanceof PyException && (e.pyType === "LookupError" || e.pyType === "KeyError" || e.pyType === "IndexError")) {
        out += c;
        continue;
      }
      throw e;
    }
    if (mapped.kind === "unknown") return mapped;
    if (mapped.kind === "none") continue;
    out += mapped.kind === "str" ? mapped.value : String.fromCodePoint(requireInt(mapped, "character mapping"));
  }
  return str(out);
}

/** str.maketrans(x[, y[, z]]): a dict from code points to code points, strings or None */
export function makeTrans(call: NativeCall, first: number): Value {
  const [x, y, z] = call.args.slice(first);
  const entries: [Value, Value][] = [];
  if (!y) {
    if (x?.kind !== "dict") throw new PyException("TypeError", "if you give only one argument to maketrans it must be a dict");
    for (const e of x.entries.values()) {
      const key = e.key.kind === "str" ? (e.key.value.length === 1 ? int(e.key.value.codePointAt(0)!) : undefined) : e.key;
      if (!key) throw new PyException("ValueError", "string keys in translate table must be of length 1");
      entries.push([key, e.value]);
    }
  } else {
    if (x?.kind !== "str" || y.kind !== "str") throw new PyException("TypeError", "maketrans() arguments must be str");
    const a = [...x.value];
    const b = [...y.value];
    if (a.length !== b.length) throw new PyException("ValueError", "the first two maketrans arguments must have equal length");
    a.forEach((c, i) => entries.push([int(c.codePointAt(0)!), int(b[i].codePointAt(0)!)]));
    if (z?.kind === "str") for (const c of z.value) entries.push([int(c.codePointAt(0)!), { kind: "none" }]);
  }
  return makeDict(entries);
}

const isDecimal = (c: string) => /^\p{Nd}$/u.test(c);
const isDigit = (c: string) => isDecimal(c) || /^[\u00b2\u00b3\u00b9\u2070-\u2079\u2080-\u2089\u2460-\u2468]$/u.test(c);
const isNumeric = (c: string) => /^\p{N}$/u.test(c) || /^[\u3007\u4e00-\u4e5d]$/u.test(c);
const isAlpha = (c: string) => /^\p{L}$/u.test(c);
const isPrintable = (c: string) => c === " " || !/^[\p{C}\p{Z}]$/u.test(c);
const every = (s: string, test: (c: string) => boolean) => s.length > 0 && [...s].every(test);

export const strMethods: MethodTable = {
  capitalize: (call) => {
    const [first = "", ...rest] = [...text(call)];
    return str(first.toUpperCase() + rest.join("").toLowerCase());
  },
  casefold: (call) => str(text(call).toLowerCase().replace(/ß/g, "ss")),
  center: (call) =>
    pad(call, (s, margin, fill) => {
      const width = margin + [...s].length;
      const left = Math.floor(margin / 2) + (margin & width & 1);
      return fill.repeat(left) + s + fill.repeat(margin - left);
    }),
  count: (call) => {
    const s = text(call);
    const sub = strArg(call, 1, "sub", "count");
    const [start, end] = window(call, s, 2);
    if (end - start < sub.length) return int(0);
    const part = s.slice(start, end);
    return int(sub === "" ? [...part].length + 1 : part.split(sub).length - 1);
  },
  encode: () => unknown("str.encode gives bytes, which are not modelled"),
  endswith: (call) => affix(call, (s, p) => s.endsWith(p), "endswith"),
  expandtabs: (call) => {
    const size = arg(call, 1, "tabsize");
    return str(expandTabs(text(call), size ? requireInt(size, "tabsize") : 8));
  },
  find: (call) => int(find(call, false)),
  format: (call) => str(strFormat(text(call), call.args.slice(1), call.kwargs)),
  format_map: (call) => {
    const mapping = call.args[1];
    const kwargs = new Map<string, Value>();
    for (const [k, v] of call.interp.mappingEntries(mapping)) if (k.kind === "str") kwargs.set(k.value, v);
    return str(strFormat(text(call), [], kwargs));
  },
  index: (call) => {
    const at = find(call, false);
    if (at < 0) throw new PyException("ValueError", "substring not found");
    return int(at);
  },
  isalnum: (call) => bool(every(text(call), (c) => isAlpha(c) || isNumeric(c))),
  isalpha: (call) => bool(every(text(call), isAlpha)),
  isascii: (call) => bool([...text(call)].every((c) => c.codePointAt(0)! < 128)),
  isdecimal: (call) => bool(every(text(call), isDecimal)),
  isdigit: (call) => bool(every(text(call), isDigit)),
  isidentifier: (call) => bool(/^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(text(call))),
  islower: (call) => {
    const cs = [...text(call)].filter(isCased);
    return bool(cs.length > 0 && cs.every((c) => !isUpper(c)));
  },
  isnumeric: (call) => bool(every(text(call), isNumeric)),
  isprintable: (call) => bool([...text(call)].every(isPrintable)),
  isspace: (call) => bool(every(text(call), isSpace)),
  istitle: (call) => bool(isTitle(text(call))),
  isupper: (call) => {
    const cs = [...text(call)].filter(isCased);
    return bool(cs.length > 0 && cs.every((c) => !isLower(c)));
  },
  join: (call) => {
    const parts = call.interp.iterate(call.args[1]);
    if (!parts) {
      if (call.args[1]?.kind === "unknown") return unknown("str.join of an unknown iterable");
      throw new PyException("TypeError", "can only join an iterable");
    }
    const out: string[] = [];
    for (const [i, p] of parts.entries()) {
      if (p.kind === "unknown") return unknown("str.join of an unknown item");
      if (p.kind !== "str") throw new PyException("TypeError", `sequence item ${i}: expected str instance, ${typeName(p)} found`);
      out.push(p.value);
    }
    return str(out.join(text(call)));
  },
  ljust: (call) => pad(call, (s, margin, fill) => s + fill.repeat(margin)),
  lower: (call) => str(text(call).toLowerCase()),
  lstrip: (call) => str(strip(text(call), stripper(call), true, false)),
  maketrans: (call) => makeTrans(call, 1),
  partition: (call) => {
    const s = text(call);
    const sep = strArg(call, 1, "sep", "partition");
    if (sep === "") throw new PyException("ValueError", "empty separator");
    const at = s.indexOf(sep);
    return at < 0 ? tuple([str(s), str(""), str("")]) : tuple([str(s.slice(0, at)), str(sep), str(s.slice(at + sep.length))]);
  },
  removeprefix: (call) => {
    const s = text(call);
    const p = strArg(call, 1, "prefix", "removeprefix");
    return str(p && s.startsWith(p) ? s.slice(p.length) : s);
  },
  removesuffix: (call) => {
    const s = text(call);
    const p = strArg(call, 1, "suffix", "removesuffix");
    return str(p && s.endsWith(p) ? s.slice(0, s.length - p.length) : s);
  },
  replace: (call) => {
    const s = text(call);
    const old = strArg(call, 1, "old", "replace");
    const replacement = strArg(call, 2, "new", "replace");
    const countValue = arg(call, 3, "count");
    const count = countValue ? requireInt(countValue, "count") : -1;
    const pieces = old === "" ? ["", ...[...s], ""] : s.split(old);
    if (old === "" && s === "") return str(count === 0 ? s : replacement);
    const joins = pieces.length - 1;
    const n = count < 0 ? joins : Math.min(count, joins);
    if (old === "") {
      const cs = [...s];
      return str(cs.map((c, i) => (i < n ? replacement + c : c)).join("") + (n > cs.length ? replacement : ""));
    }
    return str(pieces.slice(0, n + 1).join(replacement) + (n < joins ? old + pieces.slice(n + 1).join(old) : ""));
  },
  rfind: (call) => int(find(call, true)),
  rindex: (call) => {
    const at = find(call, true);
    if (at < 0) throw new PyException("ValueError", "substring not found");
    return int(at);
  },
  rjust: (call) => pad(call, (s, margin, fill) => fill.repeat(margin) + s),
  rpartition: (call) => {
    const s = text(call);
    const sep = strArg(call, 1, "sep", "rpartition");
    if (sep === "") throw new PyException("ValueError", "empty separator");
    const at = s.lastIndexOf(sep);
    return at < 0 ? tuple([str(""), str(""), str(s)]) : tuple([str(s.slice(0, at)), str(sep), str(s.slice(at + sep.length))]);
  },
  rsplit: (call) => split(call, true),
  rstrip: (call) => str(strip(text(call), stripper(call), false, true)),
  split: (call) => split(call, false),
  splitlines: (call) => {
    const keep = arg(call, 1, "keepends");
    return list(splitLines(text(call), keep ? call.interp.truthy(keep) === true : false).map(str));
  },
  startswith: (call) => affix(call, (s, p) => s.startsWith(p), "startswith"),
  strip: (call) => str(strip(text(call), stripper(call), true, true)),
  swapcase: (call) => str([...text(call)].map((c) => (isUpper(c) ? c.toLowerCase() : isLower(c) ? c.toUpperCase() : c)).join("")),
  title: (call) => str(title(text(call))),
  translate: (call) => translate(call.interp, text(call), call.args[1]),
  upper: (call) => str(text(call).toUpperCase()),
  zfill: (call) => {
    const s = text(call);
    const width = requireInt(arg(call, 1, "width"), "width");
    if (s.length >= width) return str(s);
    const sign = s[0] === "+" || s[0] === "-" ? s[0] : "";
    return str(sign + "0".repeat(width - s.length) + s.slice(sign.length));
  },
};

