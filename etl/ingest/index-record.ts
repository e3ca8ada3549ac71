import { latLngToCell } from "h3-js";
import { MunicipalityIndex, type MunicipalityRings } from "../geo/municipality-index.ts";
import { calendarMonth } from "./calendar-month.ts";
import { hashString, type Hash64 } from "./content-hash.ts";
import { mapFields } from "./map-record.ts";
import type { BatchBuilder } from "./batch-builder.ts";
import type { RecordBatch } from "./record-batch.ts";
import type { SourceDescription } from "./source-description.ts";

/** What every reader thread needs to map, validate and index records the same way. */
export interface IndexSettings {
  source: SourceDescription;
  /** Upper bound for timestamps (see parseTime). */
  now: number;
  /** Time zone of the lake's calendar months. */
  timeZone: string;
  resolution: number;
  /**
   * Boundaries a kept row's municipality is checked against (see municipalityCheck in ingest-file.ts);
   * absent: no check. Rows naming a municipality the boundaries do not have are not checked.
   */
  municipalities?: MunicipalityRings;
}

const idHash: Hash64 = { high: 0, low: 0 };

/**
 * Maps and validates one record (see mapFields) into `builder`: refused with its reason and text, or
 * kept with its calendar month and the hashes the repeated-id check needs. `raw()` gives the record's
 * text as quarantined (clipped), asked only when needed; a kept record is located by
 * `rawStart`/`rawEnd` instead when the reader can find it again, otherwise its text is kept in the batch. The H3 cell is added per batch by
 * `finishBatch`, where its cost can be timed on its own. `idLine` is the record's line in the whole
 * file, for sources whose ids are made from it (`line` may be relative to a chunk).
 */
export function indexRecord(
  builder: BatchBuilder,
  settings: IndexSettings,
  get: (column: string) => string,
  line: number,
  raw: () => string,
  content: Hash64,
  rawStart = -1,
  rawEnd = -1,
  idLine = line,
): void {
  builder.recordRead();
  const mapped = mapFields(get, idLine, settings.source, settings.now);
  if (!mapped.ok) {
    builder.reject(line, mapped.rejection.code, mapped.rejection.reason, raw());
    return;
  }
  const r = mapped.incident;
  if (settings.municipalities && r.municipality !== "") {
    const index = indexOf(settings.municipalities);
    if (index.contains(r.municipality, r.lon, r.lat) === false) {
      builder.reject(
        line,
        "outside_municipality",
        `lat ${r.lat}, lon ${r.lon} is not inside ${r.municipality} (boundaries: ${settings.municipalities.origin}); correct the row's coordinates or its municipality`,
        raw(),
      );
      return;
    }
  }
  builder.keep(line, r, calendarMonth(r.occurredAt, settings.timeZone), hashString(r.id, idHash), content, rawStart, rawEnd, rawStart < 0 ? raw() : undefined);
}

// One index per boundaries object: each reader thread builds its own, once.
const indexes = new WeakMap<MunicipalityRings, MunicipalityIndex>();
function indexOf(rings: MunicipalityRings): MunicipalityIndex {
  let index = indexes.get(rings);
  if (!index) indexes.set(rings, (index = new MunicipalityIndex(rings)));
  return index;
}

/**
 * Indexes the batch's kept records to H3 cells, then hands the batch over with its timings. Cells are
 * kept as their 64-bit index (high and low halves of the hex string h3-js returns), which the lake
 * writer formats back to the same string.
 */
export function finishBatch(builder: BatchBuilder, settings: IndexSettings, lines: number, started: number): RecordBatch {
  const h3Start = performance.now();
  const { lat, lon } = builder.points();
  for (let i = 0; i < lat.length; i++) {
    const cell = latLngToCell(lat[i]!, lon[i]!, settings.resolution);
    builder.setCell(i, parseInt(cell.slice(0, -8), 16), parseInt(cell.slice(-8), 16));
  }
  const end = performance.now();
  return builder.take(lines, { h3: (end - h3Start) / 1000, read: (h3Start - started) / 1000 });
}
