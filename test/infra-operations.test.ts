/**
 * Issue 17, item 5, on the synthesised template: alarms that can reach someone (the topic policy
 * lets exactly this stack's CloudWatch alarms publish, a stack output says when nobody is
 * subscribed), alarms on new dead letters and on a missed monthly run, the analyst and uploader
 * roles and the key policy naming who may decrypt, the optional CloudTrail data-event trail, and
 * account-wide names derived from the stack so that two stacks live in one account.
 */
import { Match, type Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { MONTHLY_RUN_OVERDUE_DAYS } from "../infra/lib/etl-alarms.ts";
import { LAKE_TABLES } from "../infra/lib/lake-catalog.ts";
import { buildInfra } from "./helpers/infra-app.ts";

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;
const resources = (template: Template, type: string) => template.findResources(type) as Resources;
const only = (template: Template, type: string, match: (r: Resources[string]) => boolean = () => true) => {
  const found = Object.entries(resources(template, type)).filter(([, r]) => match(r));
  expect(found, `exactly one ${type}`).toHaveLength(1);
  return { id: found[0]![0], ...found[0]![1] };
};
const statements = (policy: { Properties: Record<string, any> }, key = "PolicyDocument") => policy.Properties[key].Statement as Array<Record<string, any>>;

const withEmail = buildInfra({ access: "waf", alarmEmail: "ops@example.org" });
const silent = buildInfra({ access: "cognito" });
const t = withEmail.main;

describe("alarms reach someone", () => {
  it("the topic policy lets CloudWatch publish, for this account's alarms only, and still refuses non-TLS requests", () => {
    const topic = only(t, "AWS::SNS::Topic");
    const alarms = Object.keys(resources(t, "AWS::CloudWatch::Alarm"));
    const policy = only(t, "AWS::SNS::TopicPolicy");
    expect(policy.Properties.Topics).toEqual([{ Ref: topic.id }]);
    const allow = statements(policy).find((s) => s.Effect === "Allow")!;
    expect(allow).toMatchObject({ Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: { Ref: topic.id } });
    expect(allow.Condition.StringEquals).toEqual({ "aws:SourceAccount": { Ref: "AWS::AccountId" } });
    expect(allow.Condition.ArnLike["aws:SourceArn"]).toEqual(alarms.map((id) => ({ "Fn::GetAtt": [id, "Arn"] })));
    expect(statements(policy)).toEqual(
      expect.arrayContaining([expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } })]),
    );
  });

  it("without an alarm e-mail there is no subscription and a stack output says that nobody is notified", () => {
    expect(Object.keys(resources(silent.main, "AWS::SNS::Subscription"))).toEqual([]);
    expect(silent.main.findOutputs("AlarmSubscription").AlarmSubscription!.Value).toMatch(/^NONE: no alarm e-mail configured.*-c alarmEmail=/);
    expect(t.findOutputs("AlarmSubscription").AlarmSubscription!.Value).toMatch(/^ops@example\.org \(confirm/);
    expect(t.findOutputs("AlarmTopicArn").AlarmTopicArn!.Value).toEqual({ Ref: only(t, "AWS::SNS::Topic").id });
  });

  it("the dead-letter alarm counts messages sent to the queue (each new failure alarms; old ones do not hold it in ALARM)", () => {
    const alarm = only(t, "AWS::CloudWatch::Alarm", (a) => a.Properties.Namespace === "AWS/SQS").Properties;
    expect(alarm).toMatchObject({
      MetricName: "NumberOfMessagesSent",
      Statistic: "Sum",
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      TreatMissingData: "notBreaching",
    });
    expect(alarm.Dimensions).toEqual([{ Name: "QueueName", Value: { "Fn::GetAtt": [expect.stringMatching(/^EtlDeadLetterQueue/), "QueueName"] } }]);
  });

  it("a missed monthly run alarms: the days since it, reported daily by the function, over 32.5 two days running; no report is a breach", () => {
    const fn = only(t, "AWS::Lambda::Function", (f) => /^Hot-spot ETL/.test(f.Properties.Description ?? ""));
    const alarm = only(t, "AWS::CloudWatch::Alarm", (a) => a.Properties.Namespace === "Hotspots/ETL").Properties;
    expect(alarm).toMatchObject({
      MetricName: "DaysSinceMonthlyRun",
      Dimensions: [{ Name: "FunctionName", Value: { Ref: fn.id } }],
      Statistic: "Maximum",
      Period: 86_400,
      Threshold: MONTHLY_RUN_OVERDUE_DAYS,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      ComparisonOperator: "GreaterThanThreshold",
      TreatMissingData: "breaching",
    });
    // Within CloudWatch's limit of 7 days of evaluation.
    expect(alarm.Period * alarm.EvaluationPeriods).toBeLessThanOrEqual(7 * 86_400);
  });
});

