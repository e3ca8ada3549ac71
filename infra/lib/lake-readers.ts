import { Duration, Stack } from "aws-cdk-lib";
import { AccountRootPrincipal, Effect, type IRole, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { Key } from "aws-cdk-lib/aws-kms";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { TABLES } from "../../etl/lake/tables.ts";
import { ATHENA_RESULT_PREFIXES, LAKE_TABLES } from "./lake-catalog.ts";
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

/** What a role needs to run queries in an Athena workgroup and read their results. */
const ATHENA_QUERY_ACTIONS = [
  "athena:StartQueryExecution",
  "athena:StopQueryExecution",
  "athena:GetQueryExecution",
  "athena:GetQueryResults",
  "athena:GetWorkGroup",
  "athena:ListNamedQueries",
  "athena:GetNamedQuery",
  "athena:BatchGetNamedQuery",
];

/** What Athena needs of the Glue catalogue to plan a query over a table. */
const GLUE_READ_ACTIONS = ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions"];

/** Adds an Allow statement to `role`'s policy: actions on resources, under conditions where given. */
function allowing(role: Role) {
  return (actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
    role.addToPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions, resources, ...(conditions ? { conditions } : {}) }));
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
    const allow = allowing(this.role);
    allow(ATHENA_QUERY_ACTIONS, [arn("athena", `workgroup/${props.workGroupName}`)]);
    allow(GLUE_READ_ACTIONS, [
      arn("glue", "catalog"),
      arn("glue", `database/${props.databaseName}`),
      ...analystTables().map((t) => arn("glue", `table/${props.databaseName}/${t.name}`)),
    ]);
    allow(["s3:ListBucket"], [props.curated.bucketArn], { StringLike: { "s3:prefix": ANALYST_FOLDERS.map((f) => `${props.lakePrefix}/${f}/*`) } });
    allow(
      ["s3:GetObject"],
      ANALYST_FOLDERS.map((f) => props.curated.arnForObjects(`${props.lakePrefix}/${f}/*`)),
    );
    allow(["s3:GetBucketLocation", "s3:ListBucket"], [props.results.bucketArn]);
    allow(["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"], [props.results.arnForObjects(`${ATHENA_RESULT_PREFIXES.analysts}/*`)]);
    allow(["kms:Decrypt", "kms:GenerateDataKey"], [props.key.keyArn], { StringEquals: { "kms:ViaService": `s3.${stack.region}.amazonaws.com` } });
    acknowledge(
      this.role,
      [
        ...ANALYST_FOLDERS.map((f) => wildcardResource(props.curated, `/${props.lakePrefix}/${f}/*`)),
        wildcardResource(props.results, `/${ATHENA_RESULT_PREFIXES.analysts}/*`),
      ],
      "Athena reads every Parquet file of the incident, aggregate (cell_counts, day_counts) and hot-spot folders and writes a result file per query: object keys are created at run time. " +
        "The quarantine folder, the raw exports and the site are not granted; no action is a wildcard.",
    );
  }
}

/** What else the lake key encrypts: the ETL function's dead-letter queue and log group. */
export interface LakeKeyOtherUses {
  /** Who sends to the dead-letter queue (the ETL function, the schedules), and who reads it (the maintainers). */
  deadLetterSenders: IRole[];
  deadLetterReaders: IRole[];
  /** The ETL log group's ARN as CloudWatch Logs puts it in the encryption context (`arn:…:log-group:<name>`). */
  etlLogGroupArn: string;
}

/**
 * What CloudWatch Logs does with a log group's key (AWS's documented key policy for log groups, its
 * Encrypt*, Decrypt*, ReEncrypt*, GenerateDataKey* and Describe* spelled out action by action).
 */
const LOGS_KEY_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyPair",
  "kms:GenerateDataKeyPairWithoutPlaintext",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:DescribeKey",
];

/**
 * The lake key's policy: the account (its administrators, through IAM) manages the key but cannot
 * decrypt with it; the roles named here use it, each through S3 only: the ETL function, the analyst
 * role, the maintainer role (assumed with MFA) and the export uploaders (whose role can write raw exports and nothing else, so the
 * decryption S3 needs to complete their multipart uploads reads nothing). Anyone else with broad S3
 * and KMS rights in the account reads nothing encrypted with it. Changing this policy (kms:PutKeyPolicy) stays with the
 * account, so access is never locked out, and every change is a CloudTrail management event.
 * Besides S3, the key encrypts the dead-letter queue (its senders and readers use it through SQS
 * only) and the ETL function's log group (CloudWatch Logs of this region, for that log group only:
 * the encryption-context condition AWS documents).
 */
