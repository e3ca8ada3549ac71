import { ArnFormat, Duration, RemovalPolicy, Size, Stack, Validations } from "aws-cdk-lib";
import { acknowledge, wildcardResource } from "./nag.ts";
import { Effect, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IDistribution } from "aws-cdk-lib/aws-cloudfront";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime, type DestinationConfig, type IDestination, type IFunction } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import { Queue, QueueEncryption, type IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { recordedName } from "../../etl/settings.ts";
import { resolveEtlAnalysis, type EtlAnalysis } from "./etl-analysis.ts";
import { ETL_ASSET_PATHS, ETL_ENTRY, PROJECT_ROOT, etlBundling } from "./etl-bundling.ts";
import { LAKE_PREFIXES } from "./lake-storage.ts";
import { DEFAULT_LOG_RETENTION } from "./log-retention.ts";

/**
 * Sizing from a measured run of the bundled handler (test/e2e/lambda-bundle.test.ts; infra/README.md,
 * "Sizing"): ingesting the whole county history (36 282 rows) peaked at 268 MB in about 3 s, the
 * monthly analysis and publication of 84 months at 442 MB in 15–30 s, on 2 vCPUs. 2 GB gives over
 * four times that memory and about 1.2 vCPUs; 5 minutes is five to ten times the expected monthly
 * run on that CPU (the near-timeout alarm fires at 4). A national deployment overrides these
 * (`-c etlMemoryMb=… -c etlTimeoutMinutes=…`).
 */
export const ETL_SIZING = {
  memoryMb: 2048,
  timeoutMinutes: 5,
  ephemeralGb: 2,
} as const;

/** Where the built site keeps its data files (Observable Framework's `_file/data/`): the only site objects the ETL may delete. */
const SITE_DATA_PREFIX = "_file/data";

export interface EtlFunctionProps {
  raw: IBucket;
  curated: IBucket;
  site: IBucket;
  /** The distribution serving the site: the monthly publish invalidates the paths it deleted or rewrote. */
  siteDistribution?: IDistribution;
  /** The KMS key of the raw and curated buckets. */
  lakeKey: IKey;
  /** The time zone, study area, resolution, k and project configuration (default: the bundled demo's). */
  analysis?: EtlAnalysis;
  /** Default arm64 (Graviton: cheaper per GB-second); x86_64 for running the asset on a PC. */
  architecture?: Architecture;
  memoryMb?: number;
  timeoutMinutes?: number;
  ephemeralGb?: number;
  /** Recompute only the latest this many months in the monthly run (see analyse-publish.ts). */
  analyseRecentMonths?: number;
  /** How long the function's logs are kept (default DEFAULT_LOG_RETENTION, a year). */
  logRetention?: RetentionDays;
}

/**
 * The ETL Lambda function: Node.js 22 on arm64, DuckDB's native module bundled for that
 * architecture, HOME and DuckDB's home on /tmp (the only writable place), memory and timeout sized
 * from a measured run, and at most one instance at a time (reserved concurrency 1): an upload and a
 * monthly run never work on the same lake at once, so two runs cannot overwrite each other's month.
 * Failed asynchronous invocations (S3 notifications, schedules) are retried twice and then kept in
 * the dead-letter queue for 14 days, with the error, for replay.
 */
export class EtlFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly deadLetterQueue: Queue;
  readonly logGroup: LogGroup;
  /** The log group's ARN as CloudWatch Logs puts it in the key's encryption context (`…:log-group:<name>`). */
  readonly logGroupArn: string;

  constructor(scope: Construct, id: string, props: EtlFunctionProps) {
    super(scope, id);
    const architecture = props.architecture ?? Architecture.ARM_64;
    const analysis = props.analysis ?? resolveEtlAnalysis();
    // The lake's key: a failed event names the export's key and the error its row and line (lakeKeyPolicy lets the senders use it through SQS).
    this.deadLetterQueue = new Queue(this, "DeadLetterQueue", {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.lakeKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: "AwsSolutions-SQS3",
      reason: "This queue is itself the dead-letter queue: the on-failure destination of the ETL function and of its schedules.",
    });
    // Encrypted with the lake's key (the logs name exports and lines); named, so that the key policy can
    // name it in CloudWatch Logs' encryption context without a reference from the key to the group.
    const logGroupName = `/${Stack.of(this).stackName}/etl-function`;
    this.logGroupArn = Stack.of(this).formatArn({
      service: "logs",
      resource: "log-group",
      resourceName: logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.logGroup = new LogGroup(this, "Logs", {
      logGroupName,
      encryptionKey: props.lakeKey,
      retention: props.logRetention ?? DEFAULT_LOG_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const role = new Role(this, "Role", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: "ETL function: reads raw exports, writes the curated lake and the dashboard data",
    });
    this.logGroup.grantWrite(role);
    grantObjects(role, props.raw, LAKE_PREFIXES.raw, ["s3:GetObject"]);
    grantObjects(role, props.curated, LAKE_PREFIXES.lake, ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]);
    // The monthly publish's caches: read before the run, written after it (a large one as a multipart upload, aborted on failure).
    grantObjects(role, props.curated, LAKE_PREFIXES.publishState, ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]);
    grantObjects(role, props.site, null, ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"]);
    // The monthly publish deletes superseded dashboard data files (etl/handlers/publish-site.ts): there only, never a page.
    grantObjects(role, props.site, SITE_DATA_PREFIX, ["s3:DeleteObject"]);
    role.addToPolicy(new PolicyStatement({ actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [props.lakeKey.keyArn] }));
    // cloudfront:CreateInvalidation on this distribution's ARN only (etl/handlers/publish-site.ts, invalidateChanged).
    props.siteDistribution?.grantCreateInvalidation(role);

    const root = "/var/task";
    this.fn = new NodejsFunction(this, "Function", {
      description: "Hot-spot ETL: ingest raw exports into the Parquet lake; monthly Gi* and dashboard data",
      entry: ETL_ENTRY,
      handler: "handler",
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}/package-lock.json`,
      runtime: Runtime.NODEJS_22_X,
      architecture,
      memorySize: props.memoryMb ?? ETL_SIZING.memoryMb,
      timeout: Duration.minutes(props.timeoutMinutes ?? ETL_SIZING.timeoutMinutes),
      ephemeralStorageSize: Size.gibibytes(props.ephemeralGb ?? ETL_SIZING.ephemeralGb),
      // One invocation at a time: also what lets an invocation take over the lake lease its killed predecessor left (etl/storage/s3-commit.ts).
      reservedConcurrentExecutions: 1,
      role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      bundling: etlBundling(architecture, analysis),
      environment: {
        LAKE_URL: `s3://${props.curated.bucketName}/${LAKE_PREFIXES.lake}`,
        PUBLISH_STATE_URL: `s3://${props.curated.bucketName}/${LAKE_PREFIXES.publishState}`,
        RAW_URL: `s3://${props.raw.bucketName}/${LAKE_PREFIXES.raw}`,
        SITE_URL: `s3://${props.site.bucketName}`,
        ...(props.siteDistribution ? { SITE_DISTRIBUTION_ID: props.siteDistribution.distributionId } : {}),
        SOURCES_DIR: `${root}/${ETL_ASSET_PATHS.sourcesDir}`,
        ...analysisEnvironment(analysis, root),
        // The demo's context, loaded on a lake of the demo's data only; a deployment's own files go in
        // EXPOSURE_CSV / PROJECTS_JSON (handler-config.ts).
        DEMO_EXPOSURE_CSV: `${root}/${ETL_ASSET_PATHS.exposureCsv}`,
        DEMO_PROJECTS_JSON: `${root}/${ETL_ASSET_PATHS.projectsJson}`,
        HOME: "/tmp",
        DUCKDB_HOME: "/tmp",
        WORK_DIR: "/tmp",
        ...(props.analyseRecentMonths ? { ANALYSE_RECENT_MONTHS: String(props.analyseRecentMonths) } : {}),
      },
    });
    this.fn.configureAsyncInvoke({
      retryAttempts: 2,
      // With one instance at a time, a notification may wait while a monthly run finishes.
      maxEventAge: Duration.hours(6),
      onFailure: new DeadLetterDestination(this.deadLetterQueue),
    });
    acknowledge(
      role,
      [
        wildcardResource(props.raw, `/${LAKE_PREFIXES.raw}/*`),
        wildcardResource(props.curated, `/${LAKE_PREFIXES.lake}/*`),
        wildcardResource(props.curated, `/${LAKE_PREFIXES.publishState}/*`),
        wildcardResource(props.site, "/*"),
        wildcardResource(props.site, `/${SITE_DATA_PREFIX}/*`),
      ],
      "Object permissions are granted per key pattern because the objects are created at run time: the raw exports (raw/*, read only), " +
        "the lake (lake/*), the monthly publish's caches (publish-state/*) and the dashboard files (the whole site bucket; deletes only " +
        "under _file/data/*, the superseded data files). No action is a wildcard.",
    );
    acknowledge(
      this.fn,
      ["AwsSolutions-L1"],
      "Node.js 22 (LTS, supported by Lambda until 2027) is the runtime the deployment brief fixes; the test suite runs on the project's " +
        "Node.js (>= 20.19) and the bundled function was run on Node.js 22 only in the national-scale bench (arm64 under qemu). " +
        "Moving to Node.js 24, which this rule asks for, is a one-word change once the bundle has been run on it.",
    );
  }
}

