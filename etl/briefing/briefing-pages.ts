/**
 * The briefing's pages of one forecast month: its figures read from the lake once (briefing-data.ts)
 * and drawn in each language (briefing-html.ts). No browser here: `hotspots briefing` prints these
 * pages to PDF (write-briefing.ts), the publish step writes them into the site (site-briefing.ts).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { EmergingData, HotspotTable } from "../../dashboard/data-contract.ts";
import { withConnection } from "../duckdb/connection.ts";
import type { MunicipalityCollection } from "../geo/municipalities.ts";
import type { Manifest } from "../lake/manifest.ts";
import { placeIndex, type Language, type PlaceIndex } from "../geo/place-names.ts";
import { readPlaces, type Place } from "../geo/places.ts";
import { hullStudyAreaOutline } from "../publish/cell-geometry.ts";
import type { CellPlaceName } from "../publish/cell-place-names.ts";
import { briefingData, type BriefingData } from "./briefing-data.ts";
import { briefingHtml, briefingLayout, type BriefingPage } from "./briefing-html.ts";
import { BRIEFING_STRINGS } from "./briefing-strings.ts";

export interface BriefingInputs {
  lakeDir: string;
  month: string;
  timeZone: string;
  k: number;
  languages: readonly Language[];
  /** Boundaries drawn under the cells (the study area's municipalities; none for a hull, whose outline is drawn instead). */
  outlines: MunicipalityCollection;
  placesCsv: string | null;
  /** The places of `placesCsv` where the caller has read them already (publish reads them once for the site). */
  places?: readonly Place[];
  /** The index of `places` (placeIndex), where the caller has made it already (publish keeps it, etl/publish/named-places.ts). */
  placeIndex?: PlaceIndex;
  /** Each cell's place names with those places, where the caller keeps them (see BriefingRequest). */
  cellPlaceName?: (cell: string) => CellPlaceName;
  suppressionThreshold: number;
  sensitiveCategories: ReadonlySet<string>;
  /** What the caller has read or computed already (see BriefingRequest): the lake's categories, its manifest, the released emerging hot spots. */
  categoriesInLake?: readonly string[];
  manifest?: Pick<Manifest, "tables" | "h3_resolution" | "parameters">;
  emerging?: Pick<EmergingData, "cells">;
  hotspots?: Pick<HotspotTable, "cells" | "groups">;
}

export interface BriefingPages {
  data: BriefingData;
  pages: Array<{ lang: Language; html: string }>;
}

/** The pages of one month; `connection`: the caller's (publish's), else one of its own. */
export async function briefingPages(inputs: BriefingInputs, connection?: DuckDBConnection): Promise<BriefingPages> {
  const places: readonly Place[] = inputs.placesCsv ? (inputs.places ?? (await readPlaces(inputs.placesCsv))) : [];
  const read = async (connection: DuckDBConnection) => {
    const data = await briefingData(connection, {
      lakeDir: inputs.lakeDir,
      month: inputs.month,
      timeZone: inputs.timeZone,
      k: inputs.k,
      places: inputs.placesCsv && inputs.places && inputs.placeIndex ? inputs.placeIndex : placeIndex(places),
      ...(inputs.placesCsv && inputs.places && inputs.placeIndex && inputs.cellPlaceName ? { cellPlaceName: inputs.cellPlaceName } : {}),
      suppressionThreshold: inputs.suppressionThreshold,
      sensitiveCategories: inputs.sensitiveCategories,
      ...(inputs.categoriesInLake ? { categoriesInLake: inputs.categoriesInLake } : {}),
      ...(inputs.manifest ? { manifest: inputs.manifest } : {}),
      ...(inputs.emerging ? { emerging: inputs.emerging } : {}),
      ...(inputs.hotspots ? { hotspots: inputs.hotspots } : {}),
    });
    // No municipalities to draw (a hull study area): the study area's outline, as the dashboard's map draws it.
    return { data, studyAreaOutline: inputs.outlines.features.length === 0 ? await hullStudyAreaOutline(connection, inputs.lakeDir) : null };
  };
  const { data, studyAreaOutline } = connection ? await read(connection) : await withConnection(read);
  return drawnPages(data, inputs.languages, { outlines: inputs.outlines, studyAreaOutline, places });
}

/**
 * The pages of `data` in each language. Every language lists the same areas on a map of the same
 * height: as many as fit one A4 page in the longest (briefing-html.ts).
 */
export function drawnPages(data: BriefingData, languages: readonly Language[], map: Omit<BriefingPage, "data" | "strings">): BriefingPages {
  const page = (lang: Language, d: BriefingData): BriefingPage => ({ ...map, data: d, strings: BRIEFING_STRINGS[lang] });
  const layout = briefingLayout(languages.map((lang) => page(lang, data)));
  const fitted = { ...data, areas: data.areas.slice(0, layout.areas) };
  return { data: fitted, pages: languages.map((lang) => ({ lang, html: briefingHtml(page(lang, fitted), layout) })) };
}
