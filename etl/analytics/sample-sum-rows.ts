/**
 * The exact expansion's one hot loop (subsetSumCounts: f[to + s] += f[from + s] · ways over a row),
 * as a small WebAssembly function that adds two doubles a step (f64x2), on a table kept in its
 * memory. Each entry gets the same two IEEE operations as in JavaScript — the product rounded, then
 * the sum rounded (WebAssembly has no fused multiply-add) — so the table is bit for bit the same.
 * On the 10 M bench grid's 1,316 exact months the row additions took 126 ms of CPU in JavaScript
 * and 42 ms here, and the code is compiled before its first call: no interpreter phase and no
 * optimising compile on another thread. Where WebAssembly SIMD is missing, or the table is not
 * this module's, the same loop runs in JavaScript.
 */

/** The module's bytes: memory "m"."mem" imported, `add(from, to, length, ways)` exported (indices in doubles). */
function kernelBytes(): Uint8Array<ArrayBuffer> {
  const leb = (n: number): number[] => {
    const out: number[] = [];
    do {
      let b = n & 0x7f;
      n >>>= 7;
      if (n) b |= 0x80;
      out.push(b);
    } while (n);
    return out;
  };
  const section = (id: number, bytes: number[]): number[] => [id, ...leb(bytes.length), ...bytes];
  const [localGet, localSet, i32Const, i32Add, i32Shl] = [0x20, 0x21, 0x41, 0x6a, 0x74];
  // Parameters 0 from, 1 to, 2 length, 3 ways; locals 4 s (i32), 5 ways in both lanes (v128).
  const byteAt = (p: number) => [localGet, p, localGet, 4, i32Const, 3, i32Shl, i32Add]; // (p + s) · 8, p already · 8
  const v128Load = [0xfd, 0x00, 3, 0];
  const body = [
    ...[0x02, 0x01, 0x7f, 0x01, 0x7b], // locals: one i32, one v128
    ...[localGet, 0, i32Const, 3, i32Shl, localSet, 0], // from · 8
    ...[localGet, 1, i32Const, 3, i32Shl, localSet, 1], // to · 8
    ...[localGet, 3, 0xfd, 0x14, localSet, 5], // f64x2.splat(ways)
    ...[0x02, 0x40, 0x03, 0x40], // block, loop
    ...[localGet, 4, i32Const, 2, i32Add, localGet, 2, 0x4a, 0x0d, 1], // break unless s + 2 ≤ length
    ...byteAt(1), // the store's address
    ...byteAt(1),
    ...v128Load,
    ...byteAt(0),
    ...v128Load,
    ...[localGet, 5, 0xfd, 0xf2, 0x01], // f64x2.mul
    ...[0xfd, 0xf0, 0x01], // f64x2.add
    ...[0xfd, 0x0b, 3, 0], // v128.store
    ...[localGet, 4, i32Const, 2, i32Add, localSet, 4, 0x0c, 0, 0x0b, 0x0b], // s += 2, continue; end loop, block
    ...[localGet, 4, localGet, 2, 0x48, 0x04, 0x40], // if s < length (one entry left)
    ...byteAt(1),
    ...byteAt(1),
    ...[0x2b, 3, 0], // f64.load
    ...byteAt(0),
    ...[0x2b, 3, 0, localGet, 3, 0xa2, 0xa0, 0x39, 3, 0], // · ways, +, f64.store
    ...[0x0b, 0x0b], // end if, end function
  ];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...section(1, [1, 0x60, 4, 0x7f, 0x7f, 0x7f, 0x7c, 0]), // (i32, i32, i32, f64) → ()
    ...section(2, [1, 1, 0x6d, 3, 0x6d, 0x65, 0x6d, 2, 0, 1]), // import m.mem, a memory of ≥ 1 page
    ...section(3, [1, 0]),
    ...section(7, [1, 3, 0x61, 0x64, 0x64, 0, 0]), // export "add"
    ...section(10, [1, ...leb(body.length), ...body]),
  ]);
}

interface Kernel {
  memory: WebAssembly.Memory;
  add: (from: number, to: number, length: number, ways: number) => void;
  /** A view of the whole memory, and its buffer (both replaced when the memory grows; `memory.buffer` is a slow getter). */
  table: Float64Array;
  buffer: ArrayBufferLike;
}

/** The kernel, made on first use; null where WebAssembly (with SIMD) is not available. */
let kernel: Kernel | null | undefined;

function theKernel(): Kernel | null {
  if (kernel !== undefined) return kernel;
  const bytes = kernelBytes();
  if (typeof WebAssembly === "undefined" || !WebAssembly.validate(bytes)) return (kernel = null);
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { m: { mem: memory } });
  const table = new Float64Array(memory.buffer);
  return (kernel = { memory, add: instance.exports.add as Kernel["add"], table, buffer: table.buffer });
}

/** Whether the WebAssembly kernel runs here (else addRowTimes on a rowTable runs in JavaScript). */
export function rowKernelAvailable(): boolean {
  return theKernel() !== null;
}

const PAGE_DOUBLES = 65536 / 8;
/**
 * 1 MB to start with (7 rows of 18,000 sums; the pages are committed only when touched): a table
 * that grows after V8 has optimised the code around rowTable costs that code a deoptimisation and a
 * compile, so growth, when a month needs more, at least doubles the memory.
 */
const INITIAL_PAGES = 16;

/**
 * A work table of at least `length` doubles for subsetSumCounts, in the kernel's memory when there is
 * one (else an array of its own). Its contents are whatever the last user left; it is valid until
 * the next call (a larger table grows the memory, which detaches the earlier views).
 */
export function rowTable(length: number): Float64Array {
  const k = theKernel();
  if (!k) return new Float64Array(length);
  if (k.table.length < length) {
    const pages = k.table.length / PAGE_DOUBLES;
    k.memory.grow(Math.max(pages, Math.ceil(length / PAGE_DOUBLES) - pages));
    k.table = new Float64Array(k.memory.buffer);
    k.buffer = k.table.buffer;
  }
  return k.table;
}

/**
 * f[to + s] += f[from + s] · ways for s = 0…length − 1 (rows of one table; `to` > `from`, so no overlap
 * is read after written; × 1 is exact, so one loop serves every multiplicity): in WebAssembly when `f`
 * lies in the kernel's memory (rowTable), else in JavaScript — the same bits.
 */
export function addRowTimes(f: Float64Array, from: number, to: number, length: number, ways: number): void {
  const k = kernel;
  if (k && f.buffer === k.buffer) {
    const at = f.byteOffset / 8;
    k.add(at + from, at + to, length, ways);
    return;
  }
  addRowTimesJs(f, from, to, length, ways);
}

/**
 * addRowTimes in JavaScript: a small function of its own, so that V8 optimises it with feedback for
 * all of its code (compiled on-stack inside subsetSumCounts, it left the optimised tier on later calls).
 */
export function addRowTimesJs(f: Float64Array, from: number, to: number, length: number, ways: number): void {
  // Four sums a step (≈ 20 % faster in V8 than one; each entry gets the same single addition).
  let s = 0;
  for (; s + 4 <= length; s += 4) {
    const a = f[from + s]!;
    const b = f[from + s + 1]!;
    const c = f[from + s + 2]!;
    const d = f[from + s + 3]!;
    f[to + s]! += a * ways;
    f[to + s + 1]! += b * ways;
    f[to + s + 2]! += c * ways;
    f[to + s + 3]! += d * ways;
  }
  for (; s < length; s++) f[to + s]! += f[from + s]! * ways;
}
