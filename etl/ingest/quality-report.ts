import type { TimePrecision } from "./parse-time.ts";

/**
 * Data-quality report of one ingested file (kept in the lake's manifest and printed by
 * `hotspots ingest --json`): row accounting (rows read = ingested + quarantined), quarantine by
 * reason, warnings, the bounds and time range of what was kept, and coordinate completeness.
 */
export interface QualityReport {
  source: string;
  file: string;
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
}

/** Accumulates a QualityReport row by row. */
export class QualityTally {
  private read = 0;
  private kept = 0;
  private readonly reasons: Record<string, number> = {};
  private readonly warnings: Record<string, number> = {};
  private readonly precision: Partial<Record<TimePrecision, number>> = {};
  private readonly months = new Set<string>();
  private first = Infinity;
  private last = -Infinity;
  private bounds: QualityReport["coordinate_bounds"] = null;

  rowRead(): void {
    this.read++;
  }

  get rowsRead(): number {
    return this.read;
  }

  quarantined(code: string): void {
    this.reasons[code] = (this.reasons[code] ?? 0) + 1;
  }

  warn(code: string): void {
    this.warnings[code] = (this.warnings[code] ?? 0) + 1;
  }

  keep(row: { occurredAt: number; lat: number; lon: number; month: string; timePrecision: TimePrecision }): void {
    this.kept++;
    this.months.add(row.month);
    this.precision[row.timePrecision] = (this.precision[row.timePrecision] ?? 0) + 1;
    this.first = Math.min(this.first, row.occurredAt);
    this.last = Math.max(this.last, row.occurredAt);
    const b = (this.bounds ??= { west: row.lon, south: row.lat, east: row.lon, north: row.lat });
    b.west = Math.min(b.west, row.lon);
    b.east = Math.max(b.east, row.lon);
    b.south = Math.min(b.south, row.lat);
    b.north = Math.max(b.north, row.lat);
  }

  report(source: string, file: string, sha256: string): QualityReport {
    const quarantined = Object.values(this.reasons).reduce((s, n) => s + n, 0);
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
      months: [...this.months].sort(),
      time_range: this.kept > 0 ? { first: new Date(this.first).toISOString(), last: new Date(this.last).toISOString() } : null,
      time_precision: this.precision,
      coordinate_bounds: this.bounds,
      share_without_coordinates: this.read > 0 ? (this.reasons.missing_coordinates ?? 0) / this.read : 0,
    };
  }
}

const sortKeys = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
