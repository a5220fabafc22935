// An editor's document changes a line at a time, and converting tree-sitter's tree
// to ours crosses into the native tree at every field and child: two thirds of an
// analysis of a 1,000-line file of models. A top-level statement whose text and
// place are those of one converted from the document's previous text converts to
// the same tree, so it is taken from there. Only the previous text's statements are
// kept: what an edit removed is dropped at the next conversion.
import type { Stmt } from "./ast.js";

export class StatementReuse {
  private previous = new Map<string, Stmt[]>();
  private current = new Map<string, Stmt[]>();

  /** The key of a top-level statement: where it starts, how it was converted, and its text. */
  static key(row: number, column: number, deferBodies: boolean, text: string): string {
    return `${row}:${column}:${deferBodies ? "d" : "-"}:${text}`;
  }

  /** The statements converted from this key before, if the previous text had it (kept for the next text too). */
  take(key: string): Stmt[] | undefined {
    const stmts = this.previous.get(key) ?? this.current.get(key);
    if (stmts) this.current.set(key, stmts);
    return stmts;
  }

  put(key: string, stmts: Stmt[]): void {
    this.current.set(key, stmts);
  }

  /** One conversion is done: what it used or made is what the next one may take. */
  finish(): void {
    this.previous = this.current;
    this.current = new Map();
  }
}
