import type { DataQuality } from "../../dashboard/data-contract.ts";
import type { Manifest } from "../lake/manifest.ts";
import { releasedCount, type ReleaseRules } from "./release-rules.ts";

/**
 * The data-quality page's content: each ingested file's report from the manifest (rows read,
 * ingested and quarantined, quarantine by reason, warnings, months, time precision, share without
 * coordinates) and its monthly ingested counts. Instants are cut to months. The bounding box is the
 * study area's (`studyArea`), each side widened to whole degrees only where incidents lie beyond it
 * (publishedBounds): each side of the incidents' own box is one incident's coordinate, and rounded to
 * hundredths of a degree it still placed that incident within about a kilometre.
 *
 * Each export is keyed by its name in the lake (`name`: its identity, see etl/ingest/export-identity.ts),
 * so two exports with the same file name stay apart; `file` is what the page shows (see exportLabels).
 * `monthly` is keyed by that name too (countTables' bySource, released together with the other count
 * tables and with each export's `rows_ingested`, which stays published: see releaseCounts).
 * A warning's count is a count of kept incidents that share a trait, which can pin them finer than
 * a month (ambiguous_local_time: the hour the clocks go back, one night a year), so it is released
 * as such a count: null where 1 to threshold − 1. It adds to no published total.
 */
export function dataQuality(
  manifest: Manifest,
  monthly: ReadonlyArray<{ file: string; month: string; count: number | null }>,
  rules: Pick<ReleaseRules, "threshold">,
  studyArea: Bounds | null,
): DataQuality {
  const labels = exportLabels(manifest.sources);
  const sources = Object.entries(manifest.sources)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, r]) => ({
      name,
      file: labels.get(name)!,
      source: r.source,
      sha256: r.sha256.slice(0, 12),
      rows_read: r.rows_read,
      rows_ingested: r.rows_ingested,
      rows_quarantined: r.rows_quarantined,
      quarantine_reasons: { ...r.quarantine_reasons },
      warnings: Object.fromEntries(Object.entries(r.warnings).map(([code, n]) => [code, releasedCount(n, rules)])),
      first_month: r.months[0] ?? null,
      last_month: r.months.at(-1) ?? null,
      months: r.months.length,
      time_precision: Object.fromEntries(Object.entries(r.time_precision).map(([k, v]) => [k, v ?? 0])),
      share_without_coordinates: Math.round(r.share_without_coordinates * 10_000) / 10_000,
      bounds: r.coordinate_bounds && publishedBounds(r.coordinate_bounds, studyArea),
    }));
  return {
    sources,
    monthly: monthly.filter((m) => Object.hasOwn(manifest.sources, m.file)).map((m) => ({ name: m.file, month: m.month, count: m.count })),
  };
}

/** A box of longitudes (west, east) and latitudes (south, north), in degrees. */
export interface Bounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

/**
 * The box published for an export's incidents: the study area's box, each side moved out to the
 * whole degree beyond the incidents' side only where they reach past it (coordinates of another
 * place, swapped or zeroed: what the page is there to show). No side is an incident's coordinate: it
 * is the study area's, or a whole degree (some 70–110 km) that any incident within it shares. Without
 * a study area, every side is a whole degree.
 */
export function publishedBounds(incidents: Bounds, studyArea: Bounds | null): Bounds {
  const area = studyArea ?? { west: Infinity, south: Infinity, east: -Infinity, north: -Infinity };
  return {
    west: incidents.west < area.west ? Math.floor(incidents.west) : area.west,
    south: incidents.south < area.south ? Math.floor(incidents.south) : area.south,
    east: incidents.east > area.east ? Math.ceil(incidents.east) : area.east,
    north: incidents.north > area.north ? Math.ceil(incidents.north) : area.north,
  };
}

/** The box of every position in nested GeoJSON coordinate arrays (a polygon's, a multipolygon's), or null where there is none. */
export function boundsOf(coordinates: ReadonlyArray<unknown>): Bounds | null {
  const box = { west: Infinity, south: Infinity, east: -Infinity, north: -Infinity };
  const visit = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === "number" && typeof c[1] === "number") {
      box.west = Math.min(box.west, c[0]);
      box.east = Math.max(box.east, c[0]);
      box.south = Math.min(box.south, c[1]);
      box.north = Math.max(box.north, c[1]);
    } else c.forEach(visit);
  };
  visit(coordinates);
  return box.west <= box.east ? box : null;
}

/**
 * A readable label per export (key: its name in the manifest): the file name, and only where
 * several exports share that file name, as many of the folders above it (from the export's path)
 * as tell them apart — `2019/export.csv`, `2020/export.csv` — then the source id where even the
 * whole path is shared. An export recorded without its path (a lake from before export identity)
 * has its name in the lake in place of the folders.
 */
export function exportLabels(sources: Manifest["sources"]): Map<string, string> {
  const byFile = new Map<string, string[]>();
  for (const [name, r] of Object.entries(sources)) byFile.set(r.file, [...(byFile.get(r.file) ?? []), name]);
  const out = new Map<string, string>();
  for (const [file, names] of byFile) {
    if (names.length === 1) {
      out.set(names[0]!, file);
      continue;
    }
    const parts = (name: string) => {
      const path = sources[name]!.export;
      return path === undefined ? [name, file] : path.split("/").filter((p) => p !== "" && p !== "." && p !== "..");
    };
    const suffix = (name: string, n: number) => [...parts(name).slice(0, -1).slice(-n), file].join("/");
    const deepest = Math.max(...names.map((name) => parts(name).length));
    let depth = 1;
    while (depth < deepest && new Set(names.map((name) => suffix(name, depth))).size < names.length) depth++;
    const labels = names.map((name) => suffix(name, depth));
    names.forEach((name, i) => {
      const shared = labels.filter((l) => l === labels[i]).length > 1;
      out.set(name, shared ? `${labels[i]} (${sources[name]!.source})` : labels[i]!);
    });
  }
  return out;
}
