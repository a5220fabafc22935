// The subset of TOML that pyproject.toml's [tool.torchshape] needs: tables
// ([a.b], quoted keys), key = value with dotted keys, basic and literal strings,
// arrays of strings (over several lines), booleans, integers, comments. Anything
// else is a TomlError naming the line, never a guess.

export class TomlError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export type TomlValue = string | number | boolean | readonly TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

/** A cursor over the text: one value or key at a time, comments and blanks skipped between. */
class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  get line(): number {
    return this.text.slice(0, this.pos).split("\n").length;
  }

  fail(message: string): never {
    throw new TomlError(message, this.line);
  }

  peek(): string {
    return this.text[this.pos] ?? "";
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  /** spaces and tabs only (a value ends at its line) */
  skipSpaces(): void {
    while (this.peek() === " " || this.peek() === "\t") this.pos++;
  }

  /** spaces, newlines and comments (inside arrays, between statements) */
  skipBlank(): void {
    for (;;) {
      this.skipSpaces();
      if (this.peek() === "#") while (!this.atEnd() && this.peek() !== "\n") this.pos++;
      else if (this.peek() === "\n" || this.peek() === "\r") this.pos++;
      else return;
    }
  }

  /** After a statement: only a comment may follow on its line. */
  endOfLine(): void {
    this.skipSpaces();
    if (this.peek() === "#") while (!this.atEnd() && this.peek() !== "\n") this.pos++;
    if (this.peek() === "\r") this.pos++;
    if (!this.atEnd() && this.peek() !== "\n") this.fail(`unexpected '${this.peek()}' after the value`);
  }

  key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipSpaces();
      const c = this.peek();
      if (c === '"' || c === "'") parts.push(this.string());
      else {
        const m = /^[A-Za-z0-9_-]+/.exec(this.text.slice(this.pos));
        if (!m) this.fail("a key was expected");
        parts.push(m[0]);
        this.pos += m[0].length;
      }
      this.skipSpaces();
      if (this.peek() !== ".") return parts;
      this.pos++;
    }
  }

  string(): string {
    const quote = this.peek();
    if (this.text.startsWith(quote.repeat(3), this.pos)) this.fail("multi-line strings are not supported here");
    this.pos++;
    let out = "";
    for (;;) {
      const c = this.peek();
      if (this.atEnd() || c === "\n") this.fail("unterminated string");
      this.pos++;
      if (c === quote) return out;
      if (c === "\\" && quote === '"') {
        const e = this.peek();
        this.pos++;
        const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\", b: "\b", f: "\f" };
        if (e in simple) out += simple[e];
        else if (e === "u" || e === "U") {
          const n = e === "u" ? 4 : 8;
          const hex = this.text.slice(this.pos, this.pos + n);
          if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== n) this.fail("bad unicode escape");
          out += String.fromCodePoint(parseInt(hex, 16));
          this.pos += n;
        } else this.fail(`unknown escape '\\${e}'`);
      } else out += c;
    }
  }

  value(): TomlValue {
    this.skipSpaces();
    const c = this.peek();
    if (c === '"' || c === "'") return this.string();
    if (c === "[") return this.array();
    if (c === "{") return this.inlineTable();
    const m = /^(true|false|[+-]?\d[\d_]*)(?=[\s,\]}#]|$)/.exec(this.text.slice(this.pos));
    if (!m) this.fail("unsupported value (strings, arrays, inline tables, booleans and integers are read)");
    this.pos += m[0].length;
    if (m[0] === "true" || m[0] === "false") return m[0] === "true";
    return Number(m[0].replace(/_/g, ""));
  }

  array(): TomlValue[] {
    this.pos++;
    const items: TomlValue[] = [];
    for (;;) {
      this.skipBlank();
      if (this.peek() === "]") {
        this.pos++;
        return items;
      }
      items.push(this.value());
      this.skipBlank();
      if (this.peek() === ",") this.pos++;
      else if (this.peek() !== "]") this.fail("',' or ']' expected in an array");
    }
  }

  inlineTable(): TomlTable {
    this.pos++;
    const table: TomlTable = {};
    this.skipSpaces();
    if (this.peek() === "}") {
      this.pos++;
      return table;
    }
    for (;;) {
      const key = this.key();
      if (this.peek() !== "=") this.fail("'=' expected");
      this.pos++;
      assign(table, key, this.value(), this);
      this.skipSpaces();
      if (this.peek() === "}") {
        this.pos++;
        return table;
      }
      if (this.peek() !== ",") this.fail("',' or '}' expected in an inline table");
      this.pos++;
    }
  }
}

function isTable(v: TomlValue | undefined): v is TomlTable {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The table at a dotted path, made when missing. */
function tableAt(root: TomlTable, path: readonly string[], reader: Reader): TomlTable {
  let t = root;
  for (const part of path) {
    const next = t[part];
    if (next === undefined) t = t[part] = {};
    else if (isTable(next)) t = next;
    else reader.fail(`'${part}' is already a value, not a table`);
  }
  return t;
}

function assign(table: TomlTable, key: readonly string[], value: TomlValue, reader: Reader): void {
  const owner = tableAt(table, key.slice(0, -1), reader);
  const last = key[key.length - 1];
  if (last in owner) reader.fail(`'${key.join(".")}' is defined twice`);
  owner[last] = value;
}

const headerLine = /^[ \t]*\[\[?[ \t]*[A-Za-z0-9_."' \t-]+\]\]?[ \t]*(#.*)?$/;

/**
 * The tables of a TOML text. With `select`, only the tables it accepts are read:
 * the others are skipped line by line up to the next table header, so what other
 * tools write in a pyproject.toml (floats, dates, multi-line strings) never matters.
 */
export function parseToml(text: string, select?: (path: readonly string[]) => boolean): TomlTable {
  const root: TomlTable = {};
  const reader = new Reader(text);
  let current = root;
  let skipping = select !== undefined && !select([]);
  for (;;) {
    if (skipping) {
      // to the start of the next header line
      for (;;) {
        const end = text.indexOf("\n", reader.pos);
        const line = text.slice(reader.pos, end === -1 ? undefined : end);
        if (headerLine.test(line) || end === -1 && line.trim() === "") break;
        if (end === -1) {
          reader.pos = text.length;
          break;
        }
        reader.pos = end + 1;
      }
    }
    reader.skipBlank();
    if (reader.atEnd()) return root;
    if (reader.peek() === "[") {
      reader.pos++;
      // [[array.of.tables]] is not read: pyproject files use them for other tools only
      const arrayOfTables = reader.peek() === "[";
      if (arrayOfTables) reader.pos++;
      const path = reader.key();
      if (reader.peek() !== "]") reader.fail("']' expected after the table name");
      reader.pos += arrayOfTables ? 2 : 1;
      skipping = arrayOfTables || (select !== undefined && !select(path));
      current = skipping ? {} : tableAt(root, path, reader);
      reader.endOfLine();
      continue;
    }
    const key = reader.key();
    if (reader.peek() !== "=") reader.fail("'=' expected after the key");
    reader.pos++;
    assign(current, key, reader.value(), reader);
    reader.endOfLine();
  }
}