/**
 * The analysis settings as the handler reads them (etl/handlers/handler-config.ts): the project
 * configuration the asset holds, and the values a deployment sets in its context, each visible in the
 * function's configuration (they are the file's too).
 */
export function analysisEnvironment(analysis: EtlAnalysis, root: string): Record<string, string> {
  const { config } = analysis;
  const area = config.study_area;
  return {
    PROJECT_CONFIG: `${root}/${ETL_ASSET_PATHS.projectConfig}`,
    // The names the lake records for the asset's copies: the files' own, where the stack is synthesised.
    PROJECT_CONFIG_NAME: recordedName(config.file),
    MUNICIPALITIES_GEOJSON_NAME: recordedName(analysis.boundaries),
    ...(config.places ? { PLACES_CSV_NAME: recordedName(config.places) } : {}),
    TIME_ZONE: config.timezone,
    H3_RESOLUTION: String(config.h3_resolution),
    GI_K: String(config.k),
    ...("hull" in area ? { STUDY_HULL: String(area.hull) } : { STUDY_MUNICIPALITIES: area.municipalities.join(";") }),
    MUNICIPALITIES_GEOJSON: `${root}/${ETL_ASSET_PATHS.municipalitiesGeoJson}`,
    PLACES_CSV: config.places ? `${root}/${ETL_ASSET_PATHS.placesCsv}` : "",
  };
}

