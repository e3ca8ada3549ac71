/**
 * Which incident numbers may have been seen before in a file: a blocked Bloom filter over 64-bit id
 * hashes (every id sets six bits inside one 512-bit block, so a test touches one cache line). Its
 * memory is fixed when it is made — it does not grow with the file — and it never misses an id that
 * was added; an id it wrongly reports as seen (rare) only makes the exact check in SQL look at it.
 */
export class IdFilter {
  private readonly bits: Uint32Array;
  private readonly blockMask: number;

  /**
   * A filter sized for about `expectedIds` ids: some 13 bits per id (about 1 in 10,000 wrongly
   * reported as seen), from 64 KiB to 16 MiB — small enough to stay mostly in the CPU's cache.
   */
  constructor(expectedIds: number) {
    let blocks = 1024;
    while (blocks < expectedIds / 40 && blocks < 1 << 18) blocks *= 2;
    this.bits = new Uint32Array(blocks * 16);
    this.blockMask = blocks - 1;
  }

  /** Adds an id hash; true when it may have been added before. */
  testAndAdd(high: number, low: number): boolean {
    const base = (low & this.blockMask) * 16;
    const step = (high >>> 16) | 1;
    let bit = (low >>> 20) ^ (high & 0xffff);
    let seen = true;
    for (let i = 0; i < 6; i++) {
      const b = bit & 511;
      const word = base + (b >>> 5);
      const mask = 1 << (b & 31);
      if ((this.bits[word]! & mask) === 0) {
        seen = false;
        this.bits[word]! |= mask;
      }
      bit += step;
    }
    return seen;
  }
}
