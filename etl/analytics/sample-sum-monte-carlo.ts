/**
 * Seeded Monte Carlo counterpart of sampleSumTails for multisets too rich for the exact expansion:
 * R replicates of a sample drawn without replacement from the month's values with one unit of value
 * x_i held out, for every own value x_i and sample size m at once.
 *
 * One stream of samples serves every (m, x_i), as esda's conditional randomisation reuses one set
 * of permuted ids for all units [@esda]: each replicate is a partial Fisher–Yates shuffle of the
 * positions 0…n−2 of the value array, whose first m positions form a uniform m-sample for every m
 * (a prefix of a uniform random ordering). Position n−1 is the held-out unit when x_i equals its
 * value u; for another x_i the held-out unit is a representative cell c of value x_i and the pool is
 * the array with c's value replaced by u, so its sum is the replicate's sum plus (u − x_i) when c was
 * drawn. Every (m, x_i) thus sees exactly the law of a uniform m-sample from its own pool.
 *
 * The positions drawn depend only on n, the largest sample size, R and the seed — not on the values
 * — so every month of one study area draws the same positions (as esda draws one set of permuted
 * ids per run): they are drawn once (`drawnPositions`) and each month gathers its values at them.
 */
export interface MonteCarloSums {
  /** Per size index q (sizes[q]) and replicate r, the base sum: sums[q · R + r]. */
  sums: Float64Array;
  sizes: readonly number[];
  replicates: number;
  /** The value u of the last unit. */
  last: number;
  /** Per own-value index k, the position of its representative (−1: none needed, x_k = u). */
  representative: Int32Array;
  /** The positions' draws (drawnPositions). */
  drawn: DrawnPositions;
  /** Per size index q, its largest replicate sum (so upperCounts sizes its histogram in one pass). */
  largest: Float64Array;
}

/** The sums of the last call (see monteCarloSums), and the histograms of upperCounts' last call. */
let sumsBuffer = new Float64Array(0);
let countsBuffer = new Int32Array(0);
let valuesBuffer = new Float64Array(0);

/**
 * Draws `replicates` samples of the largest of `sizes` from x (whole numbers) with the generator
 * seeded by `seed` (mulberry32, inlined); `own` lists the held-out values (each must occur in x).
 * The result's `sums` is valid until the next call (its buffer is reused).
 */
export function monteCarloSums(x: ArrayLike<number>, sizes: readonly number[], own: readonly number[], replicates: number, seed: number): MonteCarloSums {
  const n = x.length;
  let deepest = 0;
  for (const m of sizes) deepest = Math.max(deepest, m);
  if (deepest > n - 1) throw new RangeError(`samples of ${deepest} from ${n - 1} units`);
  const last = x[n - 1]!;
  // A copy in a kept array (one element type for the loops below, no allocation per month).
  if (valuesBuffer.length < n) valuesBuffer = new Float64Array(n);
  const values = valuesBuffer.subarray(0, n);
  for (let i = 0; i < n; i++) values[i] = x[i]!;
  const representative = representatives(values, own, last);
  // Per draw depth d, the size index whose sample ends there (−1: none): the sums are stored as drawn.
  const endsAt = new Int32Array(deepest + 1).fill(-1);
  for (let q = 0; q < sizes.length; q++) endsAt[sizes[q]!] = q;
  const drawn = drawnPositions(n, deepest, replicates, seed);
  const { picks } = drawn;
  // Kept from call to call (half a megabyte a month otherwise, for the collector): a view of it is returned.
  if (sumsBuffer.length < sizes.length * replicates) sumsBuffer = new Float64Array(sizes.length * replicates);
  const sums = sumsBuffer.subarray(0, sizes.length * replicates);
  const largest = new Float64Array(sizes.length);
  replicateSums(values, picks, endsAt, deepest, replicates, sums, largest);
  return { sums, sizes, replicates, last, representative, drawn, largest };
}

/**
 * monteCarloSums' loop, a function of its own so that V8 optimises it whole (compiled on-stack
 * inside the larger function, it left the optimised code on later calls): per replicate r the
 * running sum of the values at its picks, stored at each depth that ends a sample size.
 */
