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
 * computed at another resolution and what to run, when they are not. Any resolution may be
 * published, whatever the lake stores its cells at: the per-cell counts published beside the
 * outputs are counted in the outputs' cells (countsInCells, or the incidents' coordinates indexed at
 * that resolution for the briefing). The patrol briefing (`product`) draws the same cells and counts.
 */
export function checkPublishedResolution(
  // h3_resolution is not judged (any resolution may be published); taken so that callers may pass a manifest as it is.
  manifest: Partial<Pick<Manifest, "parameters" | "tables" | "h3_resolution">>,
  resolution: number,
  product = "the dashboard",
): void {
  checkOneHotSpotRun(manifest, product);
  const other = [...outputResolutions(manifest)].filter(([, r]) => r !== resolution);
  if (other.length === 0) return;
  throw new Error(
    `${product} would mix H3 resolutions: it is published at ${resolution}, but ${other.map(([name, r]) => `${name} was computed at ${r}`).join(", ")}; ` +
      `recompute them at ${resolution} (hotspots --resolution ${resolution} run --no-ingest, or analyse / emerging / forecast / backtest with --resolution ${resolution}), or publish at the resolution they share`,
  );
}

/**
 * The one H3 resolution a dashboard built from the lake draws: that of the hot spots' parameters,
 * else the one the other outputs recorded, else (no output recorded one) the stored cells'. Outputs of
 * several resolutions are refused by checkPublishedResolution before this is asked.
 */
export function publishedResolution(manifest: Pick<Manifest, "parameters" | "h3_resolution">): number {
  const resolutions = outputResolutions(manifest);
  return resolutions.get("hot_spots") ?? resolutions.values().next().value ?? manifest.h3_resolution;
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