/**
 * Lets `role` list `bucket` and act on its objects under `prefix` (all when null). Listing is not
 * narrowed by prefix: without an unconditional s3:ListBucket, S3 answers a missing key with 403
 * instead of 404, and a first run would take the lake's absent manifest for a permission error.
 */
function grantObjects(role: Role, bucket: IBucket, prefix: string | null, actions: string[]): void {
  role.addToPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ["s3:ListBucket"], resources: [bucket.bucketArn] }));
  role.addToPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions, resources: [bucket.arnForObjects(prefix ? `${prefix}/*` : "*")] }));
}

/**
 * The function's on-failure destination: the dead-letter queue, with sqs:SendMessage only. CDK's
 * SqsDestination would also grant kms:Encrypt, kms:ReEncrypt* and kms:GenerateDataKey* on the
 * queue's key; sending needs kms:GenerateDataKey and kms:Decrypt, which the role already has on the
 * lake key (and the key policy allows through SQS).
 */
class DeadLetterDestination implements IDestination {
  constructor(private readonly queue: IQueue) {}

  bind(_scope: Construct, fn: IFunction): DestinationConfig {
    fn.addToRolePolicy(new PolicyStatement({ actions: ["sqs:SendMessage"], resources: [this.queue.queueArn] }));
    return { destination: this.queue.queueArn };
  }
}
