import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { dirname, extname } from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";

/** One object as listed. */
export interface ListedObject {
  key: string;
  size: number;
  etag: string;
  lastModified: Date;
}

/** An S3 request failed after the client's retries; says which operation on which object. */
export class S3OperationError extends Error {
  constructor(operation: string, target: string, cause: unknown) {
    const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`S3 ${operation} ${target} failed: ${detail}`, { cause });
    this.name = "S3OperationError";
  }
}

/** Every object under `prefix` (all pages). */
export async function listObjects(client: S3Client, bucket: string, prefix: string): Promise<ListedObject[]> {
  const objects: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await attempt("ListObjectsV2", `s3://${bucket}/${prefix}`, () =>
      client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token })),
    );
    for (const o of page.Contents ?? []) {
      objects.push({ key: o.Key!, size: o.Size ?? 0, etag: o.ETag ?? "", lastModified: o.LastModified ?? new Date(0) });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

/**
 * Downloads an object to `path` and returns the SHA-256 of its bytes. A body that breaks off
 * mid-stream (which the SDK does not retry) is fetched again, up to three times.
 */
export async function downloadObject(client: S3Client, bucket: string, key: string, path: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  let lastError: unknown;
  for (let i = 0; i < 3; i++) {
    try {
      const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const hash = createHash("sha256");
      const tap = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          done(null, chunk);
        },
      });
      await pipeline(response.Body as Readable, tap, createWriteStream(path));
      return hash.digest("hex");
    } catch (error) {
      lastError = error;
      await rm(path, { force: true });
    }
  }
  throw new S3OperationError("GetObject", `s3://${bucket}/${key}`, lastError);
}

/** Reads a small object as text, or null when it does not exist. */
export async function readObjectText(client: S3Client, bucket: string, key: string): Promise<string | null> {
  try {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await response.Body!.transformToString("utf8");
  } catch (error) {
    if (isNotFound(error)) return null;
    throw new S3OperationError("GetObject", `s3://${bucket}/${key}`, error);
  }
}

/** A small object's bytes, the ETag of exactly those bytes and its user metadata, or null when it does not exist. */
export async function readObject(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<{ body: Buffer; etag: string; metadata: Record<string, string> } | null> {
  try {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return { body: Buffer.from(await response.Body!.transformToByteArray()), etag: response.ETag ?? "", metadata: response.Metadata ?? {} };
  } catch (error) {
    if (isNotFound(error)) return null;
    throw new S3OperationError("GetObject", `s3://${bucket}/${key}`, error);
  }
}

/** The ETag of an object, or null when it does not exist. */
export async function headETag(client: S3Client, bucket: string, key: string): Promise<string | null> {
  try {
    return (await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ETag ?? "";
  } catch (error) {
    if (isNotFound(error)) return null;
    throw new S3OperationError("HeadObject", `s3://${bucket}/${key}`, error);
  }
}

/** What an uploaded object is sent with. */
export interface UploadOptions {
  cacheControl?: string;
  contentType?: string;
  /** User metadata (`x-amz-meta-*`), e.g. a checksum the reader verifies. */
  metadata?: Record<string, string>;
}

/**
 * Uploads a file or bytes as one object. Large bodies go as a multipart upload that is aborted on
 * failure, so a failed upload never leaves a partial object: the key keeps its previous version.
 */
export async function uploadObject(client: S3Client, bucket: string, key: string, body: string | Buffer, options: UploadOptions = {}): Promise<void> {
  const upload = new Upload({
    client,
    params: {
      Bucket: bucket,
      Key: key,
      Body: typeof body === "string" ? createReadStream(body) : body,
      ContentType: options.contentType ?? contentTypeOf(key),
      ...(options.cacheControl ? { CacheControl: options.cacheControl } : {}),
      ...(options.metadata ? { Metadata: options.metadata } : {}),
    },
    partSize: 16 * 1024 * 1024,
    queueSize: 4,
    leavePartsOnError: false,
  });
  await attempt("PutObject", `s3://${bucket}/${key}`, () => upload.done());
}

/**
 * The condition of a conditional write: `ifMatch` replaces the object only while its ETag is still
 * this one; `ifNoneMatch: "*"` creates it only if no object has the key.
 */
export type WriteCondition = { ifMatch: string } | { ifNoneMatch: "*" };

/** A conditional write was refused: the object is not (or no longer) what the writer read. */
export class PreconditionFailedError extends Error {
  constructor(
    readonly target: string,
    condition: WriteCondition,
  ) {
    super(`S3 PutObject ${target} refused: ${"ifMatch" in condition ? `its ETag is no longer ${condition.ifMatch}` : "the object already exists"}`);
    this.name = "PreconditionFailedError";
  }
}

/**
 * Writes a small object only if `condition` holds, and returns the new ETag. AWS S3 checks the
 * condition atomically with the write (PutObject If-Match / If-None-Match, answering 412
 * PreconditionFailed, or 409 ConditionalRequestConflict while another conditional write of the key is
 * in flight): of two writers with the same condition, exactly one succeeds. S3-compatible servers
 * that ignore the headers (s3rver does) get the tightest check-then-write possible: the object's
 * ETag is read right before the write. The body goes in one PutObject (no multipart).
 */
export async function putObjectIf(client: S3Client, bucket: string, key: string, body: Buffer | string, condition: WriteCondition): Promise<string> {
  const target = `s3://${bucket}/${key}`;
  const current = await headETag(client, bucket, key);
  if ("ifMatch" in condition ? current !== condition.ifMatch : current !== null) throw new PreconditionFailedError(target, condition);
  try {
    const response = await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: contentTypeOf(key),
        ...("ifMatch" in condition ? { IfMatch: condition.ifMatch } : { IfNoneMatch: condition.ifNoneMatch }),
      }),
    );
    return response.ETag ?? "";
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 412 || status === 409) throw new PreconditionFailedError(target, condition);
    throw new S3OperationError("PutObject", target, error);
  }
}

/** Deletes keys (1000 per request); keys that do not exist are not an error. */
export async function deleteObjects(client: S3Client, bucket: string, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) {
    const batch = keys.slice(i, i + 1000);
    const result = await attempt("DeleteObjects", `s3://${bucket}/ (${batch.length} keys)`, () =>
      client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } })),
    );
    if (result.Errors && result.Errors.length > 0) {
      const first = result.Errors[0]!;
      throw new S3OperationError(
        "DeleteObjects",
        `s3://${bucket}/${first.Key}`,
        new Error(`${first.Code}: ${first.Message} (${result.Errors.length} keys failed)`),
      );
    }
  }
}

/** Content type by file extension (Athena and browsers do not need it, but people browsing the console do). */
export function contentTypeOf(key: string): string {
  switch (extname(key).toLowerCase()) {
    case ".json":
      return "application/json";
    case ".parquet":
      return "application/vnd.apache.parquet";
    case ".html":
      return "text/html; charset=utf-8";
    default:
      return "application/octet-stream";
  }
}

async function attempt<T>(operation: string, target: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw new S3OperationError(operation, target, error);
  }
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === "NoSuchKey" || e?.name === "NotFound" || e?.$metadata?.httpStatusCode === 404;
}
