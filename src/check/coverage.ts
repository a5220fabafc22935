// What `check` covered across a whole run: the nn.Module classes found in the
// checked files, which of them some analysed model contains (as its root or as a
// part), and why the others were not analysed. Also remembers the models already
// analysed, so that one built twice (by its factory and with its defaults, or in
// two scripts with the same arguments) is analysed once.
import type { ClassValue, ObjectValue } from "../eval/values.js";
import { moduleParameters, namedModules } from "../torch/module.js";
import { formatShape } from "../shapes/shape.js";

/** Why a class was not analysed: nothing builds it, or building it failed. */
export type SkipReason = { readonly kind: "needs constructor arguments" } | { readonly kind: "could not build"; readonly detail: string };

/** A class no analysed model contains. */
export interface NotAnalysedClass {
  readonly name: string;
  readonly file: string;
  /** 1-based line of the class */
  readonly line: number;
  readonly reason: SkipReason;
}

export interface CoverageSummary {
  readonly found: number;
  readonly analysed: number;
  /** by file and line */
  readonly notAnalysed: readonly NotAnalysedClass[];
}

function classKey(cls: ClassValue): string | undefined {
  return cls.location ? `${cls.location.file}:${cls.location.span.line}` : undefined;
}

/** Two builds are the same model when they make the same tree of the same classes with the same parameter shapes. */
function fingerprint(model: ObjectValue): string {
  const classOf = (m: ObjectValue) => classKey(m.cls) ?? m.cls.name;
  const modules = namedModules(model).map(([n, m]) => `${n}=${classOf(m)}`);
  const params = moduleParameters(model).map(([n, p]) => `${n}:${formatShape(p.shape)}`);
  return `${modules.join(",")}|${params.join(",")}`;
}

/**
 * What one file's analysis did with the ledger, in order: the questions it asked with
 * the answers it got, and what it added. A file analysed on a worker thread with a
 * ledger of its own is kept only if the run's ledger, at that file's turn, gives the
 * same answers (src/check/parallelCheck.ts); then its additions are replayed.
 */
export type LedgerEvent =
  | { readonly kind: "found"; readonly key: string; readonly name: string; readonly file: string; readonly line: number }
  | { readonly kind: "modelIsNew"; readonly print: string; readonly answer: boolean }
  | { readonly kind: "analysed"; readonly keys: readonly string[] }
  | { readonly kind: "isAnalysed"; readonly key: string; readonly answer: boolean }
  | { readonly kind: "skipped"; readonly key: string; readonly reason: SkipReason };

export class CoverageLedger {
  private readonly found = new Map<string, { readonly name: string; readonly file: string; readonly line: number; skipped?: SkipReason }>();
  private readonly analysed = new Set<string>();
  private readonly models = new Set<string>();
  /** every call, when asked for (a worker's ledger, or one file's turn when its outcome may be stored) */
  private journalled: LedgerEvent[] | undefined;

  constructor(options: { readonly journal?: boolean } = {}) {
    this.journalled = options.journal ? [] : undefined;
  }

  get journal(): readonly LedgerEvent[] | undefined {
    return this.journalled;
  }

  /** From now on every call is journalled, until takeJournal(): what one file's analysis did, for check's outcome cache. */
  startJournal(): void {
    this.journalled = [];
  }

  /** The calls journalled since startJournal(), and no more journalling. */
  takeJournal(): LedgerEvent[] {
    const events = this.journalled ?? [];
    this.journalled = undefined;
    return events;
  }

  /** A module class defined in a checked file. */
  classFound(cls: ClassValue): void {
    const key = classKey(cls);
    if (key) this.apply({ kind: "found", key, name: cls.name, file: cls.location!.file, line: cls.location!.span.line + 1 });
  }

  /** A model is about to be analysed: false when the same model was analysed already. */
  modelIsNew(model: ObjectValue): boolean {
    const print = fingerprint(model);
    const answer = !this.models.has(print);
    this.models.add(print);
    this.journalled?.push({ kind: "modelIsNew", print, answer });
    return answer;
  }