export function lakeKeyPolicy(key: Key, readers: { etl: IRole; analysts: IRole; uploaders: IRole; maintainers: IRole }, otherUses: LakeKeyOtherUses): void {
  const region = Stack.of(key).region;
  const viaS3 = { "kms:ViaService": `s3.${region}.amazonaws.com` };
  const viaSqs = { "kms:ViaService": `sqs.${region}.amazonaws.com` };
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: "SendDeadLettersThroughSqs",
      principals: otherUses.deadLetterSenders,
      actions: ["kms:GenerateDataKey", "kms:Decrypt"],
      resources: ["*"],
      conditions: { StringEquals: viaSqs },
    }),
  );
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: "ReadDeadLettersThroughSqs",
      principals: otherUses.deadLetterReaders,
      actions: ["kms:Decrypt"],
      resources: ["*"],
      conditions: { StringEquals: viaSqs },
    }),
  );
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: "EtlLogsThroughCloudWatchLogs",
      principals: [new ServicePrincipal(`logs.${region}.amazonaws.com`)],
      actions: LOGS_KEY_ACTIONS,
      resources: ["*"],
      conditions: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": otherUses.etlLogGroupArn } },
    }),
  );
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: "DecryptLakeEtlAnalystsMaintainers",
      principals: [readers.etl, readers.analysts, readers.maintainers],
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

export interface LakeMaintainerRoleProps {
  curated: IBucket;
  raw: IBucket;
  results: IBucket;
  key: Key;
  prefixes: { lake: string; publishState: string; raw: string };
  databaseName: string;
  maintenanceWorkGroupName: string;
  /** The ETL function's dead-letter queue, encrypted with the lake key: the maintainers read and replay it. */
  deadLetterQueue?: IQueue;
}

/**
 * The role a maintainer assumes, with MFA, to run the CLI on the deployed lake from a workstation
 * (`hotspots --lake s3://… check --repair`, `ingest … --replace`: the recoveries the function's
 * refusals print) and to read what the analysts may not: the quarantine's raw lines. It may do on
 * the lake and the publish state what the ETL function does, read (not change) the raw exports, and
 * query every lake table with Athena in a workgroup of its own, whose results go under their own
 * prefix of the results bucket: the analysts' role reads `results/*` only, so a query over the
 * quarantine never lands where they can read it. Not the site, not the uploads. Without it nobody
 * could decrypt the lake: the key policy lets the account manage the key, not use it.
 */
export class LakeMaintainerRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: LakeMaintainerRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const arn = (service: string, resource: string) => stack.formatArn({ service, resource });
    this.role = new Role(this, "Role", {
      assumedBy: new AccountRootPrincipal().withConditions({ Bool: { "aws:MultiFactorAuthPresent": "true" } }),
      description: "Maintainers (MFA): the CLI on the S3 lake (repair, re-ingest), the quarantine, Athena in the maintenance workgroup",
      maxSessionDuration: Duration.hours(1),
    });
    const allow = allowing(this.role);
    const { lake, publishState, raw } = props.prefixes;
    const maintenanceResults = ATHENA_RESULT_PREFIXES.maintainers;
    // Unconditional listing, as the function has it: without it S3 answers a missing key with 403, not 404.
    allow(["s3:ListBucket"], [props.curated.bucketArn, props.raw.bucketArn]);
    allow(
      ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
      [props.curated.arnForObjects(`${lake}/*`), props.curated.arnForObjects(`${publishState}/*`)],
    );
    allow(["s3:GetObject"], [props.raw.arnForObjects(`${raw}/*`)]);
    allow(ATHENA_QUERY_ACTIONS, [arn("athena", `workgroup/${props.maintenanceWorkGroupName}`)]);
    allow(GLUE_READ_ACTIONS, [
      arn("glue", "catalog"),
      arn("glue", `database/${props.databaseName}`),
      ...LAKE_TABLES.map((t) => arn("glue", `table/${props.databaseName}/${t.name}`)),
    ]);
    allow(["s3:GetBucketLocation", "s3:ListBucket"], [props.results.bucketArn]);
    allow(["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"], [props.results.arnForObjects(`${maintenanceResults}/*`)]);
    allow(["kms:Decrypt", "kms:GenerateDataKey"], [props.key.keyArn], { StringEquals: { "kms:ViaService": `s3.${stack.region}.amazonaws.com` } });
    if (props.deadLetterQueue) {
      // Failed events to replay (infra/README.md, Operations): nobody else can decrypt the queue's messages.
      allow(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], [props.deadLetterQueue.queueArn]);
      allow(["kms:Decrypt"], [props.key.keyArn], { StringEquals: { "kms:ViaService": `sqs.${stack.region}.amazonaws.com` } });
    }
    acknowledge(
      this.role,
      [
        wildcardResource(props.curated, `/${lake}/*`),
        wildcardResource(props.curated, `/${publishState}/*`),
        wildcardResource(props.raw, `/${raw}/*`),
        wildcardResource(props.results, `/${maintenanceResults}/*`),
      ],
      "A maintainer repairs and re-ingests the lake with the CLI (object keys are created at run time, as for the ETL function), reads raw exports to re-ingest them, " +
        "and queries every lake table (the quarantine included) in the maintenance workgroup, whose results the analysts cannot read. Assumed with MFA; no action is a wildcard.",
    );
  }
}

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
