import type { Manifest } from "../lake/manifest.ts";
import { parametersFingerprint } from "./hot-spot-freshness.ts";

/**
 * The H3 resolution each analytics output of the lake was computed at, as its stage recorded it in
 * the manifest's parameters (`hot_spots.resolution`, `<table>/<category>.h3_resolution`); outputs
 * that recorded none (lakes from before the parameters were kept) are left out.
 */
export function outputResolutions(manifest: Pick<Manifest, "parameters">): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, parameters] of Object.entries(manifest.parameters ?? {})) {
    const resolution = name === "hot_spots" ? parameters.resolution : parameters.h3_resolution;
    if (typeof resolution === "number") out.set(name, resolution);
  }
  return out;
}

/**
 * The dashboard draws hot spots, emerging hot spots and patrol cells on one map, with counts per
 * cell beside them: all must be of one resolution, the one published. Refuses, naming the outputs
 * computed at another resolution and what to run, when they are not. Also refuses a resolution other
 * than the one the lake stores its cells at: the dashboard's per-cell counts are still read from the
 * stored cells (`countsInCells` counts at any resolution; publish does not use it yet), so they would
 * not match the cells drawn. The patrol briefing (`product`) draws the same cells and counts.
 */
export function checkPublishedResolution(
  manifest: Pick<Manifest, "parameters" | "h3_resolution"> & Partial<Pick<Manifest, "tables">>,
  resolution: number,
  product = "the dashboard",
): void {
  checkOneHotSpotRun(manifest, product);
  if (manifest.h3_resolution !== resolution) {
    throw new Error(
      `${product} cannot yet be published at H3 resolution ${resolution} from a lake whose incidents are indexed at ${manifest.h3_resolution}: ` +
        `its per-cell counts are read from the stored cells. Publish at ${manifest.h3_resolution} (--resolution ${manifest.h3_resolution}), ` +
        `or ingest into a lake of its own (another --lake) at ${resolution}; analyse, emerging, forecast and backtest work at ${resolution} on this lake`,
    );
  }
  const other = [...outputResolutions(manifest)].filter(([, r]) => r !== resolution);
  if (other.length === 0) return;
  throw new Error(
    `${product} would mix H3 resolutions: it is published at ${resolution}, but ${other.map(([name, r]) => `${name} was computed at ${r}`).join(", ")}; ` +
      `recompute them at ${resolution} (hotspots run, or analyse / emerging / forecast / backtest with --resolution ${resolution}), or publish at the resolution they share`,
  );
}

/**
 * `parameters.hot_spots` describes every hot-spot month only when every month's partition was
 * computed with those parameters (their fingerprint). An `analyse --from/--to` with other options
 * leaves months of two kinds, which a map would draw as one; refused with the months named.
 * Partitions from before fingerprints were recorded are not judged.
 */
export function checkOneHotSpotRun(manifest: Partial<Pick<Manifest, "parameters" | "tables">>, product = "the dashboard"): void {
  const parameters = manifest.parameters?.hot_spots;
  if (!parameters) return;
  const current = parametersFingerprint(parameters);
  const other = Object.values(manifest.tables?.hot_spots ?? {})
    .filter((e) => e.parameters_sha256 !== undefined && e.parameters_sha256 !== current)
    .map((e) => e.month)
    .sort();
  if (other.length === 0) return;
  throw new Error(
    `${product} would mix hot spots computed with different parameters: ${other.length} month(s) (${other.slice(0, 6).join(", ")}${other.length > 6 ? ", …" : ""}) ` +
      `were not computed with those of the last analysis (${JSON.stringify({ resolution: parameters.resolution, k: parameters.k, study_area: parameters.study_area })}): ` +
      `run \`hotspots analyse\` (no --from/--to) to recompute them with the current parameters`,
  );
}
