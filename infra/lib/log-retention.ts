import { CfnResource } from "aws-cdk-lib";
import { CfnFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IConstruct } from "constructs";

/** How long the app's logs are kept unless `-c logRetentionDays=` says otherwise: a year, as the ETL function's always were. */
export const DEFAULT_LOG_RETENTION = RetentionDays.ONE_YEAR;

/** The retention periods CloudWatch Logs accepts, in days (`RetentionDays`, never-expire left out). */
export const LOG_RETENTION_DAYS: readonly number[] = Object.values(RetentionDays).filter(
  (days): days is RetentionDays => typeof days === "number" && days !== RetentionDays.INFINITE,
);

const covered = new WeakSet<IConstruct>();

/**
 * Gives every Lambda function of the app that has no log group of its own one kept for `retention`:
 * CDK's helpers (the raw bucket's notification writer, the cross-region reference readers and
 * writers) and the sign-in edge function, whose logs Lambda would otherwise write to a
 * `/aws/lambda/<name>` group it creates on the first run and keeps forever. It runs as a validation
 * of the app because CDK adds the cross-region helpers while it prepares the app for synthesis, after
 * aspects have run; validations run after that and before the templates are written. Once per app.
 */
export function retainAllFunctionLogs(scope: IConstruct, retention: RetentionDays): void {
  const root = scope.node.root;
  if (covered.has(root)) return;
  covered.add(root);
  root.node.addValidation({
    validate: () => {
      for (const construct of root.node.findAll()) if (lacksLogGroup(construct)) giveLogGroup(construct, retention);
      return [];
    },
  });
}

/** A Lambda function (an L2's CfnFunction or a helper's raw resource) whose logging names no log group. */
function lacksLogGroup(construct: IConstruct): construct is CfnResource {
  if (!CfnResource.isCfnResource(construct) || construct.cfnResourceType !== CfnFunction.CFN_RESOURCE_TYPE_NAME || covered.has(construct)) return false;
  const logging = construct instanceof CfnFunction ? (construct.loggingConfig as CfnFunction.LoggingConfigProperty | undefined) : undefined;
  return logging?.logGroup === undefined;
}

function giveLogGroup(fn: CfnResource, retention: RetentionDays): void {
  covered.add(fn);
  const group = new LogGroup(fn.node.scope!, `${fn.node.id}Logs`, { retention });
  fn.addPropertyOverride("LoggingConfig.LogGroup", group.logGroupName);
}
