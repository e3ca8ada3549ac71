/**
 * Writes the bundled sample incidents, `data/incidents/siauliai-2015-2021.csv.gz`: synthetic,
 * seeded and byte-identical on every run. Run with `npm run generate-data` from the project root.
 * The study area's polygons come from the product's own boundary file (data/geo/).
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { loadStudyArea } from "./boundaries.ts";
import { GENERATOR_CONFIG } from "./config.ts";
import { toCsv } from "./csv.ts";
import { generateIncidents, toRecords } from "./incidents.ts";
import { createRng } from "./rng.ts";
import { verifyRecords, type Tally } from "./verify.ts";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const area = loadStudyArea(resolve(projectRoot, GENERATOR_CONFIG.municipalityBoundaries));
const records = toRecords(generateIncidents(GENERATOR_CONFIG, area, createRng(GENERATOR_CONFIG.seed)), GENERATOR_CONFIG);
const tally = verifyRecords(records, GENERATOR_CONFIG, area);

const csv = Buffer.from(toCsv(records), "utf8");
// Node's gzip header carries no file name and a zero mtime, so the archive depends only on the
// bytes and the zlib build: the same Node version gives the same file, byte for byte.
const gz = gzipSync(csv, { level: 9 });
const outputPath = resolve(projectRoot, GENERATOR_CONFIG.outputFile);
mkdirSync(dirname(outputPath), { recursive: true });
writeFileSync(outputPath, gz);

printSummary(tally, csv, gz);

function printSummary(counts: Tally, plain: Buffer, packed: Buffer): void {
  const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");
  const lines = [
    `wrote ${GENERATOR_CONFIG.outputFile}: ${counts.total} rows`,
    `  gzip ${packed.length} bytes, sha256 ${sha(packed)}`,
    `  csv  ${plain.length} bytes, sha256 ${sha(plain)}`,
    `by year:     ${format(counts.byYear)}`,
    `by category: ${format(counts.byCategory)}`,
  ];
  console.log(lines.join("\n"));
}

function format(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, n]) => `${key}=${n}`)
    .join(", ");
}
