import type { Node } from "constructs";
import { resolve } from "node:path";
import { DEFAULT_CONFIG_FILE, DEFAULTS } from "../../etl/config.ts";
import { resolveEtlAnalysis, type AnalysisContext, type EtlAnalysis } from "./etl-analysis.ts";
import { LOG_RETENTION_DAYS } from "./log-retention.ts";

/** How the dashboard is protected: a WAF IP allow-list (police networks) or a Cognito sign-in. */
export type SiteAccess = "waf" | "cognito";

/** Everything a deployment can choose, from `-c key=value` on the cdk command line (or cdk.json). */
export interface DeploymentConfig {
  /**
   * `-c stackName=HotspotsKaunas`: the data stack's name (default Hotspots; the firewall stack is
   * `<stackName>Firewall`). Account-wide names (Glue database, Athena workgroup, Cognito domain)
   * derive from it, so two deployments live in one account.
   */
  stackName: string;
  /** `-c lakeDataEvents=true`: a CloudTrail trail of S3 data events on the curated lake (billed per event; see LakeAuditTrail). */
  lakeDataEvents: boolean;
  /** Region of the data (buckets, function, catalogue); `-c region=`, default eu-north-1 (Stockholm). */
  region: string;
  /** Account; `-c account=` or the CLI's default account; unset synthesises account-agnostic stacks. */
  account?: string;
  /** `-c access=waf|cognito`, default waf. */
  access: SiteAccess;
  /** `-c allowedCidrs=192.0.2.0/24,2001:db8::/32`: networks allowed to open the dashboard (waf mode). */
  allowedCidrs: string[];
  /**
   * `-c allowedCountries=LT,NO`: CloudFront geo allow-list (ISO 3166-1 alpha-2). Default LT,NO for the
   * bundled demo only: a deployment with its own projectConfig or time zone must name its countries.
   */
  allowedCountries: string[];
  /** `-c alarmEmail=ops@example.org`: subscribed to the alarm topic. */
  alarmEmail?: string;
  /** `-c siteDomain=hotspots.example.lt -c certificateArn=arn:aws:acm:us-east-1:...`: own domain with TLS 1.2+. */
  siteDomain?: string;
  certificateArn?: string;
  /**
   * What the ETL function analyses with: `-c projectConfig=<file>` (the CLI's --config), with
   * `-c timeZone=`, `h3Resolution=`, `k=`, `studyMunicipalities=` (`;`-separated) or `studyHull=`,
   * `boundaries=` and `places=` (a file or `none`) over it; default the bundled demo's (etl-analysis.ts).
   */
  analysis: EtlAnalysis;
  /** `-c etlMemoryMb=` / `-c etlTimeoutMinutes=` / `-c etlEphemeralGb=`: override the measured sizing. */
  etlMemoryMb?: number;
  etlTimeoutMinutes?: number;
  etlEphemeralGb?: number;
  /** `-c analyseRecentMonths=3`: the monthly run recomputes exactly the latest months; by default it recomputes the months whose incidents changed. */
  analyseRecentMonths?: number;
  /**
   * `-c logRetentionDays=90`: how long every log group of the app keeps its logs (the ETL function's,
   * CDK's helper functions', the sign-in edge function's); default a year (DEFAULT_LOG_RETENTION).
   */
  logRetentionDays?: number;
}

/** The bundled demo's CloudFront geo allow-list: Lithuania and the Norway Grants partner. */
const DEMO_COUNTRIES = ["LT", "NO"] as const;

/** The configuration with every default filled, for tests and as the base of context parsing. */
export function defaultDeploymentConfig(overrides: Partial<DeploymentConfig> = {}): DeploymentConfig {
  return {
    stackName: "Hotspots",
    lakeDataEvents: false,
    region: "eu-north-1",
    access: "waf",
    allowedCidrs: [],
    allowedCountries: [...DEMO_COUNTRIES],
    ...overrides,
    analysis: overrides.analysis ?? resolveEtlAnalysis(),
  };
}

