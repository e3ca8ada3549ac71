/** `describe` run again must not overwrite a description someone has edited (QA: the added x/y lines were lost). */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refuseEdited } from "../etl/cli/describe-command.ts";
import { isUneditedProposal, sourceYaml } from "../etl/ingest/source-yaml.ts";

const proposal = {
  description: { id: "lt", columns: { time: { format: "date" as const, column: "Įvykio data" } }, categories: { Vagystė: "theft" as const } },
  notes: {},
  undecided: ["the coordinate columns"],
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "describe-edited-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("describe's output file", () => {
  it("is replaced while it is the proposal as written", async () => {
    const out = join(dir, "unedited.yaml");
    await writeFile(out, sourceYaml(proposal, "lt.csv"));
    expect(isUneditedProposal(sourceYaml(proposal, "lt.csv"))).toBe(true);
    await expect(refuseEdited(out)).resolves.toBeUndefined();
    await expect(refuseEdited(join(dir, "absent.yaml"))).resolves.toBeUndefined();
  });

  it("is kept, with what to do, once a line was edited or added, or when describe did not write it", async () => {
    const written = sourceYaml(proposal, "lt.csv");
    const edits = [written.replace("columns:\n", "columns:\n  x: X koordinatė\n"), written.replace("theft", "burglary"), "id: hand-written\n"];
    for (const [i, text] of edits.entries()) {
      const out = join(dir, `edited-${i}.yaml`);
      await writeFile(out, text);
      expect(isUneditedProposal(text)).toBe(false);
      await expect(refuseEdited(out)).rejects.toThrow(/exists and was edited since describe wrote it .* give --force to replace it/);
    }
  });
});
