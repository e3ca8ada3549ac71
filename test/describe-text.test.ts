/** What `hotspots describe` prints: a file it could not try on a sample says so, rather than only "Wrote …". */
import { describe, expect, it } from "vitest";
import { describeText } from "../etl/cli/describe-command.ts";

const proposal = { description: { columns: {} }, notes: {}, undecided: [] };

describe("describe's summary", () => {
  it("says a complete proposal of a long GeoJSON file was not tried on a sample, and what to do", () => {
    const text = describeText({ file: "/data/big.geojson", yaml: "", proposal, sample: null, complete: true, out: "/data/big.yaml" });
    expect(text).toMatch(/^Wrote \/data\/big\.yaml\n {2}not tried on a sample/);
    expect(text).toContain("next: hotspots --lake <new lake folder> ingest --source /data/big.yaml /data/big.geojson");
  });

  it("prints the sample's accounting when one was tried, and nothing about an untried one", () => {
    const sample = { rows: 100, ingested: 97, quarantined: { missing_coordinates: 3 } };
    const text = describeText({ file: "/data/x.csv", yaml: "", proposal, sample, complete: true, out: "/data/x.yaml" });
    expect(text).toContain("tried on the first 100 rows: 97 kept, 3 quarantined (missing_coordinates 3)");
    expect(text).not.toContain("not tried");
  });

  it("says nothing of a sample when the proposal is incomplete (it lists what to decide instead)", () => {
    const text = describeText({
      file: "/data/x.csv",
      yaml: "",
      proposal: { ...proposal, undecided: ["the CRS"] },
      sample: null,
      complete: false,
      out: "/data/x.yaml",
    });
    expect(text).not.toContain("not tried");
    expect(text).toContain("  - the CRS");
  });

  it("sends a place outside the default configuration's study area to a configuration of its own, not to the demo's", () => {
    const sample = { rows: 100, ingested: 100, quarantined: {} };
    const text = describeText({ file: "/data/med.csv", yaml: "", proposal, sample, complete: true, out: "/data/med.yaml", outsideDefaultArea: true });
    expect(text).toContain("this place lies outside the default project configuration");
    expect(text).toContain("hotspots --config <your project.yaml> --lake <new lake folder> ingest --source /data/med.yaml /data/med.csv");
    expect(text).toContain("--hull");
  });
});
