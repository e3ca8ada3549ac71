/**
 * A real S3-compatible HTTP server on 127.0.0.1 for tests (@20minutes/s3rver, files in a temporary
 * folder), behind a small proxy that can answer chosen requests with S3's 500 InternalError, so
 * retries and failures mid-upload are tested over real HTTP. s3rver does not check SigV4 signatures
 * and its multipart ETags lack S3's `-N` suffix; nothing here depends on either.
 *
 * s3rver ignores conditional writes (PutObject If-Match / If-None-Match), which AWS S3 enforces
 * atomically. The proxy enforces them as S3 does: conditional PUTs are handled one at a time, the
 * object's current ETag is looked up and a failed condition is answered 412 PreconditionFailed.
 */
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;
const S3rver = createRequire(import.meta.url)("@20minutes/s3rver") as S3rverClass;

/** A request as the proxy saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  /** The conditional-write headers, when sent. */
  ifMatch?: string;
  ifNoneMatch?: string;
}

/** Decides per request whether the proxy answers 500 instead of forwarding. */
export type FaultRule = (request: SeenRequest) => boolean;

export interface LocalS3 {
  /** The proxy's endpoint, e.g. http://127.0.0.1:41234 (what the code under test is given). */
  endpoint: string;
  client: S3Client;
  /** Every request that reached the proxy, in order. */
  requests: SeenRequest[];
  /** Answers the next `count` requests matching `rule` (default: any) with 500 InternalError. */
  failNext(count: number, rule?: FaultRule): void;
  /** Answers every request matching `rule` with 500 until cleared (`failAlways(null)`). */
  failAlways(rule: FaultRule | null): void;
  /** Runs `action` (e.g. another writer's commit) just before the next request matching `rule` is forwarded. */
  beforeNext(rule: FaultRule, action: () => Promise<void>): void;
  createBucket(name: string): Promise<void>;
  put(bucket: string, key: string, body: string | Buffer): Promise<void>;
  get(bucket: string, key: string): Promise<Buffer | null>;
  keys(bucket: string, prefix?: string): Promise<string[]>;
  /** Environment for code that builds its own client (createS3Client). */
  env(): Record<string, string>;
  close(): Promise<void>;
}

/** Starts s3rver and the proxy on 127.0.0.1 (free ports). */
export async function startLocalS3(): Promise<LocalS3> {
  const directory = await mkdtemp(join(tmpdir(), "s3rver-"));
  const s3rver = new S3rver({ address: "127.0.0.1", port: 0, directory, silent: true, allowMismatchedSignatures: true, vhostBuckets: false });
  const upstream = await s3rver.run();
  const requests: SeenRequest[] = [];
  let once: Array<{ left: number; rule: FaultRule }> = [];
  let always: FaultRule | null = null;
  let hooks: Array<{ rule: FaultRule; action: () => Promise<void> }> = [];
  const upstreamClient = localClient(`http://127.0.0.1:${upstream.port}`);
  let conditional: Promise<unknown> = Promise.resolve();

  /** Whether a conditional PUT's condition holds now (S3's semantics; s3rver would ignore it). */
  async function conditionHolds(seen: SeenRequest): Promise<boolean> {
    const [, bucket, ...key] = seen.path.split("/");
    let etag: string | null;
    try {
      etag = (await upstreamClient.send(new HeadObjectCommand({ Bucket: bucket, Key: key.join("/") }))).ETag ?? "";
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404) throw error;
      etag = null;
    }
    if (seen.ifNoneMatch === "*" && etag !== null) return false;
    if (seen.ifMatch !== undefined && etag !== seen.ifMatch) return false;
    return true;
  }

  const proxy: Server = createServer(async (req, res) => {
    const header = (name: string) => (typeof req.headers[name] === "string" ? (req.headers[name] as string) : undefined);
    const seen: SeenRequest = { method: req.method ?? "GET", path: decodeURIComponent((req.url ?? "/").split("?")[0]!) };
    if (header("if-match") !== undefined) seen.ifMatch = header("if-match");
    if (header("if-none-match") !== undefined) seen.ifNoneMatch = header("if-none-match");
    requests.push(seen);
    const planned = once.find((f) => f.left > 0 && f.rule(seen));
    if (planned || always?.(seen)) {
      if (planned) planned.left--;
      once = once.filter((f) => f.left > 0);
      req.resume();
      res.writeHead(500, { "content-type": "application/xml" });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>injected by the test proxy</Message></Error>');
      return;
    }
    const hook = hooks.find((h) => h.rule(seen));
    if (hook) {
      hooks = hooks.filter((h) => h !== hook);
      req.pause();
      await hook.action();
    }
    const forward = () =>
      new Promise<void>((done) => {
        const upstreamRequest = request(
          { host: "127.0.0.1", port: upstream.port, method: req.method, path: req.url, headers: req.headers },
          (answer: IncomingMessage) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            answer.on("end", done);
          },
        );
        upstreamRequest.on("error", (error) => {
          res.destroy(error);
          done();
        });
        req.pipe(upstreamRequest);
      });
    if (seen.method === "PUT" && (seen.ifMatch !== undefined || seen.ifNoneMatch !== undefined) && !(req.url ?? "").includes("uploadId=")) {
      // One conditional write at a time, checked and applied as one step (as S3 does).
      const turn = conditional.then(async () => {
        if (await conditionHolds(seen)) return forward();
        req.resume();
        res.writeHead(412, { "content-type": "application/xml" });
        res.end(
          '<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>',
        );
      });
      conditional = turn.catch(() => undefined);
      await turn;
      return;
    }
    await forward();
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const client = localClient(endpoint);

  return {
    endpoint,
    client,
    requests,
    failNext(count, rule = () => true) {
      once.push({ left: count, rule });
    },
    failAlways(rule) {
      always = rule;
    },
    beforeNext(rule, action) {
      hooks.push({ rule, action });
    },
    async createBucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    async put(bucket, key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    async get(bucket, key) {
      try {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return Buffer.from(await response.Body!.transformToByteArray());
      } catch (error) {
        if ((error as { name?: string }).name === "NoSuchKey") return null;
        throw error;
      }
    },
    async keys(bucket, prefix = "") {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        keys.push(...(page.Contents ?? []).map((o) => o.Key!));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
    env() {
      return localS3Env(endpoint);
    },
    async close() {
      client.destroy();
      upstreamClient.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      proxy.closeAllConnections();
      await s3rver.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** Environment variables that point createS3Client (and the AWS SDK) at a local server. */
export function localS3Env(endpoint: string): Record<string, string> {
  return {
    HOTSPOTS_S3_ENDPOINT: endpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
  };
}

/** An SDK client for a local server (path-style, fixed test credentials). */
export function localClient(endpoint: string, maxAttempts = 3): S3Client {
  return new S3Client({
    endpoint,
    forcePathStyle: true,
    region: "us-east-1",
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    maxAttempts,
  });
}

/** An endpoint where nothing listens: connections are refused at once. */
export async function deadEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** The S3 notification Lambda receives when `key` is put into `bucket` (keys URL-encoded as S3 sends them). */
export function objectCreatedEvent(bucket: string, key: string) {
  const encoded = key
    .split("/")
    .map((part) => encodeURIComponent(part).replace(/%20/g, "+"))
    .join("/");
  return {
    Records: [
      { eventVersion: "2.1", eventSource: "aws:s3", eventName: "ObjectCreated:Put", s3: { bucket: { name: bucket }, object: { key: encoded, size: 1 } } },
    ],
  };
}
