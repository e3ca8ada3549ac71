import { Duration, Stack, TimeZone } from "aws-cdk-lib";
import { PolicyStatement, type Role } from "aws-cdk-lib/aws-iam";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { EventType, type IBucket } from "aws-cdk-lib/aws-s3";
import { LambdaDestination } from "aws-cdk-lib/aws-s3-notifications";
import { Schedule, ScheduleExpression, ScheduleTargetInput } from "aws-cdk-lib/aws-scheduler";
import { LambdaInvoke } from "aws-cdk-lib/aws-scheduler-targets";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { acknowledge, stackChildren, wildcardResource } from "./nag.ts";
import type { ScheduledTask } from "../../etl/handlers/etl-event.ts";

/**
 * When the schedules run, in the deployment's time zone (daylight-saving time followed). Both times
 * are after 04:00: where clocks change, they change between midnight and 04:00 local (00:00 in
 * Santiago and Beirut, 01:00 in London, 02:00 in North America and Central Europe, 03:00 in Vilnius),
 * and EventBridge Scheduler skips a time the spring change leaves out (02:30 in Vancouver), so a
 * nightly sweep at 02:30 did not run once a year there; after 04:00 every time exists once, every day.
 */
export const ETL_SCHEDULES = {
  /** Every night at 04:30: ingest exports whose upload notification was missed. */
  ingestSweep: { minute: "30", hour: "4" },
  /** The 2nd of every month at 05:30, after that night's sweep: the previous month is complete (late exports of the 1st included). */
  analysePublish: { minute: "30", hour: "5", day: "2" },
} as const;

export interface EtlTriggersProps {
  fn: IFunction;
  raw: IBucket;
  /** Key prefix under which exports are uploaded (`raw`). */
  rawPrefix: string;
  deadLetterQueue: IQueue;
  /**
   * The IANA time zone the schedules run in: the lake's (its months end at midnight there). The
   * monthly run does not rely on running after the month's end: a month not ended at the invocation
   * in this zone, which uploads may already have begun, is never analysed, nor a sparse last month
   * (analysisEnd, etl/analytics/lake-months.ts).
   */
  timeZone: string;
}

/**
 * What starts the ETL function: every object created under the raw prefix (S3 notification), the
 * nightly ingest sweep and the monthly analysis and publication (EventBridge Scheduler, in the
 * deployment's time zone). A schedule that cannot invoke the function retries, then lands in the
 * dead-letter queue.
 */
export class EtlTriggers extends Construct {
  readonly daily: Schedule;
  readonly monthly: Schedule;
  /** The roles the schedules invoke the function with (and send their dead letters with). */
  readonly schedulerRoles: Role[];

  constructor(scope: Construct, id: string, props: EtlTriggersProps) {
    super(scope, id);
    props.raw.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(props.fn), { prefix: `${props.rawPrefix}/` });
    const target = (task: ScheduledTask) =>
      new LambdaInvoke(props.fn, {
        input: ScheduleTargetInput.fromObject({ task }),
        deadLetterQueue: props.deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.hours(2),
      });
    this.daily = new Schedule(this, "DailyIngest", {
      description: "Ingest raw exports whose upload notification was missed",
      schedule: ScheduleExpression.cron({ ...ETL_SCHEDULES.ingestSweep, timeZone: TimeZone.of(props.timeZone) }),
      target: target("ingest-sweep"),
    });
    acknowledge(
      stackChildren(this, "BucketNotificationsHandler")[0]!,
      ["AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]"],
      "CDK's own deploy-time helper that writes the raw bucket's notification configuration; it only needs to write its logs, which this managed policy allows.",
    );
    this.monthly = new Schedule(this, "MonthlyAnalysePublish", {
      description: "Monthly Gi* hot spots and dashboard data",
      schedule: ScheduleExpression.cron({ ...ETL_SCHEDULES.analysePublish, timeZone: TimeZone.of(props.timeZone) }),
      target: target("analyse-publish"),
    });
    this.schedulerRoles = stackChildren(this, "SchedulerRoleForTarget") as Role[];
    const key = props.deadLetterQueue.encryptionMasterKey;
    for (const role of this.schedulerRoles) {
      acknowledge(role, [wildcardResource(props.fn, ":*")], "The schedules may invoke the ETL function's versions and aliases (function ARN:*), nothing else.");
      // A schedule's dead letter is encrypted with the queue's key: what SQS needs of the sender, through SQS only.
      if (key)
        role.addToPrincipalPolicy(
          new PolicyStatement({
            actions: ["kms:GenerateDataKey", "kms:Decrypt"],
            resources: [key.keyArn],
            conditions: { StringEquals: { "kms:ViaService": `sqs.${Stack.of(this).region}.amazonaws.com` } },
          }),
        );
    }
  }
}
