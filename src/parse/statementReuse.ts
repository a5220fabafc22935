// An editor's document changes a line at a time, and what is done to each top-level
// statement (converting tree-sitter's tree to ours, checking the compiler's rules)
// crosses into the native tree at every field and child. A top-level statement whose
// text and place are those of one from the document's previous text gives the same
// answer, so it is taken from there. Only the previous text's answers are kept: what
// an edit removed is dropped when the next text is done.

export class StatementReuse<T> {
  private previous = new Map<string, T>();
  private current = new Map<string, T>();

  /** The key of a top-level statement: where it starts, what else its answer depends on, and its text. */
  static key(row: number, column: number, context: string, text: string): string {
    return `${row}:${column}:${context}:${text}`;
  }

  /** The answer for this key from the previous text, if it had the statement (kept for the next text too). */
  take(key: string): T | undefined {
    const answer = this.previous.get(key) ?? this.current.get(key);
    if (answer !== undefined) this.current.set(key, answer);
    return answer;
  }

  put(key: string, answer: T): void {
    this.current.set(key, answer);
  }

  /** One text is done: what it used or made is what the next one may take. */
  finish(): void {
    this.previous = this.current;
    this.current = new Map();
  }
}