describe("who reads the lake", () => {
  const roleNamed = (description: RegExp) => only(t, "AWS::IAM::Role", (r) => description.test(r.Properties.Description ?? ""));
  const policyOf = (roleId: string) =>
    Object.values(resources(t, "AWS::IAM::Policy")).find((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))!;

  it("the analyst role: Athena in this workgroup, this database's tables, incident, aggregate and hot-spot files, its results, the key through S3 only", () => {
    const role = roleNamed(/^Analysts/);
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal.AWS).toEqual({
      "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, ":iam::", { Ref: "AWS::AccountId" }, ":root"]],
    });
    const granted = statements(policyOf(role.id));
    for (const s of granted) {
      for (const action of [s.Action].flat()) expect(action).not.toMatch(/\*/);
      expect(s.Resource).not.toBe("*");
    }
    const text = JSON.stringify(granted);
    expect(text).toContain("workgroup/hotspots");
    const readable = ["incidents", "cell_counts", "day_counts", "hot_spots"];
    for (const table of LAKE_TABLES) expect(text.includes(`table/hotspots/${table.name}"`), table.name).toBe(readable.includes(table.name));
    const gets = granted.filter((s) => [s.Action].flat().includes("s3:GetObject") && JSON.stringify(s.Resource).includes("StorageCurated"));
    expect(gets.flatMap((s) => [s.Resource].flat()).map((r) => JSON.stringify(r).match(/"(\/lake\/[^"]*)"/)?.[1])).toEqual([
      "/lake/incidents/*",
      "/lake/cell_counts/*",
      "/lake/day_counts/*",
      "/lake/hotspots/*",
    ]);
    const list = granted.find((s) => [s.Action].flat().includes("s3:ListBucket") && JSON.stringify(s.Resource).includes("StorageCurated"))!;
    expect(list.Condition).toEqual({ StringLike: { "s3:prefix": ["lake/incidents/*", "lake/cell_counts/*", "lake/day_counts/*", "lake/hotspots/*"] } });
    expect(text).not.toContain("quarantine");
    expect(text).not.toMatch(/StorageRaw|SiteBucket/);
    expect(granted.flatMap((s) => [s.Action].flat()).filter((a) => /^s3:(Put|Delete)/.test(a))).toEqual(["s3:PutObject"]);
    const put = granted.find((s) => [s.Action].flat().includes("s3:PutObject"))!;
    expect(JSON.stringify(put.Resource)).toMatch(/CatalogAthenaResults.*\/results\/\*/);
    expect(granted.find((s) => [s.Action].flat().includes("kms:Decrypt"))!.Condition).toEqual({
      StringEquals: { "kms:ViaService": "s3.eu-north-1.amazonaws.com" },
    });
  });

  it("the key policy: the account administers the key but cannot decrypt; decrypting roles are named, through S3 only (the queue's and logs' uses: infra-etl-encryption.test.ts)", () => {
    const key = only(t, "AWS::KMS::Key");
    const policy = statements(key, "KeyPolicy");
    const root = { "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, ":iam::", { Ref: "AWS::AccountId" }, ":root"]] };
    const admin = policy.find((s) => s.Sid === "AdministerKeyNotUseIt")!;
    expect(admin.Principal.AWS).toEqual(root);
    expect(admin.Action).toEqual(expect.arrayContaining(["kms:Put*", "kms:Describe*", "kms:ScheduleKeyDeletion"]));
    expect(admin.Action.filter((a: string) => /Decrypt|Encrypt|GenerateDataKey|ReEncrypt|kms:\*/.test(a))).toEqual([]);
    const users = policy.filter((s) => [s.Action].flat().includes("kms:Decrypt") && s.Condition.StringEquals?.["kms:ViaService"]?.startsWith("s3."));
    // Every other use is the dead-letter queue's (through SQS) or the ETL log group's (CloudWatch Logs).
    for (const s of policy.filter((s) => s !== admin && !users.includes(s)))
      expect(
        s.Condition.StringEquals?.["kms:ViaService"] === "sqs.eu-north-1.amazonaws.com" || s.Principal.Service === "logs.eu-north-1.amazonaws.com",
        s.Sid,
      ).toBe(true);
    expect(
      users
        .flatMap((s) => [s.Principal.AWS].flat())
        .map((p: any) => p["Fn::GetAtt"]?.[0])
        .sort(),
    ).toEqual([
      expect.stringMatching(/^AnalystsRole/),
      expect.stringMatching(/^EtlRole/),
      expect.stringMatching(/^MaintainersRole/),
      expect.stringMatching(/^UploadersRole/),
    ]);
    for (const s of users) {
      expect(s.Principal.AWS).not.toEqual(root);
      expect(s.Condition.StringEquals["kms:ViaService"]).toBe("s3.eu-north-1.amazonaws.com");
    }
  });

  it("the maintainer role: MFA to assume; the CLI's rights on the lake and publish state, raw exports read only, Athena in its own workgroup, results apart", () => {
    const role = roleNamed(/^Maintainers/);
    const trust = role.Properties.AssumeRolePolicyDocument.Statement[0];
    expect(trust.Condition).toEqual({ Bool: { "aws:MultiFactorAuthPresent": "true" } });
    expect(role.Properties.MaxSessionDuration).toBe(3600);
    const granted = statements(policyOf(role.id));
    for (const s of granted) {
      for (const action of [s.Action].flat()) expect(action).not.toMatch(/\*/);
      expect(s.Resource).not.toBe("*");
    }
    const objects = (action: string) =>
      granted
        .filter((s) => [s.Action].flat().includes(action))
        .flatMap((s) => [s.Resource].flat())
        .map((r) => JSON.stringify(r))
        .filter((r) => !r.includes('Arn"]}') || r.includes("/"));
    const writes = objects("s3:DeleteObject");
    expect(writes).toHaveLength(2);
    expect(writes.join()).toMatch(/StorageCurated.*"\/lake\/\*"/);
    expect(writes.join()).toMatch(/StorageCurated.*"\/publish-state\/\*"/);
    expect(objects("s3:PutObject").join()).not.toMatch(/StorageRaw|SiteBucket/);
    expect(objects("s3:GetObject").join()).toMatch(/StorageRaw.*"\/raw\/\*"/);
    expect(JSON.stringify(granted)).not.toMatch(/SiteBucket/);
    const athena = granted.find((s) => [s.Action].flat().includes("athena:StartQueryExecution"))!;
    expect(JSON.stringify(athena.Resource)).toContain("workgroup/hotspots-maintenance");
    expect(JSON.stringify(athena.Resource)).not.toMatch(/workgroup\/hotspots"/);
    const results = objects("s3:PutObject").filter((r) => r.includes("CatalogAthenaResults"));
    expect(results).toEqual([expect.stringContaining('"/maintenance/*"')]);
    expect(granted.find((s) => [s.Action].flat().includes("kms:Decrypt"))!.Condition).toEqual({
      StringEquals: { "kms:ViaService": "s3.eu-north-1.amazonaws.com" },
    });
  });

  it("the quarantine's saved query runs in the maintenance workgroup, whose results the analysts cannot read", () => {
    const queries = Object.values(resources(t, "AWS::Athena::NamedQuery"));
    const workGroupOf = (name: string) => queries.find((q) => q.Properties.Name === name)!.Properties.WorkGroup;
    expect(workGroupOf("quarantine-by-reason")).toBe("hotspots-maintenance");
    expect(workGroupOf("hot-spots-of-a-month")).toBe("hotspots");
    const groups = Object.values(resources(t, "AWS::Athena::WorkGroup"));
    const output = (name: string) =>
      JSON.stringify(groups.find((g) => g.Properties.Name === name)!.Properties.WorkGroupConfiguration.ResultConfiguration.OutputLocation);
    expect(output("hotspots")).toContain("/results/");
    expect(output("hotspots-maintenance")).toContain("/maintenance/");
    for (const g of groups) expect(g.Properties.WorkGroupConfiguration.EnforceWorkGroupConfiguration, g.Properties.Name).toBe(true);
  });

  it("the uploader role only puts exports under raw/", () => {
    const role = roleNamed(/^Uploads police exports/);
    const granted = statements(policyOf(role.id));
    expect(granted).toHaveLength(1);
    expect(granted[0]).toMatchObject({ Action: ["s3:PutObject", "s3:AbortMultipartUpload"] });
    expect(JSON.stringify(granted[0]!.Resource)).toMatch(/StorageRaw.*"\/raw\/\*"/);
  });

  it("outputs for a fresh deployment: the roles, the key, the Glue database and, with Cognito, the user pool id", () => {
    for (const name of [
      "AnalystRoleArn",
      "UploaderRoleArn",
      "MaintainerRoleArn",
      "LakeKeyArn",
      "GlueDatabase",
      "AthenaWorkGroup",
      "AthenaMaintenanceWorkGroup",
    ])
      expect(Object.keys(t.findOutputs(name)), name).toEqual([name]);
    expect(t.findOutputs("UserPoolId")).toEqual({});
    expect(silent.main.findOutputs("UserPoolId").UserPoolId!.Value).toEqual({ Ref: only(silent.main, "AWS::Cognito::UserPool").id });
  });
});

