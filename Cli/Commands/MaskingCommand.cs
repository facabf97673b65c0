using System.Globalization;
using QaDatabases.Capacity;
using QaDatabases.Hooks;
using QaDatabases.Masking;

namespace QaDatabases.Cli.Commands;

/// <summary>
/// <c>qa-db masking apply|check|init</c>: the masking policy against a live database, reached through
/// the connection string in an environment variable (never the command line, which other users of
/// the machine can read). What to check and what SQL to run is decided in Core
/// (<see cref="MaskingGate"/>, <see cref="MaskingStatements"/>, <see cref="PolicyDraft"/>); this runs it.
/// Exit codes: 0 done; 1 rejected (invalid policy, failed gate or verification, a refused login or
/// statement); 2 usage; 4 the database could not be reached.
/// </summary>
internal static class MaskingCommand
{
    /// <summary>
    /// The environment variable holding the salt of <c>hash</c> (the stack's secret <c>maskingSalt</c>):
    /// the one the masking hook sets, so the two cannot drift apart.
    /// </summary>
    public const string SaltVariable = HookScripts.MaskingSaltVariable;

    /// <summary>The environment variable holding the connection string by default: the one the masking hook composes.</summary>
    public const string ConnectionVariable = HookScripts.ConnectionVariable;

    /// <summary>How many rows of each table <c>init</c> reads to look at values.</summary>
    public const int SampleRows = 200;

    /// <summary>Gate, mask (one transaction per table, each verified before it commits), print one summary line.</summary>
    public static Task<int> ApplyAsync(string policyPath, EngineFamily engine, string connectionVariable, TextWriter stdout, TextWriter stderr) =>
        GuardAsync(stderr, async () =>
        {
            var policy = MaskingPolicyFile.Load(policyPath);
            var salt = Environment.GetEnvironmentVariable(SaltVariable);
            if (policy.UsesHash && string.IsNullOrEmpty(salt))
            {
                var hashed = policy.Tables.OfType<MaskTable>()
                    .SelectMany(t => t.Columns.Where(c => c.Strategy.Kind == StrategyKind.Hash).Select(c => $"{t.Name}.{c.Column} (line {c.Line.ToString(CultureInfo.InvariantCulture)})"));
                await stderr.WriteLineAsync(
                    $"qa-db: {policyPath}: the policy hashes {string.Join(", ", hashed)}, which needs a secret salt: set the config key maskingSalt "
                    + $"(pulumi config set --secret maskingSalt ...), which reaches qa-db as {SaltVariable}");
                return ExitCodes.Rejected;
            }

            await using var database = await MaskingDatabase.OpenAsync(engine, connectionVariable);
            var plan = await GateAsync(database, policy, stderr);
            if (plan is null)
            {
                return ExitCodes.Rejected;
            }

            var ledger = await Step(database, "reading the masking ledger", database.ReadLedgerAsync);
            var work = MaskingStatements.Apply(plan, ledger, salt);
            if (work.Count > 0)
            {
                await Step(database, "creating the masking ledger", database.EnsureLedgerAsync);
            }

            for (var i = 0; i < work.Count; i++)
            {
                if (await MaskAsync(database, work[i], stderr) is { } failure)
                {
                    var rest = work.Skip(i + 1).Select(w => w.Subject).ToList();
                    await stderr.WriteLineAsync(
                        $"qa-db: {failure}; {work[i].Subject} is unchanged (its transaction was rolled back); "
                        + $"{i.ToString(CultureInfo.InvariantCulture)} earlier transaction(s) stay masked"
                        + (rest.Count > 0 ? $"; not started: {string.Join(", ", rest)}" : "")
                        + ". Nothing is published until the policy applies completely; a re-run is safe.");
                    return ExitCodes.Rejected;
                }
            }

            await stdout.WriteLineAsync(MaskingSummary.Applied(policyPath, plan));
            return ExitCodes.Done;
        });

    /// <summary>The gate alone (read-only); with <paramref name="verifyMasked"/> also proves the data is masked.</summary>
    public static Task<int> CheckAsync(string policyPath, EngineFamily engine, string connectionVariable, bool verifyMasked, TextWriter stdout, TextWriter stderr) =>
        GuardAsync(stderr, async () =>
        {
            var policy = MaskingPolicyFile.Load(policyPath);
            await using var database = await MaskingDatabase.OpenAsync(engine, connectionVariable);
            var plan = await GateAsync(database, policy, stderr);
            if (plan is null)
            {
                return ExitCodes.Rejected;
            }

            if (verifyMasked)
            {
                var problems = new List<string>();
                foreach (var verification in MaskingStatements.Verify(plan))
                {
                    problems.AddRange(await Step(database, "verifying masked data", () => database.VerifyAsync(verification, null)));
                }

                problems.AddRange(MaskingStatements.LedgerGaps(plan, await Step(database, "reading the masking ledger", database.ReadLedgerAsync)));
                if (problems.Count > 0)
                {
                    await stderr.WriteLineAsync($"qa-db: {policyPath}: the data of {database.Endpoint} is not masked as the policy says ({problems.Count.ToString(CultureInfo.InvariantCulture)} problem(s)):");
                    foreach (var problem in problems)
                    {
                        await stderr.WriteLineAsync(problem);
                    }

                    return ExitCodes.Rejected;
                }
            }

            await stdout.WriteLineAsync(MaskingSummary.Checked(policyPath, plan, verifyMasked));
            return ExitCodes.Done;
        });

