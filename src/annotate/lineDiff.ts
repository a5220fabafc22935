// A unified diff of two texts by lines (no context lines), for `annotate --check`.

/** Hunks of a line diff: `@@ -a,b +c,d @@` then the removed and added lines. */
export function unifiedDiff(before: string, after: string, label: string): string {
  const a = before.split("\n");
  const b = after.split("\n");
  // longest common subsequence, table from the end
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: string[] = [`--- ${label}`, `+++ ${label}`];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    const [si, sj] = [i, j];
    while ((i < a.length || j < b.length) && !(i < a.length && j < b.length && a[i] === b[j])) {
      if (j < b.length && (i >= a.length || lcs[i][j + 1] >= lcs[i + 1][j])) j++;
      else i++;
    }
    // an empty side names the line before it, as diff -u does
    const start = (at: number, count: number) => (count === 0 ? at : at + 1);
    out.push(`@@ -${start(si, i - si)},${i - si} +${start(sj, j - sj)},${j - sj} @@`, ...a.slice(si, i).map((l) => `-${l}`), ...b.slice(sj, j).map((l) => `+${l}`));
  }
  return out.length > 2 ? `${out.join("\n")}\n` : "";
}
