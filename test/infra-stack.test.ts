/**
 * The deployment's security and operational properties, asserted on the synthesised templates
 * (aws-cdk-lib/assertions): buckets, the ETL function, its triggers, retries and alarms, the
 * dashboard hosting in both access modes, and the Athena catalogue.
 */
import { Match, type Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY } from "../dashboard/scripts/content-security-policy.ts";
import { ETL_SIZING } from "../infra/lib/etl-function.ts";
import { GLUE_DATABASE, LAKE_TABLES } from "../infra/lib/lake-catalog.ts";
import { TABLES } from "../etl/lake/tables.ts";
import { buildInfra } from "./helpers/infra-app.ts";

type Resources = Record<string, { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;
const resources = (template: Template, type: string) => template.findResources(type) as Resources;
const logicalId = (template: Template, type: string, match: (r: Resources[string]) => boolean) => {
  const found = Object.entries(resources(template, type)).filter(([, r]) => match(r));
  expect(found, `exactly one ${type} matches`).toHaveLength(1);
  return found[0]![0];
};

const waf = buildInfra({ access: "waf", alarmEmail: "ops@example.org" });
const cognito = buildInfra({ access: "cognito" });
const t = waf.main;

describe("buckets", () => {
  const buckets = resources(t, "AWS::S3::Bucket");

  it("six buckets: raw, curated, site, access logs, CloudFront logs, Athena results; all versioned, private and retained", () => {
    expect(Object.keys(buckets)).toHaveLength(6);
    for (const [id, b] of Object.entries(buckets)) {
      expect(b.Properties.VersioningConfiguration, id).toEqual({ Status: "Enabled" });
      expect(b.Properties.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(b.DeletionPolicy, id).toBe("Retain");
      expect(b.Properties.WebsiteConfiguration, id).toBeUndefined();
      expect(b.Properties.LifecycleConfiguration.Rules, id).toEqual(
        expect.arrayContaining([expect.objectContaining({ NoncurrentVersionExpiration: expect.anything(), Status: "Enabled" })]),
      );
    }
  });

  it("encrypted at rest: incident data (raw, curated, query results) with the rotated customer key, the rest with S3 keys", () => {
    const key = logicalId(t, "AWS::KMS::Key", () => true);
    t.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
    const kms = Object.entries(buckets).filter(
      ([, b]) => b.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm === "aws:kms",
    );
    expect(kms.map(([id]) => id).sort()).toEqual([
      expect.stringMatching(/^CatalogAthenaResults/),
      expect.stringMatching(/^StorageCurated/),
      expect.stringMatching(/^StorageRaw/),
    ]);
    for (const [, b] of kms) {
      expect(b.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0]).toEqual({
        ServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: { "Fn::GetAtt": [key, "Arn"] } },
        BucketKeyEnabled: true,
      });
    }
    for (const [, b] of Object.entries(buckets).filter(([id]) => !kms.some(([k]) => k === id))) {
      expect(b.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe("AES256");
    }
  });

  it("every bucket refuses requests without TLS, and below TLS 1.2", () => {
    const policies = resources(t, "AWS::S3::BucketPolicy");
    expect(Object.keys(policies)).toHaveLength(6);
    for (const policy of Object.values(policies)) {
      const statements = policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>;
      expect(statements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Effect: "Deny", Principal: { AWS: "*" }, Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
          expect.objectContaining({ Effect: "Deny", Condition: { NumericLessThan: { "s3:TlsVersion": 1.2 } } }),
        ]),
      );
      // Nothing is granted to everyone.
      for (const s of statements.filter((s) => s.Effect === "Allow")) expect(JSON.stringify(s.Principal)).not.toMatch(/"\*"/);
    }
  });

  it("server access logs from every bucket but the log bucket itself; raw exports expire after a year", () => {
    const logs = logicalId(t, "AWS::S3::Bucket", (b) => b.Properties.LoggingConfiguration === undefined);
    expect(logs).toMatch(/^StorageAccessLogs/);
    for (const [id, b] of Object.entries(buckets).filter(([id]) => id !== logs)) {
      expect(b.Properties.LoggingConfiguration, id).toEqual({ DestinationBucketName: { Ref: logs }, LogFilePrefix: expect.any(String) });
    }
    const raw = Object.entries(buckets).find(([id]) => id.startsWith("StorageRaw"))![1];
    expect(raw.Properties.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({ ExpirationInDays: 365, NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: "Enabled" }),
    ]);
    const curated = Object.entries(buckets).find(([id]) => id.startsWith("StorageCurated"))![1];
    expect(curated.Properties.LifecycleConfiguration.Rules[0].ExpirationInDays).toBeUndefined();
  });

  it("the quarantine's raw lines are kept no longer than the raw exports they came from; the rest of the lake is not expired", () => {
    const rules = (prefix: string) => Object.entries(buckets).find(([id]) => id.startsWith(prefix))![1].Properties.LifecycleConfiguration.Rules as any[];
    const [raw] = rules("StorageRaw");
    const quarantine = rules("StorageCurated").filter((r) => r.Prefix !== undefined);
    expect(quarantine).toEqual([
      expect.objectContaining({
        Prefix: `lake/${TABLES.quarantine.folder}/`,
        ExpirationInDays: raw.ExpirationInDays,
        NoncurrentVersionExpiration: raw.NoncurrentVersionExpiration,
        Status: "Enabled",
      }),
    ]);
    expect(raw.ExpirationInDays).toEqual(expect.any(Number));
  });

  it("ACLs are disabled everywhere except the CloudFront log bucket, which CloudFront delivers to with an ACL", () => {
    const acl = Object.entries(buckets).filter(([, b]) => b.Properties.OwnershipControls.Rules[0].ObjectOwnership !== "BucketOwnerEnforced");
    expect(acl.map(([id]) => id)).toEqual([expect.stringMatching(/^SiteCloudFrontLogs/)]);
  });
});

