using System.Security.Cryptography;
using System.Text;
using QaDatabases.Capacity;
using static QaDatabases.Hooks.ShippedCli;

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

    /// <summary>
    /// Where the masking hook hands <c>qa-db masking</c> its connection string (the CLI's default
    /// <c>--connection-env</c>): composed in bash from the variables above when the hook runs, so the
    /// password is never on a command line.
    /// </summary>
    public const string ConnectionVariable = "QA_DB_CONNECTION";

    /// <summary>
    /// The secret the <c>hash</c> strategy salts its digests with (config <c>maskingSalt</c>). The Pulumi
    /// layer passes it to the masking hook from a secret Output, so the state keeps it encrypted; only a
    /// policy that uses <c>hash</c> gets it.
    /// </summary>
    public const string MaskingSaltVariable = "QA_DB_MASKING_SALT";

    /// <summary>Aurora accepts TLS on every engine version; the hooks insist on it.</summary>
    public const string AuroraSslMode = "require";

    /// <summary>The interpreter the scripts are written for (they use bash's /dev/tcp and pipefail).</summary>
    public static IReadOnlyList<string> Interpreter { get; } = ["/bin/bash", "-c"];

    /// <summary>How long the SSM tunnel may take to open before the hook fails.</summary>
    public const int TunnelWaitSeconds = 60;

    /// <summary>Runs each masking file in order, each in one transaction, stopping at the first error.</summary>
    public static string Masking(EngineFamily engine, ConnectionRoute route, IReadOnlyList<string> files) => Masking(engine, route, null, files);

    /// <summary>
    /// The masking hook. With a <paramref name="policy"/>, <c>qa-db masking apply</c> masks the clone
    /// and runs the gate (every column classified, the policy not stale, each deterministic strategy
    /// verified). Then the <paramref name="scripts"/> run in order, each in one transaction, for what
    /// no strategy expresses; after scripts, <c>qa-db masking check --verify-masked</c> runs the gate
    /// again, so nothing a script did reaches publishing unchecked. Any failure fails the hook, and
    /// the SSM parameters, which depend on it, are not written. The hook's stdout is one line saying
    /// what was done: the stack's <c>masking</c> output.
    /// </summary>
    /// <param name="engine">The clone's engine.</param>
    /// <param name="route">How the hook reaches the clone.</param>
    /// <param name="policy">The policy file, relative to the project directory; null: scripts only.</param>
    /// <param name="scripts">SQL files, relative to the project directory, run after the policy.</param>
    public static string Masking(EngineFamily engine, ConnectionRoute route, string? policy, IReadOnlyList<string> scripts)
    {
        if (policy is null && scripts.Count == 0)
        {
            throw new ArgumentException("A masking hook needs a policy or at least one script.", nameof(scripts));
        }

        var script = Start(route);
        if (policy is not null)
        {
            script.AppendLine(ConnectionString(engine));
            script.AppendLine($"masking_summary=\"$({ShippedCli.Run($"masking apply --policy {Quote(policy)} --engine {CliEngine(engine)}")})\"");
        }

        if (scripts.Count > 0)
        {
            script.AppendLine(ClientConnection(engine, ConnectTimeoutSeconds));
        }

        foreach (var file in scripts)
        {
            // Whatever a script prints goes to stderr: the hook's stdout is its one-line summary.
            // The mysql client has no --single-transaction: the file is wrapped in one. In batch mode
            // it stops at the first error and disconnects, and the server rolls the open transaction
            // back. START TRANSACTION shares the file's first line, so mysql's "at line N" is the
            // file's line N; a last statement without ';' runs into COMMIT and fails the file.
            script.AppendLine(engine == EngineFamily.PostgreSql
                ? $"psql -X -q -v ON_ERROR_STOP=1 --single-transaction -f {Quote(file)} >&2"
                : $$"""
                    { printf 'START TRANSACTION; '; cat -- {{Quote(file)}}; printf '\nCOMMIT;\n'; } | mysql "${mysql_args[@]}" --comments >&2 \
                      || { echo {{Quote($"qa-db: {file} failed (the line numbers above are those of this file); its transaction was rolled back and later files did not run")}} >&2; exit 1; }
                    """);
        }

        var files = string.Join(", ", scripts);
        if (policy is null)
        {
            script.AppendLine($"printf '%s\\n' {Quote(ScriptsOnlySummary(scripts))}");
        }
        else if (scripts.Count == 0)
        {
            script.AppendLine("printf '%s\\n' \"$masking_summary\"");
        }
        else
        {
            // The scripts ran after the gate: check again, so a script cannot undo what the gate proved.
            script.AppendLine($"{ShippedCli.Run($"masking check --policy {Quote(policy)} --engine {CliEngine(engine)} --verify-masked")} >&2");
            script.AppendLine($"printf '%s\\n' \"$masking_summary\"{Quote($"; then {files} ran and the gate passed again")}");
        }

        return script.ToString();
    }

    /// <summary>
    /// The gate alone, for a clone of a golden: the golden was masked once, so its clones run no masking
    /// pass. <c>qa-db masking check --verify-masked</c> proves every column is classified by the clone's
    /// policy and every deterministic strategy's values are in place (a golden made under an older policy
    /// fails here even if its fingerprint was not compared). Its stdout, one summary line, is the hook's.
    /// </summary>
    /// <param name="engine">The clone's engine.</param>
    /// <param name="route">How the hook reaches the clone.</param>
    /// <param name="policy">The policy file, relative to the project directory.</param>
    public static string Gate(EngineFamily engine, ConnectionRoute route, string policy)
    {
        var script = Start(route);
        script.AppendLine(ConnectionString(engine));
        script.AppendLine(ShippedCli.Run($"masking check --policy {Quote(policy)} --engine {CliEngine(engine)} --verify-masked"));
        return script.ToString();
    }

    /// <summary>What a masking hook without a policy says it did: scripts ran, and no gate proved anything about the other columns.</summary>
    public static string ScriptsOnlySummary(IReadOnlyList<string> scripts) =>
        $"scripts {string.Join(", ", scripts)} ran; no gate ran: columns they do not mask are published unchecked (set maskingPolicy to classify every column)";

    /// <summary>Runs the smoke query; its unaligned, header-less output is the hook's stdout.</summary>
    /// <remarks>
    /// <paramref name="connectTimeoutSeconds"/> is how long a connection attempt may take. A claimed
    /// pool member is usually paused, and the first connection waits while Aurora resumes it (about
    /// 15 s, sometimes longer): give it <see cref="ResumeConnectTimeoutSeconds"/>.
    /// </remarks>
    public static string SmokeCheck(EngineFamily engine, ConnectionRoute route, int connectTimeoutSeconds = ConnectTimeoutSeconds)
    {
        var script = Start(route);
        script.AppendLine(ClientConnection(engine, connectTimeoutSeconds));
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

    /// <summary>What every hook starts with: strict bash, cleanup on exit, the password, and the SSM tunnel when the route needs one.</summary>
    private static StringBuilder Start(ConnectionRoute route)
    {
        var script = new StringBuilder();
        script.AppendLine("set -euo pipefail");
        // One EXIT trap for everything the hook opens: the SSM tunnel and the mysql option file.
        script.AppendLine("""
            tunnel=""; mysql_options_dir=""
            qa_db_cleanup() {
              if [ -n "$tunnel" ]; then kill "$tunnel" 2>/dev/null || true; fi
              if [ -n "$mysql_options_dir" ]; then rm -rf "$mysql_options_dir"; fi
            }
            trap qa_db_cleanup EXIT
            """);
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

        return script;
    }

    /// <summary>Connection settings for the engine's command-line client (psql or mysql), which the scripts and the smoke check run.</summary>
    private static string ClientConnection(EngineFamily engine, int connectTimeoutSeconds) => engine == EngineFamily.PostgreSql
        ? $"export PGHOST=\"${HostVariable}\" PGPORT=\"${PortVariable}\" PGUSER=\"${UserVariable}\" PGPASSWORD=\"${PasswordVariable}\" PGDATABASE=\"${DatabaseVariable}\" PGSSLMODE=\"${SslModeVariable}\" PGCONNECT_TIMEOUT={connectTimeoutSeconds}"
        : MySqlConnection(connectTimeoutSeconds);

    /// <summary>
    /// The connection string <c>qa-db masking</c> reads from <see cref="ConnectionVariable"/>, in the
    /// syntax of Npgsql or MySqlConnector (both <c>DbConnectionStringBuilder</c>'s): every value in
    /// double quotes, a double quote inside doubled, so a password with <c>;</c>, <c>"</c>, <c>'</c>,
    /// <c>=</c> or spaces stays one value. It is composed in bash after the password was fetched and
    /// the tunnel opened (host and port are then the tunnel's), with builtins only (printf), and
    /// exported to the CLI's environment: never on a command line (printf is a builtin, and
    /// <c>printf -v</c> assigns without a subshell). TLS is required unless the
    /// hook's <see cref="SslModeVariable"/> is <c>disable</c> (local tests); as with psql's
    /// <c>sslmode=require</c>, the certificate is not verified (the RDS CA is not in the system
    /// store, and through the tunnel the host is 127.0.0.1). No command timeout: masking a large
    /// table is one long UPDATE.
    /// </summary>
    private static string ConnectionString(EngineFamily engine)
    {
        var (host, port, user, password, database, ssl, sslOff, sslOn, timeouts) = engine == EngineFamily.PostgreSql
            ? ("Host", "Port", "Username", "Password", "Database", "SSL Mode", "Disable", "Require", $"Timeout={ConnectTimeoutSeconds};Command Timeout=0")
            : ("Server", "Port", "User ID", "Password", "Database", "SslMode", "None", "Required", $"Connection Timeout={ConnectTimeoutSeconds};Default Command Timeout=0");
        return $$"""
            qa_db_quoted() { local value=${1//\"/\"\"}; printf '"%s"' "$value"; }
            if [ "${{{SslModeVariable}}}" = disable ]; then qa_db_ssl={{sslOff}}; else qa_db_ssl={{sslOn}}; fi
            printf -v {{ConnectionVariable}} '{{host}}=%s;{{port}}=%s;{{user}}=%s;{{password}}=%s;{{database}}=%s;{{ssl}}=%s;{{timeouts}}' \
              "$(qa_db_quoted "${{{HostVariable}}}")" "$(qa_db_quoted "${{{PortVariable}}}")" "$(qa_db_quoted "${{{UserVariable}}}")" \
              "$(qa_db_quoted "${{{PasswordVariable}}}")" "$(qa_db_quoted "${{{DatabaseVariable}}}")" "$qa_db_ssl"
            export {{ConnectionVariable}}
            """;
    }

    /// <summary>The <c>--engine</c> value of <c>qa-db masking</c>.</summary>
    public static string CliEngine(EngineFamily engine) => engine == EngineFamily.PostgreSql ? "postgresql" : "mysql";

    /// <summary>
    /// Connection settings for whichever mysql client the runner has. Debian's <c>mysql</c> is
    /// MariaDB's, which knows <c>--ssl</c> but not MySQL 8's <c>--ssl-mode</c>; Oracle's
    /// client is the other way round. The password goes into an option file that only this user can
    /// read (MYSQL_PWD is deprecated by MySQL 8), removed on exit; <c>--defaults-file</c> also keeps
    /// the runner's own ~/.my.cnf or /etc/mysql from changing the user, password or TLS.
    /// MariaDB's client (10.x) quietly falls back to plain text when the server offers no TLS, so
    /// with it the hook first checks that its session is encrypted. Neither client verifies the
    /// certificate (as psql's sslmode=require): the RDS CA is not in the system store, and through
    /// the SSM tunnel the host is 127.0.0.1. MariaDB 11.4+ would verify by default, hence the explicit skip.
    /// </summary>
    private static string MySqlConnection(int connectTimeoutSeconds) => $$"""
        mysql_options_dir="$(mktemp -d)"
        mysql_password=${{{PasswordVariable}}//\\/\\\\}; mysql_password=${mysql_password//\"/\\\"}; mysql_password=${mysql_password//$'\n'/\\n}
        (umask 077; printf '[client]\npassword="%s"\n' "$mysql_password" > "$mysql_options_dir/client.cnf")
        unset mysql_password
        if mysql --version | grep -q MariaDB; then
          mysql_tls=(--ssl --skip-ssl-verify-server-cert); [ "${{{SslModeVariable}}}" != disable ] || mysql_tls=(--skip-ssl)
        else
          mysql_tls=(--ssl-mode=REQUIRED); [ "${{{SslModeVariable}}}" != disable ] || mysql_tls=(--ssl-mode=DISABLED)
        fi
        mysql_args=(--defaults-file="$mysql_options_dir/client.cnf" --host="${{{HostVariable}}}" --port="${{{PortVariable}}}" --user="${{{UserVariable}}}" "${mysql_tls[@]}" --connect-timeout={{connectTimeoutSeconds}} "${{{DatabaseVariable}}}")
        if [ "${mysql_tls[0]}" = --ssl ]; then
          mysql_cipher="$(mysql "${mysql_args[@]}" -N -B -e "SHOW SESSION STATUS LIKE 'Ssl_cipher'" | cut -f2)"
          if [ -z "$mysql_cipher" ]; then
            echo "qa-db: the connection to ${{{HostVariable}}}:${{{PortVariable}}} is not encrypted: the server offers no TLS, and {{SslModeVariable}}=${{{SslModeVariable}}} requires it" >&2; exit 1
          fi
        fi
        """;
}
