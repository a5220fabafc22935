// tree-sitter-python refuses a tuple written without parentheses whose starred item
// starts with a bracket, a brace, a parenthesis or a string: `host, *rest = endpoint, *[]`,
// `return 1, *"ab"`, `x += 1, *[2]`. Python takes them. The same tuple in parentheses
// parses, and Python reads `x = (a, *b)` exactly as `x = a, *b`, so such a statement is
// wrapped in parentheses and the text parsed again; the columns the two characters shift
// are mapped back (InsertedColumns), so that every position still points into the file.
import type Parser from "tree-sitter";

/** Columns, per row, where a repair inserted a character into the parsed text (ascending). */
export class InsertedColumns {
  private readonly byRow = new Map<number, number[]>();

  add(row: number, col: number): void {
    const cols = this.byRow.get(row) ?? [];
    cols.push(col);
    cols.sort((a, b) => a - b);
    this.byRow.set(row, cols);
  }

  /** The file's column of a column of the parsed text. */
  original(row: number, col: number): number {
    const cols = this.byRow.get(row);
    if (!cols) return col;
    let before = 0;
    for (const c of cols) if (c < col) before++;
    return col - before;
  }
}

/** A text tree-sitter now parses without the ERROR it had, and where it differs from the file. */
export interface RepairedParse {
  readonly source: string;
  readonly tree: Parser.Tree;
  readonly inserted: InsertedColumns;
}

