import { MunicipalityIndex, type MunicipalityRings } from "../geo/municipality-index.ts";
import { calendarMonth } from "./calendar-month.ts";
import { CellCache } from "./cell-cache.ts";
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

// One cache of cells per thread, for the resolution of the file being read.
let cells: CellCache | undefined;
const cell = new Uint32Array(2);

/**
 * Indexes the batch's kept records to H3 cells, then hands the batch over with its timings. Cells are
 * kept as their 64-bit index (high and low halves of the hex string h3-js returns), which the lake
 * writer formats back to the same string. A coordinate pair seen recently is indexed once (CellCache).
 */
export function finishBatch(builder: BatchBuilder, settings: IndexSettings, lines: number, started: number): RecordBatch {
  const h3Start = performance.now();
  const { lat, lon } = builder.points();
  if (cells?.resolution !== settings.resolution) cells = new CellCache(settings.resolution);
  for (let i = 0; i < lat.length; i++) {
    cells.put(lat[i]!, lon[i]!, cell, 0);
    builder.setCell(i, cell[1]!, cell[0]!);
  }
  const end = performance.now();
  return builder.take(lines, { h3: (end - h3Start) / 1000, read: (h3Start - started) / 1000 });
}