function replicateSums(
  values: Float64Array,
  picks: Int32Array,
  endsAt: Int32Array,
  deepest: number,
  replicates: number,
  sums: Float64Array,
  largest: Float64Array,
): void {
  for (let r = 0, at = 0; r < replicates; r++) {
    // Whole numbers: the running sum is the same double in any grouping of the additions.
    let sum = 0;
    for (let d = 1; d <= deepest; d++) {
      sum += values[picks[at++]!]!;
      const q = endsAt[d]!;
      if (q >= 0) {
        sums[q * replicates + r] = sum;
        if (sum > largest[q]!) largest[q] = sum;
      }
    }
  }
}

/** The draws of `drawnPositions`, and for each position the draws that took it. */
export interface DrawnPositions {
  n: number;
  deepest: number;
  replicates: number;
  seed: number;
  /** The position replicate r draws at depth d (0-based): picks[r · deepest + d]. */
  picks: Int32Array;
  /** Per position p, byReplicate/byDepth[start[p] … start[p + 1]) list the draws that took it. */
  start: Int32Array;
  byReplicate: Int32Array;
  byDepth: Int32Array;
}

/** The last positions drawn (one study area's months all draw the same ones). */
let lastDrawn: DrawnPositions | undefined;

/**
 * The positions (0…n−2) that each replicate draws: a partial Fisher–Yates shuffle of `deepest`
 * steps per replicate, from one mulberry32 stream seeded by `seed`, indexed by position too. Kept
 * for the next call with the same arguments.
 */
export function drawnPositions(n: number, deepest: number, replicates: number, seed: number): DrawnPositions {
  const kept = lastDrawn;
  if (kept && kept.n === n && kept.deepest === deepest && kept.replicates === replicates && kept.seed === seed) return kept;
  const picks = new Int32Array(replicates * deepest);
  const shuffles = new PartialShuffles(n - 1, deepest, seed);
  for (let r = 0; r < replicates; r++) {
    shuffles.next();
    picks.set(shuffles.picked, r * deepest);
  }
  // The draws by position (counting sort, replicates in order).
  const start = new Int32Array(n + 1);
  for (let at = 0; at < picks.length; at++) start[picks[at]! + 1]!++;
  for (let p = 0; p < n; p++) start[p + 1]! += start[p]!;
  const fill = start.slice(0, n);
  const byReplicate = new Int32Array(picks.length);
  const byDepth = new Int32Array(picks.length);
  for (let at = 0; at < picks.length; at++) {
    const to = fill[picks[at]!]!++;
    byReplicate[to] = Math.floor(at / deepest);
    byDepth[to] = at % deepest;
  }
  lastDrawn = { n, deepest, replicates, seed, picks, start, byReplicate, byDepth };
  return lastDrawn;
}

/** representatives' table of own values, kept from call to call (a dense month's is kilobytes). */
let representativeScratch = new Int32Array(0);

/**
 * Per own value (index k in `own`), the first position 0…n−2 holding it — its representative —
 * or −1 for the last unit's value u (which needs none); throws for a held-out value that does not occur.
 */
function representatives(values: Float64Array, own: readonly number[], last: number): Int32Array {
  const n = values.length;
  const representative = new Int32Array(own.length).fill(-1);
  let largest = 0;
  for (const value of own) largest = Math.max(largest, value);
  // Counts are small whole numbers: a typed table by value rather than a Map (one look-up per cell).
  let small = largest <= 1 << 20;
  for (const value of own) if (!(Number.isInteger(value) && value >= 0)) small = false;
  if (small && representativeScratch.length < largest + 1) representativeScratch = new Int32Array(Math.max(largest + 1, 2 * representativeScratch.length));
  const table = small ? representativeScratch.fill(-1, 0, largest + 1) : undefined;
  const map = small ? undefined : new Map<number, number>();
  let wanted = 0;
  for (let k = 0; k < own.length; k++) {
    const value = own[k]!;
    if (value === last) continue;
    wanted++;
    if (table) table[value] = k;
    else map!.set(value, k);
  }
  for (let i = 0; i < n - 1 && wanted > 0; i++) {
    const value = values[i]!;
    const k = table ? (value >= 0 && value <= largest ? table[value]! : -1) : (map!.get(value) ?? -1);
    if (k < 0 || representative[k]! >= 0) continue;
    representative[k] = i;
    wanted--;
  }
  for (let k = 0; k < own.length; k++) {
    if (own[k] !== last && representative[k]! < 0) throw new RangeError(`held-out value ${own[k]} does not occur`);
  }
  return representative;
}

