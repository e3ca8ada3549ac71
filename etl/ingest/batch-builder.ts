import type { Hash64 } from "./content-hash.ts";
import type { Incident } from "./incident-schema.ts";
import type { TimePrecision } from "./parse-time.ts";
import { TEXT_COUNT, type BatchRejection, type BatchSummary, type RecordBatch } from "./record-batch.ts";

/**
 * Fills RecordBatches. The dictionary lives as long as the builder (one per reader thread), so each
 * distinct text crosses to the consumer once; `take()` returns the batch so far and starts the next.
 */
export class BatchBuilder {
  private readonly dictionary = new Map<string, number>();
  private fresh: string[] = [];
  private ids: string[] = [];
  private raws: string[] = [];
  private rejections: BatchRejection[] = [];
  private n = 0;
  private records = 0;
  private line = new Int32Array(0);
  private occurredAt = new Float64Array(0);
  private lat = new Float64Array(0);
  private lon = new Float64Array(0);
  private text = new Uint32Array(0);
  private cell = new Uint32Array(0);
  private ambiguous = new Uint8Array(0);
  private idHash = new Uint32Array(0);
  private contentHash = new Uint32Array(0);
  private rawStart = new Int32Array(0);
  private rawEnd = new Int32Array(0);
  private idLength = new Uint32Array(0);

  private capacity = 0;

  constructor(capacity: number) {
    this.grow(capacity);
  }

  /** Records taken in since the last `take()`, kept or refused. */
  get pending(): number {
    return this.records;
  }

  /** Counts a record read; call once per record, kept or refused. */
  recordRead(): void {
    this.records++;
  }

  reject(line: number, code: string, reason: string, raw: string): void {
    this.rejections.push({ line, code, reason, raw });
  }

  /**
   * Adds a kept record; its H3 cell comes later, in order, through `setCell`. `raw` is its text where
   * rawStart/rawEnd cannot locate it.
   */
  keep(
    line: number,
    r: Incident & { timePrecision: TimePrecision; ambiguousTime: boolean },
    month: string,
    id: Hash64,
    content: Hash64,
    rawStart: number,
    rawEnd: number,
    raw: string | undefined,
  ): void {
    if (this.n === this.capacity) this.grow(this.capacity * 2);
    const i = this.n++;
    this.line[i] = line;
    this.occurredAt[i] = r.occurredAt;
    this.lat[i] = r.lat;
    this.lon[i] = r.lon;
    this.ambiguous[i] = r.ambiguousTime ? 1 : 0;
    const t = i * TEXT_COUNT;
    this.text[t] = this.codeOf(0, r.timePrecision);
    this.text[t + 1] = this.codeOf(1, r.offenceCode);
    this.text[t + 2] = this.codeOf(2, r.offenceCategory);
    this.text[t + 3] = this.codeOf(3, r.caseType);
    this.text[t + 4] = this.codeOf(4, r.municipality);
    this.text[t + 5] = this.codeOf(5, r.locality);
    this.text[t + 6] = this.codeOf(6, month);
    this.idHash[2 * i] = id.high;
    this.idHash[2 * i + 1] = id.low;
    // Low half first: the pair reads as one little-endian 64-bit integer (see contentHash).
    this.contentHash[2 * i] = content.low;
    this.contentHash[2 * i + 1] = content.high;
    this.rawStart[i] = rawStart;
    this.rawEnd[i] = rawEnd;
    this.ids.push(r.id);
    this.idLength[i] = r.id.length;
    if (raw !== undefined) this.raws.push(raw);
  }

  /** Latitudes and longitudes of the kept records so far (views), for indexing them in one pass. */
  points(): { lat: Float64Array; lon: Float64Array } {
    return { lat: this.lat.subarray(0, this.n), lon: this.lon.subarray(0, this.n) };
  }

  /** Sets the H3 cell (64-bit index as high and low halves) of kept record i. */
  setCell(i: number, high: number, low: number): void {
    this.cell[2 * i] = low;
    this.cell[2 * i + 1] = high;
  }

