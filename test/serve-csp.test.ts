/**
 * The local server sends the dashboard's Content-Security-Policy on every response, the one
 * CloudFront sends (infra/lib/site-hosting.ts; asserted in infra-stack.test.ts): the end-to-end tests,
 * whose pages fail on any console error (a refused script or style is one), so run under it.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY } from "../dashboard/scripts/content-security-policy.ts";
import { serveStatic, type StaticServer } from "../dashboard/scripts/serve.ts";

let dir: string;
let server: StaticServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "serve-csp-"));
  await writeFile(join(dir, "index.html"), "<!doctype html><title>t</title>");
  server = await serveStatic(dir, 0);
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

it("pages, and a missing file's answer, carry the policy", async () => {
  for (const path of ["", "index", "missing.js"]) {
    const response = await fetch(`${server.url}${path}`);
    expect(response.headers.get("content-security-policy"), path).toBe(CONTENT_SECURITY_POLICY);
  }
});
