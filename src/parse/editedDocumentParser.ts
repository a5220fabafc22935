// An editor's document parsed again after an edit: tree-sitter reparses only what the
// edit touched when it is given the previous tree with the edit applied to it. The
// edit is found as the text between the longest common prefix and suffix of the two
// texts; tree-sitter's indices and columns here are JavaScript string offsets (UTF-16
// code units), as the texts' own.
import type Parser from "tree-sitter";
import { parseTree } from "./parser.js";

type Point = { row: number; column: number };

function pointAt(text: string, index: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}

export class EditedDocumentParser {
  private previous: { readonly text: string; readonly tree: Parser.Tree } | undefined;

  /** The tree of `text`, reparsed from the previous text's tree where they differ; a deadline as parseTree's. */
  parse(text: string, deadline?: number): Parser.Tree {
    const before = this.previous;
    // a parse stopped at its deadline, or one that threw, leaves no tree to start from
    this.previous = undefined;
    let tree: Parser.Tree;
    if (!before) tree = parseTree(text, deadline);
    else if (before.text === text) tree = before.tree;
    else {
      const old = before.text;
      const most = Math.min(old.length, text.length);
      let prefix = 0;
      while (prefix < most && old.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
      let suffix = 0;
      while (suffix < most - prefix && old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
      before.tree.edit({
        startIndex: prefix,
        oldEndIndex: old.length - suffix,
        newEndIndex: text.length - suffix,
        startPosition: pointAt(old, prefix),
        oldEndPosition: pointAt(old, old.length - suffix),
        newEndPosition: pointAt(text, text.length - suffix),
      });
      tree = parseTree(text, deadline, before.tree);
    }
    this.previous = { text, tree };
    return tree;
  }
}
