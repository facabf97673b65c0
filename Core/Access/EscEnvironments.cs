using System.Globalization;
using System.Text;

namespace QaDatabases.Access;

/// <summary>
/// The Pulumi ESC environments that hand out each role's credentials: one per role, named
/// <c>&lt;escProject&gt;/deployer</c> and <c>&lt;escProject&gt;/stewards</c>, each an <c>aws-login</c>
/// with OIDC. A stack file imports its role's environment (<c>environment:</c> in
/// <c>Pulumi.&lt;stack&gt;.yaml</c>), so <c>pulumi up</c> from a laptop or a CI job gets the same scoped
/// role as Pulumi Deployments.
/// </summary>
/// <remarks>
/// Pulumi's documentation ("Configuring OpenID Connect for AWS", Pulumi ESC) gives ESC's token the
/// audience <c>aws:&lt;org&gt;</c> and, by default, the subject
/// <c>pulumi:environments:org:&lt;org&gt;:env:&lt;project&gt;/&lt;environment&gt;</c>; but when the
/// environment is opened by Pulumi IaC (a stack that imports it) that default subject ends in the literal
/// <c>&lt;yaml&gt;</c> for every environment. The environments therefore set
/// <c>subjectAttributes: [currentEnvironment.name]</c>, which makes the subject
/// <c>pulumi:environments:pulumi.organization.login:&lt;org&gt;:currentEnvironment.name:&lt;project&gt;/&lt;environment&gt;</c>
/// however the environment is opened, and the roles trust exactly that subject.
/// </remarks>
public static class EscEnvironments
{
    /// <summary>The ESC project the environments go in unless <c>escProject</c> says otherwise.</summary>
    public const string DefaultProject = "qa-db";

    /// <summary>Deployments asks for one-hour sessions (deploy/qa.deployment-settings.json); ESC the same.</summary>
    public const string SessionDuration = "1h";

    /// <summary>The environment of a role: <c>&lt;escProject&gt;/&lt;role&gt;</c>, as stack files import it.</summary>
    public static string Name(string escProject, AccessRole role) => $"{escProject}/{AccessRoles.Name(role)}";

    /// <summary>The audience of ESC's tokens for AWS.</summary>
    public static string Audience(string organization) => $"aws:{organization}";

    /// <summary>The subject of the token an environment's <c>aws-login</c> sends (with the subject attribute below).</summary>
    public static string Subject(string organization, string environment) =>
        $"pulumi:environments:pulumi.organization.login:{organization}:currentEnvironment.name:{environment}";

    /// <summary>
    /// The environment's definition, for <c>pulumi env edit</c> / <c>esc env edit</c>: an <c>aws-login</c>
    /// that assumes <paramref name="roleArn"/> and exports the session as the AWS SDKs' environment
    /// variables, which the Pulumi program, the AWS provider, the hooks' <c>aws</c> CLI and the
    /// <c>qa-db</c> CLI all read.
    /// </summary>
    public static string Definition(string environment, string roleArn, string sessionName)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine(CultureInfo.InvariantCulture, $"# Pulumi ESC environment {environment}: short-lived credentials of {roleArn} through OIDC.");
        yaml.AppendLine("# Stacks import it with `environment: [" + environment + "]` in Pulumi.<stack>.yaml.");
        yaml.AppendLine("values:");
        yaml.AppendLine("  aws:");
        yaml.AppendLine("    login:");
        yaml.AppendLine("      fn::open::aws-login:");
        yaml.AppendLine("        oidc:");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"          roleArn: {roleArn}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"          sessionName: {sessionName}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"          duration: {SessionDuration}");
        yaml.AppendLine("          subjectAttributes:");
        yaml.AppendLine("            - currentEnvironment.name");
        yaml.AppendLine("  environmentVariables:");
        yaml.AppendLine("    AWS_ACCESS_KEY_ID: ${aws.login.accessKeyId}");
        yaml.AppendLine("    AWS_SECRET_ACCESS_KEY: ${aws.login.secretAccessKey}");
        yaml.AppendLine("    AWS_SESSION_TOKEN: ${aws.login.sessionToken}");
        return yaml.ToString();
    }

    /// <summary>The ARN IAM gives a role.</summary>
    public static string RoleArn(string partition, string account, string roleName) => $"arn:{partition}:iam::{account}:role/{roleName}";
}
