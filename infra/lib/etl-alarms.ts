import { Duration } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { Queue } from "aws-cdk-lib/aws-sqs";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";

export interface EtlAlarmsProps {
  fn: IFunction;
  /** The function's timeout, for the near-timeout alarm. */
  timeout: Duration;
  deadLetterQueue: Queue;
  /** Subscribed to the alarm topic when given. */
  email?: string;
}

/**
 * Alarms that tell an operator the lake is not being updated: any failed invocation of the ETL
 * function, any message in the dead-letter queue (an export or a monthly run given up after its
 * retries), and an ETL run close to its timeout. Each notifies an SNS topic (TLS-only), with an
 * optional e-mail subscription.
 */
export class EtlAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: EtlAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, "Topic", { displayName: "Hot-spot ETL alarms", enforceSSL: true });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    this.alarms = [
      new Alarm(this, "Errors", {
        alarmDescription: "The ETL function failed (it is retried; see its logs)",
        metric: props.fn.metricErrors({ period: Duration.minutes(5), statistic: "Sum" }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, "DeadLetters", {
        alarmDescription: "An export or a scheduled run was given up after its retries: inspect and replay the dead-letter queue",
        metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: "Maximum" }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, "NearTimeout", {
        alarmDescription: "An ETL run took over 80 % of the timeout: raise memory (more CPU) or the timeout before runs start failing",
        metric: props.fn.metricDuration({ period: Duration.minutes(15), statistic: "Maximum" }),
        threshold: props.timeout.toMilliseconds() * 0.8,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    ];
    for (const alarm of this.alarms) alarm.addAlarmAction(new SnsAction(this.topic));
  }
}
