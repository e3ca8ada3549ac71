/**
 * Writes the committed bad-input corpus to test/bad-input/files/ (run: npx tsx test/bad-input/make-corpus.ts).
 * The large cases (10 MB field, a million columns) are built by the test itself.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CORPUS } from "./corpus.ts";

const dir = join(import.meta.dirname, "files");
await mkdir(dir, { recursive: true });
for (const input of CORPUS.filter((c) => !c.large && !c.folder)) await writeFile(join(dir, input.file), input.bytes());
console.log(`wrote ${CORPUS.filter((c) => !c.large && !c.folder).length} files to ${dir}`);
