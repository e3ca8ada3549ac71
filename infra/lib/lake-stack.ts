import { Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { SecureBucket } from "./secure-bucket.ts";

/**
 * Storage of the lake: a raw bucket where exports are uploaded (expired after a year: the curated
 * lake is the record), the curated bucket holding the Parquet lake, and a bucket for access logs.
 * The ETL functions, schedules and dashboard hosting build on these (deployment issue).
 */
export class LakeStack extends Stack {
  readonly raw: SecureBucket;
  readonly curated: SecureBucket;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const logs = new SecureBucket(this, "AccessLogs", { expireAfterDays: 365 });
    this.raw = new SecureBucket(this, "Raw", { accessLogs: logs.bucket, expireAfterDays: 365 });
    this.curated = new SecureBucket(this, "Curated", { accessLogs: logs.bucket });
  }
}