/**
 * Per size index q, counts of replicates with base sum ≥ s for s = 0…top (top: the cap — one cap for
 * every size or one per size, at least the largest s queried — or one past the size's largest
 * replicate sum if that is lower, every entry beyond being 0; the last entry counts sums ≥ top), so a
 * tail query costs one look-up plus the few replicates that drew the held-out value's representative.
 */
export function upperCounts(mc: MonteCarloSums, cap: number | ArrayLike<number>): Int32Array[] {
  const { sums, replicates } = mc;
  // No closures (map, reduce): tsx wraps every closure it makes in a __name call.
  const tops: number[] = [];
  let length = 0;
  for (let q = 0; q < mc.sizes.length; q++) {
    const top = Math.min(typeof cap === "number" ? cap : cap[q]!, mc.largest[q]! + 1);
    tops.push(top);
    length += top + 2;
  }
  // Every size's histogram in one array kept from call to call (a dense month's are ~100 KB each),
  // zeroed here: the result is valid until the next call.
  if (countsBuffer.length < length) countsBuffer = new Int32Array(Math.max(length, 2 * countsBuffer.length));
  countsBuffer.fill(0, 0, length);
  let at = 0;
  const upper: Int32Array[] = [];
  for (let q = 0; q < mc.sizes.length; q++) {
    const top = tops[q]!;
    const counts = countsBuffer.subarray(at, at + top + 2);
    at += top + 2;
    upperHistogram(sums, q * replicates, (q + 1) * replicates, top, counts);
    upper.push(counts);
  }
  return upper;
}

/**
 * counts[s] = sums[from … end) ≥ s for s < top, counts[top] = those ≥ top. Its two loops are functions of
 * their own: compiled on-stack during the first loop, the whole function had no feedback for the second
 * and left the optimised code there on later calls (5–36 eager deopts a run of the 123 Monte Carlo
 * months, `--trace-deopt`).
 */
function upperHistogram(sums: Float64Array, from: number, end: number, top: number, counts: Int32Array): void {
  tallySums(sums, from, end, top, counts);
  for (let s = top - 1; s >= 0; s--) counts[s]! += counts[s + 1]!;
}

/** counts[sum] += 1 for each of sums[from … end), sums ≥ top in counts[top]. */
function tallySums(sums: Float64Array, from: number, end: number, top: number, counts: Int32Array): void {
  // Sums are whole numbers ≥ 0 (counts): the bin is the sum itself, or the top.
  for (let r = from; r < end; r++) {
    const sum = sums[r]!;
    counts[sum < top ? sum : top]!++;
  }
}

/**
 * Replicates whose sample sum (size index q, own-value index k) is ≥ s, and ≥ s + 1 (s + 1 ≤ cap),
 * into `out` [≥ s, ≥ s + 1]: the upper tail and, by difference from R, the lower one.
 */
export function countTails(mc: MonteCarloSums, upper: Int32Array[], q: number, k: number, ownValue: number, s: number, out: Int32Array): void {
  const counts = upper[q]!;
  const top = counts.length - 2;
  let atLeast = s <= 0 ? mc.replicates : counts[Math.min(s, top)]!;
  let above = s + 1 <= 0 ? mc.replicates : counts[Math.min(s + 1, top)]!;
  const position = mc.representative[k]!;
  if (position >= 0) {
    const size = mc.sizes[q]!;
    const shift = mc.last - ownValue;
    const base = q * mc.replicates;
    const { start, byReplicate, byDepth } = mc.drawn;
    for (let h = start[position]!, end = start[position + 1]!; h < end; h++) {
      if (byDepth[h]! >= size) continue;
      const sum = mc.sums[base + byReplicate[h]!]!;
      // This replicate drew the representative: its pool holds the last unit's value there instead.
      const moved = sum + shift;
      atLeast += (moved >= s ? 1 : 0) - (sum >= s ? 1 : 0);
      above += (moved > s ? 1 : 0) - (sum > s ? 1 : 0);
    }
  }
  out[0] = atLeast;
  out[1] = above;
}

