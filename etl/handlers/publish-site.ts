import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import { join, posix } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SiteCacheInvalidator } from "../storage/cloudfront-invalidation.ts";
import { deleteObjects, listObjects, readObjectText, uploadObject } from "../storage/s3-objects.ts";
import { keyOf, parseS3Url, relativeKey, type S3Location } from "../storage/s3-url.ts";

/** What publishing to the site bucket did. */
export interface SitePublishSummary {
  /** Data files uploaded (site-relative keys). */
  data: string[];
  /** Pages re-pointed at the new data files. */
  pages: string[];
  /** Superseded data files deleted: earlier versions of the files published that no page refers to any more. */
  deleted: string[];
  /** The CDN invalidation of the deleted files and rewritten pages (absent without a distribution to invalidate). */
  invalidation?: SiteInvalidation;
}

/** What became of the edge caches' copies of the changed paths: a failure does not fail the publish. */
export type SiteInvalidation = { status: "created"; id: string; paths: string[] } | { status: "failed"; paths: string[]; error: string };

/**
 * More paths than this are invalidated as the data folder's wildcard, counted as one path:
 * CloudFront bills invalidation paths beyond 1 000 a month.
 */
const MAX_INVALIDATION_PATHS = 100;

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
 * `no-cache`. Pages go last, so a page never points at a data file that is not there yet. Then the
 * earlier versions of the published files that no page in the bucket refers to any more are deleted
 * (deleteSuperseded): after a change that withholds more (a sensitive category, a higher threshold),
 * last month's files must not stay fetchable. The bucket's versioning lifecycle then expires them.
 * With `invalidate` (the site's CloudFront distribution), the deleted files and rewritten pages are
 * then invalidated in the edge caches (invalidateChanged; a failure is a warning in the summary).
 * Fails before uploading anything when there is nothing to publish or no page registers the data
 * (the site was never deployed, or another site is there): data no page shows is no publication,
 * and a success would be recorded as the month's run.
 */
export async function publishSite(client: S3Client, siteUrl: string, dataDir: string, invalidate?: SiteCacheInvalidator): Promise<SitePublishSummary> {
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
  const data = [...published.values()].map((p) => p.path.slice(2));
  const pages = rewritten.map((r) => r.page);
  const deleted = await deleteSuperseded(client, site, names, data);
  return { data, pages, deleted, ...(invalidate ? { invalidation: await invalidateChanged(invalidate, [...deleted, ...pages]) } : {}) };
}

/**
 * Invalidates the site paths the publish deleted or rewrote in the CDN's edge caches, which keep a
 * deleted data file (cached as immutable) until they evict it. A failure is logged as a warning and
 * returned, not thrown: the lake and the site are already written, and the run is the month's.
 */
export async function invalidateChanged(invalidate: SiteCacheInvalidator, changed: readonly string[]): Promise<SiteInvalidation> {
  const all = changed.map((key) => encodeURI(`/${key}`));
  const data = all.filter((path) => path.startsWith(`/${SITE_DATA_FOLDER}/`));
  const paths = all.length > MAX_INVALIDATION_PATHS ? [...all.filter((path) => !data.includes(path)), `/${SITE_DATA_FOLDER}/*`] : all;
  try {
    return { status: "created", id: await invalidate(paths), paths };
  } catch (error) {
    const message = (error as Error).message;
    console.warn(
      JSON.stringify({
        level: "WARN",
        message: `the CDN invalidation of ${paths.length} changed path(s) failed: edge caches may serve deleted data files until they expire; invalidate them by hand`,
        error: message,
        paths,
      }),
    );
    return { status: "failed", paths, error: message };
  }
}

/** Where the built site keeps its data files. */
const SITE_DATA_FOLDER = "_file/data";

/** A content-hashed data file's key inside the site: `_file/data/<stem>.<8 hex><extension>`. */
const HASHED_DATA_FILE = /^_file\/data\/(.+)\.[0-9a-f]{8}(\.[a-z]+)$/;
/** A data file a page refers to, wherever in the page (registerFile, a link). */
const DATA_REFERENCE = /_file\/data\/[^"'\s)?#]+/g;

/**
 * Deletes the site's earlier versions of the data files just published (`names` in the data folder;
 * `current`: their new keys) that no page refers to. Only those: a file of another name is not this
 * publish's to judge. Every HTML page in the bucket is read after the new ones are live, those the
 * publish does not repoint (in sub-folders) included, so a file a live page uses is never deleted.
 * A browser that loaded a page before the repoint and fetches a data file only now gets an error and
 * a reload. Deletion needs s3:DeleteObject on `_file/data/*` only (infra/lib/etl-function.ts).
 */
async function deleteSuperseded(client: S3Client, site: S3Location, names: readonly string[], current: readonly string[]): Promise<string[]> {
  const listed = await listObjects(client, site.bucket, site.prefix === "" ? "" : `${site.prefix}/`);
  const referenced = new Set(current);
  for (const object of listed) {
    const path = relativeKey(site, object.key);
    if (path === null || path.startsWith("_file/") || !path.endsWith(".html")) continue;
    const html = await readObjectText(client, site.bucket, object.key);
    for (const match of html?.matchAll(DATA_REFERENCE) ?? []) referenced.add(match[0]);
  }
  const superseded = listed
    .map((object) => relativeKey(site, object.key))
    .filter((path): path is string => {
      const hashed = path === null ? null : HASHED_DATA_FILE.exec(path);
      return hashed !== null && names.includes(`${hashed[1]}${hashed[2]}`) && !referenced.has(path!);
    })
    .sort();
  await deleteObjects(
    client,
    site.bucket,
    superseded.map((path) => keyOf(site, path)),
  );
  return superseded;
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
