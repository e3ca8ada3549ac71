import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import { join, posix } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { listObjects, readObjectText, uploadObject } from "../storage/s3-objects.ts";
import { keyOf, parseS3Url, relativeKey } from "../storage/s3-url.ts";

/** What publishing to the site bucket did. */
export interface SitePublishSummary {
  /** Data files uploaded (site-relative keys). */
  data: string[];
  /** Pages re-pointed at the new data files. */
  pages: string[];
}

/**
 * The files of the data folder the site serves: the pages' JSON, and the printable briefing's HTML
 * pages (etl/briefing/site-briefing.ts), which the patrol page links under their hashed names.
 */
const DATA_EXTENSIONS = [".json", ".html"];

/** A page's registration of one data file, as Observable Framework writes it into the built HTML. */
const REGISTRATION = /registerFile\("(\.\/data\/[^"]+)", (\{[^}]*\})\)/g;

/**
 * Publishes freshly written dashboard data files (the JSON and briefing pages the publish stage wrote into `dataDir`)
 * to the dashboard's bucket. The built site references each data file by a content-hashed name
 * (`_file/data/meta.<hash>.json`, registered in every page with `registerFile`), so each file is
 * uploaded under the hash of its new content (cacheable forever), and then every page at the site
 * root that registers a data file is rewritten to point at the new name and uploaded with
 * `no-cache`. Pages go last, so a page never points at a data file that is not there yet; old data
 * files stay (a page loaded a moment ago may still ask for them; versioning lifecycle expires them).
 * Fails before uploading anything when there is nothing to publish or no page registers the data
 * (the site was never deployed, or another site is there): data no page shows is no publication,
 * and a success would be recorded as the month's run.
 */
export async function publishSite(client: S3Client, siteUrl: string, dataDir: string): Promise<SitePublishSummary> {
  const site = parseS3Url(siteUrl);
  const names = (await readdir(dataDir)).filter((n) => DATA_EXTENSIONS.includes(posix.extname(n))).sort();
  if (names.length === 0) throw new Error(`nothing to publish to ${siteUrl}: the publish stage wrote no data files into ${dataDir}`);
  const published = new Map<string, { path: string; size: number; bytes: Buffer }>();
  for (const name of names) {
    const bytes = await readFile(join(dataDir, name));
    const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 8);
    const extension = posix.extname(name);
    published.set(`./data/${name}`, { path: `./_file/data/${posix.basename(name, extension)}.${hash}${extension}`, size: bytes.length, bytes });
  }
  const now = Date.now();
  const rewritten: Array<{ key: string; page: string; html: string }> = [];
  const listed = await listObjects(client, site.bucket, site.prefix === "" ? "" : `${site.prefix}/`);
  for (const object of listed) {
    const page = relativeKey(site, object.key);
    if (page === null || page.includes("/") || !page.endsWith(".html")) continue;
    const html = await readObjectText(client, site.bucket, object.key);
    if (html === null || !registersAny(html, published)) continue;
    rewritten.push({ key: object.key, page, html: repointDataFiles(html, published, now) });
  }
  if (rewritten.length === 0) {
    throw new Error(
      `no page at the root of ${siteUrl} registers the dashboard's data files (${[...published.keys()].join(", ")}), so nothing was published: ` +
        'deploy the built site first (infra/README.md, "After the first deployment", step 1), then run the monthly task again',
    );
  }
  for (const { path, bytes } of published.values()) {
    await uploadObject(client, site.bucket, keyOf(site, path.slice(2)), bytes, { cacheControl: "public, max-age=31536000, immutable" });
  }
  for (const { key, html } of rewritten) await uploadObject(client, site.bucket, key, Buffer.from(html), { cacheControl: "no-cache" });
  return { data: [...published.values()].map((p) => p.path.slice(2)), pages: rewritten.map((r) => r.page) };
}

/** Whether a built page registers any of the data files in `published`. */
function registersAny(html: string, published: ReadonlyMap<string, unknown>): boolean {
  return [...html.matchAll(REGISTRATION)].some((match) => published.has(match[1]!));
}

/**
 * Rewrites the `registerFile("./data/<name>", {...})` calls of a built page so that each data file
 * in `published` points at its new path and size. Registrations of other files are left alone.
 */
export function repointDataFiles(html: string, published: ReadonlyMap<string, { path: string; size: number }>, lastModified: number): string {
  return html.replace(REGISTRATION, (whole, name: string, json: string) => {
    const target = published.get(name);
    if (!target) return whole;
    const entry = JSON.parse(json) as Record<string, unknown>;
    return `registerFile(${JSON.stringify(name)}, ${JSON.stringify({ ...entry, path: target.path, lastModified, size: target.size })})`;
  });
}
