using System.Security.Cryptography;
using System.Text;
using QaDatabases.Capacity;

namespace QaDatabases.Hooks;

/// <summary>
/// The bash scripts that post-clone hooks run (as <c>Pulumi.Command</c> <c>Local.Command</c>s) and
/// the environment they read. The password is never an input of the hook: the script reads it from
/// the clone's own Secrets Manager secret when it runs, so it is in neither the script, the
/// environment Pulumi stores in the state, nor any command line (where <c>ps</c> would show it).
/// That also keeps Secrets Manager's rotation of the password from re-running the hooks.
/// </summary>
public static class HookScripts
{
    public const string HostVariable = "QA_DB_HOST";
    public const string PortVariable = "QA_DB_PORT";
    public const string UserVariable = "QA_DB_USER";
    public const string PasswordVariable = "QA_DB_PASSWORD";
    public const string SecretArnVariable = "QA_DB_SECRET_ARN";
    public const string DatabaseVariable = "QA_DB_NAME";
    public const string SslModeVariable = "QA_DB_SSLMODE";
    public const string SmokeQueryVariable = "QA_DB_SMOKE_QUERY";
    public const string BastionVariable = "QA_DB_BASTION";
    public const string LocalPortVariable = "QA_DB_LOCAL_PORT";

    /// <summary>Aurora accepts TLS on every engine version; the hooks insist on it.</summary>
    public const string AuroraSslMode = "require";

    /// <summary>The interpreter the scripts are written for (they use bash's /dev/tcp and pipefail).</summary>
    public static IReadOnlyList<string> Interpreter { get; } = ["/bin/bash", "-c"];

    /// <summary>How long the SSM tunnel may take to open before the hook fails.</summary>
    public const int TunnelWaitSeconds = 60;

    /// <summary>Runs each masking file in order, each in one transaction, stopping at the first error.</summary>
    public static string Masking(EngineFamily engine, ConnectionRoute route, IReadOnlyList<string> files)
    {
        var script = Preamble(engine, route);
        foreach (var file in files)
        {
            script.AppendLine(engine == EngineFamily.PostgreSql
                ? $"psql -X -q -v ON_ERROR_STOP=1 --single-transaction -f {Quote(file)}"
                : $"mysql \"${{mysql_args[@]}}\" --comments < {Quote(file)}");
        }

        return script.ToString();
    }

    /// <summary>Runs the smoke query; its unaligned, header-less output is the hook's stdout.</summary>
    /// <remarks>
    /// <paramref name="connectTimeoutSeconds"/> is how long a connection attempt may take. A claimed
    /// pool member is usually paused, and the first connection waits while Aurora resumes it (about
    /// 15 s, sometimes longer): give it <see cref="ResumeConnectTimeoutSeconds"/>.
    /// </remarks>
    public static string SmokeCheck(EngineFamily engine, ConnectionRoute route, int connectTimeoutSeconds = ConnectTimeoutSeconds)
    {
        var script = Preamble(engine, route, connectTimeoutSeconds);
        script.AppendLine(engine == EngineFamily.PostgreSql
            ? $"psql -X -q -A -t -v ON_ERROR_STOP=1 -c \"${SmokeQueryVariable}\""
            : $"mysql \"${{mysql_args[@]}}\" -N -B -e \"${SmokeQueryVariable}\"");
        return script.ToString();
    }

    /// <summary>
    /// A fingerprint of the masking files' names and contents: the masking hook re-runs when it
    /// changes, and only then (or when the clone itself is replaced).
    /// </summary>
    public static string Fingerprint(IEnumerable<(string Path, string Content)> files)
    {
        var text = new StringBuilder();
        foreach (var (path, content) in files)
        {
            text.Append(path).Append('\0').Append(content.ReplaceLineEndings("\n")).Append('\0');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>A loopback port per stack, so two stacks deploying from one runner do not collide.</summary>
    public static int LocalTunnelPort(string stackName) =>
        20_000 + (int)(BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(stackName)), 0) % 20_000);

    /// <summary>A connection attempt to a running clone.</summary>
    public const int ConnectTimeoutSeconds = 15;

    /// <summary>A connection attempt that may have to wait for a paused clone to resume.</summary>
    public const int ResumeConnectTimeoutSeconds = 60;

    private static StringBuilder Preamble(EngineFamily engine, ConnectionRoute route, int connectTimeoutSeconds = ConnectTimeoutSeconds)
    {
        var script = new StringBuilder();
        script.AppendLine("set -euo pipefail");
        script.AppendLine($$"""
            if [ -z "${{{PasswordVariable}}:-}" ]; then
              {{PasswordVariable}}="$(aws secretsmanager get-secret-value --region "$(echo "${{{SecretArnVariable}}}" | cut -d: -f4)" \
                --secret-id "${{{SecretArnVariable}}}" --query SecretString --output text \
                | python3 -c 'import json, sys; print(json.load(sys.stdin)["password"])')"
            fi
            """);
        if (route == ConnectionRoute.SsmPortForward)
        {
            script.AppendLine($$"""
                aws ssm start-session --target "${{{BastionVariable}}}" \
                  --document-name AWS-StartPortForwardingSessionToRemoteHost \
                  --parameters "{\"host\":[\"${{{HostVariable}}}\"],\"portNumber\":[\"${{{PortVariable}}}\"],\"localPortNumber\":[\"${{{LocalPortVariable}}}\"]}" >/dev/null &
                tunnel=$!
                trap 'kill "$tunnel" 2>/dev/null || true' EXIT
                waited=0
                until (exec 3<>"/dev/tcp/127.0.0.1/${{{LocalPortVariable}}}") 2>/dev/null; do
                  if ! kill -0 "$tunnel" 2>/dev/null; then
                    echo "qa-db: the SSM port forward through ${{{BastionVariable}}} ended before it opened" >&2; exit 1
                  fi
                  if [ "$waited" -ge {{TunnelWaitSeconds}} ]; then
                    echo "qa-db: the SSM port forward through ${{{BastionVariable}}} did not open within {{TunnelWaitSeconds}}s" >&2; exit 1
                  fi
                  sleep 1; waited=$((waited + 1))
                done
                {{HostVariable}}=127.0.0.1
                {{PortVariable}}="${{{LocalPortVariable}}}"
                """);
        }

        script.AppendLine(engine == EngineFamily.PostgreSql
            ? $"export PGHOST=\"${HostVariable}\" PGPORT=\"${PortVariable}\" PGUSER=\"${UserVariable}\" PGPASSWORD=\"${PasswordVariable}\" PGDATABASE=\"${DatabaseVariable}\" PGSSLMODE=\"${SslModeVariable}\" PGCONNECT_TIMEOUT={connectTimeoutSeconds}"
            : $"export MYSQL_PWD=\"${PasswordVariable}\"\nssl_mode=DISABLED; [ \"${SslModeVariable}\" = disable ] || ssl_mode=REQUIRED\nmysql_args=(--host=\"${HostVariable}\" --port=\"${PortVariable}\" --user=\"${UserVariable}\" --ssl-mode=\"$ssl_mode\" --connect-timeout={connectTimeoutSeconds} \"${DatabaseVariable}\")");
        return script;
    }

    private static string Quote(string text) => $"'{text.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