/** mulberry32: a small, fast 32-bit generator, uniform on [0, 1); the same seed gives the same stream. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Tail counts of `replicates` more samples for a few (sample size m_j, held-out value x_j, observed sum
 * s_j) at once, streamed: nothing per draw is stored (giStarPermutation's refinement draws up to a
 * million replicates for thousands of groups in a space-time cube, where monteCarloSums' stored
 * positions would cost 12 bytes of fresh memory a draw). Each replicate is a partial Fisher–Yates
 * shuffle of positions 0…n−2, the held-out unit handled as in monteCarloSums (a representative of x_j
 * stands for it, the last unit's value u taking its place). Adds #{S ≥ s_j} to atLeast[j] and
 * #{S ≤ s_j} to atMost[j].
 *
 * A replicate's sum for group j is its running sum at depth m_j, shifted by u − x_j only when the
 * representative of x_j was drawn above that depth — rare where the units far outnumber the depth. So
 * where the values and observed sums are whole numbers (the Gi* counts), each replicate adds its
 * running sums to one histogram per distinct size and records the rare shifted sums apart; each group's
 * tails are then read from its size's histogram and corrected by its own value's shifted sums. The
 * draws and the counts are those of comparing every group in every replicate (`tally: "direct"`, which
 * the test compares), at a cost per replicate of the distinct sizes rather than of the groups.
 * Returns the tally used.
 */
