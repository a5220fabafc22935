// re on known strings: Python's patterns translated to JavaScript's (named
// groups, \A, \Z), with Match and Pattern objects. A pattern or string that is
// not known gives Unknown; a pattern JavaScript cannot take is a note's Unknown too.
import { makeClass, requireInt, type BuiltinTypes } from "./builtins.js";
import { PyException } from "./errors.js";
import { nativeNamespace } from "./stdlib.js";
import { int, list, makeDict, makeObject, native, NONE, str, tuple, unknown, type ClassValue, type NamespaceValue, type NativeCall, type ObjectValue, type Value } from "./values.js";

const IGNORECASE = 2;
const MULTILINE = 8;
const DOTALL = 16;
const VERBOSE = 64;

/** Python's pattern syntax in JavaScript's; undefined when it has what JavaScript lacks. */
function translate(pattern: string, flags: number): RegExp | undefined {
  if (flags & VERBOSE) return undefined;
  const source = pattern
    .replace(/\(\?P<(\w+)>/g, "(?<$1>")
    .replace(/\(\?P=(\w+)\)/g, "\\k<$1>")
    .replace(/\\A/g, "^")
    .replace(/\\Z/g, "$(?![\\s\\S])");
  let js = "g";
  if (flags & IGNORECASE) js += "i";
  if (flags & MULTILINE) js += "m";
  if (flags & DOTALL) js += "s";
  try {
    return new RegExp(source, js);
  } catch {
    return undefined;
  }
}

interface Compiled {
  readonly regex: RegExp;
  readonly pattern: string;
}

function compiledFrom(patternArg: Value | undefined, flagsArg: Value | undefined): Compiled | string {
  if (patternArg?.kind === "object" && patternArg.attrs.has("__re_source__")) {
    const p = patternArg.attrs.get("__re_source__");
    const f = patternArg.attrs.get("flags");
    return compiledFrom(p, f);
  }
  if (patternArg?.kind !== "str") return "a pattern that is not a known string";
  const flags = flagsArg && flagsArg.kind !== "none" ? requireInt(flagsArg, "flags") : 0;
  const regex = translate(patternArg.value, flags);
  return regex ? { regex, pattern: patternArg.value } : `the pattern ${JSON.stringify(patternArg.value)} is not modelled`;
}

/** A match at or after `from`; anchored: only at `from`; full: spanning to the end. */
function execAt(c: Compiled, text: string, from: number, mode: "search" | "match" | "fullmatch"): RegExpExecArray | null {
  if (mode === "search") {
    c.regex.lastIndex = from;
    return c.regex.exec(text);
  }
  const anchored = new RegExp(mode === "fullmatch" ? `^(?:${c.regex.source})$` : `^(?:${c.regex.source})`, c.regex.flags.replace("g", "").replace("m", ""));
  const m = anchored.exec(text.slice(from));
  if (!m) return null;
  m.index += from;
  return m as RegExpExecArray;
}

/** What each Match object matched. */
const matches = new WeakMap<ObjectValue, RegExpExecArray>();

export function reModule(types: BuiltinTypes): NamespaceValue {
  const matchCls: ClassValue = makeClass("Match", [types.object], {}, undefined, "re");
  const groupValue = (m: RegExpExecArray, g: Value, dflt: Value = NONE): Value => {
    const v = g.kind === "str" ? m.groups?.[g.value] : m[requireInt(g, "group")];
    if (g.kind !== "str" && requireInt(g, "group") >= m.length) throw new PyException("IndexError", "no such group");
    return v === undefined ? dflt : str(v);
  };
  const execOf = (self: Value): RegExpExecArray => {
    const m = self.kind === "object" ? matches.get(self) : undefined;
    if (!m) throw new PyException("TypeError", "descriptor requires a 're.Match' object");
    return m;
  };
  const groupStart = (m: RegExpExecArray, g: Value | undefined): number => {
    // JavaScript gives only the whole match's index: a group's start is found inside it
    if (!g || (g.kind === "int" && g.value === 0)) return m.index;
    const text = groupValue(m, g);
    if (text.kind !== "str") return -1;
    return m.index + m[0].indexOf(text.value);
  };
  const method = (name: string, f: (self: Value, c: NativeCall) => Value) => native(`Match.${name}`, (c) => f(c.args[0], { ...c, args: c.args.slice(1) }));
  for (const [name, f] of Object.entries({
    group: (self: Value, c: NativeCall) => {
      const m = execOf(self);
      if (c.args.length <= 1) return groupValue(m, c.args[0] ?? int(0));
      return tuple(c.args.map((g) => groupValue(m, g)));
    },
    groups: (self: Value, c: NativeCall) => {
      const m = execOf(self);
      return tuple(m.slice(1).map((v) => (v === undefined ? (c.args[0] ?? c.kwargs.get("default") ?? NONE) : str(v))));
    },
    groupdict: (self: Value, c: NativeCall) => {
      const m = execOf(self);
      return makeDict(Object.entries(m.groups ?? {}).map(([k, v]) => [str(k), v === undefined ? (c.args[0] ?? NONE) : str(v)] as const), true);
    },
    start: (self: Value, c: NativeCall) => int(groupStart(execOf(self), c.args[0])),
    end: (self: Value, c: NativeCall) => {
      const m = execOf(self);
      const start = groupStart(m, c.args[0]);
      const text = c.args[0] ? groupValue(m, c.args[0]) : str(m[0]);
      return int(text.kind === "str" ? start + text.value.length : -1);
    },
    span: (self: Value, c: NativeCall) => {
      const m = execOf(self);
      const start = groupStart(m, c.args[0]);
      const text = c.args[0] ? groupValue(m, c.args[0]) : str(m[0]);
      return text.kind === "str" ? tuple([int(start), int(start + text.value.length)]) : tuple([int(-1), int(-1)]);
    },
    __getitem__: (self: Value, c: NativeCall) => groupValue(execOf(self), c.args[0]),
  })) matchCls.attrs.set(name, method(name, f));

  const matchObject = (m: RegExpExecArray | null, text: string): Value => {
    if (!m) return NONE;
    const obj = makeObject(matchCls);
    matches.set(obj, m);
    obj.attrs.set("string", str(text));
    return obj;
  };

  /** Python's replacement template (\1, \g<name>) in JavaScript's ($1, $<name>). */
  const template = (repl: string) => repl.replace(/\$/g, "$$$$").replace(/\\g<(\d+)>/g, "$$$1").replace(/\\g<(\w+)>/g, "$$<$1>").replace(/\\(\d+)/g, "$$$1").replace(/\\n/g, "\n").replace(/\\t/g, "\t").replace(/\\\\/g, "\\");

  const withText = (name: string, f: (c: Compiled, text: string, call: NativeCall, rest: readonly Value[]) => Value, textAt = 1, flagsAt = 2) =>
    native(`re.${name}`, (call) => {
      const compiled = compiledFrom(call.args[0] ?? call.kwargs.get("pattern"), call.args[flagsAt] ?? call.kwargs.get("flags"));
      const text = call.args[textAt] ?? call.kwargs.get("string");
      if (typeof compiled === "string") return unknown(`re.${name}: ${compiled}`);
      if (text?.kind !== "str") return unknown(`re.${name} on a value that is not a known string`);
      return f(compiled, text.value, call, call.args.slice(textAt + 1));
    });

  const split = (c: Compiled, text: string, maxsplit: number): Value => {
    const out: Value[] = [];
    let last = 0;
    let count = 0;
    c.regex.lastIndex = 0;
    for (let m = c.regex.exec(text); m && (maxsplit <= 0 || count < maxsplit); m = c.regex.exec(text)) {
      if (m[0] === "") {
        // an empty match splits too (Python 3.7+), but never twice at one place
        if (m.index >= text.length) break;
        if (m.index === last && m.index === 0) {
          c.regex.lastIndex++;
          continue;
        }
      }
      out.push(str(text.slice(last, m.index)), ...m.slice(1).map((g) => (g === undefined ? NONE : str(g))));
      last = m.index + m[0].length;
      count++;
      if (m[0] === "") c.regex.lastIndex++;
    }
    out.push(str(text.slice(last)));
    return list(out);
  };

  const sub = (c: Compiled, text: string, repl: Value, countArg: Value | undefined, call: NativeCall): Value => {
    const limit = countArg ? requireInt(countArg, "count") : 0;
    let n = 0;
    const regex = new RegExp(c.regex.source, c.regex.flags);
    let failed = false;
    const out = text.replace(regex, (...parts: unknown[]) => {
      const whole = parts[0] as string;
      if (limit > 0 && n >= limit) return whole;
      n++;
      if (repl.kind === "str") {
        const groupsEnd = parts.findIndex((p, i) => i > 0 && typeof p === "number");
        const m = parts.slice(0, groupsEnd) as unknown as RegExpExecArray;
        return template(repl.value).replace(/\$(\d+)|\$<(\w+)>|\$\$/g, (t, d, name) => (t === "$$" ? "$" : (d !== undefined ? (m[Number(d)] ?? "") : ((parts[parts.length - 1] as Record<string, string>)?.[name] ?? ""))));
      }
      const groupsEnd = parts.findIndex((p, i) => i > 0 && typeof p === "number");
      const m = parts.slice(0, groupsEnd) as unknown as RegExpExecArray;
      m.index = parts[groupsEnd] as number;
      const r = call.interp.callValue(repl, [matchObject(m, text)]);
      if (r.kind !== "str") failed = true;
      return r.kind === "str" ? r.value : "";
    });
    return failed ? unknown("re.sub with a replacement that gave an unknown string") : str(out);
  };

  const findall = (c: Compiled, text: string): Value => {
    const out: Value[] = [];
    c.regex.lastIndex = 0;
    for (let m = c.regex.exec(text); m; m = c.regex.exec(text)) {
      if (m.length === 1) out.push(str(m[0]));
      else if (m.length === 2) out.push(str(m[1] ?? ""));
      else out.push(tuple(m.slice(1).map((g) => str(g ?? ""))));
      if (m[0] === "") c.regex.lastIndex++;
    }
    return list(out);
  };

  const patternCls: ClassValue = makeClass("Pattern", [types.object], {}, undefined, "re");
  const patternMethod = (name: string, f: (c: Compiled, text: string, call: NativeCall, rest: readonly Value[]) => Value) =>
    native(`Pattern.${name}`, (call) => {
      const self = call.args[0] as ObjectValue;
      const compiled = compiledFrom(self.attrs.get("__re_source__"), self.attrs.get("flags"));
      const text = call.args[1] ?? call.kwargs.get("string");
      if (typeof compiled === "string") return unknown(`Pattern.${name}: ${compiled}`);
      if (text?.kind !== "str") return unknown(`Pattern.${name} on a value that is not a known string`);
      return f(compiled, text.value, call, call.args.slice(2));
    });
  const searchLike = (mode: "search" | "match" | "fullmatch") => (c: Compiled, text: string) => matchObject(execAt(c, text, 0, mode), text);
  for (const mode of ["search", "match", "fullmatch"] as const) patternCls.attrs.set(mode, patternMethod(mode, searchLike(mode)));
  patternCls.attrs.set("split", patternMethod("split", (c, text, call, rest) => split(c, text, rest[0] ? requireInt(rest[0], "maxsplit") : call.kwargs.get("maxsplit") ? requireInt(call.kwargs.get("maxsplit"), "maxsplit") : 0)));
  patternCls.attrs.set("findall", patternMethod("findall", (c, text) => findall(c, text)));
  patternCls.attrs.set(
    "sub",
    native("Pattern.sub", (call) => {
      const self = call.args[0] as ObjectValue;
      const compiled = compiledFrom(self.attrs.get("__re_source__"), self.attrs.get("flags"));
      const text = call.args[2] ?? call.kwargs.get("string");
      if (typeof compiled === "string" || text?.kind !== "str") return unknown("Pattern.sub on something not known");
      return sub(compiled, text.value, call.args[1] ?? call.kwargs.get("repl") ?? str(""), call.args[3] ?? call.kwargs.get("count"), call);
    }),
  );

  const finditer = (c: Compiled, text: string): Value => {
    const out: Value[] = [];
    c.regex.lastIndex = 0;
    for (let m = c.regex.exec(text); m; m = c.regex.exec(text)) {
      out.push(matchObject(m, text));
      if (m[0] === "") c.regex.lastIndex++;
    }
    return { kind: "iterator", items: out, position: 0 };
  };
  patternCls.attrs.set("finditer", patternMethod("finditer", (c, text) => finditer(c, text)));

  return nativeNamespace("re", {
    // flags that change nothing on the strings a model's code matches (ASCII text), or only debugging output
    A: int(256),
    ASCII: int(256),
    U: int(32),
    UNICODE: int(32),
    L: int(4),
    LOCALE: int(4),
    DEBUG: int(128),
    NOFLAG: int(0),
    finditer: withText("finditer", (c, text) => finditer(c, text)),
    subn: native("re.subn", (call) => {
      const compiled = compiledFrom(call.args[0] ?? call.kwargs.get("pattern"), call.args[4] ?? call.kwargs.get("flags"));
      const text = call.args[2] ?? call.kwargs.get("string");
      if (typeof compiled === "string") return unknown(`re.subn: ${compiled}`);
      if (text?.kind !== "str") return unknown("re.subn on a value that is not a known string");
      const limit = call.args[3] ?? call.kwargs.get("count");
      const found = (finditer(compiled, text.value) as { items: Value[] }).items.length;
      const n = limit && limit.kind !== "none" && requireInt(limit, "count") > 0 ? Math.min(found, requireInt(limit, "count")) : found;
      const replaced = sub(compiled, text.value, call.args[1] ?? call.kwargs.get("repl") ?? str(""), limit, call);
      return replaced.kind === "str" ? tuple([replaced, int(n)]) : replaced;
    }),
    purge: native("re.purge", () => NONE),
    I: int(IGNORECASE),
    IGNORECASE: int(IGNORECASE),
    M: int(MULTILINE),
    MULTILINE: int(MULTILINE),
    S: int(DOTALL),
    DOTALL: int(DOTALL),
    X: int(VERBOSE),
    VERBOSE: int(VERBOSE),
    compile: native("re.compile", (call) => {
      const p = call.args[0] ?? call.kwargs.get("pattern");
      if (p?.kind === "object" && p.cls === patternCls) return p;
      const obj = makeObject(patternCls);
      obj.attrs.set("__re_source__", p ?? NONE);
      obj.attrs.set("pattern", p ?? NONE);
      obj.attrs.set("flags", call.args[1] ?? call.kwargs.get("flags") ?? int(0));
      return obj;
    }),
    search: withText("search", searchLike("search")),
    match: withText("match", searchLike("match")),
    fullmatch: withText("fullmatch", searchLike("fullmatch")),
    split: withText("split", (c, text, call, rest) => split(c, text, rest[0] ? requireInt(rest[0], "maxsplit") : call.kwargs.get("maxsplit") ? requireInt(call.kwargs.get("maxsplit"), "maxsplit") : 0), 1, 3),
    findall: withText("findall", (c, text) => findall(c, text)),
    sub: native("re.sub", (call) => {
      const compiled = compiledFrom(call.args[0] ?? call.kwargs.get("pattern"), call.args[4] ?? call.kwargs.get("flags"));
      const text = call.args[2] ?? call.kwargs.get("string");
      if (typeof compiled === "string") return unknown(`re.sub: ${compiled}`);
      if (text?.kind !== "str") return unknown("re.sub on a value that is not a known string");
      return sub(compiled, text.value, call.args[1] ?? call.kwargs.get("repl") ?? str(""), call.args[3] ?? call.kwargs.get("count"), call);
    }),
    escape: native("re.escape", (call) => (call.args[0]?.kind === "str" ? str(call.args[0].value.replace(/[^\w]/g, "\\$&")) : unknown("re.escape of an unknown string"))),
    Pattern: patternCls,
    Match: matchCls,
    error: makeClass("error", [types.Exception], {}, undefined, "re"),
  });
}
