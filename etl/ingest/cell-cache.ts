import { latLngToCell } from "h3-js";

/**
 * H3 cells of coordinate pairs, each distinct pair indexed once while it stays in the cache. Real
 * exports repeat points a great deal (coordinates rounded to a grid, snapped to a street segment or a
 * block's centre), and `latLngToCell` — about 1.2 µs a call, with the hex string parsed back — is
 * then most of the work of indexing. The cache is direct-mapped (a pair's slot is a hash of its bits;
 * a pair that lands in an occupied slot replaces it), so its memory is fixed. Looking a pair up costs
 * about a quarter of a call, so where points hardly repeat (the bench's synthetic file: all distinct)
 * it is bypassed: a window of lookups answered less than one time in ten from the cache turns it off
 * for the next BYPASS_ROWS rows, after which it is tried again. A hit returns what the call returned
 * for exactly the same doubles at the same resolution, so the cells are the same either way.
 */
export class CellCache {
  /** Per slot: the pair's bits (four 32-bit words: exactly these doubles, −0 told from 0) and its cell. */
  private readonly keys: Uint32Array;
  private readonly used: Uint8Array;
  /** The cell's 64-bit index: low and high halves per slot. */
  private readonly cell: Uint32Array;
  private readonly mask: number;
  private readonly bits = new Float64Array(2);
  private readonly words = new Uint32Array(this.bits.buffer);
  /** Calls of latLngToCell made and rows answered from the cache (a diagnostic). */
  misses = 0;
  hits = 0;
  /** Rows still to index without the cache; lookups and hits of the current window. */
  private bypass = 0;
  private windowLookups = 0;
  private windowHits = 0;

  /** `slotsLog2`: the cache holds 2^slotsLog2 pairs (default 2^16: 1.6 MiB). */
  constructor(
    readonly resolution: number,
    slotsLog2 = 16,
  ) {
    const slots = 1 << slotsLog2;
    this.mask = slots - 1;
    this.keys = new Uint32Array(4 * slots);
    this.used = new Uint8Array(slots);
    this.cell = new Uint32Array(2 * slots);
  }

  /**
   * Writes the cell of (lat, lon) into `out` at `2 * i` (low half) and `2 * i + 1` (high half): the
   * layout of RecordBatch.cell.
   */
  put(lat: number, lon: number, out: Uint32Array, i: number): void {
    if (this.bypass > 0) {
      this.bypass--;
      this.misses++;
      const text = latLngToCell(lat, lon, this.resolution);
      out[2 * i] = parseInt(text.slice(-8), 16);
      out[2 * i + 1] = parseInt(text.slice(0, -8), 16);
      return;
    }
    if (++this.windowLookups === WINDOW) {
      if (this.windowHits < WINDOW / 10) this.bypass = BYPASS_ROWS;
      this.windowLookups = this.windowHits = 0;
    }
    const w = this.words;
    this.bits[0] = lat;
    this.bits[1] = lon;
    // Mix the four 32-bit words of the two doubles (a multiply-xorshift per word).
    let h = Math.imul(w[0]! ^ 0x9e3779b9, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 15) ^ w[1]!, 0xc2b2ae35);
    h = Math.imul(h ^ (h >>> 13) ^ w[2]!, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 16) ^ w[3]!, 0xc2b2ae35);
    const slot = (h ^ (h >>> 16)) & this.mask;
    const k = 4 * slot;
    const keys = this.keys;
    if (this.used[slot] === 0 || keys[k] !== w[0] || keys[k + 1] !== w[1] || keys[k + 2] !== w[2] || keys[k + 3] !== w[3]) {
      const text = latLngToCell(lat, lon, this.resolution);
      keys.set(w, k);
      this.used[slot] = 1;
      this.cell[2 * slot] = parseInt(text.slice(-8), 16);
      this.cell[2 * slot + 1] = parseInt(text.slice(0, -8), 16);
      this.misses++;
    } else {
      this.hits++;
      this.windowHits++;
    }
    out[2 * i] = this.cell[2 * slot]!;
    out[2 * i + 1] = this.cell[2 * slot + 1]!;
  }
}

/** Lookups per window of the hit rate, and rows indexed without the cache after a poor window. */
const WINDOW = 16_384;
const BYPASS_ROWS = 1 << 20;