describe("CloudTrail data events on the lake (optional)", () => {
  it("off by default", () => {
    expect(Object.keys(resources(t, "AWS::CloudTrail::Trail"))).toEqual([]);
  });

  it("with -c lakeDataEvents=true: a trail of every read and write under lake/ of the curated bucket, file validation, no management events", () => {
    const audited = buildInfra({ lakeDataEvents: true }).main;
    const trail = only(audited, "AWS::CloudTrail::Trail").Properties;
    expect(trail).toMatchObject({ EnableLogFileValidation: true, IsMultiRegionTrail: false, IncludeGlobalServiceEvents: false, IsLogging: true });
    expect(trail.EventSelectors).toEqual([
      {
        DataResources: [
          { Type: "AWS::S3::Object", Values: [{ "Fn::Join": ["", [{ "Fn::GetAtt": [expect.stringMatching(/^StorageCurated/), "Arn"] }, "/lake/"]] }] },
        ],
        IncludeManagementEvents: false,
        ReadWriteType: "All",
      },
    ]);
    expect(Object.keys(resources(audited, "AWS::S3::Bucket"))).toHaveLength(7);
  });
});

describe("two stacks in one account", () => {
  it("account-wide names derive from the stack name; the default stack keeps 'hotspots'", () => {
    const second = buildInfra({ access: "cognito", stackName: "HotspotsKaunas" }).main;
    const names = (template: Template) => ({
      database: only(template, "AWS::Glue::Database").Properties.DatabaseInput.Name,
      workGroups: Object.values(resources(template, "AWS::Athena::WorkGroup"))
        .map((x) => x.Properties.Name)
        .sort(),
      tables: [...new Set(Object.values(resources(template, "AWS::Glue::Table")).map((x) => x.Properties.DatabaseName))],
      queries: [...new Set(Object.values(resources(template, "AWS::Athena::NamedQuery")).map((x) => x.Properties.Database))],
    });
    expect(names(t)).toEqual({ database: "hotspots", workGroups: ["hotspots", "hotspots-maintenance"], tables: ["hotspots"], queries: ["hotspots"] });
    expect(names(second)).toEqual({
      database: "hotspotskaunas",
      workGroups: ["hotspotskaunas", "hotspotskaunas-maintenance"],
      tables: ["hotspotskaunas"],
      queries: ["hotspotskaunas"],
    });
    for (const q of Object.values(resources(second, "AWS::Athena::NamedQuery"))) expect(q.Properties.QueryString).toContain("FROM hotspotskaunas.");
    second.hasResourceProperties("AWS::Cognito::UserPoolDomain", {
      Domain: Match.objectLike({ "Fn::Join": ["", ["hotspotskaunas-", { Ref: "AWS::AccountId" }]] }),
    });
    silent.main.hasResourceProperties("AWS::Cognito::UserPoolDomain", {
      Domain: Match.objectLike({ "Fn::Join": ["", ["hotspots-", { Ref: "AWS::AccountId" }]] }),
    });
  });
});
