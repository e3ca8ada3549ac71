// The bundled source descriptions are named for their ids: the raw-upload handler finds
// `<source-id>.yaml` by that rule, and publish names the demo's source from its file name.
import { readdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSourceDescription } from "../etl/ingest/source-description.ts";
import { projectRoot } from "./helpers/shared.ts";

describe("the bundled source descriptions", () => {
  it("each file is named for the id it declares", async () => {
    const dir = join(projectRoot, "data", "sources");
    const files = (await readdir(dir)).filter((f) => f.endsWith(".yaml"));
    expect(files.length).toBeGreaterThan(1);
    for (const file of files) {
      expect((await loadSourceDescription(join(dir, file))).id, file).toBe(basename(file, ".yaml"));
    }
  });
});
