/**
 * Review finding: the ETL function's log group and dead-letter queue hold file names and lines of
 * the exports, so both are encrypted with the lake's key, on the synthesised template. The key
 * policy lets CloudWatch Logs of the region use it for that log group only (the encryption-context
 * condition AWS documents), and the queue's senders (the function, the schedules) and its reader
 * (the maintainers) use it through SQS only, with no wildcard action.
 */
import type { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { buildInfra } from "./helpers/infra-app.ts";

type Resource = { Type: string; Properties: Record<string, any> };
type Statement = { Sid?: string; Effect: string; Action: string | string[]; Principal?: any; Resource: unknown; Condition?: any };
const resources = (template: Template, type: string) => template.findResources(type) as Record<string, Resource>;
const only = (template: Template, type: string, match: (id: string, r: Resource) => boolean = () => true) => {
  const found = Object.entries(resources(template, type)).filter(([id, r]) => match(id, r));
  expect(found, `exactly one ${type}`).toHaveLength(1);
  return { id: found[0]![0], ...found[0]![1] };
};
/** The statements of every IAM policy attached to the role `roleId`. */
const roleStatements = (template: Template, roleId: string): Statement[] =>
  Object.values(resources(template, "AWS::IAM::Policy"))
    .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
const actions = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat());

const t = buildInfra({ access: "waf" }).main;
const key = only(t, "AWS::KMS::Key");
const keyArn = { "Fn::GetAtt": [key.id, "Arn"] };
const keyPolicy = key.Properties.KeyPolicy.Statement as Statement[];
const etl = only(t, "AWS::Lambda::Function", (_, f) => f.Properties.Description?.startsWith("Hot-spot ETL"));
const etlRole = etl.Properties.Role["Fn::GetAtt"][0] as string;
const principalsOf = (s: Statement) => [s.Principal?.AWS].flat().map((p: any) => p?.["Fn::GetAtt"]?.[0] as string);

describe("the ETL log group", () => {
  const group = resources(t, "AWS::Logs::LogGroup")[etl.Properties.LoggingConfig.LogGroup.Ref]!;

  it("is encrypted with the lake key", () => {
    expect(group.Properties.KmsKeyId).toEqual(keyArn);
  });

  it("the key lets CloudWatch Logs of this region use it for this log group only, with no wildcard action", () => {
    const logs = keyPolicy.filter((s) => s.Principal?.Service !== undefined);
    expect(logs).toHaveLength(1);
    const [statement] = logs;
    expect(statement!.Principal.Service).toBe("logs.eu-north-1.amazonaws.com");
    expect(statement!.Effect).toBe("Allow");
    expect(actions(logs)).toEqual(expect.arrayContaining(["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]));
    for (const action of actions(logs)) expect(action).not.toMatch(/\*/);
    const arn = statement!.Condition.ArnEquals["kms:EncryptionContext:aws:logs:arn"];
    expect(JSON.stringify(arn)).toContain(`:log-group:${group.Properties.LogGroupName}`);
    expect(JSON.stringify(arn)).not.toMatch(/\*/);
  });
});

describe("the dead-letter queue", () => {
  const queue = only(t, "AWS::SQS::Queue");

  it("is encrypted with the lake key", () => {
    expect(queue.Properties.KmsMasterKeyId).toEqual(keyArn);
    expect(queue.Properties.SqsManagedSseEnabled).toBeUndefined();
  });

  it("the function sends to it with sqs:SendMessage and kms:Decrypt/GenerateDataKey on the lake key, no wildcard action", () => {
    const statements = roleStatements(t, etlRole);
    const onQueue = statements.filter((s) => JSON.stringify(s.Resource) === JSON.stringify({ "Fn::GetAtt": [queue.id, "Arn"] }));
    expect(actions(onQueue)).toEqual(["sqs:SendMessage"]);
    const kms = statements.filter((s) => actions([s]).some((a) => a.startsWith("kms:")));
    expect(kms.map((s) => [actions([s]).sort(), s.Resource])).toEqual([[["kms:Decrypt", "kms:GenerateDataKey"], keyArn]]);
    for (const action of actions(statements)) expect(action).not.toMatch(/\*/);
  });

  it("the schedules' roles send their dead letters with the key through SQS only", () => {
    const schedulerRoles = Object.keys(resources(t, "AWS::IAM::Role")).filter((id) => id.startsWith("SchedulerRoleForTarget"));
    expect(schedulerRoles.length).toBeGreaterThan(0);
    for (const role of schedulerRoles) {
      const kms = roleStatements(t, role).filter((s) => actions([s]).some((a) => a.startsWith("kms:")));
      expect(kms).toEqual([
        expect.objectContaining({
          Action: ["kms:GenerateDataKey", "kms:Decrypt"],
          Resource: keyArn,
          Condition: { StringEquals: { "kms:ViaService": "sqs.eu-north-1.amazonaws.com" } },
        }),
      ]);
    }
  });

  it("the key policy: senders (function, schedules) encrypt and decrypt, the maintainers decrypt, each through SQS only", () => {
    const viaSqs = keyPolicy.filter((s) => s.Condition?.StringEquals?.["kms:ViaService"] === "sqs.eu-north-1.amazonaws.com");
    const send = viaSqs.find((s) => actions([s]).includes("kms:GenerateDataKey"))!;
    expect(principalsOf(send).sort()).toEqual([
      expect.stringMatching(/^EtlRole/),
      ...Array(principalsOf(send).length - 1).fill(expect.stringMatching(/^SchedulerRoleForTarget/)),
    ]);
    const read = viaSqs.filter((s) => s !== send);
    expect(read.map((s) => [actions([s]), principalsOf(s)])).toEqual([[["kms:Decrypt"], [expect.stringMatching(/^MaintainersRole/)]]]);
  });
});
