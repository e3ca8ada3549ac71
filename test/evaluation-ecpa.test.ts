import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultSettings } from "../etl/settings.ts";
import { writeProjectReports } from "../etl/evaluation/report/write-project-reports.ts";
import { buildFixtureLake } from "./evaluation-fixture-lake.ts";
import { projectRoot, sharedPath, SHARED_BOUNDARIES } from "./helpers/shared.ts";
import { en } from "../dashboard/src/components/strings-en.ts";
import { lt as lt_ } from "../dashboard/src/components/strings-lt.ts";

let lake: string;
let out: string;

beforeAll(async () => {
  lake = await buildFixtureLake();
  out = await mkdtemp(join(tmpdir(), "ecpa-"));
  await writeProjectReports({
    settings: defaultSettings({ lakeDir: lake, municipalitiesGeoJson: SHARED_BOUNDARIES }),
    outDir: out,
    projectsFile: resolve(projectRoot, "data", "projects", "projects.json"),
    exposureFile: resolve(projectRoot, "data", "context", "immigration.csv"),
    projectIds: ["we-are", "ro-no-itinerant-crime"],
  });
});
afterAll(async () => {
  await rm(dirname(lake), { recursive: true, force: true });
  await rm(out, { recursive: true, force: true });
});

const read = (project: string, file: string) => readFileSync(join(out, project, file), "utf8");

// The seed's answers to questions 11 (process), 12 (outcome), 15 (funding) and 16 (costs).
function seedFigures(): string[] {
  const seed = readFileSync(sharedPath("seeds", "003_1e9882cbcd1d6245.txt"), "utf8");
  const section = (from: string, to: string) => seed.slice(seed.indexOf(from), seed.indexOf(to));
  const text = [
    section("\n11. Has there", "<sup>1</sup> **Process"),
    section("\n12. Has there", "<sup>2</sup> **Outcome"),
    section("information received from", "**III."),
    section("\n15. How", "\n17. Has"),
  ]
    .join("\n")
    .replace(/^\d+\. [^\n]*\n/gm, "") // the questions' own numbers and word limits
    .replace(/June 3, 2019/g, ""); // a date, not a figure
  return [...new Set([...text.matchAll(/\d[\d,]*/g)].map((m) => m[0].replace(/,$/, "")))];
}

describe("the ECPA Annex I draft", () => {
  it("reproduces every figure the We Are entry states in its evaluation and cost answers", () => {
    const md = read("we-are", "ecpa-draft.en.md");
    const figures = seedFigures();
    // "17 municipalities (out of 60)": the 17 is an indicator (national context); the 60 is only in its note.
    const notIndicators = ["60"];
    expect(figures).toEqual(
      expect.arrayContaining(["8", "280", "10,000", "3,000", "8,000", "21", "80", "4", "25", "10", "12", "3", "2", "5", "1", "2018", "2019"]),
    );
    for (const figure of figures.filter((f) => !notIndicators.includes(f)))
      expect(md, figure).toMatch(new RegExp(`(^|[^\\d,])${figure.replace(",", ",")}([^\\d,]|$)`));
    expect(md).toContain("Funding: 3,000 EUR (Šiauliai District Municipality) \\[context/projects\\].");
    expect(md).toContain(
      "| Community members involved in project activities | – | 10,000 | – \\[Mid-term evaluation, end of June 2019: about 3,000; Reached in the second half of 2019: over 8,000\\] |",
    );
  });

  it("traces every indicator figure to its lake table and key", () => {
    const md = read("we-are", "ecpa-draft.en.md");
    expect(md).toContain("evaluations/indicators · we-are-business-meetings");
    expect(md).toMatch(
      /registered incidents all 3 → 8, pre trial investigation 2 → 5, administrative offence 1 → 3; rate ratio 2\.67 \(95\s?% CI 0\.64 to 15\.6[0-9]*\), exact test p = 0\.227\. Design: Maryland SMS level 2[^\n]*\\\[evaluations\/outcomes · evaluation=we-are-kursenai-drug-possession\\\]/,
    );
  });

  it("reads the Kuršėnai p-value as the dashboard does: cannot show a change, detection, a reached comparison, the caveats", () => {
    const md = read("we-are", "ecpa-draft.en.md");
    const q12 = md.slice(md.indexOf("Outcome evaluation (question 12)"), md.indexOf("Costs (question 16)"));
    for (const text of [
      en.evaluation.verdict.tooSmall,
      en.evaluation.verdict.controlLimits,
      en.evaluation.verdict.registered,
      "It is not an untreated control: the project ran in the whole city and district",
      "Registered drug possession cases measure detection",
      "Regression to the mean:",
      "not an untreated control (level 3 needs one)",
    ])
      expect(q12.replaceAll("\\", ""), text).toContain(text.replaceAll("\\", ""));
    const lt = read("we-are", "ecpa-draft.lt.md");
    expect(lt).toMatch(
      /dažnių santykis 2,67 \(95\s?% PI 0,64–15,6[0-9]*\), tikslusis testas p = 0[.,]227\. Vertinimo planas: Merilendo mokslinių metodų skalė, 2 lygis/,
    );
    expect(lt).toContain(lt_.evaluation.verdict.tooSmall);
    expect(lt).toContain("Užregistruoti atvejai (narkotikų laikymas) rodo nustatymą");
  });

  it("puts targets against results for the grant projects, in English and Lithuanian, as Markdown and HTML", () => {
    const en = read("ro-no-itinerant-crime", "ecpa-draft.en.md");
    expect(en).toMatch(/\| [^|]*workshops[^|]* \| 300 \| 538 \| 179\.3 % \| yes \| evaluations\/indicators · ro-no-workshop-participants \|/);
    const lt = read("ro-no-itinerant-crime", "ecpa-draft.lt.md");
    expect(lt).toContain("## 5. Tikslai ir rezultatai");
    expect(lt).toMatch(/\| 300 \| 538 \| 179,3 % \| taip \|/);
    // Lithuanian names, qualifiers, decimal commas and case types: no English from the data.
    const weAre = read("we-are", "ecpa-draft.lt.md");
    expect(weAre).toContain(
      "| Į projekto veiklas įtraukti bendruomenės nariai | – | 10\u00a0000 | – \\[Tarpinis vertinimas, 2019 m. birželio pabaiga: apie 3\u00a0000;",
    );
    expect(weAre).toContain("| Mokymo kursų dalyviai | – | – | apie 280 (2019) |");
    expect(weAre).toMatch(/užregistruoti įvykiai visos bylų rūšys 3 → 8, ikiteisminiai tyrimai 2 → 5, administraciniai nusižengimai 1 → 3/);
    expect(read("we-are", "ecpa-draft.lt.html")).toContain("<h2>3. Išlaidos (16 klausimas)</h2>");
  });

  it("writes an editable Word document of each draft", () => {
    for (const language of ["en", "lt"]) {
      const docx = readFileSync(join(out, "we-are", `ecpa-draft.${language}.docx`));
      // A DOCX is a ZIP whose entries' names are stored uncompressed: the signature and the main part.
      expect(docx.subarray(0, 4).toString("latin1")).toBe("PK\u0003\u0004");
      expect(docx.toString("latin1")).toContain("word/document.xml");
    }
  });
});
