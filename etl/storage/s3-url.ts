/** A lake (or any folder) in S3: the bucket and the key prefix it lives under. */
export interface S3Location {
  bucket: string;
  /** Key prefix without leading or trailing slash; "" for the bucket's root. */
  prefix: string;
}

/** Whether `value` names an S3 location (`s3://bucket[/prefix]`) rather than a local folder. */
export function isS3Url(value: string): boolean {
  return value.startsWith("s3://");
}

/**
 * Parses `s3://bucket/prefix` (prefix optional, trailing slash ignored). Throws with what was
 * expected when the bucket name is missing or not a valid S3 bucket name.
 */
export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url);
  if (!match) throw new Error(`'${url}' is not an S3 URL: expected s3://bucket/prefix`);
  const bucket = match[1]!;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new Error(`'${bucket}' in '${url}' is not a valid S3 bucket name`);
  const prefix = (match[2] ?? "").replace(/^\/+|\/+$/g, "");
  return { bucket, prefix };
}

/** The S3 key of `relative` (a lake path with forward slashes) under the location's prefix. */
export function keyOf(location: S3Location, relative: string): string {
  return location.prefix === "" ? relative : `${location.prefix}/${relative}`;
}

/** The lake path of `key`, or null when the key is not under the location's prefix. */
export function relativeKey(location: S3Location, key: string): string | null {
  if (location.prefix === "") return key;
  return key.startsWith(`${location.prefix}/`) ? key.slice(location.prefix.length + 1) : null;
}

/** `s3://bucket/prefix` of a location, for messages. */
export function formatS3Url(location: S3Location, relative = ""): string {
  const key = relative === "" ? location.prefix : keyOf(location, relative);
  return `s3://${location.bucket}/${key}`;
}
