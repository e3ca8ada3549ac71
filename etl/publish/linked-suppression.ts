/**
 * Secondary suppression of linked tables (Hundepool et al. 2012, Statistical Disclosure Control,
 * ch. 4–5; the approach of tau-argus for linked tables): several published tables share cells
 * through relations "a total is the sum of its parts", and a count withheld in one table must not
 * come back by difference through another.
 *
 * The adversary model is the closure of the relations: a relation whose total is known and whose
 * parts are known but one gives that part; a relation whose parts are all known gives its total.
 * A total may be a virtual cell that is never published (a month's total over the study area): it is
 * known when one side of one of its relations is. The release is safe when no withheld or virtual
 * cell with a count of 1 … threshold − 1 is derivable, and in every relation whose total is known,
 * the parts not published hold together 0 or at least the threshold, and so do the parts the
 * closure cannot derive (releaseParts' rule, over derivable knowledge rather than published cells).
 *
 * Limit: this is the standard heuristic, not a linear-programming audit. An adversary who combines
 * relations by linear algebra beyond the single-relation closure, or who bounds a cell by the
 * non-negativity of the others (a withheld part is at most its published total), is not modelled;
 * adding such a combination as a relation of its own makes the heuristic protect it.
 */

/** How a cell may be released: `candidate` published unless withheld; `fixed` always published; `virtual` never published. */
export type CellRole = "candidate" | "fixed" | "virtual";

export interface LinkedCell {
  /** The full count (a non-negative whole number). */
  readonly value: number;
  readonly role: CellRole;
}

/** `cells[total]` is the sum of `cells[parts[i]]`. */
export interface Relation {
  readonly total: number;
  readonly parts: readonly number[];
}

export interface LinkedRelease {
  /** Per cell: withheld (a candidate published as null). Fixed and virtual cells are never marked. */
  withheld: boolean[];
  /**
   * Relations where the rule still fails because only fixed cells were left to withhold (a fixed
   * total below the threshold: the total is published anyway), in the order of `relations`.
   */
  unresolved: number[];
  /** Closure rounds run (each but the last withheld at least one more cell). */
  rounds: number;
}

/**
 * Withholds every candidate of 1 … threshold − 1 (primary suppression), then, round by round, the
 * candidates that keep those counts from being derived (secondary suppression): each round computes
 * what the closure of the relations derives from the published cells, and for each violation
 * withholds one more cell — the smallest published part of the relation concerned first (ties: the
 * lower index), its total only when no part is left. A withheld cell that the closure derives is made
 * unknown through the relation that derives it: there an earlier withheld cell that leaked is made
 * unknown again before any new cell is withheld (else one leak would withhold a year after another).
 * Deterministic; ends when a round finds nothing to withhold, after at most one round per candidate.
 */
