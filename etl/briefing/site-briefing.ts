/**
 * The briefing the dashboard links (issue 15, Deliver 3): the publish step writes the coming month's
 * briefing — the month after the lake's last, the month the patrol forecast is for — into the site's
 * data folder, as the printable HTML in each language (the print stylesheet makes it one A4 page; no
 * PDF here: a Chromium launch would add seconds to every publish, and the browser's Print gives one).
 *
 * The names are fixed, not month-stamped: the patrol page's link (dashboard/src/components/
 * briefing-link.ts) names them in FileAttachment calls, which Framework resolves at build time from
 * literal names only, copying each named file into the built site and failing the build when one is
 * missing. So all three files are always written: when the lake holds no forecast for the month, the
 * pages say so and why, and `briefing.json` tells the link there is nothing to open.
 *
 * The figures follow the release rules of every published figure (etl/publish/release-rules.ts): the
 * configured threshold and sensitive categories, applied by briefing-data.ts as in `hotspots briefing`;
 * the areas' emerging patterns are the ones the emerging page publishes (publish passes its data).
 */
import { createHash } from "node:crypto";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { EmergingData, HotspotTable } from "../../dashboard/data-contract.ts";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULTS } from "../config.ts";
import { escapeXml } from "../evaluation/report/svg.ts";
import type { MunicipalityCollection } from "../geo/municipalities.ts";
import type { Language, PlaceIndex } from "../geo/place-names.ts";
import type { Place } from "../geo/places.ts";
import { writeTextAtomically } from "../lake/atomic-file.ts";
import type { Manifest } from "../lake/manifest.ts";
import { lakeAnalysisEnd } from "../analytics/lake-months.ts";
import { addMonths } from "../analytics/monthly-counts.ts";
import { releaseRules } from "../publish/release-rules.ts";
import type { CellPlaceName } from "../publish/cell-place-names.ts";
import { NoForecastError } from "./briefing-data.ts";
import { briefingPages } from "./briefing-pages.ts";
import { BRIEFING_STRINGS } from "./briefing-strings.ts";

/** The files in the site's data folder; the patrol page's link names the same ones. */
export const SITE_BRIEFING_FILES = { index: "briefing.json", en: "briefing.en.html", lt: "briefing.lt.html" } as const satisfies Record<
  "index" | Language,
  string
>;

/** The site carries the briefing in both languages. */
const LANGUAGES: readonly Language[] = ["lt", "en"];

/** `briefing.json`: which month the pages brief on, or why there is none. */
export interface SiteBriefingIndex {
  /** The forecast month the briefing is for (the month after the lake's last), or null when the lake holds no incidents. */
  month: string | null;
  /** Patrol areas listed (0 when there is no briefing). */
  areas: number;
  /** Why there is no briefing: the lake holds no incidents, or no forecast for the month; null when there is one. */
  unavailable: "no_incidents" | "no_forecast" | null;
  /**
   * The first 8 hex digits of each page's SHA-256: the hash Framework (and the site upload) puts in the
   * built file's name, so the link can tell a page of another month (this file replaced, the page not).
   */
  sha256: Record<Language, string>;
}

/** The publish step's options this needs (etl/publish/dashboard-data.ts passes its own). */
export interface SiteBriefingOptions {
  lakeDir: string;
  /** The site's data folder (dashboard/src/data). */
  outDir: string;
  manifest: Pick<Manifest, "timezone" | "tables" | "h3_resolution" | "parameters">;
  /** Outlines drawn under the cells: the study area's municipalities; none for a hull, whose outline briefingPages draws. */
  municipalities: MunicipalityCollection;
  k: number;
  suppressionThreshold: number;
  sensitiveCategories: ReadonlySet<string>;
  /** Named places (default: the bundled places); null: areas are described by coordinates. */
  placesCsv?: string | null;
  /** The places of `placesCsv`, where the caller has read them already. */
  places?: readonly Place[];
  /** The index of `places` (placeIndex), where the caller has made it already. */
  placeIndex?: PlaceIndex;
  /** Each cell's place names with `places` where the caller keeps them (publish's, etl/publish/cell-place-names.ts); else described here. */
  cellPlaceName?: (cell: string) => CellPlaceName;
  /** Every category the lake's cell_counts hold, where the caller has them already (publish's count tables). */
  categoriesInLake?: readonly string[];
  /** The released emerging hot spots publish writes for the emerging page: the areas' patterns are these (else computed again). */
  emerging?: Pick<EmergingData, "cells">;
  /** The hot-spot page's table publish writes: the areas' figures are checked against its per-cell counts (else computed again). */
  hotspots?: Pick<HotspotTable, "cells" | "groups">;
  /** The publish's time (default: the clock), which decides the briefing's month (briefingMonth). */
  now?: Date;
}