/** A starred item whose operand opens with a bracket, a brace, a parenthesis or a string: what tree-sitter refuses. */
const candidate = /\*\s*(?:[[({]|[rRbBfFuU]{0,2}['"])/g;

/**
 * Wraps every unparenthesized tuple with such a starred item in parentheses and parses
 * again. The repair holds when each wrapped text is now a tuple and the tree has no ERROR
 * left; otherwise undefined, and the file's first ERROR is its syntax error as before.
 */
export function repairStarredTuples(source: string, tree: Parser.Tree, parse: (text: string) => Parser.Tree): RepairedParse | undefined {
  const ranges: { start: number; end: number }[] = [];
  for (const m of source.matchAll(candidate)) {
    const lineStart = source.lastIndexOf("\n", m.index - 1) + 1;
    if (ranges.some((r) => r.start <= m.index && m.index < r.end)) continue;
    // a docstring or a comment that shows such a line is text, not code
    const at = tree.rootNode.descendantForIndex(m.index);
    if (at.type === "comment" || at.type === "string_content" || at.parent?.type === "string") continue;
    const range = starredTupleOf(source, lineStart, m.index);
    if (range) ranges.push(range);
  }
  if (ranges.length === 0) return undefined;
  let text = "";
  let from = 0;
  // the inserted characters' offsets in the new text
  const offsets: number[] = [];
  for (const { start, end } of ranges) {
    text += source.slice(from, start) + "(";
    offsets.push(text.length - 1);
    text += source.slice(start, end) + ")";
    offsets.push(text.length - 1);
    from = end;
  }
  text += source.slice(from);
  const repaired = parse(text);
  if (repaired.rootNode.hasError) return undefined;
  for (let k = 0; k < offsets.length; k += 2) {
    const tuple = repaired.rootNode.descendantForIndex(offsets[k], offsets[k + 1] + 1);
    if (tuple.type !== "tuple" || tuple.startIndex !== offsets[k] || tuple.endIndex !== offsets[k + 1] + 1) return undefined;
  }
  const inserted = new InsertedColumns();
  let row = 0;
  let lineStart = 0;
  for (const offset of offsets) {
    for (let i = text.indexOf("\n", lineStart); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
      row++;
      lineStart = i + 1;
    }
    inserted.add(row, offset - lineStart);
  }
  return { source: text, tree: repaired, inserted };
}

const assignmentOperators = new Set(["=", "+=", "-=", "*=", "/=", "//=", "%=", "**=", "@=", "&=", "|=", "^=", ">>=", "<<="]);

/**
 * The offsets of the unparenthesized tuple that ends the statement holding offset `at`,
 * on the line starting at `from` (after its last assignment operator, after `return` or
 * `yield`, or the whole statement), when that tuple has a starred item; undefined
 * otherwise. Strings, comments and brackets are stepped over, a statement ends at a
 * semicolon or a line's end outside brackets; a line that begins inside brackets, a walrus
 * outside them (only a parenthesized tuple may hold one) or a backslash ends the search.
 */
export function starredTupleOf(text: string, from: number, at = from): { start: number; end: number } | undefined {
  let start = from;
  let depth = 0;
  let comma = false;
  let starredItem = false;
  let itemStart = true;
  let end = text.length;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === "\n" && depth === 0) {
      end = i;
      break;
    }
    if (c === "#") {
      const eol = text.indexOf("\n", i);
      i = (eol === -1 ? text.length : eol) - 1;
      continue;
    }
    if (c === "'" || c === '"') {
      i = stringEnd(text, i) - 1;
      itemStart = false;
      continue;
    }
    if (c === "(" || c === "[" || c === "{") {
      depth++;
      itemStart = false;
      continue;
    }
    if (c === ")" || c === "]" || c === "}") {
      if (--depth < 0) return undefined;
      continue;
    }
    if (depth > 0 || /\s/.test(c)) continue;
    if (c === "\\") return undefined;
    if (c === ";") {
      if (at < i) {
        end = i;
        break;
      }
      // the statement holding `at` begins after this one
      start = i + 1;
      [comma, starredItem, itemStart] = [false, false, true];
      continue;
    }
    const operator = assignmentOperatorAt(text, i);
    if (operator) {
      i += operator.length - 1;
      start = i + 1;
      [comma, starredItem, itemStart] = [false, false, true];
      continue;
    }
    if (c === ":" && text[i + 1] === "=") return undefined;
    const word = /^[A-Za-z_]\w*/.exec(text.slice(i, i + 40))?.[0];
    if (word && itemStart && (word === "return" || word === "yield") && /\s/.test(text[i + word.length] ?? "")) {
      i += word.length - 1;
      start = i + 1;
      [comma, starredItem, itemStart] = [false, false, true];
      continue;
    }
    if (c === ",") {
      comma = true;
      itemStart = true;
      continue;
    }
    if (c === "*" && itemStart && text[i + 1] !== "*") starredItem = true;
    itemStart = false;
    if (word) i += word.length - 1;
  }
  // a trailing comment stays outside the parentheses
  const comment = commentStart(text, start, end);
  end = comment ?? end;
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return comma && starredItem && depth === 0 && start < end ? { start, end } : undefined;
}

/** Where a comment outside strings begins between `from` and `to`, if one does. */
function commentStart(text: string, from: number, to: number): number | undefined {
  let found: number | undefined;
  for (let i = from; i < to; i++) {
    if (text[i] === "'" || text[i] === '"') i = stringEnd(text, i) - 1;
    else if (text[i] === "#") {
      found = i;
      const eol = text.indexOf("\n", i);
      if (eol === -1 || eol >= to) break;
      // a comment inside brackets on an earlier line: the statement goes on
      found = undefined;
      i = eol;
    }
  }
  return found;
}

/** The offset after the string literal (single, or triple quoted) that starts at `i`. */
function stringEnd(text: string, i: number): number {
  const quote = text[i];
  const triple = text.startsWith(quote.repeat(3), i);
  const close = triple ? quote.repeat(3) : quote;
  for (let j = i + close.length; j < text.length; j++) {
    if (text[j] === "\\") {
      j++;
      continue;
    }
    if (!triple && text[j] === "\n") return j;
    if (text.startsWith(close, j)) return j + close.length;
  }
  return text.length;
}

function assignmentOperatorAt(text: string, i: number): string | undefined {
  for (const length of [3, 2, 1]) {
    const op = text.slice(i, i + length);
    if (!assignmentOperators.has(op)) continue;
    // `==`, `<=`, `>=`, `!=` are comparisons, not an assignment
    if (op === "=" && (text[i + 1] === "=" || "=<>!:".includes(text[i - 1] ?? ""))) return undefined;
    return op;
  }
  return undefined;
}
