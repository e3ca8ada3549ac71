import { Duration, RemovalPolicy } from "aws-cdk-lib";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type BucketProps, type LifecycleRule } from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";

/** How long objects are kept: the current version, then an overwritten or deleted one. */
export interface Retention {
  expireAfterDays: number;
  noncurrentVersionDays: number;
}

/** Options that differ between the product's buckets. */
export interface SecureBucketProps {
  /** Where this bucket's server access logs go; omitted only for log buckets themselves. */
  accessLogs?: Bucket;
  /** Expire objects after this many days (raw uploads, logs, query results); kept forever when omitted. */
  expireAfterDays?: number;
  /** Expire overwritten and deleted versions after this many days (default 30). */
  noncurrentVersionDays?: number;
  /** Expire the objects under these prefixes (`lake/quarantine/`) sooner than the rest of the bucket. */
  prefixRetention?: ReadonlyArray<{ prefix: string } & Retention>;
  /** Encrypt with this customer-managed KMS key (incident data); S3-managed keys when omitted. */
  encryptionKey?: IKey;
  /**
   * Object ownership. Every bucket enforces bucket-owner ownership (ACLs disabled) except the
   * CloudFront log bucket: CloudFront's standard logs are delivered with an ACL grant.
   */
  objectOwnership?: ObjectOwnership;
}

/**
 * An S3 bucket with the properties every bucket of this product must have: encrypted at rest,
 * reachable only over TLS, never public, versioned (an overwritten month can be recovered; old
 * versions expire), and retained when the stack is deleted — incident data is not something a stack
 * update may drop.
 */
export class SecureBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: SecureBucketProps = {}) {
    super(scope, id);
    const lifecycleRules: LifecycleRule[] = [
      {
        id: "expire-old-versions",
        noncurrentVersionExpiration: Duration.days(props.noncurrentVersionDays ?? 30),
        abortIncompleteMultipartUploadAfter: Duration.days(2),
        ...(props.expireAfterDays ? { expiration: Duration.days(props.expireAfterDays) } : {}),
      },
      ...(props.prefixRetention ?? []).map(({ prefix, expireAfterDays, noncurrentVersionDays }) => ({
        id: `expire-${prefix.replace(/[^A-Za-z0-9]+/g, "-").replace(/-$/, "")}`,
        prefix,
        expiration: Duration.days(expireAfterDays),
        // Overlapping rules: S3 applies the shorter expiry, so this one's noncurrent days hold under the prefix.
        noncurrentVersionExpiration: Duration.days(noncurrentVersionDays),
      })),
    ];
    const base: BucketProps = {
      ...(props.encryptionKey
        ? { encryption: BucketEncryption.KMS, encryptionKey: props.encryptionKey, bucketKeyEnabled: true }
        : { encryption: BucketEncryption.S3_MANAGED }),
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: props.objectOwnership ?? ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules,
      ...(props.accessLogs ? { serverAccessLogsBucket: props.accessLogs, serverAccessLogsPrefix: `${id.toLowerCase()}/` } : {}),
    };
    this.bucket = new Bucket(this, "Bucket", base);
  }
}
