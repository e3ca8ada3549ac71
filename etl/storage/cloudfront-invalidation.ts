import { createHash, createHmac, randomUUID, type Hash, type Hmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentityProvider, Checksum, SourceData } from "@smithy/types";

/** Removes paths from a CDN's edge caches; resolves to the invalidation's id. */
export type SiteCacheInvalidator = (paths: readonly string[]) => Promise<string>;

/** CloudFront's API is global: one endpoint, signed for us-east-1. */
const ENDPOINT = { hostname: "cloudfront.amazonaws.com", region: "us-east-1", version: "2020-05-31" } as const;

/**
 * CloudFront's CreateInvalidation for one distribution, as a signed HTTPS request: the project has
 * S3's SDK client only, and CloudFront's would be a dependency for this one call. The request is
 * signed with the SDK's own SigV4 signer and the S3 client's credentials (the Lambda role);
 * `fetch` is injectable for tests. A non-2xx answer throws with CloudFront's error code and message.
 */
export function cloudFrontInvalidator(distributionId: string, credentials: AwsCredentialIdentityProvider, send: typeof fetch = fetch): SiteCacheInvalidator {
  const signer = new SignatureV4({ credentials, region: ENDPOINT.region, service: "cloudfront", sha256: NodeSha256 });
  return async (paths) => {
    const body = invalidationBatch(paths, randomUUID());
    const path = `/${ENDPOINT.version}/distribution/${encodeURIComponent(distributionId)}/invalidation`;
    const signed = await signer.sign({
      method: "POST",
      protocol: "https:",
      hostname: ENDPOINT.hostname,
      path,
      query: {},
      headers: { host: ENDPOINT.hostname, "content-type": "text/xml" },
      body,
    });
    const response = await send(`https://${ENDPOINT.hostname}${path}`, { method: "POST", headers: signed.headers, body });
    const text = await response.text();
    if (!response.ok) {
      const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1];
      throw new Error(
        `CloudFront CreateInvalidation on distribution ${distributionId} answered ${response.status}: ${field("Code") ?? ""} ${field("Message") ?? text.slice(0, 200)}`.trim(),
      );
    }
    const id = /<Id>([^<]+)<\/Id>/.exec(text)?.[1];
    if (id === undefined) throw new Error(`CloudFront CreateInvalidation on distribution ${distributionId} answered without an invalidation id`);
    return id;
  };
}

/** The CreateInvalidation request body (CloudFront API 2020-05-31). */
export function invalidationBatch(paths: readonly string[], callerReference: string): string {
  const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<InvalidationBatch xmlns="http://cloudfront.amazonaws.com/doc/${ENDPOINT.version}/">` +
    `<Paths><Quantity>${paths.length}</Quantity><Items>${paths.map((p) => `<Path>${escape(p)}</Path>`).join("")}</Items></Paths>` +
    `<CallerReference>${escape(callerReference)}</CallerReference>` +
    `</InvalidationBatch>`
  );
}

/** SHA-256 (an HMAC when given a secret) from node:crypto, in the shape the SigV4 signer takes. */
class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }

  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash("sha256");
    const s = this.secret;
    const key = typeof s === "string" ? s : ArrayBuffer.isView(s) ? Buffer.from(s.buffer, s.byteOffset, s.byteLength) : Buffer.from(s);
    return createHmac("sha256", key);
  }
}
