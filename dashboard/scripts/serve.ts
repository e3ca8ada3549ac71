/**
 * Serves a built dashboard (or any static folder) on 127.0.0.1 only, with `sirv` behind `node:http`.
 * Clean URLs work: `/hotspots` serves `hotspots.html`, as Framework links its pages. Every response
 * carries the Content-Security-Policy CloudFront sends (content-security-policy.ts).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import sirv from "sirv";
import { CONTENT_SECURITY_POLICY } from "./content-security-policy.ts";

/** A running static server. */
export interface StaticServer {
  /** Base URL, e.g. "http://127.0.0.1:3000/". */
  url: string;
  port: number;
  close(): Promise<void>;
  /** The base URL, so that `${server}` prints the address. */
  toString(): string;
}

/**
 * Serves `dir` on 127.0.0.1:`port` (0 picks a free port) and resolves once it listens. Responses are
 * not cached by the browser (`dev` mode re-reads files), so a rebuilt dashboard shows at once.
 */
export function serveStatic(dir: string, port = 0): Promise<StaticServer> {
  const handler = sirv(dir, { dev: true, extensions: ["html"], etag: true });
  const server = createServer((req, res) => {
    res.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    handler(req, res, () => {
      res.statusCode = 404;
      res.setHeader("Content-Type", "text/plain; charset=utf-8");
      res.end("Not found");
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: actual } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${actual}/`,
        port: actual,
        toString: () => `http://127.0.0.1:${actual}/`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.closeAllConnections();
            server.close((error) => (error ? fail(error) : done()));
          }),
      });
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { DIST_DIR } = await import("./build.js");
  const port = Number(process.argv[2] ?? 3000);
  const { url } = await serveStatic(process.argv[3] ?? DIST_DIR, port);
  console.log(`dashboard at ${url} (Ctrl-C to stop)`);
}
