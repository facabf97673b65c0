using System.CommandLine;
using System.CommandLine.Parsing;
using QaDatabases.Capacity;
using QaDatabases.Cli.Commands;
using QaDatabases.Configuration;
using QaDatabases.Expiry;

namespace QaDatabases.Cli;

/// <summary>
/// Entry point of <c>qa-db</c>. System.CommandLine parses the arguments, so help (<c>--help</c>),
/// usage errors, option types and shell completion (<c>[suggest]</c>, <c>dotnet-suggest</c>) come
/// from it. Exit codes (<see cref="ExitCodes"/>, the README's "Exit codes"): 0 done, 1 the command's
/// own "no" (invalid config or masking policy, a failed masking gate, expired stack failed, not
/// isolated), 2 a usage error, 3 no free pool member, 4 a service (AWS, the clone's database)
/// unreachable, 5 AWS denied. An unexpected exception is a bug and is left to the runtime, which
/// prints its stack trace.
/// </summary>
internal static class QaDbCli
{
    public const int UsageError = ExitCodes.UsageError;
    public const int Rejected = ExitCodes.Rejected;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parse = Build(stdout, stderr).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync($"qa-db: {error.Message}");
            }

            await stderr.WriteLineAsync("Run 'qa-db --help' for usage.");
            return UsageError;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is UsageException or StackFileException)
        {
            await stderr.WriteLineAsync($"qa-db: {e.Message}{Environment.NewLine}Run 'qa-db --help' for usage.");
            return UsageError;
        }
        catch (ConfigValidationException e)
        {
            await stderr.WriteLineAsync($"qa-db: {e.Message}");
            return Rejected;
        }
    }

    internal static RootCommand Build(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("qa-db: disposable QA databases as Pulumi stacks (offline tools).");
        root.Subcommands.Add(Plan(stdout));
        root.Subcommands.Add(Expired(stdout));
        root.Subcommands.Add(IsolationCheck(stdout));
        root.Subcommands.Add(Policy(stdout, stderr));
        root.Subcommands.Add(Pool(stdout, stderr));
        root.Subcommands.Add(Masking(stdout, stderr));
        return root;
    }

    private static Command Plan(TextWriter stdout)
    {
        var stack = new Option<string>("--stack") { Description = "Stack whose Pulumi.<stack>.yaml is validated.", DefaultValueFactory = _ => "qa" };
        var dir = new Option<string>("--dir") { Description = "Directory holding Pulumi.yaml and the stack file.", DefaultValueFactory = _ => "." };
        var org = new Option<string>("--org") { Description = "Pulumi organization, for the qualified stack name in tags.", DefaultValueFactory = _ => "organization" };
        var engine = new Option<string>("--source-engine") { Description = "The source's engine (looked up at pulumi up).", DefaultValueFactory = _ => "aurora-postgresql" };
        engine.AcceptOnlyFromAmong("aurora-postgresql", "aurora-mysql");
        var version = new Option<string?>("--source-engine-version") { Description = "The source's engine version, e.g. 16.4; omitted: version rules are checked at pulumi up." };
        var port = new Option<int?>("--source-port") { Description = "The source's port; omitted: the engine's default." };
        var subnetGroup = new Option<string?>("--source-subnet-group") { Description = "The source's DB subnet group, shown where the clone inherits it." };
        var now = TimestampOption("--now", "Evaluate expiry and restore times as of this UTC time.");
        var clusters = new Option<string?>("--clusters")
        {
            Description = "Also check maxEnvironments against the output of `aws rds describe-db-clusters --output json` ('-' for stdin), as `pulumi up` does; exit 1 when refused.",
        };

        var command = new Command("plan", "Validate a stack's config offline and show what `pulumi up` would declare, and what it costs per day.")
        {
            stack, dir, org, engine, version, port, subnetGroup, now, clusters,
        };
        command.SetAction((parse, _) => PlanCommand.RunAsync(
            new PlanRequest(parse.GetValue(dir)!, parse.GetValue(stack)!, parse.GetValue(org)!, parse.GetValue(engine)!,
                parse.GetValue(version), parse.GetValue(port), parse.GetValue(subnetGroup), parse.GetValue(now) ?? DateTimeOffset.UtcNow, parse.GetValue(clusters)),
            stdout));
        return command;
    }

    private static Command Expired(TextWriter stdout)
    {
        var clusters = new Option<string>("--clusters")
        {
            Description = "Output of `aws rds describe-db-clusters --output json` ('-' for stdin).",
            Required = true,
        };
        var now = TimestampOption("--now", "Decide expiry as of this UTC time instead of now.");
        var leases = new Option<string?>("--leases")
        {
            Description = "Also check claims on pool members: the output of `aws ssm get-parameters-by-path --path /qa-db/pools/ --recursive --output json`.",
        };
        var execute = new Option<bool>("--execute") { Description = "Run the destroy and stack rm commands, stopping at the first failure." };
        var pulumi = new Option<string>("--pulumi") { Description = "The pulumi executable to run with --execute.", DefaultValueFactory = _ => "pulumi" };

        var command = new Command("expired", "Report expired QA environments and print (or run) the commands that remove their stacks.")
        {
            clusters, leases, now, execute, pulumi,
        };
        command.SetAction((parse, _) => ExpiredCommand.RunAsync(
            parse.GetValue(clusters)!, parse.GetValue(leases), parse.GetValue(now) ?? DateTimeOffset.UtcNow, parse.GetValue(execute), parse.GetValue(pulumi)!, stdout));
        return command;
    }

    private static Command IsolationCheck(TextWriter stdout)
    {
        var sourceEnv = new Option<string>("--source-env")
        {
            Description = "Environment variable holding the source's Npgsql connection string (never the string itself).",
            DefaultValueFactory = _ => "QA_DB_SOURCE_CONNECTION",
        };
        var cloneEnv = new Option<string>("--clone-env")
        {
            Description = "Environment variable holding the clone's Npgsql connection string.",
            DefaultValueFactory = _ => "QA_DB_CLONE_CONNECTION",
        };

        var command = new Command("isolation-check", "Write a marker row to the clone and prove it is absent from the source.")
        {
            sourceEnv, cloneEnv,
        };
        command.SetAction((parse, _) => IsolationCheckCommand.RunAsync(parse.GetValue(sourceEnv)!, parse.GetValue(cloneEnv)!, stdout));
        return command;
    }

    private static Command Policy(TextWriter stdout, TextWriter stderr)
    {
        var stack = new Option<string>("--stack") { Description = "QA stack whose config scopes the policy (source clusters, prefix, SSM path, region).", DefaultValueFactory = _ => "qa" };
        var dir = new Option<string>("--dir") { Description = "Directory holding Pulumi.yaml and the stack file.", DefaultValueFactory = _ => "." };
        var account = new Option<string?>("--account") { Description = "AWS account id for the ARNs; omitted: '*' (a note goes to stderr)." };
        var trust = new Option<bool>("--trust") { Description = "Print the role's trust policy instead of its permissions." };
        var org = new Option<string?>("--org") { Description = "Pulumi organization (audience and subject of the OIDC token); needed with --trust." };
        var project = new Option<string?>("--project") { Description = "Pulumi project the trust is limited to; default: the stack's project." };
        var gitHubRepo = new Option<string?>("--github-repo") { Description = "Also trust GitHub Actions pull_request runs of owner/repo (plain-CLI flow)." };

        var command = new Command("policy", "Print the deployer role's permissions policy (or, with --trust, its trust policy) as JSON on stdout.")
        {
            stack, dir, account, trust, org, project, gitHubRepo,
        };
        command.SetAction((parse, _) => PolicyCommand.RunAsync(
            parse.GetValue(dir)!, parse.GetValue(stack)!, parse.GetValue(account), parse.GetValue(trust), parse.GetValue(org),
            parse.GetValue(project), parse.GetValue(gitHubRepo), stdout, stderr));
        return command;
    }

    /// <summary>
    /// <c>qa-db pool</c> reports a pool from AWS's answers; its subcommands are the lease commands a
    /// claiming stack's and a pool stack's <c>pulumi up</c> and <c>destroy</c> run against SSM.
    /// </summary>
    private static Command Pool(TextWriter stdout, TextWriter stderr)
    {
        Option<string> PoolOption() => new("--pool") { Description = "The pool stack's name.", Required = true };
        Option<string?> RegionOption() => new("--region") { Description = "AWS region of the pool's SSM parameters; default: the SDK's (AWS_REGION, profile)." };
        Option<int> MemberOption() => new("--member")
        {
            Description = "The member's number, 1 or more.",
            Required = true,
            Validators = { result => { if (result.GetValueOrDefault<int>() < 1) { result.AddError("--member: expected a member number, 1 or more"); } } },
        };
        Option<string> StackOption() => new("--stack") { Description = "The claiming stack's fully qualified name, org/project/stack.", Required = true };

        var pool = PoolOption();
        var clusters = new Option<string>("--clusters") { Description = "Output of `aws rds describe-db-clusters --output json`.", Required = true };
        var leases = new Option<string>("--leases") { Description = "Output of `aws ssm get-parameters-by-path --path /qa-db/pools/POOL/ --recursive --output json`.", Required = true };
        var now = TimestampOption("--now", "Report ages as of this UTC time instead of now.");
        var command = new Command("pool", "Report each member of a pool: free, leased (by whom, since when), used or refilling.")
        {
            pool, clusters, leases, now,
        };
        command.SetAction((parse, _) => PoolCommand.ReportAsync(
            parse.GetValue(pool)!, parse.GetValue(clusters)!, parse.GetValue(leases)!, parse.GetValue(now) ?? DateTimeOffset.UtcNow, stdout));

        {
            var claimPool = PoolOption();
            var stack = StackOption();
            var region = RegionOption();
            var ttl = new Option<TimeSpan?>("--ttl")
            {
                Description = "The claiming stack's ttl: the lease expires this long after the claim (e.g. 72h).",
                CustomParser = result =>
                {
                    var text = result.Tokens.Single().Value;
                    if (ExpiryPolicy.TryParseTtl(text, out var value))
                    {
                        return value;
                    }

                    result.AddError($"--ttl '{text}': expected a whole number and a unit m, h or d, e.g. 72h");
                    return null;
                },
            };
            var expiresAt = TimestampOption("--expires-at", "The claiming stack's fixed expiry, instead of --ttl.");
            var allowUnmasked = new Option<bool>("--allow-unmasked-data")
            {
                Description = "Also take a member its pool published unmasked (the claiming stack sets allowUnmaskedData); without it such members are never handed out.",
            };
            var claim = new Command("claim", "Lease one free, ready member (atomic in SSM) and print it as JSON; exit 3 when none is free.")
            {
                claimPool, stack, region, ttl, expiresAt, allowUnmasked,
            };
            claim.Validators.Add(result =>
            {
                if (result.GetValue(ttl) is not null && result.GetValue(expiresAt) is not null)
                {
                    result.AddError("--ttl and --expires-at exclude each other: a lease has one expiry");
                }
            });
            claim.SetAction((parse, _) => PoolCommand.ClaimAsync(
                parse.GetValue(claimPool)!, parse.GetValue(stack)!, parse.GetValue(region),
                parse.GetValue(expiresAt) is { } at ? new ExpiryPolicy.Fixed(at) : parse.GetValue(ttl) is { } t ? new ExpiryPolicy.TimeToLive(t) : null,
                parse.GetValue(allowUnmasked), stdout, stderr));
            command.Subcommands.Add(claim);
        }

        {
            var releasePool = PoolOption();
            var stack = StackOption();
            var member = new Option<int?>("--member") { Description = "The member to release; default: whichever the stack holds." };
            var region = RegionOption();
            var release = new Command("release", "Mark the stack's member used, then end its lease (only the holder may).") { releasePool, stack, member, region };
            release.SetAction((parse, _) => PoolCommand.ReleaseAsync(parse.GetValue(releasePool)!, parse.GetValue(stack)!, parse.GetValue(member), parse.GetValue(region), stdout, stderr));
            command.Subcommands.Add(release);
        }

        foreach (var (name, takeLease, description) in new[]
        {
            ("refill-lease", true, "Lease a member for its refill, so no claim can take it while it is re-cloned."),
            ("refill-done", false, "Clear a re-cloned member's used mark and its refill lease, making it free again."),
        })
        {
            var refillPool = PoolOption();
            var member = MemberOption();
            var region = RegionOption();
            var refill = new Command(name, description) { refillPool, member, region };
            refill.SetAction((parse, _) => PoolCommand.RefillAsync(takeLease, parse.GetValue(refillPool)!, parse.GetValue(member), parse.GetValue(region), stdout, stderr));
            command.Subcommands.Add(refill);
        }

        return command;
    }

    /// <summary>
    /// <c>qa-db masking</c>: the masking policy against a live database. The connection string comes
    /// from an environment variable, never from the command line.
    /// </summary>
    private static Command Masking(TextWriter stdout, TextWriter stderr)
    {
        Option<string> PolicyOption() => new("--policy") { Description = "The masking policy file (YAML), e.g. masking/policy.yaml.", Required = true };
        Option<EngineFamily> EngineOption()
        {
            var option = new Option<EngineFamily>("--engine")
            {
                Description = "The database engine: postgresql or mysql.",
                Required = true,
                HelpName = "postgresql|mysql",
                CustomParser = result => result.Tokens.Single().Value switch
                {
                    "postgresql" => EngineFamily.PostgreSql,
                    "mysql" => EngineFamily.MySql,
                    var other => Invalid(result, $"--engine '{other}': expected postgresql or mysql"),
                },
            };
            option.CompletionSources.Add("postgresql", "mysql");
            return option;
        }

        Option<string> ConnectionOption() => new("--connection-env")
        {
            Description = "Environment variable holding the connection string (Npgsql for postgresql, MySqlConnector for mysql); never the string itself.",
            DefaultValueFactory = _ => MaskingCommand.ConnectionVariable,
        };

        var command = new Command("masking", $"The masking policy: draft it from a database (init), gate a database against it (check), mask and verify (apply). The salt of hash comes from {MaskingCommand.SaltVariable}.");

        {
            var policy = PolicyOption();
            var engine = EngineOption();
            var connection = ConnectionOption();
            var apply = new Command("apply", "Run the gate, mask every table (one transaction each, verified before it commits), print one summary line.") { policy, engine, connection };
            apply.SetAction((parse, _) => MaskingCommand.ApplyAsync(parse.GetValue(policy)!, parse.GetValue(engine), parse.GetValue(connection)!, stdout, stderr));
            command.Subcommands.Add(apply);
        }

        {
            var policy = PolicyOption();
            var engine = EngineOption();
            var connection = ConnectionOption();
            var verifyMasked = new Option<bool>("--verify-masked") { Description = "Also verify that the data is already masked as the policy says (for a clone masked earlier)." };
            var check = new Command("check", "The gate alone, read-only: exit 0, or 1 with every unclassified column, stale entry and misfit listed.") { policy, engine, connection, verifyMasked };
            check.SetAction((parse, _) => MaskingCommand.CheckAsync(parse.GetValue(policy)!, parse.GetValue(engine), parse.GetValue(connection)!, parse.GetValue(verifyMasked), stdout, stderr));
            command.Subcommands.Add(check);
        }

        {
            var output = new Option<string>("--out") { Description = "Where to write the drafted policy.", Required = true };
            var engine = EngineOption();
            var connection = ConnectionOption();
            var force = new Option<bool>("--force") { Description = "Overwrite --out if it exists." };
            var init = new Command("init", "Draft a complete policy from a live database: personal-looking columns masked (reason as a comment), every other column keep.") { output, engine, connection, force };
            init.SetAction((parse, _) => MaskingCommand.InitAsync(parse.GetValue(output)!, parse.GetValue(engine), parse.GetValue(connection)!, parse.GetValue(force), stdout, stderr));
            command.Subcommands.Add(init);
        }

        return command;

        static EngineFamily Invalid(ArgumentResult result, string message)
        {
            result.AddError(message);
            return default;
        }
    }

    /// <summary>An option holding a UTC timestamp; anything else is a parse error naming the allowed form.</summary>
    private static Option<DateTimeOffset?> TimestampOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "2026-11-24T12:00:00Z",
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (UtcTimestamp.TryParse(text, out var value))
            {
                return value;
            }

            result.AddError($"{name} '{text}': expected {UtcTimestamp.Allowed}");
            return null;
        },
    };
}

/// <summary>An input the parser cannot check by itself (a missing file, a missing variable) was wrong.</summary>
internal sealed class UsageException(string message) : Exception(message);
