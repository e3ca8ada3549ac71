import { Duration } from "aws-cdk-lib";
import { Certificate } from "aws-cdk-lib/aws-certificatemanager";
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  GeoRestriction,
  HttpVersion,
  LambdaEdgeEventType,
  PriceClass,
  ResponseHeadersPolicy,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
  type EdgeLambda,
  type FunctionAssociation,
} from "aws-cdk-lib/aws-cloudfront";
import { S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import type { IVersion } from "aws-cdk-lib/aws-lambda";
import { ObjectOwnership, type Bucket } from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { acknowledge } from "./nag.ts";
import { SecureBucket } from "./secure-bucket.ts";
import { CONTENT_SECURITY_POLICY } from "../../dashboard/scripts/content-security-policy.ts";

export interface SiteHostingProps {
  accessLogs: Bucket;
  /** WAF web ACL (scope CLOUDFRONT, in us-east-1) that allows only the police networks. */
  webAclArn?: string;
  /** Lambda@Edge viewer-request function that requires a Cognito sign-in (and rewrites clean URLs). */
  authFunction?: IVersion;
  allowedCountries: readonly string[];
  /** Own domain name and its ACM certificate (us-east-1); the *.cloudfront.net name otherwise. */
  domain?: { name: string; certificateArn: string };
}

/**
 * CloudFront viewer-request function: Observable Framework links pages without `.html`
 * (`./hotspots`), and S3 serves objects only by exact key.
 */
export const CLEAN_URL_FUNCTION = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith("/")) request.uri = uri + "index.html";
  else if (!/\\.[a-zA-Z0-9]+$/.test(uri.split("/").pop())) request.uri = uri + ".html";
  return request;
}`;

/**
 * The dashboard's hosting: a private, versioned S3 bucket reachable only through CloudFront's
 * origin access control (no website endpoint, no public policy), HTTPS only with security headers,
 * a geo allow-list, access logs, and the access restriction chosen for the deployment: a WAF IP
 * allow-list of the police networks or a Cognito sign-in at the edge.
 */
export class SiteHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: SiteHostingProps) {
    super(scope, id);
    if (!props.webAclArn && !props.authFunction) throw new Error("SiteHosting needs an access restriction: a WAF web ACL or a Cognito edge function");
    this.bucket = new SecureBucket(this, "Site", { accessLogs: props.accessLogs }).bucket;
    // CloudFront standard logs are delivered with an ACL grant, so this bucket accepts ACLs.
    const logs = new SecureBucket(this, "CloudFrontLogs", {
      accessLogs: props.accessLogs,
      expireAfterDays: 365,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
    }).bucket;

    const edgeLambdas: EdgeLambda[] = props.authFunction ? [{ eventType: LambdaEdgeEventType.VIEWER_REQUEST, functionVersion: props.authFunction }] : [];
    const functionAssociations: FunctionAssociation[] = props.authFunction
      ? []
      : [
          {
            eventType: FunctionEventType.VIEWER_REQUEST,
            function: new CloudFrontFunction(this, "CleanUrls", { code: FunctionCode.fromInline(CLEAN_URL_FUNCTION), runtime: FunctionRuntime.JS_2_0 }),
          },
        ];
    // CloudFront's managed SecurityHeadersPolicy, and the dashboard's Content-Security-Policy (the one
    // the local server sends, so the end-to-end tests open the pages under it).
    const headers = new ResponseHeadersPolicy(this, "SecurityHeaders", {
      comment: "Security headers and the dashboard's Content-Security-Policy",
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        xssProtection: { protection: true, modeBlock: true, override: true },
      },
    });
    this.distribution = new Distribution(this, "Distribution", {
      comment: "Crime hot-spot dashboard (private)",
      defaultRootObject: "index.html",
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        edgeLambdas,
        functionAssociations,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      geoRestriction: GeoRestriction.allowlist(...props.allowedCountries),
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: "cloudfront/",
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
      ...(props.domain
        ? {
            domainNames: [props.domain.name],
            certificate: Certificate.fromCertificateArn(this, "Certificate", props.domain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });

    if (props.authFunction && !props.webAclArn) {
      acknowledge(
        this.distribution,
        ["AwsSolutions-CFR2"],
        "In the Cognito mode every request is checked at the edge by the sign-in function before anything is served; " +
          "the WAF mode (access=waf) is the one for networks that must be restricted by address.",
      );
    }
    if (!props.domain) {
      acknowledge(
        this.distribution,
        ["AwsSolutions-CFR4"],
        "Without an own domain CloudFront serves its *.cloudfront.net certificate, whose security policy cannot be raised; " +
          "deploy with -c siteDomain and -c certificateArn to enforce TLS 1.2 (TLSv1.2_2021).",
      );
    }
  }
}