export function streamedTailCounts(
  x: ArrayLike<number>,
  sizes: ArrayLike<number>,
  owns: ArrayLike<number>,
  observed: ArrayLike<number>,
  replicates: number,
  seed: number,
  atLeast: Float64Array,
  atMost: Float64Array,
  tally: "auto" | "direct" = "auto",
): "histogram" | "direct" {
  const n = x.length;
  const groups = sizes.length;
  let deepest = 0;
  for (let j = 0; j < groups; j++) deepest = Math.max(deepest, sizes[j]!);
  if (deepest > n - 1) throw new RangeError(`samples of ${deepest} from ${n - 1} units`);
  const last = x[n - 1]!;
  // Per own value its index and shift u − x; per group its own value's index.
  const ownIndex = new Map<number, number>();
  const shifts: number[] = [];
  const ownOf = new Int32Array(groups);
  for (let j = 0; j < groups; j++) {
    let k = ownIndex.get(owns[j]!);
    if (k === undefined) {
      k = shifts.push(last - owns[j]!) - 1;
      ownIndex.set(owns[j]!, k);
    }
    ownOf[j] = k;
  }
  // Per position the own value it represents (−1: none): the first unit of that value before the last.
  const represents = new Int32Array(n).fill(-1);
  const found = new Uint8Array(shifts.length);
  let representatives = 0;
  for (let i = 0; i < n - 1; i++) {
    const k = ownIndex.get(x[i]!);
    if (k === undefined || found[k] || shifts[k] === 0) continue;
    found[k] = 1;
    represents[i] = k;
    representatives++;
  }
  for (const [value, k] of ownIndex) if (shifts[k] !== 0 && !found[k]) throw new RangeError(`held-out value ${value} does not occur`);
  const draw = new ReplicateDraws(x, deepest, shifts.length, represents, seed);
  const histogram = tally === "auto" ? sizeHistograms(x, sizes, observed, replicates, (representatives * deepest) / (n - 1)) : null;
  if (!histogram) {
    const shift = Float64Array.from(shifts);
    for (let r = 0; r < replicates; r++) {
      draw.next();
      for (let j = 0; j < groups; j++) {
        const m = sizes[j]!;
        const k = ownOf[j]!;
        const sum = draw.sumTo[m]! + (draw.drawnAt[k]! < m ? shift[k]! : 0);
        if (sum >= observed[j]!) atLeast[j]!++;
        if (sum <= observed[j]!) atMost[j]!++;
      }
      draw.clearMarks();
    }
    return "direct";
  }
  const { sizeList, sizeOf, cap, counts } = histogram;
  const width = cap + 1;
  // The shifted sums: per record its size index, own value and the sum without and with the shift.
  const shifted: { key: number[]; base: number[] } = { key: [], base: [] };
  const owners = shifts.length;
  for (let r = 0; r < replicates; r++) {
    draw.next();
    for (let q = 0; q < sizeList.length; q++) counts[q * width + Math.min(draw.sumTo[sizeList[q]!]!, cap)]!++;
    for (let h = 0; h < draw.marks; h++) {
      const k = draw.marked[h]!;
      const at = draw.drawnAt[k]!;
      for (let q = 0; q < sizeList.length; q++) {
        if (sizeList[q]! <= at) continue;
        shifted.key.push(q * owners + k);
        shifted.base.push(draw.sumTo[sizeList[q]!]!);
      }
    }
    draw.clearMarks();
  }
  // Upper and lower cumulative counts per size: at[v] = #{min(S, cap) ≥ v}, below[v] = #{min(S, cap) ≤ v}.
  const above = new Float64Array(counts.length);
  const below = new Float64Array(counts.length);
  for (let q = 0; q < sizeList.length; q++) {
    const o = q * width;
    let run = 0;
    for (let v = cap; v >= 0; v--) above[o + v] = run += counts[o + v]!;
    run = 0;
    for (let v = 0; v <= cap; v++) below[o + v] = run += counts[o + v]!;
  }
  // The shifted records by key (counting sort), so each group reads its own value's only.
  const keys = sizeList.length * owners;
  const startOf = new Int32Array(keys + 1);
  for (const key of shifted.key) startOf[key + 1]!++;
  for (let key = 0; key < keys; key++) startOf[key + 1]! += startOf[key]!;
  const byKey = new Int32Array(shifted.key.length);
  const fill = startOf.slice(0, keys);
  shifted.key.forEach((key, i) => (byKey[fill[key]!++] = i));
  for (let j = 0; j < groups; j++) {
    const q = sizeOf[j]!;
    const k = ownOf[j]!;
    const s = observed[j]!;
    let ge = above[q * width + s]!;
    let le = below[q * width + s]!;
    const shift = shifts[k]!;
    for (let t = startOf[q * owners + k]!; t < startOf[q * owners + k + 1]!; t++) {
      const base = shifted.base[byKey[t]!]!;
      ge += (base + shift >= s ? 1 : 0) - (base >= s ? 1 : 0);
      le += (base + shift <= s ? 1 : 0) - (base <= s ? 1 : 0);
    }
    atLeast[j]! += ge;
    atMost[j]! += le;
  }
  return "histogram";
}

/**
 * The histograms' shape where they apply — whole values ≥ 0, whole observed sums ≥ 0, a histogram of
 * at most 2^24 bins and few shifted sums expected (`shiftedPerReplicate` · sizes · replicates ≤ 2^22)
 * — else null. `cap` = the largest observed sum + 1: a sum at or past it is above every observed one.
 */
function sizeHistograms(
  x: ArrayLike<number>,
  sizes: ArrayLike<number>,
  observed: ArrayLike<number>,
  replicates: number,
  shiftedPerReplicate: number,
): { sizeList: number[]; sizeOf: Int32Array; cap: number; counts: Float64Array } | null {
  let cap = 0;
  for (let j = 0; j < observed.length; j++) {
    const s = observed[j]!;
    if (!(Number.isInteger(s) && s >= 0)) return null;
    cap = Math.max(cap, s + 1);
  }
  for (let i = 0; i < x.length; i++) if (!(Number.isInteger(x[i]!) && x[i]! >= 0)) return null;
  const sizeList = [...new Set(Array.from(sizes))].sort((a, b) => a - b);
  if (sizeList.length * (cap + 1) > 1 << 24 || shiftedPerReplicate * sizeList.length * replicates > 1 << 22) return null;
  const index = new Map(sizeList.map((m, q) => [m, q]));
  return { sizeList, sizeOf: Int32Array.from(sizes, (m) => index.get(m)!), cap, counts: new Float64Array(sizeList.length * (cap + 1)) };
}

