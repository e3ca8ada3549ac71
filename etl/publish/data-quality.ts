import type { DataQuality } from "../../dashboard/data-contract.ts";
import type { Manifest } from "../lake/manifest.ts";

/**
 * The data-quality page's content: each ingested file's report from the manifest (rows read,
 * ingested and quarantined, quarantine by reason, warnings, months, time precision, share without
 * coordinates) and its monthly ingested counts. Instants are cut to months and the bounding box is
 * widened to whole hundredths of a degree (about 1 km), so no incident's time or position leaves.
 */
export function dataQuality(manifest: Manifest, monthly: ReadonlyArray<{ file: string; month: string; count: number | null }>): DataQuality {
  const sources = Object.entries(manifest.sources)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, r]) => ({
      name,
      file: r.file,
      source: r.source,
      sha256: r.sha256.slice(0, 12),
      rows_read: r.rows_read,
      rows_ingested: r.rows_ingested,
      rows_quarantined: r.rows_quarantined,
      quarantine_reasons: { ...r.quarantine_reasons },
      warnings: { ...r.warnings },
      first_month: r.months[0] ?? null,
      last_month: r.months.at(-1) ?? null,
      months: r.months.length,
      time_precision: Object.fromEntries(Object.entries(r.time_precision).map(([k, v]) => [k, v ?? 0])),
      share_without_coordinates: Math.round(r.share_without_coordinates * 10_000) / 10_000,
      bounds: r.coordinate_bounds && {
        west: Math.floor(r.coordinate_bounds.west * 100) / 100,
        south: Math.floor(r.coordinate_bounds.south * 100) / 100,
        east: Math.ceil(r.coordinate_bounds.east * 100) / 100,
        north: Math.ceil(r.coordinate_bounds.north * 100) / 100,
      },
    }));
  const nameOf = new Map(sources.map((s) => [s.file, s.name]));
  return {
    sources,
    monthly: monthly.filter((m) => nameOf.has(m.file)).map((m) => ({ name: nameOf.get(m.file)!, month: m.month, count: m.count })),
  };
}
