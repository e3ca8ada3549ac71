/**
 * Review finding P6, on the synthesised templates of both access modes (every stack: the data stack,
 * the us-east-1 firewall and edge-function stacks): no log group is kept forever. Every log group has
 * a retention, and every Lambda function, CDK's deploy-time helpers and the sign-in edge function
 * included, logs to a log group of the app's rather than to one Lambda would create on its first
 * run with no expiry.
 */
import { App } from "aws-cdk-lib";
import type { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { readDeploymentConfig } from "../infra/lib/deployment-config.ts";
import { DEFAULT_LOG_RETENTION } from "../infra/lib/log-retention.ts";
import { buildInfra, type InfraUnderTest } from "./helpers/infra-app.ts";

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;
const resources = (template: Template, type: string) => template.findResources(type) as Resources;
const templates = (infra: InfraUnderTest) => [infra.main, infra.firewall, infra.edge].filter((t): t is Template => t !== null);

/** Each function of the template with the retention of the log group it writes to (undefined: none of the template's). */
function functionRetentions(template: Template): Array<[string, number | undefined]> {
  const groups = resources(template, "AWS::Logs::LogGroup");
  return Object.entries(resources(template, "AWS::Lambda::Function")).map(([id, fn]) => {
    const ref = fn.Properties.LoggingConfig?.LogGroup?.Ref as string | undefined;
    return [id, ref === undefined ? undefined : groups[ref]?.Properties.RetentionInDays];
  });
}

describe.each([
  ["waf", buildInfra({ access: "waf" })],
  ["cognito", buildInfra({ access: "cognito" })],
])("access %s", (_mode, infra) => {
  it("every log group expires, and every function writes to one of them (the ETL's, CDK's helpers', the edge function's)", () => {
    const all = templates(infra);
    expect(all.length).toBeGreaterThanOrEqual(2);
    const functions = all.flatMap(functionRetentions);
    // The ETL function and the raw bucket's notification helper at least; cross-region readers and writers and the edge function by mode.
    expect(functions.length).toBeGreaterThanOrEqual(3);
    for (const [id, days] of functions) expect(days, id).toBe(DEFAULT_LOG_RETENTION);
    for (const template of all)
      for (const [id, group] of Object.entries(resources(template, "AWS::Logs::LogGroup")))
        expect(group.Properties.RetentionInDays, id).toBe(DEFAULT_LOG_RETENTION);
  });
});

describe("-c logRetentionDays", () => {
  it("sets every log group's retention, the ETL function's included", () => {
    const infra = buildInfra({ access: "cognito", logRetentionDays: 90 });
    const functions = templates(infra).flatMap(functionRetentions);
    expect(functions.some(([id]) => id.startsWith("EtlFunction"))).toBe(true);
    for (const [id, days] of functions) expect(days, id).toBe(90);
  });

  it("is refused, naming the periods CloudWatch Logs accepts, when it is not one of them", () => {
    const app = new App({ context: { logRetentionDays: "100" } });
    expect(() => readDeploymentConfig(app.node)).toThrow(/context logRetentionDays must be one of CloudWatch Logs' periods \(1, 3, 5, .*365.*\), not '100'/);
    expect(readDeploymentConfig(new App({ context: { logRetentionDays: "30" } }).node).logRetentionDays).toBe(30);
  });
});
