/**
 * Issue 21 item 6, the source description's part: mapping tables of hundreds of thousands of offence
 * values load in linear time (the YAML library's repeated-key check was quadratic), a repeated key
 * is still refused with its lines, and inverted or out-of-range bounds are refused up front instead
 * of quarantining every row.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { mapRecord } from "../etl/ingest/map-record.ts";
import { loadSourceDescription, parseSourceDescription } from "../etl/ingest/source-description.ts";
import { projectRoot } from "./helpers/shared.ts";

let dir: string;
let canonicalYaml: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "source-checks-"));
  canonicalYaml = await readFile(join(projectRoot, "data", "sources", "siauliai-demo.yaml"), "utf8");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const FIELDS = {
  id: "a",
  occurred_at: "2019-06-14T21:35:00+03:00",
  offence_code: "BK 178",
  case_type: "pre_trial_investigation",
  lat: "55.9335",
  lon: "23.3142",
  municipality: "Šiaulių m. sav.",
  locality: "Šiauliai",
};

describe("mapping tables load in linear time", () => {
  it("a JSON description with 300,000 offence values loads, and its last value maps", async () => {
    const description = parse(canonicalYaml) as { categories: Record<string, string> };
    description.categories = {};
    for (let i = 0; i < 300_000; i++) description.categories[`offence ${i}`] = i % 2 ? "theft" : "fraud";
    const file = join(dir, "big.json");
    await writeFile(file, JSON.stringify(description));
    const source = await loadSourceDescription(file);
    expect(Object.keys(source.categories)).toHaveLength(300_000);
    const mapped = mapRecord({ ...FIELDS, offence_category: "offence 299999" }, 2, source, Date.UTC(2026, 0, 1));
    expect(mapped.ok && mapped.incident.offenceCategory).toBe("theft");
  }, 120_000);

  it("a YAML description with 100,000 offence values loads (minutes before, as every key was compared with every earlier one)", async () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `  "offence ${i}": ${i % 2 ? "theft" : "fraud"}`);
    const file = join(dir, "big.yaml");
    await writeFile(file, canonicalYaml.replace(/^categories:[\s\S]*?^repeated_ids/m, `categories:\n${lines.join("\n")}\nrepeated_ids`));
    const source = await loadSourceDescription(file);
    expect(Object.keys(source.categories)).toHaveLength(100_000);
    expect(source.categories["offence 99998"]).toBe("fraud");
  }, 120_000);

  it("a key written twice is still refused, with both of its lines", async () => {
    const file = join(dir, "twice.yaml");
    await writeFile(file, canonicalYaml.replace("  burglary: burglary\n", "  burglary: burglary\n  theft: robbery\n"));
    const theft = canonicalYaml.split("\n").indexOf("  theft: theft") + 1;
    const burglary = canonicalYaml.split("\n").indexOf("  burglary: burglary") + 1;
    await expect(loadSourceDescription(file)).rejects.toThrow(
      `twice.yaml: not valid YAML: the key "theft" appears twice (lines ${theft} and ${burglary + 1}); keep one of them`,
    );
  });
});

describe("bounds", () => {
  const problem = (bounds: number[]) => {
    try {
      parseSourceDescription({ ...(parse(canonicalYaml) as object), bounds }, "x.yaml");
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error("expected a refusal");
  };

  it("west and east the wrong way round: refused, with the box meant", () => {
    expect(problem([24.2, 55.4, 22.0, 56.6])).toContain(
      "bounds: [24.2, 55.4, 22, 56.6] is not a box [west, south, east, north]: west (24.2) must be less than east (22); did you mean [22, 55.4, 24.2, 56.6]?",
    );
  });

  it("south and north the wrong way round: refused", () => {
    expect(problem([22.0, 56.6, 24.2, 55.4])).toContain("south (56.6) must be less than north (55.4); did you mean [22, 55.4, 24.2, 56.6]?");
  });

  it("metres where degrees belong: refused, saying bounds are degrees whatever the crs", () => {
    expect(problem([300000, 6100000, 600000, 6300000])).toContain(
      "west and east are longitudes, between -180 and 180; south and north are latitudes, between -90 and 90 (bounds are in degrees whatever the crs)",
    );
  });

  it("a real box passes", () => {
    expect(parseSourceDescription({ ...(parse(canonicalYaml) as object), bounds: [-112.1, 33.3, -111.8, 33.5] }, "x.yaml").bounds).toEqual([
      -112.1, 33.3, -111.8, 33.5,
    ]);
  });
});
