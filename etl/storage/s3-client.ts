import { S3Client } from "@aws-sdk/client-s3";

/** How to reach S3; every field falls back to the environment (see {@link createS3Client}). */
export interface S3ClientOptions {
  /** A custom endpoint (an S3-compatible server, e.g. `http://127.0.0.1:4568`); AWS S3 when omitted. */
  endpoint?: string;
  region?: string;
  /** Attempts per request, retries of throttling, 5xx and network errors included. */
  maxAttempts?: number;
}

/**
 * An S3 client for the lake. The endpoint comes from `options.endpoint`, else `HOTSPOTS_S3_ENDPOINT`,
 * else `AWS_ENDPOINT_URL_S3`; with a custom endpoint, path-style addressing is used (local servers
 * have no per-bucket host names). Requests are retried with the SDK's standard backoff
 * (`HOTSPOTS_S3_MAX_ATTEMPTS`, default 5 attempts), so a server answering 500s or briefly down is
 * retried before an operation fails. Credentials come from the SDK's default chain (the Lambda role).
 */
export function createS3Client(options: S3ClientOptions = {}, env: NodeJS.ProcessEnv = process.env): S3Client {
  const endpoint = options.endpoint ?? env.HOTSPOTS_S3_ENDPOINT ?? env.AWS_ENDPOINT_URL_S3;
  const maxAttempts = options.maxAttempts ?? positiveInteger(env.HOTSPOTS_S3_MAX_ATTEMPTS, "HOTSPOTS_S3_MAX_ATTEMPTS") ?? 5;
  return new S3Client({
    region: options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1",
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    followRegionRedirects: true,
    maxAttempts,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 120_000 },
  });
}

function positiveInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, not '${value}'`);
  return n;
}
