/**
 * Is Arrow IPC smaller or faster than JSON for the hot-spot page's per-cell table? Reads a published
 * `hotspots.json`, writes its groups as one Arrow table (a row per month, category and cell: month,
 * category and cell dictionary-encoded, bins as Int8, the count as nullable Int32), and measures both
 * forms: bytes raw and gzipped (what a server would send), the time to parse them (JSON.parse against
 * apache-arrow's tableFromIPC, what FileAttachment.arrow() runs), and the time to get one month's rows
 * out (the page's hotspotRows against a scan of the Arrow columns). A benchmark, not a test.
 *
 *     npx tsx bench/hotspots-arrow.ts [dashboard/src/data/hotspots.json] [--runs 50]
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { Dictionary, Int8, Int16, Int32, Utf8, tableFromIPC, tableToIPC, Table, vectorFromArray } from "apache-arrow";
import type { HotspotTable } from "../dashboard/data-contract.ts";
import { DATA_DIR } from "../dashboard/scripts/build.ts";
import { findPackage } from "../dashboard/scripts/prefill-npm-cache.ts";
import { hotspotRows } from "../dashboard/src/components/aggregate.ts";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: "string", default: "50" } } });
const runs = Math.max(1, Number(values.runs));
const path = positionals[0] ?? `${DATA_DIR}/hotspots.json`;
const text = await readFile(path, "utf8");
const table = JSON.parse(text) as HotspotTable;

/** The narrowest signed integer type that holds 0 … max. */
const indexType = (max: number) => (max < 128 ? new Int8() : max < 32_768 ? new Int16() : new Int32());

/** The groups' parallel columns as one long Arrow table; `narrow`: dictionary indices and counts in the narrowest integer type that holds them. */
function toArrow(t: HotspotTable, narrow: boolean): Table {
  const month: string[] = [];
  const category: string[] = [];
  const cell: string[] = [];
  const bin: number[] = [];
  const binFdr: number[] = [];
  const count: Array<number | null> = [];
  for (const g of t.groups) {
    for (let i = 0; i < g.cell.length; i++) {
      month.push(g.month);
      category.push(g.category);
      cell.push(t.cells[g.cell[i]!]!);
      bin.push(g.bin[i]!);
      binFdr.push(g.bin_fdr[i]!);
      count.push(g.count[i]!);
    }
  }
  const dictionary = (values: string[]) => new Dictionary(new Utf8(), narrow ? indexType(new Set(values).size) : new Int32());
  return new Table({
    month: vectorFromArray(month, dictionary(month)),
    category: vectorFromArray(category, dictionary(category)),
    cell: vectorFromArray(cell, dictionary(cell)),
    bin: vectorFromArray(bin, new Int8()),
    bin_fdr: vectorFromArray(binFdr, new Int8()),
    count: vectorFromArray(count, narrow ? indexType(Math.max(0, ...count.map((c) => c ?? 0))) : new Int32()),
  });
}

/** One month and category's rows from the Arrow columns, as the page would read them. */
function arrowRows(t: Table, month: string, category: string): number {
  const months = t.getChild("month")!;
  const categories = t.getChild("category")!;
  let n = 0;
  for (let i = 0; i < t.numRows; i++) if (months.get(i) === month && categories.get(i) === category) n++;
  return n;
}

