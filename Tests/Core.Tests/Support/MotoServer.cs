using System.Diagnostics;
using System.Net.Http;
using QaDatabases.Aws;

namespace QaDatabases.Tests.Support;

/// <summary>
/// A real AWS stand-in for the pool tests: moto's server on 127.0.0.1 on a free port, started with
/// Tests/moto/serve.py (single-threaded, so its create-if-absent is atomic as it is in AWS; see that
/// file), stopped afterwards. If python3 or moto is missing the tests fail with the fix, never skip:
/// `bash .ci/run` checks for it.
/// </summary>
public sealed class MotoServer : IAsyncLifetime
{
    public const string Region = "eu-west-1";

    private Process? _process;

    public string Endpoint { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var port = PostgresServer.FreePort();
        Endpoint = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Repo.PathOf("Tests", "moto", "serve.py"));
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            _process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("python3 not found: the pool tests need python3 with moto 5 (`bash .ci/run` checks for both).", e);
        }

        var stderr = new System.Text.StringBuilder();
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var waited = 0; waited < 300; waited++)
        {
            if (_process.HasExited)
            {
                lock (stderr)
                {
                    throw new InvalidOperationException(
                        $"moto server exited with {_process.ExitCode}: {stderr}{Environment.NewLine}Install moto 5 for python3 (Debian: apt-get install python3-moto; or pip install 'moto[server]'); `bash .ci/run` checks it.");
                }
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Endpoint + "/moto-api/"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"moto server did not answer on {Endpoint} within 30 s");
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>What a process needs to talk to this stand-in through the AWS SDK's own settings.</summary>
    public Dictionary<string, string> ClientEnvironment() => new()
    {
        ["AWS_ENDPOINT_URL"] = Endpoint,
        ["AWS_ACCESS_KEY_ID"] = "testing",
        ["AWS_SECRET_ACCESS_KEY"] = "testing",
        ["AWS_REGION"] = Region,
        ["AWS_EC2_METADATA_DISABLED"] = "true",
    };

    /// <summary>A store in this test process pointed at the stand-in (for seeding and reading state).</summary>
    public SsmPoolStore Store()
    {
        foreach (var (key, value) in ClientEnvironment())
        {
            System.Environment.SetEnvironmentVariable(key, value);
        }

        return new SsmPoolStore(Region);
    }
}

[CollectionDefinition(Name)]
public sealed class MotoTests : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}
