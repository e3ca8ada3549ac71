/**
 * The caches publish keeps in the data folder's `.state/` (etl/publish/publish-state.ts): each is
 * taken only while every input it was made from is unchanged, and a changed input changes the output.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cellToLatLng, latLngToCell } from "h3-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeLocation, placeIndex } from "../etl/geo/place-names.ts";
import { readPlaces, type Place } from "../etl/geo/places.ts";
import type { PartitionEntry } from "../etl/lake/manifest.ts";
import { cachedCellPlaceNames, openCellPlaceNames } from "../etl/publish/cell-place-names.ts";
import { cachedNamedPlaces, namedPlaces } from "../etl/publish/named-places.ts";
import { monthFingerprints, writeIfChanged } from "../etl/publish/publish-state.ts";

const place = (name: string, kind: string, lat: number, lon: number): Place => ({ name, nameEn: null, kind, population: null, lon, lat });
const PLACES = [place("Town", "town", 55, 23), place("Village", "village", 55.05, 23.1)];
// One cell in the town, one about 2 km north of it, one near the village.
const CELLS = [latLngToCell(55, 23, 8), latLngToCell(55.018, 23, 8), latLngToCell(55.05, 23.1, 8)];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "publish-state-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("cell place names cache", () => {
  it("names each cell as describeLocation does, then takes them from the file while the places are the same", async () => {
    const file = join(dir, "names.json");
    const first = await cachedCellPlaceNames(CELLS, namedPlaces(PLACES), file);
    expect(first.computed).toBe(3);
    const index = placeIndex(PLACES);
    for (const cell of CELLS) {
      // The same words as a direct description of the cell's centre, in both languages.
      const [lat, lon] = cellToLatLng(cell);
      expect(first.names.get(cell)).toEqual({ lt: describeLocation(index, lat, lon, "lt"), en: describeLocation(index, lat, lon, "en") });
    }
    expect(first.names.get(CELLS[0]!)).toEqual({ lt: "Town", en: "Town" });
    expect(first.names.get(CELLS[1]!)!.en).toBe("2 km N of Town");

    // The next call computes nothing: a marker written into the file comes out, so the names are the file's.
    const state = JSON.parse(await readFile(file, "utf8")) as { key: string; cells: Record<string, [string, string]> };
    state.cells[CELLS[0]!] = ["žymė", "marker"];
    await writeFile(file, JSON.stringify(state));
    const again = await cachedCellPlaceNames(CELLS, namedPlaces(PLACES), file);
    expect(again.computed).toBe(0);
    expect(again.names.get(CELLS[0]!)).toEqual({ lt: "žymė", en: "marker" });

    // A new cell alone is computed; the file then holds exactly the cells asked for.
    const extra = latLngToCell(55.036, 23, 8);
    const more = await cachedCellPlaceNames([CELLS[0]!, extra], namedPlaces(PLACES), file);
    expect(more.computed).toBe(1);
    expect(Object.keys((JSON.parse(await readFile(file, "utf8")) as typeof state).cells).sort()).toEqual([CELLS[0]!, extra].sort());
  });

  it("a namer opened first (publish's, for the briefing) takes the file's names, describes a cell once, and counts it as computed", async () => {
    const file = join(dir, "namer.json");
    await cachedCellPlaceNames(CELLS.slice(0, 2), namedPlaces(PLACES), file);
    const state = JSON.parse(await readFile(file, "utf8")) as { key: string; cells: Record<string, [string, string]> };
    state.cells[CELLS[0]!] = ["žymė", "marker"];
    await writeFile(file, JSON.stringify(state));
    const namer = await openCellPlaceNames(namedPlaces(PLACES), file);
    expect(namer.name(CELLS[0]!)).toEqual({ lt: "žymė", en: "marker" });
    const [lat, lon] = cellToLatLng(CELLS[2]!);
    const index = placeIndex(PLACES);
    expect(namer.name(CELLS[2]!)).toEqual({ lt: describeLocation(index, lat, lon, "lt"), en: describeLocation(index, lat, lon, "en") });
    // The map's names then come from the same namer: the file's two, the third described (once, above) and written.
    const all = await cachedCellPlaceNames(CELLS, namedPlaces(PLACES), file, namer);
    expect(all.computed).toBe(1);
    expect(all.names.get(CELLS[0]!)).toEqual({ lt: "žymė", en: "marker" });
    expect(all.names.get(CELLS[2]!)).toEqual(namer.name(CELLS[2]!));
    expect(Object.keys((JSON.parse(await readFile(file, "utf8")) as typeof state).cells).sort()).toEqual([...CELLS].sort());
    // A namer of other places is not taken: the file is read again under the new key, and every cell described.
    const renamed = namedPlaces([place("Burgh", "town", 55, 23), PLACES[1]!]);
    const other = await cachedCellPlaceNames(CELLS, renamed, file, namer);
    expect(other.computed).toBe(3);
    expect(other.names.get(CELLS[0]!)!.en).toBe("Burgh");
  });

  it("other places (a renamed town) make every name again, and the names change", async () => {
    const file = join(dir, "renamed.json");
    await cachedCellPlaceNames(CELLS, namedPlaces(PLACES), file);
    const renamed = [place("Burgh", "town", 55, 23), PLACES[1]!];
    const after = await cachedCellPlaceNames(CELLS, namedPlaces(renamed), file);
    expect(after.computed).toBe(3);
    expect(after.names.get(CELLS[0]!)!.en).toBe("Burgh");
    expect(after.names.get(CELLS[1]!)!.lt).toBe("Burgh, 2 km Š");
    // A moved place changes the key too.
    const moved = [place("Burgh", "town", 55.001, 23), PLACES[1]!];
    expect((await cachedCellPlaceNames(CELLS, namedPlaces(moved), file)).computed).toBe(3);
  });

  it("an unreadable file is no cache: every cell is computed", async () => {
    const file = join(dir, "broken.json");
    await writeFile(file, "{not json");
    expect((await cachedCellPlaceNames(CELLS, namedPlaces(PLACES), file)).computed).toBe(3);
  });
});

describe("named places cache", () => {
  const csv = (rows: readonly string[]) => ["name,name_en,kind,population,lon,lat", ...rows, ""].join("\n");
  const TOWN = "Town,,town,1200,23,55";
  const VILLAGE = "Village,Vill,village,,23.1,55.05";
  const STATION = "Police,,police,,23.01,55.01";

  it("gives what parsing and indexing the file gives, then reads it back from the state while the file's text is the same", async () => {
    const [places, state] = [join(dir, "places.csv"), join(dir, "named-places.json")];
    await writeFile(places, csv([TOWN, VILLAGE, STATION]));
    const fresh = namedPlaces(await readPlaces(places));
    const first = await cachedNamedPlaces(places, state);
    expect(first).toEqual(fresh);
    // The police station is listed (maps label it) but not indexed: descriptions name settlements only.
    expect([...first.index.buckets.values()].flat().map((p) => p.name)).toEqual(["Town", "Village"]);

    // A marker written into the state comes out: the second call parsed nothing.
    const cached = JSON.parse(await readFile(state, "utf8")) as { places: Array<[string, ...unknown[]]> };
    cached.places[0]![0] = "Marker";
    await writeFile(state, JSON.stringify(cached));
    const again = await cachedNamedPlaces(places, state);
    expect(again.places[0]!.name).toBe("Marker");
    expect(again.key).toBe(fresh.key);
    expect(describeLocation(again.index, 55, 23, "en")).toBe("Marker");

    // A row of another shape (no position) is no cache: the file is parsed again.
    const broken = JSON.parse(await readFile(state, "utf8")) as { places: unknown[][] };
    broken.places[0]!.length = 4;
    await writeFile(state, JSON.stringify(broken));
    expect(await cachedNamedPlaces(places, state)).toEqual(fresh);

    // Another text (a renamed village) is parsed again: new places, new key, the marker gone.
    await writeFile(places, csv([TOWN, VILLAGE.replace("Village,", "Kaimas,"), STATION]));
    const renamed = await cachedNamedPlaces(places, state);
    expect(renamed).toEqual(namedPlaces(await readPlaces(places)));
    expect(renamed.key).not.toBe(fresh.key);
    expect(renamed.places.map((p) => p.name)).toEqual(["Town", "Kaimas", "Police"]);
  });

  it("an unreadable state parses the file; a malformed file is refused with its line as readPlaces refuses it", async () => {
    const [places, state] = [join(dir, "places-2.csv"), join(dir, "named-places-2.json")];
    await writeFile(places, csv([TOWN]));
    await writeFile(state, "{not json");
    expect(await cachedNamedPlaces(places, state)).toEqual(namedPlaces(await readPlaces(places)));
    await writeFile(places, csv([TOWN, "Nowhere,,village,,east,55"]));
    await expect(cachedNamedPlaces(places, state)).rejects.toThrow(/places-2\.csv, line 3: a place needs/);
    await expect(cachedNamedPlaces(join(dir, "missing.csv"), state)).rejects.toThrow(/cannot read the named places at .*missing\.csv/);
  });
});

describe("monthFingerprints", () => {
  const entry = (month: string, sha256: string): PartitionEntry => ({ month, rows: 1, sha256 });
  const entries = {
    "cell_counts/month=2024-01/a.parquet": entry("2024-01", "1"),
    "cell_counts/month=2024-01/b.parquet": entry("2024-01", "2"),
    "cell_counts/month=2024-02/a.parquet": entry("2024-02", "3"),
  };

  it("groups the files by the manifest's month and changes a month's fingerprint with any of its files", () => {
    const before = monthFingerprints(entries);
    expect([...before.keys()]).toEqual(["2024-01", "2024-02"]);
    expect(before.get("2024-01")!.keys).toEqual(["cell_counts/month=2024-01/a.parquet", "cell_counts/month=2024-01/b.parquet"]);
    const changed = monthFingerprints({ ...entries, "cell_counts/month=2024-01/b.parquet": entry("2024-01", "another") });
    expect(changed.get("2024-01")!.sha256).not.toBe(before.get("2024-01")!.sha256);
    expect(changed.get("2024-02")!.sha256).toBe(before.get("2024-02")!.sha256);
    // A third export of a month changes it too; only the keys asked for are taken.
    const added = monthFingerprints({ ...entries, "cell_counts/month=2024-02/c.parquet": entry("2024-02", "4") });
    expect(added.get("2024-02")!.sha256).not.toBe(before.get("2024-02")!.sha256);
    expect(monthFingerprints(entries, ["cell_counts/month=2024-02/a.parquet"]).size).toBe(1);
  });
});

describe("writeIfChanged", () => {
  it("leaves a file that holds the text as it is, and writes one that does not", async () => {
    const file = join(dir, "data.json");
    expect(await writeIfChanged(file, '{"a":1}')).toBe(true);
    const before = (await stat(file)).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await writeIfChanged(file, '{"a":1}')).toBe(false);
    expect((await stat(file)).mtimeMs).toBe(before);
    expect(await writeIfChanged(file, '{"a":2}')).toBe(true);
    expect(await readFile(file, "utf8")).toBe('{"a":2}');
    // Another size is written without reading the file back; the size is in bytes, not characters.
    expect(await writeIfChanged(file, '{"a":22}')).toBe(true);
    expect(await writeIfChanged(file, '{"a":"ee"}')).toBe(true);
    expect(await writeIfChanged(file, '{"a":"ė"}')).toBe(true);
    expect(await readFile(file, "utf8")).toBe('{"a":"ė"}');
    expect(await writeIfChanged(file, '{"a":"ė"}')).toBe(false);
  });
});