export function suppressLinked(cells: readonly LinkedCell[], relations: readonly Relation[], threshold: number): LinkedRelease {
  checkInput(cells, relations, threshold);
  const value = (i: number) => cells[i]!.value;
  const small = (n: number) => n > 0 && n < threshold;
  const withheld = cells.map((c) => c.role === "candidate" && small(c.value));
  const published = (i: number) => cells[i]!.role === "fixed" || (cells[i]!.role === "candidate" && !withheld[i]);
  const memberOf: number[][] = cells.map(() => []);
  relations.forEach((r, k) => {
    memberOf[r.total]!.push(k);
    for (const p of r.parts) memberOf[p]!.push(k);
  });
  const bySize = (a: number, b: number) => value(a) - value(b) || a - b;

  for (let rounds = 1; ; rounds++) {
    const { known, reason } = closure(cells.length, relations, memberOf, published);
    const next = new Set<number>(); // withheld this round: unknown to the adversary until the next closure says otherwise
    const hidden = (i: number) => !published(i) || next.has(i);
    const unknown = (i: number) => !known[i] || next.has(i);
    // A part of 0 is never withheld to protect another: it adds nothing to the sum it would hide in.
    const withholdable = (i: number) => cells[i]!.role === "candidate" && !hidden(i) && value(i) > 0;

    /**
     * Makes a derivable cell unknown: withholds it where it is published; else, in the relation that
     * derives it, first makes unknown again a withheld cell that is derivable (an earlier withholding
     * that leaked: repairing it keeps the suppression from spreading), then withholds the smallest
     * published part (the total when none is left), then makes a derivable virtual cell unknown.
     */
    const makeUnknown = (i: number, visited = new Set<number>()): boolean => {
      if (unknown(i)) return true;
      if (withholdable(i)) return (next.add(i), true);
      const r = reason[i];
      if (r === undefined) return false; // a fixed cell
      const { total, parts } = relations[r]!;
      const others = [...parts, total].filter((o) => o !== i);
      if (others.some((o) => next.has(o))) return true;
      visited.add(i);
      const leaked = (role: CellRole) => others.filter((o) => cells[o]!.role === role && !published(o) && !visited.has(o)).sort(bySize);
      if (leaked("candidate").some((o) => makeUnknown(o, visited))) return true;
      const pick = parts.filter((p) => p !== i && withholdable(p)).sort(bySize)[0] ?? (total !== i && withholdable(total) ? total : undefined);
      if (pick !== undefined) return (next.add(pick), true);
      return leaked("virtual").some((o) => makeUnknown(o, visited));
    };

    const violations: number[] = [];
    for (let i = 0; i < cells.length; i++) {
      if (!published(i) && known[i] && small(value(i)) && !makeUnknown(i)) violations.push(reason[i]!);
    }
    relations.forEach(({ total, parts }, k) => {
      if (unknown(total)) return;
      let sum = 0;
      for (const p of parts) if (hidden(p)) sum += value(p);
      if (small(sum)) {
        for (const p of parts.filter(withholdable).sort(bySize)) {
          if (!small(sum)) break;
          next.add(p);
          sum += value(p);
        }
        if (small(sum) && !makeUnknown(total)) violations.push(k);
        return;
      }
      let rest = 0;
      for (const p of parts) if (unknown(p)) rest += value(p);
      if (small(rest)) {
        const derived = parts.filter((p) => hidden(p) && !unknown(p)).sort(bySize);
        if (!derived.some((p) => makeUnknown(p))) violations.push(k);
      }
    });
    if (next.size === 0) {
      // A count withheld to protect another that the closure derives anyway is published: it tells nothing more.
      cells.forEach((c, i) => {
        if (withheld[i] && known[i] && !small(c.value)) withheld[i] = false;
      });
      return { withheld, unresolved: [...new Set(violations)].sort((a, b) => a - b), rounds };
    }
    for (const i of next) withheld[i] = true;
  }
}

/** What the relations derive from the published cells: `known` per cell, and for a derived cell the relation that gave it. */
function closure(
  size: number,
  relations: readonly Relation[],
  memberOf: readonly number[][],
  published: (i: number) => boolean,
): { known: boolean[]; reason: Array<number | undefined> } {
  const known = Array.from({ length: size }, (_, i) => published(i));
  const reason: Array<number | undefined> = new Array(size);
  const open = relations.map((r) => {
    let unknown = known[r.total] ? 0 : 1;
    for (const p of r.parts) if (!known[p]) unknown++;
    return unknown;
  });
  const queue = relations.flatMap((_, k) => (open[k] === 1 ? [k] : []));
  while (queue.length > 0) {
    const k = queue.pop()!;
    if (open[k] !== 1) continue;
    const { total, parts } = relations[k]!;
    const i = known[total] ? parts.find((c) => !known[c])! : total;
    known[i] = true;
    reason[i] = k;
    for (const r of memberOf[i]!) if (--open[r]! === 1) queue.push(r);
  }
  return { known, reason };
}

function checkInput(cells: readonly LinkedCell[], relations: readonly Relation[], threshold: number): void {
  if (!Number.isInteger(threshold) || threshold < 1) throw new RangeError(`suppression threshold ${threshold} is not a positive whole number`);
  cells.forEach((c, i) => {
    if (!Number.isInteger(c.value) || c.value < 0) throw new RangeError(`cell ${i} has count ${c.value}: counts are non-negative whole numbers`);
  });
  // named[i] = k + 1 once relation k names cell i: a repeat within one relation, without a set per relation.
  const named = new Int32Array(cells.length);
  relations.forEach(({ total, parts }, k) => {
    const ids = [total, ...parts];
    if (ids.some((i) => !Number.isInteger(i) || i < 0 || i >= cells.length)) throw new RangeError(`relation ${k} names a cell that does not exist`);
    for (const i of ids) {
      if (named[i] === k + 1) throw new RangeError(`relation ${k} names a cell twice`);
      named[i] = k + 1;
    }
    const sum = parts.reduce((s, p) => s + cells[p]!.value, 0);
    if (sum !== cells[total]!.value) {
      throw new RangeError(
        `relation ${k}: its parts sum to ${sum}, its total is ${cells[total]!.value}; a relation must hold exactly, or the closure derives wrong counts`,
      );
    }
  });
}
