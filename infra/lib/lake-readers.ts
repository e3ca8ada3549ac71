import { Stack } from "aws-cdk-lib";
import { AccountRootPrincipal, Effect, type IRole, PolicyStatement, Role } from "aws-cdk-lib/aws-iam";
import type { Key } from "aws-cdk-lib/aws-kms";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { TABLES } from "../../etl/lake/tables.ts";
import { LAKE_TABLES } from "./lake-catalog.ts";
import { acknowledge, wildcardResource } from "./nag.ts";

/**
 * The lake folders an analyst reads: incidents, their aggregates (cell_counts, day_counts: what the
 * monthly run counts from, and the cheap way to query a national lake) and hot spots. Quarantined raw
 * lines are not among them.
 */
export const ANALYST_TABLES = [TABLES.incidents, TABLES.cell_counts, TABLES.day_counts, TABLES.hot_spots] as const;
export const ANALYST_FOLDERS = ANALYST_TABLES.map((t) => t.folder);

/** The Glue tables over those folders. */
export const analystTables = () => LAKE_TABLES.filter((t) => ANALYST_FOLDERS.includes(t.folder));

export interface LakeReaderRoleProps {
  curated: IBucket;
  lakePrefix: string;
  results: IBucket;
  key: Key;
  databaseName: string;
  workGroupName: string;
}

/**
 * The role analysts assume to query the lake with Athena, and nothing more: run queries in this
 * stack's workgroup, read this stack's Glue database and tables, read the incident, aggregate and
 * hot-spot files (not the quarantine, whose raw lines may hold anything an export contained), write query
 * results to the results bucket, and use the lake's key only through S3. Who may assume it is
 * decided in IAM by the account's administrators (the trust is this account); the key policy names
 * the role (see lakeKeyPolicy).
 */
export class LakeReaderRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: LakeReaderRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const arn = (service: string, resource: string) => stack.formatArn({ service, resource });
    this.role = new Role(this, "Role", {
      assumedBy: new AccountRootPrincipal(),
      description: "Analysts: Athena queries over the hot-spot lake (incidents, cell and day counts, hot spots), results in the workgroup's bucket",
    });
    const allow = (actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
      this.role.addToPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions, resources, ...(conditions ? { conditions } : {}) }));
    allow(
      [
        "athena:StartQueryExecution",
        "athena:StopQueryExecution",
        "athena:GetQueryExecution",
        "athena:GetQueryResults",
        "athena:GetWorkGroup",
        "athena:ListNamedQueries",
        "athena:GetNamedQuery",
        "athena:BatchGetNamedQuery",
      ],
      [arn("athena", `workgroup/${props.workGroupName}`)],
    );
    allow(
      ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions"],
      [
        arn("glue", "catalog"),
        arn("glue", `database/${props.databaseName}`),
        ...analystTables().map((t) => arn("glue", `table/${props.databaseName}/${t.name}`)),
      ],
    );
    allow(["s3:ListBucket"], [props.curated.bucketArn], { StringLike: { "s3:prefix": ANALYST_FOLDERS.map((f) => `${props.lakePrefix}/${f}/*`) } });
    allow(
      ["s3:GetObject"],
      ANALYST_FOLDERS.map((f) => props.curated.arnForObjects(`${props.lakePrefix}/${f}/*`)),
    );
    allow(["s3:GetBucketLocation", "s3:ListBucket"], [props.results.bucketArn]);
    allow(["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"], [props.results.arnForObjects("results/*")]);
    allow(["kms:Decrypt", "kms:GenerateDataKey"], [props.key.keyArn], { StringEquals: { "kms:ViaService": `s3.${stack.region}.amazonaws.com` } });
    acknowledge(
      this.role,
      [...ANALYST_FOLDERS.map((f) => wildcardResource(props.curated, `/${props.lakePrefix}/${f}/*`)), wildcardResource(props.results, "/results/*")],
      "Athena reads every Parquet file of the incident, aggregate (cell_counts, day_counts) and hot-spot folders and writes a result file per query: object keys are created at run time. " +
        "The quarantine folder, the raw exports and the site are not granted; no action is a wildcard.",
    );
  }
}

/**
 * The lake key's policy: the account (its administrators, through IAM) manages the key but cannot
 * decrypt with it; the roles named here use it, each through S3 only: the ETL function, the analyst
 * role and the export uploaders (whose role can write raw exports and nothing else, so the
 * decryption S3 needs to complete their multipart uploads reads nothing). Anyone else with broad S3
 * and KMS rights in the account reads nothing encrypted with it. Changing this policy (kms:PutKeyPolicy) stays with the
 * account, so access is never locked out, and every change is a CloudTrail management event.
 */
export function lakeKeyPolicy(key: Key, readers: { etl: IRole; analysts: IRole; uploaders: IRole }): void {
  const region = Stack.of(key).region;
  const viaS3 = { "kms:ViaService": `s3.${region}.amazonaws.com` };
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: "DecryptLakeEtlAndAnalysts",
      principals: [readers.etl, readers.analysts],
      actions: ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
      resources: ["*"],
      conditions: { StringEquals: viaS3 },
    }),
  );
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: "UploadRawExports",
      principals: [readers.uploaders],
      // S3 needs kms:Decrypt too to complete a multipart upload (aws s3 cp splits files over 8 MiB).
      actions: ["kms:GenerateDataKey", "kms:Decrypt"],
      resources: ["*"],
      conditions: { StringEquals: viaS3 },
    }),
  );
}

/** What the account may do with the key without any role named above: manage it, not use it. */
export const KEY_ADMIN_ACTIONS = [
  "kms:Create*",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:RotateKeyOnDemand",
] as const;

/**
 * The role that uploads police exports: it may put objects under `raw/` of the raw bucket (multipart
 * included) and nothing else — not read them back, not list the lake.
 */
export class ExportUploaderRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: { raw: IBucket; rawPrefix: string }) {
    super(scope, id);
    this.role = new Role(this, "Role", {
      assumedBy: new AccountRootPrincipal(),
      description: "Uploads police exports to the raw bucket (raw/<source-id>/...), nothing else",
    });
    this.role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ["s3:PutObject", "s3:AbortMultipartUpload"],
        resources: [props.raw.arnForObjects(`${props.rawPrefix}/*`)],
      }),
    );
    acknowledge(
      this.role,
      [wildcardResource(props.raw, `/${props.rawPrefix}/*`)],
      "Exports are uploaded under raw/<source-id>/<file>, names chosen at upload time; put only, no wildcard action.",
    );
  }
}
