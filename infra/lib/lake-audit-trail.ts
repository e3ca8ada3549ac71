import { ReadWriteType, Trail } from "aws-cdk-lib/aws-cloudtrail";
import type { Bucket, IBucket } from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { SecureBucket } from "./secure-bucket.ts";

export interface LakeAuditTrailProps {
  curated: IBucket;
  lakePrefix: string;
  accessLogs: Bucket;
}

/**
 * Optional (`-c lakeDataEvents=true`): a CloudTrail trail of S3 data events on the curated lake —
 * who read, wrote or deleted which incident file, when, from where. The key's own CloudTrail events
 * do not say this: with S3 bucket keys, S3 asks KMS for a bucket-level key once in a while, not per
 * object. Management events are left to the account's own trail (a second copy would be billed).
 * Cost: USD 0.10 per 100,000 data events delivered (eu-north-1, 2026) plus the log storage; each file
 * an Athena query, the ETL or a person reads or writes is one event. The monthly run and a year of
 * daily ingests on a county lake are a few thousand events a month; a national lake queried daily by
 * Athena (10 years × 12 months × a few sources ≈ 1,000 files per full scan) is about 30,000 events
 * per daily full-scan query a month: cents to a few dollars a month.
 */
export class LakeAuditTrail extends Construct {
  readonly trail: Trail;
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: LakeAuditTrailProps) {
    super(scope, id);
    this.bucket = new SecureBucket(this, "Logs", { accessLogs: props.accessLogs, expireAfterDays: 365 * 2 }).bucket;
    this.trail = new Trail(this, "Trail", {
      bucket: this.bucket,
      enableFileValidation: true,
      includeGlobalServiceEvents: false,
      isMultiRegionTrail: false,
      managementEvents: ReadWriteType.NONE,
      sendToCloudWatchLogs: false,
    });
    this.trail.addS3EventSelector([{ bucket: props.curated, objectPrefix: `${props.lakePrefix}/` }], {
      readWriteType: ReadWriteType.ALL,
      includeManagementEvents: false,
    });
  }
}