describe("ETL function", () => {
  const fnId = logicalId(t, "AWS::Lambda::Function", (f) => f.Properties.Description?.startsWith("Hot-spot ETL"));
  const fn = resources(t, "AWS::Lambda::Function")[fnId]!.Properties;

  it("Node.js 22 on arm64, sized from the measured run, one instance at a time, HOME on /tmp", () => {
    expect(fn).toMatchObject({
      Runtime: "nodejs22.x",
      Architectures: ["arm64"],
      Handler: "index.handler",
      MemorySize: ETL_SIZING.memoryMb,
      Timeout: ETL_SIZING.timeoutMinutes * 60,
      EphemeralStorage: { Size: ETL_SIZING.ephemeralGb * 1024 },
      ReservedConcurrentExecutions: 1,
      LoggingConfig: expect.objectContaining({ LogFormat: "JSON" }),
    });
    expect(fn.Environment.Variables.STUDY_HULL).toBeUndefined();
    expect(fn.Environment.Variables).toMatchObject({
      HOME: "/tmp",
      DUCKDB_HOME: "/tmp",
      WORK_DIR: "/tmp",
      SOURCES_DIR: "/var/task/sources",
      // The bundled demo's analysis (data/project.yaml), its files in the asset (another city's: infra-deploy-options.test.ts).
      PROJECT_CONFIG: "/var/task/project/project.json",
      MUNICIPALITIES_GEOJSON: "/var/task/project/boundaries.json",
      PLACES_CSV: "/var/task/project/places.csv",
      TIME_ZONE: "Europe/Vilnius",
      H3_RESOLUTION: "8",
      GI_K: "1",
      STUDY_MUNICIPALITIES: "Šiaulių m. sav.;Šiaulių r. sav.",
      LAKE_URL: { "Fn::Join": ["", ["s3://", { Ref: expect.stringMatching(/^StorageCurated/) }, "/lake"]] },
      RAW_URL: { "Fn::Join": ["", ["s3://", { Ref: expect.stringMatching(/^StorageRaw/) }, "/raw"]] },
      SITE_URL: { "Fn::Join": ["", ["s3://", { Ref: expect.stringMatching(/^SiteBucket/) }]] },
      // The monthly publish's caches: in the private, KMS-encrypted lake bucket beside the lake, not in it.
      PUBLISH_STATE_URL: { "Fn::Join": ["", ["s3://", { Ref: expect.stringMatching(/^StorageCurated/) }, "/publish-state"]] },
    });
  });

  it("every function that may write the lake runs one invocation at a time (the lease takeover relies on it: etl/storage/s3-commit.ts)", () => {
    const writesLake = (roleId: string) =>
      Object.values(resources(t, "AWS::IAM::Policy"))
        .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>)
        .some((s) => [s.Action].flat().includes("s3:PutObject") && /StorageCurated.*"\/lake\/\*"/.test(JSON.stringify(s.Resource)));
    const writers = Object.entries(resources(t, "AWS::Lambda::Function")).filter(
      ([, f]) => f.Properties.Role?.["Fn::GetAtt"] && writesLake(f.Properties.Role["Fn::GetAtt"][0]),
    );
    expect(writers.map(([id]) => id)).toEqual([fnId]);
    for (const [id, f] of writers) expect(f.Properties.ReservedConcurrentExecutions, id).toBe(1);
  });

  it("failed asynchronous invocations are retried twice, then kept in an encrypted, TLS-only dead-letter queue", () => {
    const queue = logicalId(t, "AWS::SQS::Queue", () => true);
    t.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      FunctionName: { Ref: fnId },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: { OnFailure: { Destination: { "Fn::GetAtt": [queue, "Arn"] } } },
    });
    // Encrypted with the lake's key (its policy: infra-etl-encryption.test.ts).
    t.hasResourceProperties("AWS::SQS::Queue", {
      KmsMasterKeyId: { "Fn::GetAtt": [logicalId(t, "AWS::KMS::Key", () => true), "Arn"] },
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    t.hasResourceProperties("AWS::SQS::QueuePolicy", {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } })]) },
    });
  });

  it("logs are kept for a year, and the function may write only its own log group", () => {
    // The ETL function's own group (CDK's helper functions have theirs: infra-log-retention.test.ts).
    const group = fn.LoggingConfig.LogGroup.Ref as string;
    expect(group).toMatch(/^EtlLogs/);
    expect(resources(t, "AWS::Logs::LogGroup")[group]!.Properties.RetentionInDays).toBe(365);
    expect(resources(t, "AWS::IAM::Role")[fn.Role["Fn::GetAtt"][0]]!.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it("least privilege: no wildcard action, no '*' resource; raw exports read-only, writes only to the lake and the site", () => {
    const roleId = fn.Role["Fn::GetAtt"][0] as string;
    const policy = Object.values(resources(t, "AWS::IAM::Policy")).find((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))!;
    const statements = policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>;
    for (const s of statements) {
      for (const action of [s.Action].flat()) expect(action).not.toMatch(/\*/);
      expect(s.Resource).not.toBe("*");
    }
    const on = (bucket: RegExp) =>
      statements.filter((s) => JSON.stringify(s.Resource).match(bucket) && JSON.stringify(s.Resource).includes("/")).flatMap((s) => [s.Action].flat());
    expect(on(/StorageRaw/).sort()).toEqual(["s3:GetObject"]);
    expect([...new Set(on(/StorageCurated/))].sort()).toEqual(["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"]);
    expect(JSON.stringify(statements)).toContain('"/lake/*"');
    // Object rights on the curated bucket: the lake, and the publish state's prefix with just what it needs.
    const curatedObjects = statements
      .filter((s) => JSON.stringify(s.Resource).match(/StorageCurated/) && JSON.stringify(s.Resource).includes("/"))
      .map((s) => ({ prefix: JSON.stringify(s.Resource).match(/"\/([^"]*)"/)?.[1], actions: [s.Action].flat().sort() }));
    expect(curatedObjects).toEqual([
      { prefix: "lake/*", actions: ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"] },
      { prefix: "publish-state/*", actions: ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"] },
    ]);
    expect(JSON.stringify(statements)).toContain('"/raw/*"');
    // On the site: pages and data written anywhere, deleted only where the superseded data files are.
    const siteObjects = statements
      .filter((s) => JSON.stringify(s.Resource).match(/SiteBucket/) && JSON.stringify(s.Resource).includes("/"))
      .map((s) => ({ prefix: JSON.stringify(s.Resource).match(/"\/([^"]*)"/)?.[1], actions: [s.Action].flat().sort() }));
    expect(siteObjects).toEqual([
      { prefix: "*", actions: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"] },
      { prefix: "_file/data/*", actions: ["s3:DeleteObject"] },
    ]);
    expect(statements).toEqual(expect.arrayContaining([expect.objectContaining({ Action: ["kms:Decrypt", "kms:GenerateDataKey"] })]));
  });

  it("the monthly publish may invalidate the site's distribution, that one only, named in its environment", () => {
    const distribution = logicalId(t, "AWS::CloudFront::Distribution", () => true);
    expect(fn.Environment.Variables.SITE_DISTRIBUTION_ID).toEqual({ Ref: distribution });
    const roleId = fn.Role["Fn::GetAtt"][0] as string;
    const statements = Object.values(resources(t, "AWS::IAM::Policy"))
      .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>);
    const cloudfront = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith("cloudfront:")));
    expect(cloudfront).toHaveLength(1);
    expect(cloudfront[0]!.Action).toBe("cloudfront:CreateInvalidation");
    expect(cloudfront[0]!.Resource).toEqual({
      "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, ":cloudfront::", { Ref: "AWS::AccountId" }, ":distribution/", { Ref: distribution }]],
    });
  });
});

describe("triggers", () => {
  it("every object created under raw/ invokes the function", () => {
    t.hasResourceProperties("Custom::S3BucketNotifications", {
      BucketName: { Ref: Match.stringLikeRegexp("^StorageRaw") },
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          { Events: ["s3:ObjectCreated:*"], Filter: { Key: { FilterRules: [{ Name: "prefix", Value: "raw/" }] } }, LambdaFunctionArn: Match.anyValue() },
        ],
      },
    });
    t.hasResourceProperties("AWS::Lambda::Permission", { Action: "lambda:InvokeFunction", Principal: "s3.amazonaws.com", SourceAccount: Match.anyValue() });
  });

  it("EventBridge Scheduler in Europe/Vilnius: the nightly ingest sweep and the monthly analysis, with retries and the dead-letter queue", () => {
    const queue = logicalId(t, "AWS::SQS::Queue", () => true);
    const schedules = Object.values(resources(t, "AWS::Scheduler::Schedule")).map((s) => s.Properties);
    expect(schedules.map((s) => [s.ScheduleExpression, s.ScheduleExpressionTimezone, JSON.parse(s.Target.Input)]).sort()).toEqual([
      ["cron(30 4 * * ? *)", "Europe/Vilnius", { task: "ingest-sweep" }],
      ["cron(30 5 2 * ? *)", "Europe/Vilnius", { task: "analyse-publish" }],
    ]);
    for (const s of schedules) {
      expect(s.Target.RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 7200 });
      expect(s.Target.DeadLetterConfig).toEqual({ Arn: { "Fn::GetAtt": [queue, "Arn"] } });
      expect(s.State).toBe("ENABLED");
    }
  });
});

describe("alarms", () => {
  it("alarm on function errors, on new dead-letter messages, on runs near the timeout and on a missed monthly run, to a TLS-only topic with e-mail", () => {
    const topic = logicalId(t, "AWS::SNS::Topic", () => true);
    const alarms = Object.values(resources(t, "AWS::CloudWatch::Alarm")).map((a) => a.Properties);
    expect(alarms.map((a) => `${a.Namespace}:${a.MetricName}`).sort()).toEqual([
      "AWS/Lambda:Duration",
      "AWS/Lambda:Errors",
      "AWS/SQS:NumberOfMessagesSent",
      "Hotspots/ETL:DaysSinceMonthlyRun",
    ]);
    for (const a of alarms) expect(a.AlarmActions).toEqual([{ Ref: topic }]);
    t.hasResourceProperties("AWS::SNS::Subscription", { Protocol: "email", Endpoint: "ops@example.org" });
    t.hasResourceProperties("AWS::SNS::TopicPolicy", {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } })]) },
    });
  });
});

