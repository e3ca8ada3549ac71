/**
 * Messages of issue 18 item 5, each saying what was wrong and what to write instead: the delimiter
 * as the docs name it (`tab`), a field source written as a bare name, a subcommand after
 * --municipality, run's --source, emerging's options, and a boundary file without names.
 */
import { describe, expect, it } from "vitest";
import { selectMunicipalities } from "../etl/analytics/study-area.ts";
import { hotspotsProgram } from "../etl/cli/program.ts";
import { parseSourceDescription } from "../etl/ingest/source-description.ts";

const BASE = {
  id: "x",
  title: "X",
  timezone: "America/Phoenix",
  bounds: [-112.1, 33.3, -111.8, 33.5],
  columns: { time: { format: "date", column: "d" }, x: "lon", y: "lat", offence: { column: "type" } },
  categories: { theft: "theft" },
};
function problem(data: object): string {
  try {
    parseSourceDescription({ ...BASE, ...data }, "x.yaml");
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a refusal");
}

describe("source description messages", () => {
  it("delimiter: tab, as the docs write it, is the tab character", () => {
    expect(parseSourceDescription({ ...BASE, delimiter: "tab" }, "x.yaml").delimiter).toBe("\t");
    expect(parseSourceDescription({ ...BASE, delimiter: ";" }, "x.yaml").delimiter).toBe(";");
  });

  it("an unknown delimiter names the ones there are, tab by its name", () => {
    expect(problem({ delimiter: "tabulator" })).toContain('delimiter: "tabulator" is not a delimiter this reader knows; write one of ",", ";", "|" or tab');
    expect(problem({ delimiter: "toString" })).toContain('"toString" is not a delimiter');
  });

  it("locality: district says to write { column: district } or { constant: district }", () => {
    const message = problem({ columns: { ...BASE.columns, locality: "district" } });
    expect(message).toContain(
      "columns.locality: write { column: district } to take it from the column district, or { constant: district } for the same value on every row",
    );
  });
});

describe("command-line messages", () => {
  it("--municipality takes one name per use, so the subcommand after it stays the subcommand", async () => {
    const program = await hotspotsProgram();
    let called = "";
    for (const command of program.commands) command.action(() => void (called = command.name()));
    await program.exitOverride().parseAsync(["--municipality", "Preston", "--municipality", "Chorley", "publish"], { from: "user" });
    expect(called).toBe("publish");
    expect(program.opts().municipality).toEqual(["Preston", "Chorley"]);
  });

  it("run takes --source like ingest", async () => {
    const run = (await hotspotsProgram()).commands.find((c) => c.name() === "run")!;
    expect(run.options.map((o) => o.long)).toContain("--source");
  });
});

describe("study-area messages", () => {
  const square = {
    type: "Polygon" as const,
    coordinates: [
      [
        [-2.8, 53.7],
        [-2.6, 53.7],
        [-2.6, 53.8],
        [-2.8, 53.7],
      ],
    ],
  };
  it("a boundary file whose polygons have no name says so, with the properties they have", () => {
    const unnamed = {
      type: "FeatureCollection" as const,
      features: [{ type: "Feature" as const, properties: { LAD22NM: "Preston" } as never, geometry: square }],
    };
    expect(() => selectMunicipalities(unnamed, ["Preston"])).toThrow(
      'the boundary file\'s polygons have no "name" property (they have LAD22NM): add a name to each polygon, or use study_area: { hull: 1 }',
    );
  });

  it("an unknown name lists the file's names and where to write one", () => {
    const named = { type: "FeatureCollection" as const, features: [{ type: "Feature" as const, properties: { name: "Preston" }, geometry: square }] };
    expect(() => selectMunicipalities(named, ["Chorley"])).toThrow(
      "unknown municipality 'Chorley'; write one of the boundary file's names in study_area.municipalities (or --municipality): Preston",
    );
  });
});

describe("command help", () => {
  it("emerging lists no forecast-only options", async () => {
    const emerging = (await hotspotsProgram()).commands.find((c) => c.name() === "emerging")!;
    const options = emerging.options.map((o) => o.long);
    expect(options).toEqual(expect.arrayContaining(["--from", "--to", "--category", "--time-window", "--hull"]));
    for (const forecastOnly of ["--window", "--half-life", "--ring-weight"]) expect(options).not.toContain(forecastOnly);
  });
});