/**
 * Writes the coming month's briefing (or the pages saying why there is none) into the site; returns
 * what `briefing.json` says. `connection`: the caller's (publish's), else one of its own.
 */
export async function writeSiteBriefing(options: SiteBriefingOptions, connection?: DuckDBConnection): Promise<SiteBriefingIndex> {
  const month = briefingMonth(options.manifest, options.now);
  if (month === null) return writeUnavailableBriefing(options.outDir, { month, areas: 0, unavailable: "no_incidents" });
  const rules = releaseRules(options);
  try {
    const { data, pages } = await briefingPages(
      {
        lakeDir: options.lakeDir,
        month,
        timeZone: options.manifest.timezone,
        k: options.k,
        languages: LANGUAGES,
        outlines: options.municipalities,
        placesCsv: options.placesCsv === undefined ? DEFAULTS.placesCsv : options.placesCsv,
        ...(options.places ? { places: options.places } : {}),
        ...(options.places && options.placeIndex ? { placeIndex: options.placeIndex } : {}),
        ...(options.places && options.cellPlaceName ? { cellPlaceName: options.cellPlaceName } : {}),
        suppressionThreshold: rules.threshold,
        sensitiveCategories: rules.sensitive,
        manifest: options.manifest,
        ...(options.categoriesInLake ? { categoriesInLake: options.categoriesInLake } : {}),
        ...(options.emerging ? { emerging: options.emerging } : {}),
        ...(options.hotspots ? { hotspots: options.hotspots } : {}),
      },
      connection,
    );
    await mkdir(options.outDir, { recursive: true });
    for (const { lang, html } of pages) await writeTextAtomically(join(options.outDir, SITE_BRIEFING_FILES[lang]), html);
    return writeIndex(options.outDir, { month, areas: data.areas.length, unavailable: null }, pages);
  } catch (error) {
    // A lake whose analytics have not forecast the month yet (too little history, or `run` not done): say so in the site.
    if (error instanceof NoForecastError) return writeUnavailableBriefing(options.outDir, { month, areas: 0, unavailable: "no_forecast" });
    throw error;
  }
}

/**
 * The month a briefing written at `now` (default: the clock) is for: the one after the lake's analysed
 * months (analysisEnd: the current month when it has not ended; null when no month with incidents has).
 */
export function briefingMonth(manifest: Pick<Manifest, "tables" | "timezone">, now?: Date): string | null {
  const { end } = lakeAnalysisEnd(manifest, manifest.timezone, now);
  return end === null ? null : addMonths(end, 1);
}

/**
 * The site's briefing files when there is no briefing: a short page per language saying why and what
 * to run. Also what a site built from sample data (the tests' and the benchmark's) carries.
 */
export async function writeUnavailableBriefing(outDir: string, index: Omit<SiteBriefingIndex, "sha256">): Promise<SiteBriefingIndex> {
  await mkdir(outDir, { recursive: true });
  const pages: Array<{ lang: Language; html: string }> = [];
  for (const lang of LANGUAGES) {
    const t = BRIEFING_STRINGS[lang];
    const title = index.month === null ? t.unavailableTitle : t.title(index.month);
    const reason = index.unavailable === "no_forecast" && index.month !== null ? t.noForecast(t.month(index.month), index.month) : t.noIncidents;
    const html = `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><title>${escapeXml(title)}</title></head>
<body><h1>${escapeXml(title)}</h1><p>${escapeXml(reason)}</p></body>
</html>
`;
    await writeTextAtomically(join(outDir, SITE_BRIEFING_FILES[lang]), html);
    pages.push({ lang, html });
  }
  return writeIndex(outDir, index, pages);
}

async function writeIndex(
  outDir: string,
  index: Omit<SiteBriefingIndex, "sha256">,
  pages: ReadonlyArray<{ lang: Language; html: string }>,
): Promise<SiteBriefingIndex> {
  const sha256 = Object.fromEntries(pages.map(({ lang, html }) => [lang, createHash("sha256").update(html).digest("hex").slice(0, 8)])) as Record<
    Language,
    string
  >;
  const written = { ...index, sha256 };
  await writeTextAtomically(join(outDir, SITE_BRIEFING_FILES.index), JSON.stringify(written));
  return written;
}
