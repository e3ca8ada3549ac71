import { CfnOutput, Duration, Stack } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { Queue } from "aws-cdk-lib/aws-sqs";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";
import { MONTHLY_RUN_METRIC } from "../../etl/handlers/monthly-heartbeat.ts";

export interface EtlAlarmsProps {
  fn: IFunction;
  /** The function's timeout, for the near-timeout alarm. */
  timeout: Duration;
  deadLetterQueue: Queue;
  /** Subscribed to the alarm topic when given; otherwise a stack output says that nobody is notified. */
  email?: string;
}

/**
 * The monthly run completes on the 2nd; months last 28–31 days and the daily run reports the age at
 * 04:30, so with runs on time it never reports more than 31 days. Above 32.5 days a run was missed:
 * with two reports above it the alarm fires three to six days after the missed 2nd (six after
 * February, whose short month the threshold cannot tell from a long one).
 */
export const MONTHLY_RUN_OVERDUE_DAYS = 32.5;

/**
 * Alarms that tell an operator the lake is not being updated: a failed invocation of the ETL
 * function, new messages in the dead-letter queue (an export or a scheduled run given up after its
 * retries; each new one alarms again, a message left in the queue does not keep the alarm on), a
 * run close to its timeout, and a monthly run that did not happen (the daily run reports the days
 * since the last one; two days without a report alarm too). Each notifies an SNS topic whose
 * policy lets exactly these alarms publish (CloudWatch, this account) and refuses non-TLS requests.
 */
export class EtlAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: EtlAlarmsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.topic = new Topic(this, "Topic", { displayName: "Hot-spot ETL alarms", enforceSSL: true });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    const alarm = (name: string, props: ConstructorParameters<typeof Alarm>[2]) => new Alarm(this, name, props);
    this.alarms = [
      alarm("Errors", {
        alarmDescription: "The ETL function failed (it is retried; see its logs)",
        metric: props.fn.metricErrors({ period: Duration.minutes(5), statistic: "Sum" }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      alarm("DeadLetters", {
        alarmDescription:
          "An export or a scheduled run was given up after its retries and sent to the dead-letter queue: inspect and replay it " +
          "(alarms on each new message; messages left in the queue do not keep it in ALARM)",
        metric: props.deadLetterQueue.metricNumberOfMessagesSent({ period: Duration.minutes(5), statistic: "Sum" }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      alarm("NearTimeout", {
        alarmDescription: "An ETL run took over 80 % of the timeout: raise memory (more CPU) or the timeout before runs start failing",
        metric: props.fn.metricDuration({ period: Duration.minutes(15), statistic: "Maximum" }),
        threshold: props.timeout.toMilliseconds() * 0.8,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      alarm("MonthlyRunMissed", {
        alarmDescription:
          `The monthly hot-spot run has not completed for over ${MONTHLY_RUN_OVERDUE_DAYS} days, or the daily run has not reported for two days (also the state right after deployment until the first daily run): ` +
          `check the schedules and the function's logs, then invoke it with {"task":"analyse-publish"}`,
        metric: new Metric({
          namespace: MONTHLY_RUN_METRIC.namespace,
          metricName: MONTHLY_RUN_METRIC.name,
          dimensionsMap: { [MONTHLY_RUN_METRIC.dimension]: props.fn.functionName },
          period: Duration.days(1),
          statistic: "Maximum",
        }),
        threshold: MONTHLY_RUN_OVERDUE_DAYS,
        // Two days in a row: a day the daily run reported nothing yet (just after deployment) does not alarm alone.
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.BREACHING,
      }),
    ];
    for (const a of this.alarms) a.addAlarmAction(new SnsAction(this.topic));
    // enforceSSL gives the topic its own policy, which replaces SNS's default one: CloudWatch must be let in explicitly.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: "AllowThisStacksAlarmsToPublish",
        principals: [new ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["sns:Publish"],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { "aws:SourceAccount": stack.account },
          ArnLike: { "aws:SourceArn": this.alarms.map((a) => a.alarmArn) },
        },
      }),
    );
    new CfnOutput(stack, "AlarmTopicArn", { value: this.topic.topicArn, description: "SNS topic of the ETL alarms" });
    new CfnOutput(stack, "AlarmSubscription", {
      value: props.email
        ? `${props.email} (confirm the subscription from the e-mail AWS sends)`
        : "NONE: no alarm e-mail configured, alarms reach the topic but notify nobody; redeploy with -c alarmEmail=<address> or subscribe to AlarmTopicArn",
      description: "Who is notified of the ETL alarms",
    });
  }
}
