// Converted syntax trees kept on disk between runs, as ruff and mypy keep theirs:
// torchvision's, timm's and transformers' files do not change from one run to the
// next, and parsing and converting them is most of what analysing their models
// costs. An entry is keyed by the file's path, size and modification time and by
// the converter that made it (torchshape's version and the mtime of its code); an
// entry that does not match, or does not parse, is rebuilt, never trusted. Entries
// are written to a temporary file and renamed into place, so runs at the same time
// (pre-commit starts several) never read half an entry.
//
// A function's body is stored as its own JSON text and parsed when it is first
// read, as a fresh conversion defers it (toAst.ts): most of a library's functions
// are never called.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FunctionDef, PyModule, Stmt } from "../parse/ast.js";
import { converterUrl } from "../parse/toAst.js";
import { packageRoot } from "../packageRoot.js";
import { defaultCacheDir } from "../environment/cacheFolder.js";
import { shortHash } from "../environment/shortHash.js";
import { noteFileRead } from "./diskReads.js";

/**
 * How a file was read: as the analysed file (every body, and its comments; a syntax
 * error is the file's error), as an imported module (bodies deferred, no comments),
 * or for the shape-annotation aliases it defines (converted whatever errors it has).
 */
export type SyntaxUse = "analysed" | "imported" | "vocabulary";

/** Bumped when the stored form changes. */
const entryFormat = 1;

let disabledByCaller = false;

/** `--no-cache`: nothing is read from or written to the cache in this process. */
export function disableSyntaxCache(): void {
  disabledByCaller = true;
}

/** Off with --no-cache, or with TORCHSHAPE_NO_CACHE set (the tests run both ways). */
export function syntaxCacheEnabled(): boolean {
  return !disabledByCaller && !process.env.TORCHSHAPE_NO_CACHE;
}

export function syntaxCacheDir(): string {
  return join(defaultCacheDir(), "syntax");
}

let converterVersion: string | undefined;

/** torchshape's version and the mtime of the code that converts: a rebuilt torchshape never reads an older converter's trees. */
function converter(): string {
  if (converterVersion === undefined) {
    let version = "?";
    let mtime = 0;
    try {
      version = (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
      mtime = statSync(fileURLToPath(converterUrl)).mtimeMs;
    } catch {
      // unknown: entries are still keyed by what is known
    }
    converterVersion = `${version}/${mtime}/${entryFormat}`;
  }
  return converterVersion;
}

interface EntryKey {
  readonly path: string;
  readonly use: SyntaxUse;
  readonly size: number;
  readonly mtimeMs: number;
  readonly converter: string;
}

function entryFile(path: string, use: SyntaxUse): string {
  return join(syntaxCacheDir(), `${basename(path).replace(/[^\w.-]/g, "_")}-${shortHash(path)}-${use}.json`);
}

function keyOf(path: string, use: SyntaxUse): EntryKey | undefined {
  try {
    const s = statSync(path);
    // the tree given is of the file as this saw it: check's outcome cache depends on that state
    noteFileRead(path, s);
    return { path, use, size: s.size, mtimeMs: s.mtimeMs, converter: converter() };
  } catch {
    return undefined;
  }
}

const sameKey = (a: EntryKey, b: EntryKey) => a.path === b.path && a.use === b.use && a.size === b.size && a.mtimeMs === b.mtimeMs && a.converter === b.converter;

/** A stored function: its body as JSON text, parsed on first read. */
interface StoredFunction extends Omit<FunctionDef, "body"> {
  readonly bodyJson: string;
}

interface Entry {
  readonly key: EntryKey;
  readonly lineCount: number;
  readonly comments: [number, string][];
  readonly body: Stmt[];
}

/**
 * The syntax of `path` for `use`: from the cache when an entry matches the file as
 * it is now, else from `convert()` (which reads and converts the file as it is),
 * stored for the next run. A conversion that throws (a syntax error) is not stored.
 */
export function cachedSyntax(path: string, use: SyntaxUse, convert: () => PyModule): PyModule {
  if (!syntaxCacheEnabled()) return convert();
  const key = keyOf(path, use);
  if (!key) return convert();
  const file = entryFile(path, use);
  // a run that reads a file again (check reads torchvision's modules once per checked file) shares the tree, which nothing changes
  const held = inProcess.get(file);
  if (held && sameKey(held.key, key)) return held.syntax;
  let syntax = readEntry(file, key);
  if (!syntax) {
    syntax = convert();
    writeEntry(file, key, syntax);
  }
  inProcess.set(file, { key, syntax });
  return syntax;
}

/** The trees this process has read, by entry file. */
const inProcess = new Map<string, { readonly key: EntryKey; readonly syntax: PyModule }>();

function readEntry(file: string, key: EntryKey): PyModule | undefined {
  let entry: Entry;
  try {
    entry = JSON.parse(readFileSync(file, "utf8")) as Entry;
  } catch {
    return undefined;
  }
  if (!entry || typeof entry !== "object" || !entry.key || !sameKey(entry.key, key) || !Array.isArray(entry.body) || !Array.isArray(entry.comments)) return undefined;
  try {
    return { body: revive(entry.body), comments: new Map(entry.comments), lineCount: entry.lineCount };
  } catch {
    return undefined;
  }
}

function writeEntry(file: string, key: EntryKey, syntax: PyModule): void {
  let text: string;
  try {
    text = entryText(key, syntax);
  } catch {
    // NotStorable, or a body too deeply nested to store: converted again next time
    return;
  }
  try {
    mkdirSync(syntaxCacheDir(), { recursive: true });
    const partial = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(partial, text);
    renameSync(partial, file);
  } catch {
    // a cache that cannot be written costs speed, never the run
  }
}

/** What JSON cannot hold as it is: a number that is not finite (a literal 1e999) turns the file away from the cache. */
class NotStorable extends Error {}

function finiteNumbers(_key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) throw new NotStorable();
  return value;
}