  /** Every class of an analysed model's tree counts as analysed, and their base classes (GeneralizedRCNN under FasterRCNN), whose code ran too. */
  modelAnalysed(model: ObjectValue): void {
    const keys: string[] = [];
    for (const [, m] of namedModules(model)) {
      for (const cls of m.cls.mro) {
        const key = classKey(cls);
        if (key) keys.push(key);
      }
    }
    this.apply({ kind: "analysed", keys });
  }

  /** A class stands for a model of another class (`# torchshape: model=build(2)` above it). */
  classAnalysed(cls: ClassValue): void {
    const key = classKey(cls);
    if (key) this.apply({ kind: "analysed", keys: [key] });
  }

  /** Some analysed model contains this class: building it with its defaults again adds nothing. */
  isAnalysed(cls: ClassValue): boolean {
    const key = classKey(cls);
    if (key === undefined) return false;
    const answer = this.analysed.has(key);
    this.journalled?.push({ kind: "isAnalysed", key, answer });
    return answer;
  }

  classSkipped(cls: ClassValue, reason: SkipReason): void {
    const key = classKey(cls);
    // recorded even when this ledger has not found the class: the run's ledger may have, from an earlier file
    if (key) this.apply({ kind: "skipped", key, reason });
  }

  /** What other files' analyses added, known to be so before this file's turn (they only ever add). */
  learn(prints: readonly string[], analysedKeys: readonly string[]): void {
    for (const p of prints) this.models.add(p);
    for (const k of analysedKeys) this.analysed.add(k);
  }

  /**
   * One file's events, replayed at its turn: false, with nothing changed, when a
   * question would be answered otherwise here (the file must then be analysed again
   * with this ledger); else its additions are made, as the file's own run would have
   * made them, and given back (the fingerprints and class keys added).
   */
  replay(events: readonly LedgerEvent[]): { readonly prints: string[]; readonly analysedKeys: string[] } | undefined {
    const prints = new Set<string>();
    const keys = new Set<string>();
    for (const e of events) {
      if (e.kind === "modelIsNew") {
        if ((!this.models.has(e.print) && !prints.has(e.print)) !== e.answer) return undefined;
        prints.add(e.print);
      } else if (e.kind === "isAnalysed") {
        if ((this.analysed.has(e.key) || keys.has(e.key)) !== e.answer) return undefined;
      } else if (e.kind === "analysed") for (const k of e.keys) keys.add(k);
    }
    const added = { prints: [...prints].filter((p) => !this.models.has(p)), analysedKeys: [...keys].filter((k) => !this.analysed.has(k)) };
    for (const e of events) this.apply(e);
    return added;
  }

  /** How many fingerprints and analysed classes it holds: what it added since is given by added(). */
  sizes(): { readonly prints: number; readonly analysedKeys: number } {
    return { prints: this.models.size, analysedKeys: this.analysed.size };
  }

  /** The fingerprints and analysed classes added since sizes() gave `before` (sets keep their order of insertion). */
  added(before: { readonly prints: number; readonly analysedKeys: number }): { readonly prints: string[]; readonly analysedKeys: string[] } {
    return { prints: [...this.models].slice(before.prints), analysedKeys: [...this.analysed].slice(before.analysedKeys) };
  }

  private apply(e: LedgerEvent): void {
    switch (e.kind) {
      case "found":
        if (!this.found.has(e.key)) this.found.set(e.key, { name: e.name, file: e.file, line: e.line });
        break;
      case "modelIsNew":
        this.models.add(e.print);
        return; // a question: not journalled again
      case "analysed":
        for (const k of e.keys) this.analysed.add(k);
        break;
      case "skipped": {
        const entry = this.found.get(e.key);
        if (entry) entry.skipped ??= e.reason;
        break;
      }
      case "isAnalysed":
        return;
    }
    this.journalled?.push(e);
  }

  summary(): CoverageSummary {
    const notAnalysed: NotAnalysedClass[] = [];
    let analysed = 0;
    for (const [key, { name, file, line, skipped }] of this.found) {
      if (this.analysed.has(key)) analysed++;
      // a class with defaults is always built, so one never tried was never built for want of arguments
      else notAnalysed.push({ name, file, line, reason: skipped ?? { kind: "needs constructor arguments" } });
    }
    notAnalysed.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
    return { found: this.found.size, analysed, notAnalysed };
  }
}