describe("dashboard hosting", () => {
  const distribution = () => Object.values(resources(t, "AWS::CloudFront::Distribution"))[0]!.Properties.DistributionConfig;

  it("the site bucket is private: only this distribution may read it, through origin access control", () => {
    const site = logicalId(t, "AWS::S3::Bucket", (b) => b.Properties.LoggingConfiguration?.LogFilePrefix === "site/");
    const oac = logicalId(t, "AWS::CloudFront::OriginAccessControl", () => true);
    t.hasResourceProperties("AWS::CloudFront::OriginAccessControl", {
      OriginAccessControlConfig: { OriginAccessControlOriginType: "s3", SigningBehavior: "always", SigningProtocol: "sigv4" },
    });
    expect(distribution().Origins).toEqual([
      expect.objectContaining({ OriginAccessControlId: { "Fn::GetAtt": [oac, "Id"] }, S3OriginConfig: { OriginAccessIdentity: "" } }),
    ]);
    const policy = Object.values(resources(t, "AWS::S3::BucketPolicy")).find((p) => p.Properties.Bucket.Ref === site)!;
    const allows = (policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>).filter((s) => s.Effect === "Allow");
    expect(allows).toEqual([
      expect.objectContaining({
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: "s3:GetObject",
        Condition: { StringEquals: { "AWS:SourceArn": expect.anything() } },
      }),
    ]);
  });

  it("HTTPS only with security headers, a geo allow-list, access logs, the WAF web ACL and clean URLs", () => {
    const d = distribution();
    expect(d.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: "redirect-to-https",
      AllowedMethods: ["GET", "HEAD"],
    });
    const policies = Object.entries(resources(t, "AWS::CloudFront::ResponseHeadersPolicy"));
    expect(policies).toHaveLength(1);
    expect(d.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: policies[0]![0] });
    expect(policies[0]![1].Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig).toEqual({
      ContentSecurityPolicy: { ContentSecurityPolicy: CONTENT_SECURITY_POLICY, Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: "DENY", Override: true },
      ReferrerPolicy: { ReferrerPolicy: "strict-origin-when-cross-origin", Override: true },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 31536000, IncludeSubdomains: true, Override: true },
      XSSProtection: { Protection: true, ModeBlock: true, Override: true },
    });
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'self'/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/connect-src 'self'/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/frame-ancestors 'none'/);
    expect(d.Restrictions).toEqual({ GeoRestriction: { RestrictionType: "whitelist", Locations: ["LT", "NO"] } });
    expect(d.Logging).toEqual({ Bucket: { "Fn::GetAtt": [expect.stringMatching(/^SiteCloudFrontLogs/), "RegionalDomainName"] }, Prefix: "cloudfront/" });
    expect(d.WebACLId).toBeDefined();
    expect(d.DefaultRootObject).toBe("index.html");
    expect(d.DefaultCacheBehavior.FunctionAssociations).toEqual([expect.objectContaining({ EventType: "viewer-request" })]);
  });

  it("WAF mode: a us-east-1 web ACL that blocks everything but the listed networks, IPv4 and IPv6", () => {
    const fw = waf.firewall!;
    expect(waf.stack.region).toBe("eu-north-1");
    expect(fw.toJSON()).toBeDefined();
    fw.hasResourceProperties("AWS::WAFv2::WebACL", {
      Scope: "CLOUDFRONT",
      DefaultAction: { Block: {} },
      Rules: [
        Match.objectLike({ Action: { Allow: {} }, Statement: { IPSetReferenceStatement: { Arn: Match.anyValue() } } }),
        Match.objectLike({ Action: { Allow: {} }, Statement: { IPSetReferenceStatement: { Arn: Match.anyValue() } } }),
      ],
    });
    fw.hasResourceProperties("AWS::WAFv2::IPSet", { Scope: "CLOUDFRONT", IPAddressVersion: "IPV4", Addresses: ["192.0.2.0/24"] });
    fw.hasResourceProperties("AWS::WAFv2::IPSet", { Scope: "CLOUDFRONT", IPAddressVersion: "IPV6", Addresses: ["2001:db8::/32"] });
  });

  it("WAF mode with no network listed allows nobody (fails closed)", () => {
    const none = buildInfra({ access: "waf", allowedCidrs: [] }).firewall!;
    none.hasResourceProperties("AWS::WAFv2::WebACL", { DefaultAction: { Block: {} }, Rules: [] });
  });

  it("Cognito mode: invited users only, TOTP MFA, strong passwords, Plus threat protection; a sign-in check at the edge on every request", () => {
    const c = cognito.main;
    c.hasResourceProperties("AWS::Cognito::UserPool", {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: "ON",
      EnabledMfas: ["SOFTWARE_TOKEN_MFA"],
      Policies: {
        PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true }),
      },
      UserPoolTier: "PLUS",
    });
    c.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      GenerateSecret: false,
      AllowedOAuthFlows: ["code"],
      CallbackURLs: [{ "Fn::Join": ["", ["https://", Match.anyValue(), "/_auth/callback"]] }],
    });
    const d = Object.values(resources(c, "AWS::CloudFront::Distribution"))[0]!.Properties.DistributionConfig;
    expect(d.DefaultCacheBehavior.LambdaFunctionAssociations).toEqual([expect.objectContaining({ EventType: "viewer-request" })]);
    expect(d.WebACLId).toBeUndefined();
    c.hasResourceProperties("AWS::SSM::Parameter", { Name: "/Hotspots/site-sign-in" });
    expect(cognito.firewall).toBeNull();
    const edge = cognito.edge!;
    edge.hasResourceProperties("AWS::Lambda::Function", { Runtime: "nodejs22.x", MemorySize: 128, Timeout: 5 });
    edge.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: "ssm:GetParameter",
            Resource: Match.objectLike({ "Fn::Join": ["", Match.arrayWith([":ssm:eu-north-1:", ":parameter/Hotspots/site-sign-in"])] }),
          }),
        ],
      },
    });
  });

  it("an own domain gets its certificate and TLS 1.2 at least", () => {
    const own = buildInfra({ siteDomain: "hotspots.example.lt", certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc" }).main;
    const d = Object.values(resources(own, "AWS::CloudFront::Distribution"))[0]!.Properties.DistributionConfig;
    expect(d.Aliases).toEqual(["hotspots.example.lt"]);
    expect(d.ViewerCertificate).toMatchObject({
      AcmCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
      MinimumProtocolVersion: "TLSv1.2_2021",
      SslSupportMethod: "sni-only",
    });
  });
});