type Replacer = ((key: string, value: unknown) => unknown) | undefined;

/**
 * An entry's JSON text. JSON.stringify writes a number that is not finite as null, and
 * its replacer, which could refuse one, takes it off V8's fast path (twice the time):
 * so the text is written without, and only one holding "null" anywhere (a syntax tree
 * holds none of its own) is written again through the replacer, which refuses it.
 */
function entryText(key: EntryKey, syntax: PyModule): string {
  const write = (replacer: Replacer) => JSON.stringify({ key, lineCount: syntax.lineCount, comments: [...syntax.comments], body: syntax.body.map((s) => storeStmt(s, replacer)) } satisfies Entry, replacer);
  const text = write(undefined);
  return text.includes("null") ? write(finiteNumbers) : text;
}

/** A statement ready for JSON: each function's body (read now, converting it if deferred) as its own JSON text. */
function storeStmt(s: Stmt, replacer: Replacer): Stmt {
  const store = (stmts: readonly Stmt[]) => stmts.map((b) => storeStmt(b, replacer));
  switch (s.kind) {
    case "def": {
      const { body, ...rest } = s;
      return { ...rest, bodyJson: JSON.stringify(store(body), replacer) } as unknown as Stmt;
    }
    case "class":
      return { ...s, body: store(s.body) };
    case "if":
    case "for":
    case "while":
      return { ...s, body: store(s.body), orelse: store(s.orelse) };
    case "with":
      return { ...s, body: store(s.body) };
    case "try":
      return { ...s, body: store(s.body), handlers: s.handlers.map((h) => ({ ...h, body: store(h.body) })), orelse: store(s.orelse), finalbody: store(s.finalbody) };
    default:
      return s;
  }
}

/** Stored statements back: each function's body parsed from its JSON text when first read. */
function revive(stmts: Stmt[]): Stmt[] {
  for (let i = 0; i < stmts.length; i++) stmts[i] = reviveStmt(stmts[i]);
  return stmts;
}

function reviveStmt(s: Stmt): Stmt {
  switch (s.kind) {
    case "def": {
      const { bodyJson, ...rest } = s as unknown as StoredFunction;
      if (typeof bodyJson !== "string") throw new Error("stored function without its body");
      let body: Stmt[] | undefined;
      return {
        ...rest,
        get body() {
          return (body ??= revive(JSON.parse(bodyJson) as Stmt[]));
        },
      } as FunctionDef;
    }
    case "class":
    case "with":
      revive(s.body as Stmt[]);
      return s;
    case "if":
    case "for":
    case "while":
      revive(s.body as Stmt[]);
      revive(s.orelse as Stmt[]);
      return s;
    case "try":
      revive(s.body as Stmt[]);
      for (const h of s.handlers) revive(h.body as Stmt[]);
      revive(s.orelse as Stmt[]);
      revive(s.finalbody as Stmt[]);
      return s;
    default:
      return s;
  }
}