const arrow = tableToIPC(toArrow(table, false), "stream");
const narrowArrow = tableToIPC(toArrow(table, true), "stream");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = (f: () => unknown) => {
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    f();
    out.push(performance.now() - start);
  }
  return median(out);
};
const lastMonth = table.groups.at(-1)?.month ?? "";
const parsedJson = JSON.parse(text) as HotspotTable;
const parsedArrow = tableFromIPC(arrow);
const rows = parsedArrow.numRows;
console.log(`${path}: ${table.groups.length} groups, ${rows} cell rows, ${table.cells.length} cells; median of ${runs} runs`);
console.table([
  {
    form: "JSON (parallel columns)",
    "bytes (KiB)": Math.round(Buffer.byteLength(text) / 1024),
    "gzip (KiB)": Math.round(gzipSync(text).length / 1024),
    "parse (ms)": time(() => JSON.parse(text)).toFixed(2),
    "one month's rows (ms)": time(() => hotspotRows(parsedJson, lastMonth, "all", true)).toFixed(3),
  },
  {
    form: "Arrow IPC stream",
    "bytes (KiB)": Math.round(arrow.byteLength / 1024),
    "gzip (KiB)": Math.round(gzipSync(arrow).length / 1024),
    "parse (ms)": time(() => tableFromIPC(arrow)).toFixed(2),
    "one month's rows (ms)": time(() => arrowRows(parsedArrow, lastMonth, "all")).toFixed(3),
  },
  {
    form: "Arrow IPC stream, narrow integers",
    "bytes (KiB)": Math.round(narrowArrow.byteLength / 1024),
    "gzip (KiB)": Math.round(gzipSync(narrowArrow).length / 1024),
    "parse (ms)": time(() => tableFromIPC(narrowArrow)).toFixed(2),
    "one month's rows (ms)": time(() => arrowRows(tableFromIPC(narrowArrow), lastMonth, "all")).toFixed(3),
  },
]);
// What the page would load besides: the apache-arrow library for the browser, bundled and minified as the npm-cache prefill bundles libraries.
const { build } = await import("esbuild");
const { outputFiles } = await build({
  entryPoints: [join((await findPackage("apache-arrow")).dir, "Arrow.dom.mjs")],
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  write: false,
});
const library = outputFiles[0]!.contents;
console.log(
  `apache-arrow for the browser (Arrow.dom.mjs, minified): ${Math.round(library.length / 1024)} KiB, ${Math.round(gzipSync(library).length / 1024)} KiB gzipped`,
);

// In headless Chromium, cold, as the page would do it: JSON.parse of the text against loading the
// library (a fresh module each run) and tableFromIPC of the narrow Arrow bytes.
const { chromium } = await import("playwright-core");
const { chromiumLaunchOptions } = await import("../etl/browser/chromium.ts");
const browser = await chromium.launch(await chromiumLaunchOptions());
try {
  const page = await browser.newPage();
  // tsx keeps function names with a helper the page does not have.
  await page.evaluate("globalThis.__name = (f) => f");
  const inBrowser = await page.evaluate(
    async ({ json, arrowBase64, libraryText, runs }) => {
      const bytes = Uint8Array.from(atob(arrowBase64), (c) => c.charCodeAt(0));
      const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const jsonMs: number[] = [];
      const arrowMs: number[] = [];
      for (let r = 0; r < runs; r++) {
        let start = performance.now();
        JSON.parse(json);
        jsonMs.push(performance.now() - start);
        // A new blob URL each run, so the module is fetched, parsed and evaluated afresh.
        const url = URL.createObjectURL(new Blob([libraryText], { type: "text/javascript" }));
        start = performance.now();
        const Arrow = (await import(/* @vite-ignore */ url)) as { tableFromIPC(b: Uint8Array): { numRows: number } };
        Arrow.tableFromIPC(bytes);
        arrowMs.push(performance.now() - start);
        URL.revokeObjectURL(url);
      }
      return { json: med(jsonMs), arrow: med(arrowMs) };
    },
    { json: text, arrowBase64: Buffer.from(narrowArrow).toString("base64"), libraryText: Buffer.from(library).toString("utf8"), runs: Math.min(runs, 15) },
  );
  console.log(
    `Chromium, median of ${Math.min(runs, 15)}: JSON.parse ${inBrowser.json.toFixed(2)} ms; apache-arrow import + tableFromIPC (narrow) ${inBrowser.arrow.toFixed(2)} ms`,
  );
} finally {
  await browser.close();
}
