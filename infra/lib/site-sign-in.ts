import { join } from "node:path";
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import { experimental, type IDistribution } from "aws-cdk-lib/aws-cloudfront";
import {
  StandardThreatProtectionMode,
  FeaturePlan,
  Mfa,
  OAuthScope,
  UserPool,
  UserPoolClient,
  AccountRecovery,
  type UserPoolDomain,
} from "aws-cdk-lib/aws-cognito";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import { Code, Runtime } from "aws-cdk-lib/aws-lambda";
import { StringParameter } from "aws-cdk-lib/aws-ssm";
import { buildSync } from "esbuild";
import { Construct } from "constructs";
import { PROJECT_ROOT } from "./etl-bundling.ts";
import { acknowledge } from "./nag.ts";
import { CALLBACK_PATH } from "../../etl/handlers/site-sign-in.ts";
import { stackResourceNames } from "./stack-names.ts";

/**
 * Cognito sign-in in front of the dashboard (access mode "cognito"): a user pool for the analysts
 * (no self sign-up — an administrator invites each one; TOTP MFA required; strong passwords; Plus
 * feature plan for compromised-credential and adaptive-authentication checks) and a Lambda@Edge
 * viewer-request function that lets only signed-in users through (etl/handlers/site-sign-in.ts).
 * Lambda@Edge has no environment variables and its code cannot hold values only known at deploy
 * time, so the function reads the pool's identifiers from an SSM parameter whose name and region
 * are fixed at synth time.
 */
export class SiteSignIn extends Construct {
  readonly userPool: UserPool;
  readonly domain: UserPoolDomain;
  readonly edgeFunction: experimental.EdgeFunction;
  private readonly parameterName: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    this.parameterName = `/${stack.stackName}/site-sign-in`;
    this.userPool = new UserPool(this, "Users", {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.domain = this.userPool.addDomain("Domain", { cognitoDomain: { domainPrefix: stackResourceNames(this).cognitoDomainPrefix } });

    const entry = join(PROJECT_ROOT, "etl", "handlers", "site-sign-in.ts");
    const parameterName = this.parameterName;
    const region = stack.region;
    this.edgeFunction = new experimental.EdgeFunction(this, "EdgeFunction", {
      description: "Dashboard sign-in (Cognito) and clean URLs",
      runtime: Runtime.NODEJS_22_X,
      handler: "index.handler",
      memorySize: 128,
      timeout: Duration.seconds(5),
      code: Code.fromAsset(join(PROJECT_ROOT, "etl", "handlers"), {
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          image: DockerImage.fromRegistry("unused-local-bundling-only"),
          local: {
            tryBundle(outputDir: string) {
              buildSync({
                entryPoints: [entry],
                bundle: true,
                platform: "node",
                target: "node22",
                format: "cjs",
                outfile: join(outputDir, "index.js"),
                external: ["@aws-sdk/*"],
                define: {
                  "process.env.SIGN_IN_PARAMETER_NAME": JSON.stringify(parameterName),
                  "process.env.SIGN_IN_PARAMETER_REGION": JSON.stringify(region),
                },
                logLevel: "error",
              });
              return true;
            },
          },
        },
      }),
    });
    // The function itself lives in CDK's us-east-1 stack for edge functions, under the same id.
    const edgeStacks = Stack.of(this).node.root.node.children.filter((c) => c.node.id.startsWith("edge-lambda-stack-"));
    const deployed = edgeStacks.map((stack) => stack.node.tryFindChild("EdgeFunction")).find((c) => c !== undefined);
    if (!deployed) throw new Error("SiteSignIn: the edge function's us-east-1 stack was not found");
    acknowledge(
      deployed,
      ["AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]"],
      "Lambda@Edge writes its logs to /aws/lambda/us-east-1.<name> in whichever region serves the request; the basic execution policy is how it gets that for every region.",
    );
    acknowledge(
      deployed,
      ["AwsSolutions-L1"],
      "Node.js 22 (LTS), the runtime of the project's other function; the sign-in logic's tests run on the project's Node.js (>= 20.19), " +
        "not on a Lambda@Edge runtime. Node.js 24, which this rule asks for, is a one-word change.",
    );
    this.edgeFunction.addToRolePolicy(
      new PolicyStatement({
        actions: ["ssm:GetParameter"],
        resources: [stack.formatArn({ service: "ssm", resource: "parameter", resourceName: parameterName.slice(1) })],
      }),
    );
  }

  /** Registers the distribution's address as the app's callback and publishes the configuration. */
  connect(distribution: IDistribution, siteDomain?: string): void {
    const stack = Stack.of(this);
    const origins = [`https://${distribution.distributionDomainName}`, ...(siteDomain ? [`https://${siteDomain}`] : [])];
    const client = new UserPoolClient(this, "Client", {
      userPool: this.userPool,
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL],
        callbackUrls: origins.map((origin) => `${origin}${CALLBACK_PATH}`),
        logoutUrls: origins.map((origin) => `${origin}/`),
      },
      idTokenValidity: Duration.hours(8),
      accessTokenValidity: Duration.hours(8),
      refreshTokenValidity: Duration.days(1),
      preventUserExistenceErrors: true,
    });
    new StringParameter(this, "Configuration", {
      parameterName: this.parameterName,
      description: "Public identifiers of the dashboard's Cognito app, read by the sign-in edge function",
      stringValue: stack.toJsonString({
        region: stack.region,
        userPoolId: this.userPool.userPoolId,
        clientId: client.userPoolClientId,
        domain: `${this.domain.domainName}.auth.${stack.region}.amazoncognito.com`,
      }),
    });
  }
}
