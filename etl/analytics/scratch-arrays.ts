/**
 * Typed arrays that the successive grids of one run reuse instead of allocating (see LakeMemo.scratch):
 * the emerging stage builds a cell × month cube per category (its counts, neighbourhood sums, groups
 * and bins: some 25 bytes a bin, 9 MB a category on a 10-year lake), and on the bench machine a fresh
 * array costs 3-5 ms of CPU per MB in first-touch page faults against 0.01-0.3 ms to clear one already
 * touched. Each slot holds one array at a time: what `take` returns stays valid until the same slot is
 * taken again, so a slot serves one stage's arrays that are dropped before its next call (the emerging
 * stage of one category, then the next). Arrays come back zeroed, as new ones.
 */
export class ScratchArrays {
  private readonly slots = new Map<string, Float64Array | Int32Array | Int8Array>();
  private readonly takes = new Map<string, number>();

  /** How many times `slot` has been taken: an array taken from it is intact while this stays the same. */
  taken(slot: string): number {
    return this.takes.get(slot) ?? 0;
  }

  float64(slot: string, length: number): Float64Array {
    return this.take(slot, length, Float64Array);
  }

  int32(slot: string, length: number): Int32Array {
    return this.take(slot, length, Int32Array);
  }

  int8(slot: string, length: number): Int8Array {
    return this.take(slot, length, Int8Array);
  }

  private take<T extends Float64Array | Int32Array | Int8Array>(slot: string, length: number, Kind: { new (length: number): T }): T {
    this.takes.set(slot, this.taken(slot) + 1);
    const held = this.slots.get(slot);
    if (held instanceof Kind && held.length >= length) {
      const view = held.subarray(0, length) as T;
      view.fill(0);
      return view;
    }
    const made = new Kind(length);
    this.slots.set(slot, made);
    return made;
  }
}

/** New arrays, as the functions taking ScratchArrays make them without one. */
export const FRESH_ARRAYS: Pick<ScratchArrays, "float64" | "int32" | "int8"> = {
  float64: (_slot, length) => new Float64Array(length),
  int32: (_slot, length) => new Int32Array(length),
  int8: (_slot, length) => new Int8Array(length),
};
