using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace QaDatabases.Tests.Support;

/// <summary>
/// A small HTTP proxy in front of the moto server that fails requests the way networks and AWS do,
/// so the pool commands' fault handling runs against real SDK behaviour (its retries, its timeouts,
/// its parsing of AWS's JSON errors). It serves one request per connection and can:
/// refuse connections; answer throttling, access-denied, expired-token or server errors for an SSM
/// action (the <c>X-Amz-Target</c> header names it) a number of times; forward a request to moto and
/// drop its response; or never answer. Rules apply in the order they were added, each while its count lasts.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    /// <summary>The account the proxy's access-denied messages name, as AWS's would.</summary>
    public const string Account = "123456789012";

    private readonly Uri _target;
    private readonly int _port;
    private readonly List<Rule> _rules = [];
    private readonly List<string> _seen = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly CancellationTokenSource _stop = new();
    private TcpListener _listener;
    private Task _accepting;

    public FaultProxy(string target)
    {
        _target = new Uri(target);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync(_listener);
    }

    private enum Fault
    {
        Throttle,
        Deny,
        ExpiredToken,
        ServerError,
        DropResponse,
        Stall,
    }

    public string Endpoint => $"http://127.0.0.1:{_port}";

    /// <summary>The SSM actions requested so far, in order (including those answered with a fault).</summary>
    public IReadOnlyList<string> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>
    /// What a qa-db process needs to go through the proxy: moto's credentials and region, the proxy as
    /// endpoint, and short retry bounds (3 attempts, 10 s per call) so a test never waits long.
    /// </summary>
    public Dictionary<string, string> ClientEnvironment(MotoServer moto)
    {
        var environment = moto.ClientEnvironment();
        environment["AWS_ENDPOINT_URL"] = Endpoint;
        environment["AWS_MAX_ATTEMPTS"] = "3";
        environment["QA_DB_AWS_TIMEOUT"] = "10";
        return environment;
    }

    /// <summary>Closes the listening socket: connecting fails with "connection refused" until <see cref="AcceptConnections"/>.</summary>
    public void RefuseConnections() => _listener.Stop();

    public void AcceptConnections()
    {
        _listener = new TcpListener(IPAddress.Loopback, _port);
        _listener.Start();
        _accepting = AcceptAsync(_listener);
    }

    /// <summary>HTTP 400 <c>ThrottlingException</c>, as SSM answers when its request rate is exceeded.</summary>
    public FaultProxy Throttle(string action = "*", int times = int.MaxValue) => Add(Fault.Throttle, action, null, times);

    /// <summary>HTTP 400 <c>AccessDeniedException</c> naming the action and the parameter's ARN, as IAM's refusal reads.</summary>
    public FaultProxy Deny(string action, string? nameContains = null) => Add(Fault.Deny, action, nameContains, int.MaxValue);

    /// <summary>HTTP 400 <c>ExpiredTokenException</c>: the session credentials ran out.</summary>
    public FaultProxy ExpireToken(string action = "*") => Add(Fault.ExpiredToken, action, null, int.MaxValue);

    /// <summary>HTTP 500 <c>InternalServerError</c>.</summary>
    public FaultProxy FailOnServer(string action = "*", int times = int.MaxValue) => Add(Fault.ServerError, action, null, times);

    /// <summary>Forwards the request to moto (so a write lands) and closes the connection without answering.</summary>
    public FaultProxy DropResponse(string action, int times = int.MaxValue) => Add(Fault.DropResponse, action, null, times);

    /// <summary>Accepts the request and never answers.</summary>
    public FaultProxy Stall(string action = "*") => Add(Fault.Stall, action, null, int.MaxValue);

    /// <summary>Forwards everything again.</summary>
    public void Clear()
    {
        lock (_rules)
        {
            _rules.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _http.Dispose();
        _stop.Dispose();
    }

    private FaultProxy Add(Fault fault, string action, string? nameContains, int times)
    {
        lock (_rules)
        {
            _rules.Add(new Rule(fault, action, nameContains) { Remaining = times });
        }

        return this;
    }

    private Rule? Take(string action, string body)
    {
        lock (_rules)
        {
            var rule = _rules.FirstOrDefault(r => r.Remaining > 0 && (r.Action == "*" || r.Action == action)
                && (r.NameContains is null || body.Contains(r.NameContains, StringComparison.Ordinal)));
            if (rule is not null && rule.Remaining != int.MaxValue)
            {
                rule.Remaining--;
            }

            return rule;
        }
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return; // stopped: refusing connections, or disposed
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await Request.ReadAsync(stream, _stop.Token);
                if (request is null)
                {
                    return;
                }

                var action = request.Header("X-Amz-Target")?.Split('.').Last() ?? "";
                lock (_seen)
                {
                    _seen.Add(action);
                }

                var body = Encoding.UTF8.GetString(request.Body);
                switch (Take(action, body)?.Fault)
                {
                    case Fault.Throttle:
                        await WriteErrorAsync(stream, 400, "ThrottlingException", "Rate exceeded");
                        break;
                    case Fault.Deny:
                        await WriteErrorAsync(stream, 400, "AccessDeniedException",
                            $"User: arn:aws:sts::{Account}:assumed-role/qa-db-deployer/fault-proxy is not authorized to perform: ssm:{action} "
                            + $"on resource: arn:aws:ssm:{MotoServer.Region}:{Account}:parameter{ParameterOf(body)} because no identity-based policy allows the ssm:{action} action");
                        break;
                    case Fault.ExpiredToken:
                        await WriteErrorAsync(stream, 400, "ExpiredTokenException", "The security token included in the request is expired");
                        break;
                    case Fault.ServerError:
                        await WriteErrorAsync(stream, 500, "InternalServerError", "We encountered an internal error. Please try again.");
                        break;
                    case Fault.DropResponse:
                        (await ForwardAsync(request)).Dispose();
                        client.Client.Close(0); // the write landed; its answer never arrives
                        break;
                    case Fault.Stall:
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                        break;
                    default:
                        using (var response = await ForwardAsync(request))
                        {
                            await WriteAsync(stream, (int)response.StatusCode, response.ReasonPhrase ?? "",
                                response.Headers.Concat(response.Content.Headers), await response.Content.ReadAsByteArrayAsync());
                        }

                        break;
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // the client went away, or the proxy is stopping
            }
        }
    }

    private async Task<HttpResponseMessage> ForwardAsync(Request request)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_target, request.Target))
        {
            Content = new ByteArrayContent(request.Body),
        };
        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Expect", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return await _http.SendAsync(message, _stop.Token);
    }

    private static Task WriteErrorAsync(Stream stream, int status, string type, string message) =>
        WriteAsync(stream, status, status == 500 ? "Internal Server Error" : "Bad Request",
            [new("x-amzn-ErrorType", [type]), new("Content-Type", ["application/x-amz-json-1.1"]), new("x-amzn-RequestId", [Guid.NewGuid().ToString()])],
            JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["__type"] = type, ["message"] = message }));

    private static async Task WriteAsync(Stream stream, int status, string reason, IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers, byte[] body)
    {
        var head = new StringBuilder();
        head.Append(System.Globalization.CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {reason}\r\n");
        foreach (var (name, values) in headers)
        {
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            head.Append(System.Globalization.CultureInfo.InvariantCulture, $"{name}: {string.Join(", ", values)}\r\n");
        }

        head.Append(System.Globalization.CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
    }

    /// <summary>The parameter (or path) an SSM request names, for the access-denied message.</summary>
    private static string ParameterOf(string body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        return root.TryGetProperty("Name", out var name) ? name.GetString() ?? ""
            : root.TryGetProperty("Path", out var path) ? path.GetString() ?? ""
            : root.TryGetProperty("Names", out var names) && names.GetArrayLength() > 0 ? names[0].GetString() ?? ""
            : "";
    }

    private sealed record Rule(Fault Fault, string Action, string? NameContains)
    {
        public int Remaining { get; set; }
    }

    /// <summary>One HTTP/1.1 request as the SDK sends it: request line, headers, a Content-Length body.</summary>
    private sealed record Request(string Method, string Target, IReadOnlyList<(string Name, string Value)> Headers, byte[] Body)
    {
        public string? Header(string name) => Headers.FirstOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

        public static async Task<Request?> ReadAsync(NetworkStream stream, CancellationToken cancellationToken)
        {
            var buffer = new List<byte>();
            var one = new byte[1];
            while (!EndsWithBlankLine(buffer))
            {
                if (await stream.ReadAsync(one, cancellationToken) == 0)
                {
                    return null;
                }

                buffer.Add(one[0]);
            }

            var lines = Encoding.ASCII.GetString([.. buffer]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            var requestLine = lines[0].Split(' ');
            var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Select(p => (p[0].Trim(), p[1].Trim())).ToList();
            var request = new Request(requestLine[0], requestLine[1], headers, []);
            if (request.Header("Expect")?.Equals("100-continue", StringComparison.OrdinalIgnoreCase) == true)
            {
                await stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), cancellationToken);
            }

            var body = new byte[int.Parse(request.Header("Content-Length") ?? "0", System.Globalization.CultureInfo.InvariantCulture)];
            await stream.ReadExactlyAsync(body, cancellationToken);
            return request with { Body = body };
        }

        private static bool EndsWithBlankLine(List<byte> buffer) =>
            buffer.Count >= 4 && buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n';
    }
}