  take(lines: number, seconds: { h3: number; read: number }): RecordBatch {
    const n = this.n;
    // Joined once: the batch carries one string, and the summary's order check reads the same one.
    const ids = this.ids.join("");
    const batch: RecordBatch = {
      records: this.records,
      lines,
      kept: n,
      line: this.line.slice(0, n),
      occurredAt: this.occurredAt.slice(0, n),
      lat: this.lat.slice(0, n),
      lon: this.lon.slice(0, n),
      text: this.text.slice(0, n * TEXT_COUNT),
      cell: this.cell.slice(0, 2 * n),
      ambiguous: this.ambiguous.slice(0, n),
      idHash: this.idHash.slice(0, 2 * n),
      contentHash: this.contentHash.slice(0, 2 * n),
      rawStart: this.rawStart.slice(0, n),
      rawEnd: this.rawEnd.slice(0, n),
      ids,
      idLengths: this.idLength.slice(0, n),
      raws: this.raws,
      strings: this.fresh,
      rejections: this.rejections,
      h3Seconds: seconds.h3,
      readSeconds: seconds.read,
      summary: this.summarise(ids),
    };
    this.n = 0;
    this.records = 0;
    this.ids = [];
    this.raws = [];
    this.fresh = [];
    this.rejections = [];
    return batch;
  }

  /** `ids`: the kept records' ids joined. */
  private summarise(ids: string): BatchSummary {
    const s: BatchSummary = {
      first: Infinity,
      last: -Infinity,
      west: Infinity,
      east: -Infinity,
      south: Infinity,
      north: -Infinity,
      ambiguous: 0,
      precision: [],
      months: [],
    };
    const precision = new Map<number, number>();
    const months = new Map<number, BatchSummary["months"][number]>();
    // JavaScript compares UTF-16 units, DuckDB UTF-8 bytes: they agree below U+D800.
    const comparable = !/[\uD800-\uFFFF]/.test(ids);
    for (let i = 0; i < this.n; i++) {
      const t = this.occurredAt[i]!;
      if (t < s.first) s.first = t;
      if (t > s.last) s.last = t;
      const lat = this.lat[i]!;
      const lon = this.lon[i]!;
      if (lon < s.west) s.west = lon;
      if (lon > s.east) s.east = lon;
      if (lat < s.south) s.south = lat;
      if (lat > s.north) s.north = lat;
      s.ambiguous += this.ambiguous[i]!;
      const p = this.text[i * TEXT_COUNT]!;
      precision.set(p, (precision.get(p) ?? 0) + 1);
      const code = this.text[i * TEXT_COUNT + 6]!;
      const id = this.ids[i]!;
      const line = this.line[i]!;
      const m = months.get(code);
      if (!m) months.set(code, { code, count: 1, inOrder: comparable, firstId: id, firstLine: line, lastId: id, lastLine: line });
      else {
        m.count++;
        if (m.inOrder && !(m.lastId < id || (m.lastId === id && m.lastLine < line))) m.inOrder = false;
        m.lastId = id;
        m.lastLine = line;
      }
    }
    s.precision = [...precision];
    s.months = [...months.values()];
    return s;
  }

  // The previous text and code of each field: consecutive records often repeat them.
  private readonly lastText: string[] = new Array<string>(TEXT_COUNT).fill("\u0000");
  private readonly lastCode = new Uint32Array(TEXT_COUNT);

  private codeOf(field: number, text: string): number {
    if (text === this.lastText[field]) return this.lastCode[field]!;
    const code = this.code(text);
    this.lastText[field] = text;
    this.lastCode[field] = code;
    return code;
  }

  private code(text: string): number {
    let code = this.dictionary.get(text);
    if (code === undefined) {
      code = this.dictionary.size;
      this.dictionary.set(text, code);
      this.fresh.push(text);
    }
    return code;
  }

  private grow(capacity: number): void {
    const n = this.n;
    const copy = <T extends Int32Array | Float64Array | Uint32Array | Uint8Array>(old: T, make: (size: number) => T, width = 1): T => {
      const next = make(capacity * width);
      next.set(old.subarray(0, n * width));
      return next;
    };
    this.line = copy(this.line, (s) => new Int32Array(s));
    this.occurredAt = copy(this.occurredAt, (s) => new Float64Array(s));
    this.lat = copy(this.lat, (s) => new Float64Array(s));
    this.lon = copy(this.lon, (s) => new Float64Array(s));
    this.text = copy(this.text, (s) => new Uint32Array(s), TEXT_COUNT);
    this.cell = copy(this.cell, (s) => new Uint32Array(s), 2);
    this.ambiguous = copy(this.ambiguous, (s) => new Uint8Array(s));
    this.idHash = copy(this.idHash, (s) => new Uint32Array(s), 2);
    this.contentHash = copy(this.contentHash, (s) => new Uint32Array(s), 2);
    this.rawStart = copy(this.rawStart, (s) => new Int32Array(s));
    this.rawEnd = copy(this.rawEnd, (s) => new Int32Array(s));
    this.idLength = copy(this.idLength, (s) => new Uint32Array(s));
    this.capacity = capacity;
  }
}