/** Reads the configuration from CDK context, validating each value with a message that names it. */
export function readDeploymentConfig(node: Node, env: NodeJS.ProcessEnv = process.env): DeploymentConfig {
  const text = (key: string): string | undefined => {
    const value = node.tryGetContext(key) as unknown;
    return value === undefined || value === null || value === "" ? undefined : String(value);
  };
  const list = (key: string): string[] | undefined =>
    text(key)
      ?.split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  const number = (key: string): number | undefined => {
    const value = text(key);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`context ${key} must be a positive number, not '${value}'`);
    return n;
  };
  const access = text("access") ?? "waf";
  if (access !== "waf" && access !== "cognito") throw new Error(`context access must be 'waf' or 'cognito', not '${access}'`);
  const allowedCidrs = list("allowedCidrs") ?? [];
  for (const cidr of allowedCidrs) {
    if (!/^[0-9a-f:.]+\/\d{1,3}$/i.test(cidr)) throw new Error(`context allowedCidrs: '${cidr}' is not a CIDR block such as 192.0.2.0/24`);
  }
  const allowedCountries = list("allowedCountries");
  for (const country of allowedCountries ?? []) {
    if (!/^[A-Z]{2}$/.test(country)) throw new Error(`context allowedCountries: '${country}' is not an ISO 3166-1 alpha-2 code such as LT`);
  }
  const siteDomain = text("siteDomain");
  const certificateArn = text("certificateArn");
  if (Boolean(siteDomain) !== Boolean(certificateArn))
    throw new Error("context siteDomain and certificateArn go together (the certificate must be in us-east-1)");
  const account = text("account") ?? env.CDK_DEFAULT_ACCOUNT;
  const stackName = text("stackName") ?? "Hotspots";
  if (!/^[A-Za-z][A-Za-z0-9-]{0,99}$/.test(stackName))
    throw new Error(`context stackName must start with a letter and hold only letters, digits and '-', not '${stackName}'`);
  const analysisKeys = ["projectConfig", "timeZone", "h3Resolution", "k", "studyMunicipalities", "studyHull", "boundaries", "places"] as const;
  const analysis: AnalysisContext = Object.fromEntries(analysisKeys.flatMap((key) => (text(key) === undefined ? [] : [[key, text(key)]])));
  const resolvedAnalysis = resolveEtlAnalysis(analysis);
  // LT,NO is the bundled Šiauliai project's audience (Lithuanian police, Norwegian partners): another
  // city's deployment names its own, or its dashboard would answer no one where it is used.
  const ownConfig = analysis.projectConfig !== undefined && resolve(analysis.projectConfig) !== DEFAULT_CONFIG_FILE;
  if (allowedCountries === undefined && (ownConfig || resolvedAnalysis.config.timezone !== DEFAULTS.timeZone))
    throw new Error(
      `context allowedCountries: the default ${DEMO_COUNTRIES.join(",")} is the bundled Šiauliai project's; a deployment with its own ` +
        `${ownConfig ? "projectConfig" : `time zone (${resolvedAnalysis.config.timezone})`} names the countries whose users may open the dashboard, e.g. -c allowedCountries=US`,
    );
  const logRetentionDays = number("logRetentionDays");
  if (logRetentionDays !== undefined && !LOG_RETENTION_DAYS.includes(logRetentionDays))
    throw new Error(`context logRetentionDays must be one of CloudWatch Logs' periods (${LOG_RETENTION_DAYS.join(", ")}), not '${logRetentionDays}'`);
  const lakeDataEvents = text("lakeDataEvents") ?? "false";
  if (lakeDataEvents !== "true" && lakeDataEvents !== "false") throw new Error(`context lakeDataEvents must be true or false, not '${lakeDataEvents}'`);
  return defaultDeploymentConfig({
    stackName,
    lakeDataEvents: lakeDataEvents === "true",
    region: text("region") ?? "eu-north-1",
    ...(account ? { account } : {}),
    access,
    allowedCidrs,
    ...(allowedCountries ? { allowedCountries } : {}),
    ...optional("alarmEmail", text("alarmEmail")),
    ...optional("siteDomain", siteDomain),
    ...optional("certificateArn", certificateArn),
    analysis: resolvedAnalysis,
    ...optional("etlMemoryMb", number("etlMemoryMb")),
    ...optional("etlTimeoutMinutes", number("etlTimeoutMinutes")),
    ...optional("etlEphemeralGb", number("etlEphemeralGb")),
    ...optional("analyseRecentMonths", number("analyseRecentMonths")),
    ...optional("logRetentionDays", logRetentionDays),
  });
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
