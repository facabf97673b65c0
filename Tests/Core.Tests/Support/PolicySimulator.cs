using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace QaDatabases.Tests.Support;

/// <summary>A request to evaluate: the action, the resource ARN, and the request and resource context keys.</summary>
public sealed record SimulatedRequest(string Id, string Action, string Resource, IReadOnlyDictionary<string, object> Context, JsonNode? ResourcePolicy = null);

/// <summary>The simulator's decision: Allowed, ImplicitlyDenied or ExplicitlyDenied (or Error, with why).</summary>
public sealed record SimulatedDecision(string Id, string Decision, IReadOnlyList<string> IgnoredContextKeys, string? Error);

/// <summary>
/// Runs Tests/PolicySimulation/simulate.js, which evaluates requests with @cloud-copilot/iam-simulate,
/// a real IAM policy simulator. The package is a test-only dependency installed by `npm ci` (which
/// .ci/run does); when node or the package is missing the tests fail and say how to install them,
/// never skip.
/// </summary>
internal static class PolicySimulator
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static string Directory => Repo.PathOf("Tests", "PolicySimulation");

    public static async Task<IReadOnlyList<SimulatedDecision>> EvaluateAsync(string principal, string policyJson, IReadOnlyList<SimulatedRequest> requests)
    {
        if (!System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "@cloud-copilot", "iam-simulate")))
        {
            throw new InvalidOperationException(
                $"The IAM policy simulator is not installed: run `npm ci` in {Directory} (bash .ci/run does; it needs Debian's nodejs and npm).");
        }

        var input = new JsonObject
        {
            ["principal"] = principal,
            ["policy"] = JsonNode.Parse(policyJson),
            ["requests"] = new JsonArray(requests.Select(r => (JsonNode)new JsonObject
            {
                ["id"] = r.Id,
                ["action"] = r.Action,
                ["resource"] = r.Resource,
                ["context"] = JsonSerializer.SerializeToNode(r.Context),
                ["resourcePolicy"] = r.ResourcePolicy?.DeepClone(),
            }).ToArray()),
        };

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory,
        };
        start.ArgumentList.Add("simulate.js");
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("node was not found: install Debian's nodejs and npm (bash .ci/run does).", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardInput.WriteAsync(input.ToJsonString());
            process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"simulate.js exited {process.ExitCode}: {await stderr}");
            }

            return JsonSerializer.Deserialize<List<SimulatedDecision>>(await stdout, Web)!;
        }
    }
}
