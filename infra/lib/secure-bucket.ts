import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type BucketProps } from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";

/** Options that differ between the lake's buckets. */
export interface SecureBucketProps {
  /** Where this bucket's server access logs go; omitted only for the log bucket itself. */
  accessLogs?: Bucket;
  /** Expire objects after this many days (raw uploads); kept forever when omitted. */
  expireAfterDays?: number;
}

/**
 * An S3 bucket with the properties every bucket of this product must have: encrypted at rest,
 * reachable only over TLS, never public, versioned (an overwritten month can be recovered), and
 * retained when the stack is deleted — incident data is not something a stack update may drop.
 */
export class SecureBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: SecureBucketProps = {}) {
    super(scope, id);
    const base: BucketProps = {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(props.accessLogs ? { serverAccessLogsBucket: props.accessLogs, serverAccessLogsPrefix: `${id.toLowerCase()}/` } : {}),
      ...(props.expireAfterDays
        ? { lifecycleRules: [{ expiration: Duration.days(props.expireAfterDays), noncurrentVersionExpiration: Duration.days(30) }] }
        : {}),
    };
    this.bucket = new Bucket(this, "Bucket", base);
  }
}
