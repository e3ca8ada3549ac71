import type { TimePrecision } from "./parse-time.ts";

/**
 * Data-quality report of one ingested file (kept in the lake's manifest and printed by
 * `hotspots ingest --json`): row accounting (rows read = ingested + quarantined), quarantine by
 * reason, warnings, the bounds and time range of what was kept, and coordinate completeness.
 */
export interface QualityReport {
  source: string;
  file: string;
  /** The export within its source (see ExportIdentity); absent in lakes written before exports were keyed by path. */
  export?: string;
  sha256: string;
  rows_read: number;
  rows_ingested: number;
  rows_quarantined: number;
  quarantine_reasons: Record<string, number>;
  /** Rows kept with a caveat, e.g. `ambiguous_local_time` (autumn DST overlap, first occurrence taken). */
  warnings: Record<string, number>;
  months: string[];
  time_range: { first: string; last: string } | null;
  time_precision: Partial<Record<TimePrecision, number>>;
  coordinate_bounds: { west: number; south: number; east: number; north: number } | null;
  /** Share of rows read that had no usable coordinates (empty), 0–1. */
  share_without_coordinates: number;
  /**
   * Whether rows were checked against municipality boundaries, in a sentence: against which file, or
   * why the check was skipped (absent in lakes written before the check existed).
   */
  municipality_check?: string;
  /**
   * Rows kept by the decimal places of their finer coordinate (`{"2": 951}`), so that an analysis at
   * the lake's own resolution can tell coordinates rounded coarser than its cells (see ingest-notes.ts;
   * absent in lakes written before).
   */
  coordinate_decimals?: Record<string, number>;
  /** What the file's rows were kept with but a reader should know, a sentence each: a partial first or last month, coordinates coarser than the cells. */
  notes?: string[];
}

/** Time range (epoch ms), coordinate bounds and ambiguous local times of some kept rows. */
export interface KeptExtent {
  first: number;
  last: number;
  west: number;
  east: number;
  south: number;
  north: number;
  ambiguous: number;
}

/** What a batch of kept rows adds to a QualityTally (see keepMany). */
export interface KeptSummary extends KeptExtent {
  count: number;
  precision: Partial<Record<TimePrecision, number>>;
  months: ReadonlyMap<string, number>;
}

/** Accumulates a QualityReport row by row, or batch by batch. */
export class QualityTally {
  private read = 0;
  private kept = 0;
  // Maps, not objects: a tally's keys must never meet Object.prototype's names.
  private readonly reasons = new Map<string, number>();
  private readonly warnings = new Map<string, number>();
  private readonly precision = new Map<TimePrecision, number>();
  private readonly firstOfCode = new Map<string, { line: number; reason: string }>();
  /** Rows kept per calendar month. */
  readonly monthRows = new Map<string, number>();
  private first = Infinity;
  private last = -Infinity;
  private bounds: QualityReport["coordinate_bounds"] = null;

  rowRead(count = 1): void {
    this.read += count;
  }

  get rowsRead(): number {
    return this.read;
  }

  /** Counts a quarantined row; its `line` and `reason` are kept as the example of its code if it is the first. */
  quarantined(code: string, line?: number, reason?: string): void {
    this.reasons.set(code, (this.reasons.get(code) ?? 0) + 1);
    if (line !== undefined && reason !== undefined && !this.firstOfCode.has(code)) this.firstOfCode.set(code, { line, reason });
  }

  /** The first quarantined row of each reason code (for the command's summary; not in the report). */
  get examples(): ReadonlyMap<string, { line: number; reason: string }> {
    return this.firstOfCode;
  }

  warn(code: string, count = 1): void {
    this.warnings.set(code, (this.warnings.get(code) ?? 0) + count);
  }

  keep(row: { occurredAt: number; lat: number; lon: number; month: string; timePrecision: TimePrecision }): void {
    this.keepMany({
      count: 1,
      first: row.occurredAt,
      last: row.occurredAt,
      west: row.lon,
      east: row.lon,
      south: row.lat,
      north: row.lat,
      precision: { [row.timePrecision]: 1 },
      months: new Map([[row.month, 1]]),
      ambiguous: 0,
    });
  }

  /** Adds a batch of kept rows: their count, time range, bounds, precisions, months and ambiguous times. */
  keepMany(s: KeptSummary): void {
    if (s.count === 0) return;
    this.kept += s.count;
    for (const [month, n] of s.months) this.monthRows.set(month, (this.monthRows.get(month) ?? 0) + n);
    for (const [p, n] of Object.entries(s.precision) as Array<[TimePrecision, number]>) this.precision.set(p, (this.precision.get(p) ?? 0) + n);
    if (s.ambiguous > 0) this.warn("ambiguous_local_time", s.ambiguous);
    this.first = Math.min(this.first, s.first);
    this.last = Math.max(this.last, s.last);
    const b = (this.bounds ??= { west: s.west, south: s.south, east: s.east, north: s.north });
    b.west = Math.min(b.west, s.west);
    b.east = Math.max(b.east, s.east);
    b.south = Math.min(b.south, s.south);
    b.north = Math.max(b.north, s.north);
  }

  /**
   * Takes back a kept row that turned out to be a repeat (it is then quarantined). Time range and
   * bounds cannot be taken back row by row: `setExtent` restates them from the rows that remain.
   */
  unkeep(month: string, precision: TimePrecision, ambiguous: boolean): void {
    this.kept--;
    decrement(this.monthRows, month);
    decrement(this.precision, precision);
    if (ambiguous) decrement(this.warnings, "ambiguous_local_time");
  }

  /** Restates the time range and coordinate bounds (null: no row kept). */
  setExtent(extent: { first: number; last: number; west: number; east: number; south: number; north: number } | null): void {
    this.first = extent?.first ?? Infinity;
    this.last = extent?.last ?? -Infinity;
    this.bounds = extent ? { west: extent.west, south: extent.south, east: extent.east, north: extent.north } : null;
  }

  report(source: string, file: string, sha256: string): QualityReport {
    const quarantined = [...this.reasons.values()].reduce((s, n) => s + n, 0);
    if (this.kept + quarantined !== this.read) throw new Error(`row accounting broke: ${this.read} read, ${this.kept} kept, ${quarantined} quarantined`);
    return {
      source,
      file,
      sha256,
      rows_read: this.read,
      rows_ingested: this.kept,
      rows_quarantined: quarantined,
      quarantine_reasons: sortKeys(this.reasons),
      warnings: sortKeys(this.warnings),
      months: [...this.monthRows.keys()].sort(),
      time_range: this.kept > 0 ? { first: new Date(this.first).toISOString(), last: new Date(this.last).toISOString() } : null,
      time_precision: Object.fromEntries(this.precision),
      coordinate_bounds: this.bounds,
      share_without_coordinates: this.read > 0 ? (this.reasons.get("missing_coordinates") ?? 0) / this.read : 0,
    };
  }
}

function decrement<K>(map: Map<K, number>, key: K): void {
  const n = map.get(key)! - 1;
  if (n === 0) map.delete(key);
  else map.set(key, n);
}

const sortKeys = (m: ReadonlyMap<string, number>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));
