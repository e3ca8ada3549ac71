/**
 * Scans a built static site for incident-level data: any incident id, any date finer than a month in
 * the published data files, and any incident coordinate pair. A published dashboard must hold
 * aggregates only.
 */
import { readFile, readdir } from "node:fs/promises";
import { extname, join, relative } from "node:path";

/** What the scan looks for: ids and coordinate pairs of every incident in the lake. */
export interface IncidentFingerprints {
  ids: readonly string[];
  /** `lat,lon` strings at the lake's precision (6 decimals). */
  points: ReadonlySet<string>;
}

const TEXT_FILES = new Set([".html", ".js", ".json", ".css", ".csv", ".txt", ".svg", ".md"]);
// A calendar date (day precision or finer) inside a JSON string value.
const DAY_OR_FINER = /\d{4}-\d{2}-\d{2}/;
const NUMBER_PAIR = /(-?\d{1,3}\.\d{3,})\s*,\s*(-?\d{1,3}\.\d{3,})/g;

/** Every finding, as "file: what"; empty when the site is clean. */
export async function scanSiteForIncidentData(siteDir: string, fingerprints: IncidentFingerprints): Promise<string[]> {
  const findings: string[] = [];
  const idPattern = new RegExp(fingerprints.ids.map(escape).join("|"));
  for (const entry of await readdir(siteDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !TEXT_FILES.has(extname(entry.name))) continue;
    const path = join(entry.parentPath, entry.name);
    const name = relative(siteDir, path);
    const text = await readFile(path, "utf8");
    const id = fingerprints.ids.length > 0 ? text.match(idPattern) : null;
    if (id) findings.push(`${name}: incident id ${id[0]}`);
    for (const [, a, b] of text.matchAll(NUMBER_PAIR)) {
      const pair = [normalise(a!), normalise(b!)];
      if (fingerprints.points.has(pair.join(",")) || fingerprints.points.has([...pair].reverse().join(","))) {
        findings.push(`${name}: incident coordinates ${a}, ${b}`);
      }
    }
    if (extname(name) === ".json") findings.push(...finerThanMonth(name, JSON.parse(text)));
  }
  return findings;
}

/** Dates of day precision or finer in a JSON value, except the publish time of meta.json. */
function finerThanMonth(file: string, value: unknown, path = "$"): string[] {
  if (typeof value === "string") {
    const isPublishTime = /(^|\/)meta(\.[0-9a-f]+)?\.json$/.test(file) && path === "$.generated_at";
    return DAY_OR_FINER.test(value) && !isPublishTime ? [`${file}: ${path} = ${value} is finer than a month`] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => finerThanMonth(file, v, `${path}[${i}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => finerThanMonth(file, v, `${path}.${k}`));
  return [];
}

const normalise = (n: string) => Number(n).toFixed(6);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