describe("Athena catalogue", () => {
  it("a Glue table per lake table over the curated Parquet, partitioned by month with partition projection", () => {
    t.hasResourceProperties("AWS::Glue::Database", { DatabaseInput: { Name: GLUE_DATABASE } });
    const tables = Object.values(resources(t, "AWS::Glue::Table")).map((r) => r.Properties.TableInput);
    expect(tables.map((x) => x.Name).sort()).toEqual(LAKE_TABLES.map((x) => x.name).sort());
    for (const def of LAKE_TABLES) {
      const table = tables.find((x) => x.Name === def.name)!;
      expect(table.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
      expect(table.StorageDescriptor.Location).toEqual({
        "Fn::Join": ["", ["s3://", { Ref: expect.stringMatching(/^StorageCurated/) }, `/lake/${def.folder}/`]],
      });
      if (def.partitionKey !== null && def.partitionKey !== "month") {
        expect(table.PartitionKeys).toEqual([{ Name: def.partitionKey, Type: "string" }]);
        expect(table.Parameters).toMatchObject({ "projection.enabled": "true", [`projection.${def.partitionKey}.type`]: "injected" });
      } else if (def.partitioned) {
        expect(table.PartitionKeys).toEqual([{ Name: "month", Type: "string" }]);
        expect(table.Parameters).toMatchObject({
          "projection.enabled": "true",
          "projection.month.type": "date",
          "projection.month.format": "yyyy-MM",
          "projection.month.range": "2000-01,NOW",
          "projection.month.interval.unit": "MONTHS",
          "storage.location.template": {
            "Fn::Join": ["", ["s3://", { Ref: expect.stringMatching(/^StorageCurated/) }, `/lake/${def.folder}/month=\${month}/`]],
          },
        });
      }
    }
  });

  it("an Athena workgroup users cannot override: engine 3, results encrypted with the lake key, a scan limit per query", () => {
    const key = logicalId(t, "AWS::KMS::Key", () => true);
    t.hasResourceProperties("AWS::Athena::WorkGroup", {
      Name: "hotspots",
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        EngineVersion: { SelectedEngineVersion: "Athena engine version 3" },
        ResultConfiguration: {
          EncryptionConfiguration: { EncryptionOption: "SSE_KMS", KmsKey: { "Fn::GetAtt": [key, "Arn"] } },
          OutputLocation: { "Fn::Join": ["", ["s3://", { Ref: Match.stringLikeRegexp("^CatalogAthenaResults") }, "/results/"]] },
        },
      },
    });
    expect(Object.keys(resources(t, "AWS::Athena::NamedQuery"))).toHaveLength(3);
  });
});
