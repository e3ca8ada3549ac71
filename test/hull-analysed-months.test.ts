/**
 * `--hull` builds the study area from the incidents of the analysed months only (analysisStart …
 * analysisEnd): a far point of a month left out — here the month the run is in, which has not ended —
 * does not widen the area the hot spots, trends and forecasts are mapped over.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { latLngToCell } from "h3-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analysedHullMonths, lakeGrid, studyAreaOf } from "../etl/analytics/lake-grid.ts";
import { readCellMonthCounts } from "../etl/analytics/monthly-counts.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { defaultSettings, type PipelineSettings } from "../etl/settings.ts";
import { canonicalSource } from "./helpers/shared.ts";
import { monthLabels } from "./helpers/poisson-city.ts";

const NEAR: [number, number] = [55.93, 23.31];
/** About 20 km from the others. */
const FAR: [number, number] = [55.75, 23.45];
/** Noon UTC on 1 January 2026: January has not ended in Vilnius. */
const NOW = Date.UTC(2026, 0, 1, 12);
let dir: string;
let settings: PipelineSettings;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hull-analysed-months-"));
  const row = (id: string, at: string, [lat, lon]: [number, number]) => `${id},${at},BK 178,theft,pre_trial_investigation,${lat},${lon},,,test`;
  const lines = monthLabels(2025, 12).flatMap((month) =>
    Array.from({ length: 30 }, (_, i) =>
      row(`T-${month}-${i}`, `${month}-${String(2 + (i % 26)).padStart(2, "0")}T10:00:00Z`, [NEAR[0] + (i % 5) * 2e-3, NEAR[1] + (i % 3) * 3e-3]),
    ),
  );
  // Two incidents of the month the run is in, far from the rest.
  lines.push(row("F-1", "2026-01-01T08:00:00Z", FAR), row("F-2", "2026-01-01T09:00:00Z", FAR));
  const file = join(dir, "incidents.csv");
  await writeFile(file, ["id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source", ...lines].join("\n") + "\n");
  const lakeDir = join(dir, "lake");
  await ingestFile(file, { lakeDir, resolution: 8, timeZone: "Europe/Vilnius", now: NOW, source: await canonicalSource(), boundaries: null });
  settings = defaultSettings({ lakeDir, resolution: 8, timeZone: "Europe/Vilnius", hullRing: 1, now: new Date(NOW) });
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("a hull study area", () => {
  it("is built from the analysed months' incidents, not from a month left out", async () => {
    const far = latLngToCell(FAR[0], FAR[1], 8);
    const near = latLngToCell(NEAR[0], NEAR[1], 8);
    expect(await analysedHullMonths(settings)).toEqual({ from: "2025-01", to: "2025-12" });
    await withConnection(async (connection) => {
      // The hot spots' study area (analyse, run)…
      const rows = await readCellMonthCounts(connection, settings.lakeDir, settings.resolution);
      expect(rows.some((r) => r.cell === far)).toBe(true);
      const analysed = await studyAreaOf(settings, rows, 1, await analysedHullMonths(settings));
      expect(analysed.cells).toContain(near);
      expect(analysed.cells).not.toContain(far);
      // …and the trends', backtest's and forecasts' (lakeGrid), the same cells.
      const { area } = await lakeGrid(connection, settings, { hullRing: 1 });
      expect(area.cells).not.toContain(far);
      expect([...area.cells].sort()).toEqual([...analysed.cells].sort());
    });
  }, 120_000);
});