    /// <summary>Drafts a complete policy from the live database (names and sampled values), checks it passes the gate, and writes it.</summary>
    public static Task<int> InitAsync(string outPath, EngineFamily engine, string connectionVariable, bool force, TextWriter stdout, TextWriter stderr) =>
        GuardAsync(stderr, async () =>
        {
            if (File.Exists(outPath) && !force)
            {
                throw new UsageException($"{outPath} exists; init drafts a new policy and never overwrites a reviewed one: choose another --out, or pass --force");
            }

            await using var database = await MaskingDatabase.OpenAsync(engine, connectionVariable);
            var catalog = await Step(database, "reading the catalog", database.ReadCatalogAsync);
            var samples = new Dictionary<(string, string), Dictionary<string, List<string?>>>();
            foreach (var table in catalog.Tables)
            {
                var textColumns = table.Columns.Where(c => c.Family == TypeFamily.Text).ToList();
                if (textColumns.Count > 0)
                {
                    samples[(table.Schema, table.Name)] = await Step(database, $"sampling {table.QualifiedName}", () => database.SampleAsync(table, textColumns, SampleRows));
                }
            }

            var yaml = PolicyDraft.Write(catalog, (table, column) =>
                samples.TryGetValue((table.Schema, table.Name), out var columns) && columns.TryGetValue(column.Name, out var values) ? values : null);

            // The draft must be usable as written; if it is not, that is a bug here, not the user's.
            var draft = MaskingPolicyFile.Parse(outPath, yaml);
            var gate = MaskingGate.Check(draft, catalog);
            if (!gate.Passed)
            {
                throw new InvalidOperationException($"the drafted policy does not pass its own gate: {string.Join(Environment.NewLine, gate.Problems)}");
            }

            await File.WriteAllTextAsync(outPath, yaml);
            var plan = gate.Plan!;
            await stdout.WriteLineAsync(
                $"wrote {outPath}: {plan.MaskedColumns.ToString(CultureInfo.InvariantCulture)} column(s) to mask in {plan.Masked.Count().ToString(CultureInfo.InvariantCulture)} table(s), "
                + $"{plan.Truncated.Count.ToString(CultureInfo.InvariantCulture)} to truncate, {plan.KeptColumns.ToString(CultureInfo.InvariantCulture)} kept; review every line, then run qa-db masking check");
            return ExitCodes.Done;
        });

    private static async Task<MaskingPlan?> GateAsync(MaskingDatabase database, MaskingPolicy policy, TextWriter stderr)
    {
        var catalog = await Step(database, "reading the catalog", database.ReadCatalogAsync);
        var gate = MaskingGate.Check(policy, catalog);
        if (gate.Passed)
        {
            return gate.Plan;
        }

        await stderr.WriteLineAsync(
            $"qa-db: masking gate failed: {policy.Path} does not match the database at {database.Endpoint} ({gate.Problems.Count.ToString(CultureInfo.InvariantCulture)} problem(s)); nothing was changed:");
        foreach (var problem in gate.Problems)
        {
            await stderr.WriteLineAsync(problem);
        }

        if (gate.Suggestion is { } suggestion)
        {
            await stderr.WriteLineAsync($"Suggested policy for the tables {policy.Path} does not list (add under tables:, then review):");
            await stderr.WriteAsync(suggestion);
        }

        return null;
    }

    /// <summary>Masks one table (or the truncated tables) in one transaction, verified before it commits; returns why it failed, or null.</summary>
    private static async Task<string?> MaskAsync(MaskingDatabase database, TableWork work, TextWriter stderr)
    {
        await using var transaction = await Step(database, $"masking {work.Subject}", database.BeginAsync);
        try
        {
            foreach (var statement in work.Changes)
            {
                await database.ExecuteAsync(statement, transaction);
            }

            if (work.Verify is { } verification)
            {
                var failed = await database.VerifyAsync(verification, transaction);
                if (failed.Count > 0)
                {
                    await transaction.RollbackAsync();
                    foreach (var problem in failed)
                    {
                        await stderr.WriteLineAsync(problem);
                    }

                    return $"verification of {work.Subject} failed after masking (a trigger, a default or a rule that does not hold rewrote values)";
                }
            }

            await database.ExecuteAsync(work.Ledger, transaction);
            await transaction.CommitAsync();
            return null;
        }
        catch (Exception e) when (DatabaseFault.From(e, database.Endpoint, $"masking {work.Subject}") is { } fault)
        {
            await TryRollbackAsync(transaction);
            if (fault.ExitCode != ExitCodes.Rejected)
            {
                throw fault;
            }

            return fault.Message;
        }
    }

    private static async Task TryRollbackAsync(System.Data.Common.DbTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync();
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            // The server already ended the transaction (PostgreSQL aborts it on error); nothing was committed.
        }
    }

    /// <summary>Runs one database step, turning a driver failure into a <see cref="DatabaseFault"/> that names the step.</summary>
    private static async Task<T> Step<T>(MaskingDatabase database, string doing, Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch (Exception e) when (e is not DatabaseFault && DatabaseFault.From(e, database.Endpoint, doing) is { } fault)
        {
            throw fault;
        }
    }

    private static Task<bool> Step(MaskingDatabase database, string doing, Func<Task> step) =>
        Step(database, doing, async () =>
        {
            await step();
            return true;
        });

    /// <summary>Policy and database failures become one line on stderr and their exit code; anything else is a bug and propagates.</summary>
    private static async Task<int> GuardAsync(TextWriter stderr, Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (MaskingPolicyException e)
        {
            await stderr.WriteLineAsync($"qa-db: invalid masking policy:{Environment.NewLine}{e.Message}");
            return ExitCodes.Rejected;
        }
        catch (DatabaseFault e)
        {
            await stderr.WriteLineAsync($"qa-db: {e.Message}");
            return e.ExitCode;
        }
    }
}
