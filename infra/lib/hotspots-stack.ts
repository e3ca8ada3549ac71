import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Architecture } from "aws-cdk-lib/aws-lambda";
import type { RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import type { DeploymentConfig } from "./deployment-config.ts";
import { EtlAlarms } from "./etl-alarms.ts";
import { EtlFunction } from "./etl-function.ts";
import { EtlTriggers } from "./etl-triggers.ts";
import { LakeAuditTrail } from "./lake-audit-trail.ts";
import { LakeCatalog } from "./lake-catalog.ts";
import { ExportUploaderRole, LakeMaintainerRole, LakeReaderRole, lakeKeyPolicy } from "./lake-readers.ts";
import { LAKE_PREFIXES, LakeStorage } from "./lake-storage.ts";
import { DEFAULT_LOG_RETENTION, retainAllFunctionLogs } from "./log-retention.ts";
import { SiteHosting } from "./site-hosting.ts";
import { SiteSignIn } from "./site-sign-in.ts";

export interface HotspotsStackProps extends StackProps {
  config: DeploymentConfig;
  /** ARN of the WAF web ACL (SiteFirewallStack) when access is "waf". */
  webAclArn?: string;
  /** The ETL function's architecture; arm64 unless a test runs the asset on its own machine. */
  etlArchitecture?: Architecture;
}

/**
 * Everything that holds or processes incident data, in one region: the lake's buckets, the ETL
 * function with its triggers and alarms, the private dashboard hosting and the Athena catalogue.
 */
export class HotspotsStack extends Stack {
  readonly storage: LakeStorage;
  readonly etl: EtlFunction;
  readonly site: SiteHosting;
  readonly catalog: LakeCatalog;
  readonly analysts: LakeReaderRole;

  constructor(scope: Construct, id: string, props: HotspotsStackProps) {
    super(scope, id, props);
    const { config } = props;
    const logRetention: RetentionDays = config.logRetentionDays ?? DEFAULT_LOG_RETENTION;
    // Every function of the app, this stack's and the us-east-1 stacks' (CDK's helpers, the edge function).
    retainAllFunctionLogs(this, logRetention);
    this.storage = new LakeStorage(this, "Storage");

    const signIn = config.access === "cognito" ? new SiteSignIn(this, "SignIn") : undefined;
    if (config.access === "waf" && !props.webAclArn) throw new Error("access 'waf' needs the web ACL of SiteFirewallStack");
    this.site = new SiteHosting(this, "Site", {
      accessLogs: this.storage.accessLogs.bucket,
      ...(config.access === "waf" ? { webAclArn: props.webAclArn! } : { authFunction: signIn!.edgeFunction.currentVersion }),
      allowedCountries: config.allowedCountries,
      ...(config.siteDomain && config.certificateArn ? { domain: { name: config.siteDomain, certificateArn: config.certificateArn } } : {}),
    });
    signIn?.connect(this.site.distribution, config.siteDomain);

    this.etl = new EtlFunction(this, "Etl", {
      raw: this.storage.raw.bucket,
      curated: this.storage.curated.bucket,
      site: this.site.bucket,
      siteDistribution: this.site.distribution,
      lakeKey: this.storage.key,
      analysis: config.analysis,
      logRetention,
      ...(props.etlArchitecture ? { architecture: props.etlArchitecture } : {}),
      ...(config.etlMemoryMb ? { memoryMb: config.etlMemoryMb } : {}),
      ...(config.etlTimeoutMinutes ? { timeoutMinutes: config.etlTimeoutMinutes } : {}),
      ...(config.etlEphemeralGb ? { ephemeralGb: config.etlEphemeralGb } : {}),
      ...(config.analyseRecentMonths ? { analyseRecentMonths: config.analyseRecentMonths } : {}),
    });
    const triggers = new EtlTriggers(this, "Triggers", {
      fn: this.etl.fn,
      raw: this.storage.raw.bucket,
      rawPrefix: LAKE_PREFIXES.raw,
      deadLetterQueue: this.etl.deadLetterQueue,
      timeZone: config.analysis.config.timezone,
    });
    new EtlAlarms(this, "Alarms", {
      fn: this.etl.fn,
      timeout: this.etl.fn.timeout!,
      deadLetterQueue: this.etl.deadLetterQueue,
      ...(config.alarmEmail ? { email: config.alarmEmail } : {}),
    });
    this.catalog = new LakeCatalog(this, "Catalog", {
      curated: this.storage.curated.bucket,
      lakePrefix: LAKE_PREFIXES.lake,
      lakeKey: this.storage.key,
      accessLogs: this.storage.accessLogs.bucket,
    });

    this.analysts = new LakeReaderRole(this, "Analysts", {
      curated: this.storage.curated.bucket,
      lakePrefix: LAKE_PREFIXES.lake,
      results: this.catalog.results,
      key: this.storage.key,
      databaseName: this.catalog.databaseName,
      workGroupName: this.catalog.workGroup.name,
    });
    const uploaders = new ExportUploaderRole(this, "Uploaders", { raw: this.storage.raw.bucket, rawPrefix: LAKE_PREFIXES.raw });
    const maintainers = new LakeMaintainerRole(this, "Maintainers", {
      curated: this.storage.curated.bucket,
      raw: this.storage.raw.bucket,
      results: this.catalog.results,
      key: this.storage.key,
      prefixes: { lake: LAKE_PREFIXES.lake, publishState: LAKE_PREFIXES.publishState, raw: LAKE_PREFIXES.raw },
      databaseName: this.catalog.databaseName,
      maintenanceWorkGroupName: this.catalog.maintenanceWorkGroup.name,
      deadLetterQueue: this.etl.deadLetterQueue,
    });
    lakeKeyPolicy(
      this.storage.key,
      { etl: this.etl.fn.role!, analysts: this.analysts.role, uploaders: uploaders.role, maintainers: maintainers.role },
      { deadLetterSenders: [this.etl.fn.role!, ...triggers.schedulerRoles], deadLetterReaders: [maintainers.role], etlLogGroupArn: this.etl.logGroupArn },
    );
    if (config.lakeDataEvents) {
      new LakeAuditTrail(this, "LakeAudit", {
        curated: this.storage.curated.bucket,
        lakePrefix: LAKE_PREFIXES.lake,
        accessLogs: this.storage.accessLogs.bucket,
      });
    }

    new CfnOutput(this, "RawUploadLocation", {
      value: `s3://${this.storage.raw.bucket.bucketName}/${LAKE_PREFIXES.raw}/<source-id>/`,
      description: "Upload exports here",
    });
    new CfnOutput(this, "LakeLocation", {
      value: `s3://${this.storage.curated.bucket.bucketName}/${LAKE_PREFIXES.lake}`,
      description: "The curated lake (hotspots --lake)",
    });
    new CfnOutput(this, "DashboardUrl", { value: `https://${config.siteDomain ?? this.site.distribution.distributionDomainName}/` });
    new CfnOutput(this, "SiteBucket", { value: this.site.bucket.bucketName });
    new CfnOutput(this, "EtlFunctionName", { value: this.etl.fn.functionName });
    new CfnOutput(this, "DeadLetterQueueUrl", { value: this.etl.deadLetterQueue.queueUrl });
    new CfnOutput(this, "AthenaWorkGroup", { value: this.catalog.workGroup.name });
    new CfnOutput(this, "GlueDatabase", { value: this.catalog.databaseName });
    new CfnOutput(this, "AnalystRoleArn", {
      value: this.analysts.role.roleArn,
      description: "Assume this role to query the lake with Athena (grant sts:AssumeRole on it to analysts)",
    });
    new CfnOutput(this, "UploaderRoleArn", {
      value: uploaders.role.roleArn,
      description: "Assume this role to upload exports (grant sts:AssumeRole on it to the export systems)",
    });
    new CfnOutput(this, "MaintainerRoleArn", {
      value: maintainers.role.roleArn,
      description: "Assume this role, with MFA, to repair or re-ingest the S3 lake with the CLI and to read the quarantine (maintenance workgroup)",
    });
    new CfnOutput(this, "AthenaMaintenanceWorkGroup", { value: this.catalog.maintenanceWorkGroup.name });
    new CfnOutput(this, "LakeKeyArn", { value: this.storage.key.keyArn });
    if (signIn)
      new CfnOutput(this, "UserPoolId", { value: signIn.userPool.userPoolId, description: "Invite dashboard users here (aws cognito-idp admin-create-user)" });
  }
}
