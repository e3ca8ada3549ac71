/**
 * The bounds of a whole export, for `hotspots describe`: its sample is the head of the file, and an
 * export sorted by district or date holds places the head does not (QA: 60,500 of 210,500 rows of
 * a district-sorted file fell outside bounds drawn from the first 8 MiB). One streaming pass reads the
 * coordinate columns of every record; no point is held.
 */
import { RegionExtent, wgs84Point, type Point } from "./point-extent.ts";
import { pointTexts } from "./point-text.ts";
import { readRecords } from "./read-records.ts";
import type { SourceDescription } from "./source-description.ts";

/** What the whole file's points gave: their extent around the sample's median point, and the records read. */
export interface FileExtent {
  extent: RegionExtent;
  records: number;
}

/** The extent of every point of `file`, read with the proposal's layout, CRS and x/y (or point) columns. */
export async function fileExtent(
  file: string,
  layout: Pick<SourceDescription, "format" | "encoding" | "delimiter" | "crs"> & {
    sheet?: string;
    decimal?: "." | ",";
    x?: string;
    y?: string;
    point?: SourceDescription["columns"]["point"];
  },
  centre: Point,
): Promise<FileExtent> {
  const extent = new RegionExtent(centre);
  // A GeoJSON feature's point is read as the columns geometry.x/y (readRecords).
  const [x, y] = layout.format === "geojson" ? ["geometry.x", "geometry.y"] : [layout.x ?? "", layout.y ?? ""];
  let records = 0;
  for await (const record of readRecords(file, layout as SourceDescription, [])) {
    records++;
    if (!("fields" in record)) continue;
    const texts = layout.point ? pointTexts(record.fields[layout.point.column] ?? "", layout.point.format, layout.decimal) : undefined;
    if (texts && texts.kind !== "xy") continue;
    const point = texts
      ? wgs84Point(layout.crs, layout.decimal ?? ".", texts.x, texts.y)
      : wgs84Point(layout.crs, layout.decimal ?? ".", record.fields[x] ?? "", record.fields[y] ?? "");
    if (point) extent.add(point);
  }
  return { extent, records };
}
