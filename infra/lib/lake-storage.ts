import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import { AccountRootPrincipal, PolicyDocument, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { Construct } from "constructs";
import { RAW_RETENTION as LAKE_RAW_RETENTION } from "../../etl/lake/retention.ts";
import { TABLES } from "../../etl/lake/tables.ts";
import { KEY_ADMIN_ACTIONS } from "./lake-readers.ts";
import { SecureBucket, type Retention } from "./secure-bucket.ts";

/** Key prefixes inside the buckets. */
export const LAKE_PREFIXES = {
  /** Raw exports: `raw/<source-id>/<file>` in the raw bucket. */
  raw: "raw",
  /** The curated lake: `lake/manifest.json`, `lake/incidents/month=…/…` in the curated bucket. */
  lake: "lake",
  /**
   * What one monthly publish keeps for the next (`publish-state/.state/…`, `publish-state/hotspots.json`;
   * etl/storage/s3-publish-state.ts) in the curated bucket: beside the lake, not in it, so no lake
   * reader, mirror or orphan sweep sees it; encrypted with the lake's key, since it holds sums before suppression.
   */
  publishState: "publish-state",
} as const;

/** How long a raw export, and the quarantine file of its rows, is kept: etl/lake/retention.ts, which `hotspots check` reads too. */
export const RAW_RETENTION: Retention = LAKE_RAW_RETENTION;

/**
 * Storage of the lake: the raw bucket where exports are uploaded (expired after RAW_RETENTION), the curated bucket holding the Parquet lake, both encrypted with a
 * customer-managed, yearly rotated KMS key (incident records are personal data under the Law
 * Enforcement Directive), and the bucket that receives every bucket's server access logs. The key's
 * policy starts with administration only; the roles that may decrypt are named by lakeKeyPolicy
 * once they exist.
 */
export class LakeStorage extends Construct {
  readonly key: Key;
  readonly accessLogs: SecureBucket;
  readonly raw: SecureBucket;
  readonly curated: SecureBucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new Key(this, "LakeKey", {
      description: "Encrypts the raw exports, the curated lake and Athena query results",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
      policy: new PolicyDocument({
        statements: [
          new PolicyStatement({ sid: "AdministerKeyNotUseIt", principals: [new AccountRootPrincipal()], actions: [...KEY_ADMIN_ACTIONS], resources: ["*"] }),
        ],
      }),
    });
    // S3 server access logging only delivers to SSE-S3 buckets, hence no KMS key here.
    this.accessLogs = new SecureBucket(this, "AccessLogs", { expireAfterDays: 365 });
    Validations.of(this.accessLogs).acknowledge({
      id: "AwsSolutions-S1",
      reason: "This is the access-log bucket: logging it into itself would log every log delivery, recursively.",
    });
    this.raw = new SecureBucket(this, "Raw", { accessLogs: this.accessLogs.bucket, encryptionKey: this.key, ...RAW_RETENTION });
    this.curated = new SecureBucket(this, "Curated", {
      accessLogs: this.accessLogs.bucket,
      encryptionKey: this.key,
      noncurrentVersionDays: 90,
      prefixRetention: [{ prefix: `${LAKE_PREFIXES.lake}/${TABLES.quarantine.folder}/`, ...RAW_RETENTION }],
    });
  }
}
