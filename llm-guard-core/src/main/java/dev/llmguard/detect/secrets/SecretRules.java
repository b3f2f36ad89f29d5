package dev.llmguard.detect.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The built-in credential formats. Each pattern is anchored on a literal prefix or marker, uses
 * bounded quantifiers only and runs only on a token that contains one of its anchors.
 */
final class SecretRules {
  private SecretRules() {}

  /** Not preceded by a token char. */
  private static final String B = "(?<![A-Za-z0-9_])";

  /** Not followed by a token char. */
  private static final String E = "(?![A-Za-z0-9_])";

  private static final ObjectMapper JSON = new ObjectMapper();

  static final List<SecretRule> ALL = build();

  private static List<SecretRule> build() {
    List<SecretRule> r = new ArrayList<>();
    // --- cloud providers
    r.add(
        rule(
            "aws-access-key-id",
            "AWS_ACCESS_KEY",
            "AWS access key id",
            new String[] {
              "AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "APKA"
            },
            B + "((?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16})" + E,
            0.95,
            v -> v.contains("EXAMPLE") || v.contains("XXXX") ? 0 : 1));
    r.add(
        rule(
            "aws-bedrock-api-key",
            "AWS_BEDROCK_KEY",
            "Amazon Bedrock API key",
            new String[] {"ABSKQmVkcm9ja0FQSUtleS", "bedrock-api-key-"},
            B
                + "((?:ABSKQmVkcm9ja0FQSUtleS[A-Za-z0-9+/]{110,300}={0,2})|bedrock-api-key-[A-Za-z0-9+/]{100,2000}={0,2})",
            0.95,
            entropy(3.5)));
    r.add(
        rule(
            "google-api-key",
            "GOOGLE_API_KEY",
            "Google API key",
            new String[] {"AIza"},
            B + "(AIza[0-9A-Za-z_-]{35})" + E,
            0.9,
            entropy(3.5)));
    r.add(
        rule(
            "azure-storage-account-key",
            "AZURE_STORAGE_KEY",
            "Azure storage account key",
            new String[] {"AccountKey="},
            "AccountKey=([A-Za-z0-9+/]{86}==)",
            0.97,
            SecretRule.Check.NONE));
    r.add(
        rule(
            "azure-shared-access-key",
            "AZURE_CONNECTION_STRING",
            "Azure Service Bus / Event Hubs shared access key",
            new String[] {"SharedAccessKey="},
            "SharedAccessKey=([A-Za-z0-9+/]{43}=)",
            0.95,
            SecretRule.Check.NONE));
    r.add(
        rule(
            "azure-ad-client-secret",
            "AZURE_CLIENT_SECRET",
            "Azure AD client secret",
            new String[] {"Q~"},
            "(?<![A-Za-z0-9_~.-])([A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])",
            0.9,
            entropy(3.5)));
    r.add(
        rule(
            "digitalocean-token",
            "DIGITALOCEAN_TOKEN",
            "DigitalOcean token",
            new String[] {"dop_v1_", "doo_v1_", "dor_v1_"},
            B + "(do[opr]_v1_[a-f0-9]{64})" + E,
            0.97,
            SecretRule.Check.NONE));
    r.add(
        rule(
            "heroku-api-key",
            "HEROKU_API_KEY",
            "Heroku API key",
            new String[] {"HRKU-"},
            B + "(HRKU-[A-Za-z0-9_-]{60})" + E,
            0.95,
            entropy(3.5)));
    r.add(
        rule(
            "flyio-token",
            "FLYIO_TOKEN",
            "Fly.io access token",
            new String[] {"fo1_", "fm1", "fm2"},
            B + "(fo1_[A-Za-z0-9_-]{43}|fm[12][ar]?_[A-Za-z0-9+/]{100,2000}={0,3})" + E,
            0.95,
            entropy(3.5)));
    r.add(
        rule(
            "databricks-token",
            "DATABRICKS_TOKEN",
            "Databricks API token",
            new String[] {"dapi"},
            B + "(dapi[a-f0-9]{32}(?:-[0-9])?)" + E,
            0.9,
            entropy(3.0)));
    r.add(
        rule(
            "hashicorp-terraform-token",
            "TERRAFORM_TOKEN",
            "Terraform Cloud API token",
            new String[] {".atlasv1."},
            B + "([A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70})" + E,
            0.97,
            entropy(3.5)));
    r.add(
        rule(
            "vault-token",
            "VAULT_TOKEN",
            "HashiCorp Vault token",
            new String[] {"hvs.", "hvb.", "s."},
            B
                + "(hvs\\.[A-Za-z0-9_-]{90,120}|hvb\\.[A-Za-z0-9_-]{138,300}|s\\.[A-Za-z0-9]{24})"
                + E,
            0.9,
            v ->
                v.startsWith("s.") && SecretText.charClasses(v.substring(2)) < 3
                    ? 0
                    : entropyFactor(v, 3.5)));
    // --- source control and package registries
    r.add(
        rule(
            "github-token",
            "GITHUB_TOKEN",
            "GitHub token",
            new String[] {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"},
            B + "(gh[pousr]_[A-Za-z0-9]{36,251})" + E,
            0.99,
            SecretRules::githubChecksum));
    r.add(
        rule(
            "github-fine-grained-pat",
            "GITHUB_TOKEN",
            "GitHub fine-grained personal access token",
            new String[] {"github_pat_"},
            B + "(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})" + E,
            0.99,
            entropy(3.5)));
    r.add(
        rule(
            "gitlab-token",
            "GITLAB_TOKEN",
            "GitLab token",
            new String[] {
              "glpat-",
              "glptt-",
              "gldt-",
              "glrt-",
              "gloas-",
              "glsoat-",
              "glcbt-",
              "glft-",
              "glimt-",
              "glagent-",
              "glffct-",
              "GR1348941"
            },
            // classic tokens carry 20 to 50 random chars; routable ones (GitLab 17+) end in
            // a dot, a two-char version and a seven-char CRC part
            B
                + "((?:glpat-|gldt-|glrt-|glsoat-|glcbt-|glft-|glffct-|GR1348941)[A-Za-z0-9_-]{20,50}"
                + "|(?:glpat-|glrt-|gldt-)[A-Za-z0-9_-]{27,300}\\.[0-9a-z]{2}[0-9a-z]{7}"
                + "|glptt-[A-Za-z0-9_-]{40}|gloas-[A-Za-z0-9_-]{64}|glimt-[A-Za-z0-9_-]{25}"
                + "|glagent-[A-Za-z0-9_-]{50,80})(?![A-Za-z0-9_.-])",
            0.95,
            entropy(3.0)));
    r.add(
        rule(
            "npm-token",
            "NPM_TOKEN",
            "npm access token",
            new String[] {"npm_"},
            B + "(npm_[A-Za-z0-9]{36})" + E,
            0.95,
            entropy(3.5)));
    r.add(
        rule(
            "pypi-token",
            "PYPI_TOKEN",
            "PyPI upload token",
            new String[] {"pypi-AgE"},
            B + "(pypi-AgE[A-Za-z0-9_-]{100,400})" + E,
            0.97,
            entropy(3.5)));
    r.add(
        rule(
            "atlassian-api-token",
            "ATLASSIAN_TOKEN",
            "Atlassian API token",
            new String[] {"ATATT3"},
            B + "(ATATT3[A-Za-z0-9_=-]{180,200})" + E,
            0.95,
            entropy(3.5)));
    r.add(
        rule(
            "artifactory-token",
            "ARTIFACTORY_TOKEN",
            "JFrog Artifactory token",
            new String[] {"AKCp", "cmVmdGtu"},
            // API keys: AKCp and 69 base62 chars; reference tokens: base64 of "reftkn:" and more
            B + "(AKCp[A-Za-z0-9]{69}|cmVmdGtu[A-Za-z0-9]{56})" + E,
            0.9,
            entropy(3.5)));
    r.add(
        rule(
            "sonar-token",
            "SONAR_TOKEN",
            "SonarQube token",
            new String[] {"squ_", "sqp_", "sqa_"},
            // user, project and global analysis tokens of SonarQube 9.5 and later
            B + "(sq[upa]_[a-f0-9]{40})" + E,
            0.95,
            entropy(3.0)));
    r.add(
        rule(
            "softlayer-api-key",
            "SOFTLAYER_KEY",
            "SoftLayer API key in an API URL",
            new String[] {"api.softlayer.com/"},
            "(?i)api\\.softlayer\\.com/(?:soap|rest)/v3(?:\\.1)?/([a-z0-9]{64})(?![a-z0-9])",
            0.9,
            SecretRule.Check.NONE));
    r.add(
        rule(
            "sourcegraph-token",
            "SOURCEGRAPH_TOKEN",
            "Sourcegraph access token",
            new String[] {"sgp_"},
            B + "(sgp_(?:[a-fA-F0-9]{16}_|local_)?[a-fA-F0-9]{40})" + E,
            0.9,
            entropy(3.2)));
    // --- chat, mail and payments
    r.add(
        rule(
            "slack-token",
            "SLACK_TOKEN",
            "Slack token",
            new String[] {"xox"},
            B
                + "(xox[abposre]-[0-9]{6,13}(?:-[0-9]{6,13}){0,3}-(?=[0-9]{0,63}[A-Za-z])[A-Za-z0-9]{8,64}"
                + "|xoxe\\.xox[bp]-[0-9]-[A-Za-z0-9]{100,300}|xoxe-[0-9]-[A-Za-z0-9]{140,300})"
                + E,
            0.95,
            entropy(3.0)));
    r.add(
        rule(
            "slack-app-token",
            "SLACK_TOKEN",
            "Slack app-level token",
            new String[] {"xapp-"},
            B + "(xapp-[0-9]-[A-Z0-9]{8,16}-[0-9]{8,16}-[a-z0-9]{32,80})" + E,
            0.95,
            entropy(3.0)));
    r.add(
        rule(
            "slack-webhook",
            "SLACK_WEBHOOK",
            "Slack webhook URL",
            new String[] {"hooks.slack.com"},
            "(https?://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{30,130})",
            0.95,
            entropy(3.5)));
    r.add(
        rule(
            "discord-bot-token",
            "DISCORD_TOKEN",
            "Discord bot token",
            new String[] {"M", "N", "O"},
            "(?<![A-Za-z0-9_.-])([MNO][A-Za-z0-9_-]{23,25}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38})(?![A-Za-z0-9_.-])",
            0.9,
            entropy(3.5)));
    r.add(
        rule(
            "discord-webhook",
            "DISCORD_WEBHOOK",
            "Discord webhook URL",
            new String[] {"/api/webhooks/"},
            "(https://(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/[0-9]{17,20}/[A-Za-z0-9_-]{60,72})",
            0.95,
            SecretRule.Check.NONE));
    r.add(
        rule(
            "telegram-bot-token",
            "TELEGRAM_TOKEN",
            "Telegram bot token",
            new String[] {":AA"},
            "(?<![0-9])([0-9]{8,10}:AA[A-Za-z0-9_-]{33})" + E,
            0.95,
            entropy(3.5)));
    r.add(
        rule(
            "stripe-secret-key",
            "STRIPE_KEY",
            "Stripe secret key",
            new String[] {"sk_live_", "sk_test_", "rk_live_", "rk_test_"},
            B + "((?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,99})" + E,
            0.95,
            entropy(3.5)));
    r.add(
        rule(
            "square-token",
            "SQUARE_TOKEN",
            "Square access token or secret",
            new String[] {"sq0atp-", "sq0csp-", "EAAA"},
            B + "(sq0(?:atp|csp)-[A-Za-z0-9_-]{22,43}|EAAA[A-Za-z0-9_-]{60})" + E,
            0.95,
            entropy(3.5)));
    r.add(
        rule(
            "facebook-access-token",
            "FACEBOOK_TOKEN",
            "Facebook access token",
            new String[] {"EAA"},
            B + "(EAA[A-Za-z0-9]{90,400})" + E,
            0.9,
            entropy(3.5)));
    r.add(
        rule(
            "facebook-app-token",
            "FACEBOOK_TOKEN",
            "Facebook app access token",
            new String[] {"|"},
            "(?<![0-9])([0-9]{15,16}\\|[A-Za-z0-9_-]{27})(?![A-Za-z0-9_-])",
            0.9,
            entropy(3.5)));
    r.add(
        rule(
            "shopify-token",
            "SHOPIFY_TOKEN",
            "Shopify access token",
            new String[] {"shpat_", "shpca_", "shppa_", "shpss_"},
            B + "(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})" + E,
            0.97,
            entropy(3.0)));
    r.add(
        rule(
            "sendgrid-api-key",
            "SENDGRID_KEY",
            "SendGrid API key",
            new String[] {"SG."},
            B + "(SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43})" + E,
            0.97,
            entropy(3.5)));
    r.add(
        rule(
            "twilio-api-key",
            "TWILIO_KEY",
            "Twilio account SID or API key",
            new String[] {"AC", "SK"},
            // AC: account SID, SK: API key SID; 32 lowercase hex chars
            B + "((?:AC|SK)[0-9a-f]{32})" + E,
            0.8,
            entropy(3.0)));
    r.add(
        rule(
            "mailgun-api-key",
            "MAILGUN_KEY",
            "Mailgun API key",
            new String[] {"key-"},
            B + "(key-[0-9a-f]{32})" + E,
            0.9,
            entropy(3.0)));
    r.add(
        rule(
            "mailchimp-api-key",
            "MAILCHIMP_KEY",
            "Mailchimp API key",
            new String[] {"-us"},
            B + "([0-9a-f]{32}-us[0-9]{1,2})" + E,
            0.9,
            entropy(3.0)));
    // --- AI providers
    r.add(
        rule(
            "openai-api-key",
            "OPENAI_KEY",
            "OpenAI API key",
            new String[] {"sk-"},
            B
                + "(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200}"
                + "|sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{80,200}|sk-[A-Za-z0-9]{48})"
                + E,
            0.97,
            entropy(3.5)));
    r.add(
        rule(
            "anthropic-api-key",
            "ANTHROPIC_KEY",
            "Anthropic API key",
            new String[] {"sk-ant-"},
            B + "(sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{93}AA)" + E,
            0.98,
            entropy(3.5)));
    r.add(
        rule(
            "huggingface-token",
            "HUGGINGFACE_TOKEN",
            "Hugging Face token",
            new String[] {"hf_", "api_org_"},
            B + "(hf_[A-Za-z]{34}|api_org_[A-Za-z]{34})" + E,
            0.95,
            entropy(3.5)));
    r.add(
        rule(
            "perplexity-api-key",
            "PERPLEXITY_KEY",
            "Perplexity API key",
            new String[] {"pplx-"},
            B + "(pplx-[A-Za-z0-9]{48})" + E,
            0.95,
            entropy(3.5)));
    // --- identity, observability and developer tools
    r.add(
        rule(
            "jwt",
            "JWT",
            "JSON Web Token",
            new String[] {"eyJ"},
            B
                + "(eyJ[A-Za-z0-9_-]{10,2000}+\\.eyJ[A-Za-z0-9_-]{4,8000}+(?:\\.[A-Za-z0-9_-]{0,1000}+)?)"
                + "(?![A-Za-z0-9_-])",
            0.85,
            SecretRules::jwt));
    r.add(
        rule(
            "onepassword-service-account-token",
            "ONEPASSWORD_TOKEN",
            "1Password service account token",
            new String[] {"ops_eyJ"},
            B + "(ops_eyJ[A-Za-z0-9+/]{250,4000}={0,3})" + E,
            0.97,
            entropy(3.5)));
    r.add(
        rule(
            "onepassword-secret-key",
            "ONEPASSWORD_KEY",
            "1Password secret key",
            new String[] {"A3-"},
            B
                + "(A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})"
                + E,
            0.95,
            entropy(3.0)));
    r.add(
        rule(
            "grafana-token",
            "GRAFANA_TOKEN",
            "Grafana token",
            new String[] {"glc_", "glsa_"},
            B + "(glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})" + E,
            0.95,
            entropy(3.5)));
    r.add(
        rule(
            "notion-token",
            "NOTION_TOKEN",
            "Notion integration token",
            new String[] {"ntn_", "secret_"},
            B + "(ntn_[0-9]{11}[A-Za-z0-9]{35})" + E,
            0.95,
            entropy(3.5)));
    r.add(
        rule(
            "infracost-token",
            "INFRACOST_TOKEN",
            "Infracost API token",
            new String[] {"ico-"},
            B + "(ico-[A-Za-z0-9]{32})" + E,
            0.95,
            entropy(3.5)));
    r.add(
        rule(
            "scalingo-token",
            "SCALINGO_TOKEN",
            "Scalingo API token",
            new String[] {"tk-us-"},
            B + "(tk-us-[A-Za-z0-9_-]{48})" + E,
            0.95,
            entropy(3.5)));
    r.add(
        rule(
            "openshift-token",
            "OPENSHIFT_TOKEN",
            "OpenShift user token",
            new String[] {"sha256~"},
            B + "(sha256~[A-Za-z0-9_-]{43})" + E,
            0.95,
            entropy(3.5)));
    r.add(
        rule(
            "octopus-deploy-api-key",
            "OCTOPUS_KEY",
            "Octopus Deploy API key",
            new String[] {"API-"},
            B + "(API-[A-Z0-9]{26})" + E,
            0.85,
            entropy(3.5)));
    r.add(
        rule(
            "intra42-client-secret",
            "INTRA42_SECRET",
            "42 intra client secret",
            new String[] {"s-s4t2"},
            B + "(s-s4t2(?:ud|af)-[a-f0-9]{64})" + E,
            0.95,
            entropy(3.0)));
    r.add(
        rule(
            "prefect-api-key",
            "PREFECT_KEY",
            "Prefect API key",
            new String[] {"pnu_"},
            B + "(pnu_[A-Za-z0-9]{36})" + E,
            0.95,
            entropy(3.5)));
    r.add(
        rule(
            "postman-api-key",
            "POSTMAN_KEY",
            "Postman API key",
            new String[] {"PMAK-"},
            B + "(PMAK-[a-f0-9]{24}-[a-f0-9]{34})" + E,
            0.97,
            entropy(3.0)));
    r.add(
        rule(
            "linear-api-key",
            "LINEAR_KEY",
            "Linear API key",
            new String[] {"lin_api_"},
            B + "(lin_api_[A-Za-z0-9]{40})" + E,
            0.97,
            entropy(3.5)));
    r.add(
        rule(
            "doppler-token",
            "DOPPLER_TOKEN",
            "Doppler token",
            new String[] {"dp.pt.", "dp.st."},
            B + "(dp\\.(?:pt|st)\\.[A-Za-z0-9]{43})" + E,
            0.97,
            entropy(3.5)));
    r.add(
        rule(
            "age-secret-key",
            "AGE_KEY",
            "age encryption secret key",
            new String[] {"AGE-SECRET-KEY-1"},
            B + "(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})" + E,
            0.99,
            SecretRule.Check.NONE));
    // --- more vendor prefixes (formats as published by the vendors and public scanners)
    r.add(
        rule(
            "gcp-oauth-client-secret",
            "GCP_OAUTH_SECRET",
            "Google OAuth client secret",
            new String[] {"GOCSPX-"},
            B + "(GOCSPX-[A-Za-z0-9_-]{28})" + E,
            0.95,
            entropy(3.0)));
    r.add(
        rule(
            "docker-hub-pat",
            "DOCKER_TOKEN",
            "Docker Hub personal access token",
            new String[] {"dckr_pat_"},
            B + "(dckr_pat_[A-Za-z0-9_-]{27})" + E,
            0.95,
            entropy(3.0)));
    r.add(
        rule(
            "groq-api-key",
            "GROQ_KEY",
            "Groq API key",
            new String[] {"gsk_"},
            B + "(gsk_[A-Za-z0-9]{52})" + E,
            0.95,
            entropy(3.0)));
    r.add(
        rule(
            "xai-api-key",
            "XAI_KEY",
            "xAI API key",
            new String[] {"xai-"},
            B + "(xai-[A-Za-z0-9]{80})" + E,
            0.95,
            entropy(3.0)));
    r.add(
        rule(
            "replicate-api-token",
            "REPLICATE_TOKEN",
            "Replicate API token",
            new String[] {"r8_"},
            B + "(r8_[A-Za-z0-9]{37})" + E,
            0.9,
            entropy(3.0)));
    r.add(
        rule(
            "new-relic-api-key",
            "NEW_RELIC_KEY",
            "New Relic user API key",
            new String[] {"NRAK-"},
            B + "(NRAK-[A-Z0-9]{27})" + E,
            0.95,
            entropy(3.0)));
    r.add(
        rule(
            "pulumi-api-token",
            "PULUMI_TOKEN",
            "Pulumi access token",
            new String[] {"pul-"},
            B + "(pul-[a-f0-9]{40})" + E,
            0.95,
            entropy(3.0)));
    r.add(
        rule(
            "rubygems-api-token",
            "RUBYGEMS_TOKEN",
            "RubyGems API key",
            new String[] {"rubygems_"},
            B + "(rubygems_[a-f0-9]{48})" + E,
            0.97,
            entropy(3.0)));
    r.add(
        rule(
            "clojars-api-token",
            "CLOJARS_TOKEN",
            "Clojars deploy token",
            new String[] {"CLOJARS_"},
            B + "(CLOJARS_[a-z0-9]{60})" + E,
            0.95,
            entropy(3.0)));
    r.add(
        rule(
            "planetscale-token",
            "PLANETSCALE_TOKEN",
            "PlanetScale token or password",
            new String[] {"pscale_tkn_", "pscale_pw_", "pscale_oauth_"},
            B + "(pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_=.-]{32,64})" + E,
            0.95,
            entropy(3.0)));
    r.add(
        rule(
            "shippo-api-token",
            "SHIPPO_TOKEN",
            "Shippo API token",
            new String[] {"shippo_live_", "shippo_test_"},
            B + "(shippo_(?:live|test)_[a-fA-F0-9]{40})" + E,
            0.95,
            entropy(3.0)));
    r.add(
        rule(
            "dynatrace-api-token",
            "DYNATRACE_TOKEN",
            "Dynatrace API token",
            new String[] {"dt0c01."},
            B + "(dt0c01\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{64})" + E,
            0.97,
            entropy(3.0)));
    r.add(
        rule(
            "easypost-api-token",
            "EASYPOST_TOKEN",
            "EasyPost API key",
            new String[] {"EZAK", "EZTK"},
            B + "(EZ[AT]K[A-Za-z0-9]{54})" + E,
            0.95,
            entropy(3.0)));
    r.add(
        rule(
            "sentry-token",
            "SENTRY_TOKEN",
            "Sentry user auth token",
            new String[] {"sntryu_"},
            B + "(sntryu_[a-f0-9]{64})" + E,
            0.97,
            entropy(3.0)));
    r.add(
        rule(
            "supabase-token",
            "SUPABASE_TOKEN",
            "Supabase personal access token",
            new String[] {"sbp_"},
            B + "(sbp_[a-f0-9]{40})" + E,
            0.95,
            entropy(3.0)));
    r.add(
        rule(
            "alibaba-access-key-id",
            "ALIBABA_ACCESS_KEY",
            "Alibaba Cloud AccessKey id",
            new String[] {"LTAI"},
            B + "(LTAI[A-Za-z0-9]{20})" + E,
            0.9,
            entropy(3.0)));
    r.add(
        rule(
            "deno-deploy-token",
            "DENO_TOKEN",
            "Deno Deploy token",
            new String[] {"ddp_", "ddw_"},
            B + "(dd[pw]_[A-Za-z0-9]{36})" + E,
            0.95,
            entropy(3.0)));
    r.add(
        rule(
            "readme-api-token",
            "README_TOKEN",
            "ReadMe API key",
            new String[] {"rdme_"},
            B + "(rdme_[a-z0-9]{70})" + E,
            0.95,
            entropy(3.0)));
    r.add(
        rule(
            "frameio-api-token",
            "FRAMEIO_TOKEN",
            "Frame.io API token",
            new String[] {"fio-u-"},
            B + "(fio-u-[A-Za-z0-9_=-]{64})" + E,
            0.95,
            entropy(3.0)));
    r.add(
        rule(
            "duffel-api-token",
            "DUFFEL_TOKEN",
            "Duffel API token",
            new String[] {"duffel_test_", "duffel_live_"},
            B + "(duffel_(?:test|live)_[A-Za-z0-9_=-]{43})" + E,
            0.95,
            entropy(3.0)));
    r.add(
        rule(
            "adobe-client-secret",
            "ADOBE_SECRET",
            "Adobe client secret",
            new String[] {"p8e-"},
            B + "(p8e-[A-Za-z0-9]{32})" + E,
            0.9,
            entropy(3.0)));
    // --- credentials inside URLs
    r.add(
        rule(
            "url-credentials",
            "PASSWORD",
            "password in a URL",
            new String[] {"://"},
            "(?i)(?<![a-z0-9+.-])(?:[a-z][a-z0-9+.-]{1,20})://[^\\s:/@\"'<>]{1,64}:([^\\s:/@\"'<>]{3,128})@"
                + "[a-z0-9][a-z0-9.-]{0,253}",
            0.9,
            SecretRules::urlPassword));
    // formats whose anchor is not their first char: how far before it a match starts (at least,
    // at most), and the chars that may come between
    String alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    String digits = "0123456789";
    Map<String, Object[]> before =
        Map.of(
            "azure-ad-client-secret", new Object[] {4, 4, alnum + "_~.-"},
            "hashicorp-terraform-token", new Object[] {14, 14, alnum},
            "slack-webhook", new Object[] {7, 8, "htps:/"},
            "discord-webhook", new Object[] {8, 30, alnum + ":/.-"},
            "telegram-bot-token", new Object[] {8, 10, digits},
            "facebook-app-token", new Object[] {15, 16, digits},
            "mailchimp-api-key", new Object[] {32, 32, "0123456789abcdef"},
            "url-credentials", new Object[] {2, 21, alnum + "+.-"});
    r.replaceAll(
        x -> {
          Object[] b = before.get(x.format());
          return b == null ? x : x.withPrefix((Integer) b[0], (Integer) b[1], (String) b[2]);
        });
    // long bodies of one class: how far a failed match rules out later anchors
    String url64 = alnum + "_-";
    String std64 = alnum + "+/";
    Map<String, Object[]> bodies =
        Map.of(
            "jwt", new Object[] {url64, 2000},
            "onepassword-service-account-token", new Object[] {std64, 4000},
            "grafana-token", new Object[] {std64, 400},
            "pypi-token", new Object[] {url64, 400},
            "atlassian-api-token", new Object[] {url64 + "=", 200},
            "aws-bedrock-api-key", new Object[] {std64, 300},
            "flyio-token", new Object[] {std64, 2000},
            "vault-token", new Object[] {url64, 300},
            "facebook-access-token", new Object[] {alnum, 400});
    r.replaceAll(
        x -> {
          Object[] b = bodies.get(x.format());
          return b == null ? x : x.withBody((String) b[0], (Integer) b[1]);
        });
    return List.copyOf(r);
  }

  /** Prefixes of vendor formats; a value that has one but fails its format is a fake. */
  private static final String[] VENDOR_PREFIXES = {
    "xox",
    "xapp-",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "sk_live_",
    "rk_live_",
    "sk-ant-",
    "AKIA",
    "ASIA",
    "AIza",
    "hf_",
    "api_org_",
    "npm_",
    "pypi-",
    "SG.",
    "dapi",
    "HRKU-",
    "dop_v1_",
    "shpat_",
    "sq0",
    "ntn_",
    "glsa_",
    "glc_",
    "hvs.",
    "pplx-",
    "pnu_"
  };

  static boolean hasForeignPrefix(String v) {
    for (String p : VENDOR_PREFIXES) {
      if (v.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  private static SecretRule rule(
      String format,
      String entity,
      String description,
      String[] anchors,
      String regex,
      double score,
      SecretRule.Check check) {
    return new SecretRule(
        format,
        entity,
        description,
        anchors,
        Pattern.compile(regex),
        score,
        check,
        0,
        0,
        null,
        null,
        0);
  }

  static SecretRule.Check entropy(double min) {
    return v -> entropyFactor(v, min);
  }

  static double entropyFactor(String v, double min) {
    if (SecretText.isMasked(v) || SecretText.hasSequence(v, 10)) {
      return 0;
    }
    // compare with the entropy the value could at most have at its length
    double cap = Math.min(min, Math.log(v.length()) / Math.log(2) * 0.8);
    return SecretText.entropy(v) >= cap ? 1 : 0;
  }

  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  /**
   * GitHub's current tokens end in six base62 chars of the CRC32 of the 30 random chars before
   * them. A valid checksum is near proof; a wrong one is still reported, at a lower score, when the
   * token looks random (older or hand-edited tokens).
   */
  static double githubChecksum(String token) {
    if (SecretText.isMasked(token)) {
      return 0;
    }
    String body = token.substring(4);
    if (body.length() == 36) {
      String random = body.substring(0, 30);
      CRC32 crc = new CRC32();
      crc.update(random.getBytes(StandardCharsets.US_ASCII));
      if (base62(crc.getValue(), 6).equals(body.substring(30))) {
        return 1;
      }
    }
    return entropyFactor(body, 3.5) > 0 ? 0.7 : 0;
  }

  static String base62(long value, int width) {
    char[] out = new char[width];
    for (int i = width - 1; i >= 0; i--) {
      out[i] = BASE62.charAt((int) (value % 62));
      value /= 62;
    }
    return new String(out);
  }

  /**
   * A JWT's header must decode to a JSON object; a payload that does too raises the score. A header
   * damaged in transit (not JSON, but still naming {@code "alg"} or {@code "typ"}) counts when the
   * payload is a JSON object.
   */
  static double jwt(String token) {
    String[] parts = token.split("\\.", -1);
    JsonNode header = decodeJson(parts[0]);
    JsonNode payload = decodeJson(parts[1]);
    boolean payloadIsObject = payload != null && payload.isObject();
    if (header == null || !header.isObject()) {
      return payloadIsObject && namesHeaderFields(parts[0]) ? 0.8 : 0;
    }
    return payloadIsObject ? 1 : 0.85;
  }

  private static boolean namesHeaderFields(String b64) {
    try {
      String raw =
          new String(Base64.getUrlDecoder().decode(stripPadding(b64)), StandardCharsets.ISO_8859_1);
      return raw.contains("\"alg\"") || raw.contains("\"typ\"");
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static JsonNode decodeJson(String b64) {
    try {
      byte[] raw = Base64.getUrlDecoder().decode(stripPadding(b64));
      if (raw.length < 2 || raw[0] != '{' || lastNonBlank(raw) != '}') {
        return null; // not an object: skip the parser (and its exception)
      }
      return JSON.readTree(raw);
    } catch (IllegalArgumentException | java.io.IOException e) {
      return null;
    }
  }

  private static byte lastNonBlank(byte[] raw) {
    int i = raw.length - 1;
    while (i > 0 && (raw[i] == ' ' || raw[i] == '\n' || raw[i] == '\r' || raw[i] == '\t')) {
      i--;
    }
    return raw[i];
  }

  private static String stripPadding(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '=') {
      end--;
    }
    String t = s.substring(0, end);
    // the URL decoder without padding rejects a length of 1 mod 4
    return t.length() % 4 == 1 ? t.substring(0, t.length() - 1) : t;
  }

  /** {@code scheme://user:password@host}: the password must not be a placeholder. */
  static double urlPassword(String password) {
    if (SecretText.isPlaceholder(password) || password.length() < 3 || password.startsWith("$")) {
      return 0;
    }
    return 1;
  }
}
