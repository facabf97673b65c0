using QaDatabases.Cli.Commands;
using QaDatabases.Configuration;

namespace QaDatabases.Cli;

/// <summary>Entry point of <c>qa-db</c>: one verb, then <c>--option value</c> pairs and flags.</summary>
internal static class QaDbCli
{
    public const string Usage = """
        usage:
          qa-db plan [--stack qa] [--dir .] [--source-engine aurora-postgresql] [--source-engine-version 16.4]
              Validate a stack's config offline and show what `pulumi up` would declare.
          qa-db expired --clusters clusters.json [--now 2026-11-24T12:00:00Z] [--execute] [--pulumi pulumi]
              Read `aws rds describe-db-clusters --output json`, report expired QA environments and
              print (or, with --execute, run) the commands that destroy and remove their stacks.
          qa-db isolation-check [--source-env QA_DB_SOURCE_CONNECTION] [--clone-env QA_DB_CLONE_CONNECTION]
              Write a marker row to the clone and prove it is absent from the source. Connection
              strings are read from the named environment variables, never from the command line.
          qa-db pool --pool POOL --clusters clusters.json --leases params.json [--now T]
              Report each member of a pool: free, leased (by whom, since when), used or refilling.
          qa-db pool claim|release|refill-lease|refill-done --pool POOL [--stack ORG/PROJECT/STACK] [--member N] [--region R]
              The lease commands `pulumi up`/`destroy` run (SSM; exit 3 from claim: no free member).
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await stdout.WriteLineAsync(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            if (args[0] == "pool")
            {
                return await PoolCommand.RunAsync(args[1..], stdout, stderr);
            }

            var options = CommandOptions.Parse(args.Skip(1));
            return args[0] switch
            {
                "plan" => await PlanCommand.RunAsync(options, stdout),
                "expired" => await ExpiredCommand.RunAsync(options, stdout),
                "isolation-check" => await IsolationCheckCommand.RunAsync(options, stdout),
                _ => throw new UsageException($"unknown command '{args[0]}'"),
            };
        }
        catch (UsageException e)
        {
            await stderr.WriteLineAsync($"qa-db: {e.Message}{Environment.NewLine}{Usage}");
            return 2;
        }
        catch (ConfigValidationException e)
        {
            await stderr.WriteLineAsync($"qa-db: {e.Message}");
            return 1;
        }
    }
}

/// <summary>The command line was malformed.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary><c>--name value</c> options and bare <c>--flag</c>s.</summary>
internal sealed class CommandOptions
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public static CommandOptions Parse(IEnumerable<string> args)
    {
        var options = new CommandOptions();
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            if (!list[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unexpected argument '{list[i]}'");
            }

            var name = list[i][2..];
            if (i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                options._values[name] = list[++i];
            }
            else
            {
                options._flags.Add(name);
            }
        }

        return options;
    }

    public string? Get(string name)
    {
        _read.Add(name);
        return _values.GetValueOrDefault(name);
    }

    public string Get(string name, string fallback) => Get(name) ?? fallback;

    /// <summary>An option holding a UTC timestamp, refused with the allowed form when malformed.</summary>
    public DateTimeOffset? GetTimestamp(string name) => Get(name) switch
    {
        null => null,
        var text when UtcTimestamp.TryParse(text, out var value) => value,
        var text => throw new UsageException($"--{name} '{text}': expected {UtcTimestamp.Allowed}"),
    };

    public bool Flag(string name)
    {
        _read.Add(name);
        return _flags.Contains(name);
    }

    /// <summary>Refuses options the command did not read, so a typo is not silently ignored.</summary>
    public void RejectUnknown()
    {
        var unknown = _values.Keys.Concat(_flags).Where(n => !_read.Contains(n)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}");
        }
    }
}
