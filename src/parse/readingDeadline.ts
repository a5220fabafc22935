// Reading a file counts in its time budget: tree-sitter's parse, the compiler's rules and
// the conversion to our tree each stop at the same deadline, and each says so with this one
// error, which the analysis turns into the file's one line.

/** Reading a file (parsing, judging or converting it) passed its deadline. */
export class ReadingDeadlinePassed extends Error {}
