/**
 * `hotspots briefing`: the monthly patrol briefing of a forecast month, in Lithuanian and English,
 * as self-contained HTML and as an A4 PDF printed offline by the headless Chromium that comes with
 * npm install (etl/browser). Files are written atomically: `briefing-<month>.<lang>.html` and `.pdf`.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { chromiumLaunchOptions } from "../browser/chromium.ts";
import { readMunicipalities, type MunicipalityCollection } from "../geo/municipalities.ts";
import type { Language } from "../geo/place-names.ts";
import { replaceAtomically, writeTextAtomically } from "../lake/atomic-file.ts";
import { briefingPages, type BriefingInputs } from "./briefing-pages.ts";

export interface BriefingOptions extends BriefingInputs {
  outDir: string;
  pdf: boolean;
}

/** What `hotspots briefing` wrote (`--json` prints exactly this). */
export interface BriefingSummary {
  month: string;
  areas: number;
  files: string[];
}

export async function writeBriefing(options: BriefingOptions): Promise<BriefingSummary> {
  const { data, pages } = await briefingPages(options);
  await mkdir(options.outDir, { recursive: true });
  const files: string[] = [];
  for (const { lang, html } of pages) {
    const file = join(options.outDir, `briefing-${options.month}.${lang}.html`);
    await writeTextAtomically(file, html);
    files.push(file);
  }
  if (options.pdf) files.push(...(await printPdfs(pages, options)));
  return { month: options.month, areas: data.areas.length, files };
}

async function printPdfs(pages: ReadonlyArray<{ lang: Language; html: string }>, options: BriefingOptions): Promise<string[]> {
  const browser = await chromium.launch(await chromiumLaunchOptions());
  try {
    const files: string[] = [];
    for (const { lang, html } of pages) {
      const page = await browser.newPage();
      // Self-contained HTML: nothing to fetch, so any request is a defect and is refused.
      await page.route("**/*", (route) => route.abort("blockedbyclient"));
      await page.setContent(html, { waitUntil: "load" });
      const file = join(options.outDir, `briefing-${options.month}.${lang}.pdf`);
      await replaceAtomically(file, (temporary) => page.pdf({ path: temporary, format: "A4", printBackground: true, preferCSSPageSize: true }));
      await page.close();
      files.push(file);
    }
    return files;
  } finally {
    await browser.close();
  }
}

/** The municipality outlines to draw: the study area's, or none when it is a hull. */
export async function studyOutlines(boundaries: string, municipalities: readonly string[]): Promise<MunicipalityCollection> {
  const all = await readMunicipalities(boundaries);
  const wanted = new Set(municipalities);
  return { type: "FeatureCollection", features: all.features.filter((f) => wanted.has(f.properties.name)) };
}