/**
 * The positions 0…units−1 that one replicate after another draws: a partial Fisher–Yates shuffle of
 * `depth` steps from one mulberry32 stream seeded by `seed` (inlined: this is the Monte Carlo tests'
 * hot loop), `picked[d]` the position drawn at depth d. Every replicate shuffles the same starting
 * order, so the same seed gives the same samples, whichever caller draws them.
 */
class PartialShuffles {
  readonly picked: Int32Array;
  private readonly order: Int32Array;
  private readonly swaps: Int32Array;
  private state: number;

  constructor(
    private readonly units: number,
    private readonly depth: number,
    seed: number,
  ) {
    this.order = new Int32Array(units);
    for (let i = 0; i < units; i++) this.order[i] = i;
    this.swaps = new Int32Array(depth);
    this.picked = new Int32Array(depth);
    // The state as an int32 (| 0) rather than a uint32 (>>> 0): the same 32 bits for every operation
    // below (>>> and Math.imul read them alike), but a small integer V8 keeps unboxed.
    this.state = seed | 0;
  }

  next(): void {
    const { order, swaps, picked, depth, units } = this;
    let state = this.state;
    for (let d = 0; d < depth; d++) {
      // mulberry32, as in `mulberry32` above.
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), state | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      // u · (units − d) is ≥ 0 and below 2^31: truncation (| 0) is Math.floor (× 2^−32 divides by 2^32 exactly).
      const j = d + ((((t ^ (t >>> 14)) >>> 0) * 2.3283064365386963e-10 * (units - d)) | 0);
      swaps[d] = j;
      const pick = order[j]!;
      order[j] = order[d]!;
      order[d] = pick;
      picked[d] = pick;
    }
    // Undo the swaps so every replicate starts from the same order.
    for (let d = depth - 1; d >= 0; d--) {
      const j = swaps[d]!;
      const t = order[j]!;
      order[j] = order[d]!;
      order[d] = t;
    }
    this.state = state;
  }
}

/**
 * One replicate after another of streamedTailCounts' draws (PartialShuffles): `next()` leaves the
 * running sums of the drawn values in `sumTo` and, per own value whose representative was drawn, its
 * depth in `drawnAt` (listed in `marked`); `clearMarks()` resets those before the next replicate.
 */
class ReplicateDraws {
  readonly sumTo: Float64Array;
  readonly drawnAt: Int32Array;
  readonly marked: Int32Array;
  marks = 0;
  private readonly shuffles: PartialShuffles;

  constructor(
    private readonly x: ArrayLike<number>,
    private readonly deepest: number,
    owners: number,
    private readonly represents: Int32Array,
    seed: number,
  ) {
    this.shuffles = new PartialShuffles(x.length - 1, deepest, seed);
    this.drawnAt = new Int32Array(owners).fill(deepest);
    this.sumTo = new Float64Array(deepest + 1);
    this.marked = new Int32Array(deepest);
  }

  next(): void {
    const { x, sumTo, represents, drawnAt, marked, deepest } = this;
    this.shuffles.next();
    const picked = this.shuffles.picked;
    let marks = 0;
    for (let d = 0; d < deepest; d++) {
      const pick = picked[d]!;
      sumTo[d + 1] = sumTo[d]! + x[pick]!;
      const k = represents[pick]!;
      if (k >= 0) {
        drawnAt[k] = d;
        marked[marks++] = k;
      }
    }
    this.marks = marks;
  }

  clearMarks(): void {
    for (let h = 0; h < this.marks; h++) this.drawnAt[this.marked[h]!] = this.deepest;
    this.marks = 0;
  }
}
