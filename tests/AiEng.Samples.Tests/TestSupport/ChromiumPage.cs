using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiEng.Tests.TestSupport;

namespace AiEng.Samples.Tests.TestSupport;

/// <summary>
/// One page of headless Chromium driven over the Chrome DevTools Protocol: Chromium started with
/// <c>--remote-debugging-port=0</c>, the page's WebSocket found through <c>/json/list</c>, and scripts run in the page with
/// <c>Runtime.evaluate</c>. Just enough to type into a live page and wait for what it shows; no package needed.
/// </summary>
internal sealed class ChromiumPage : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ClientWebSocket _socket;
    private readonly string _profile;
    private int _nextId;

    private ChromiumPage(Process process, ClientWebSocket socket, string profile)
    {
        _process = process;
        _socket = socket;
        _profile = profile;
    }

    /// <summary>Starts headless Chromium on <paramref name="url"/> and connects to its page.</summary>
    public static async Task<ChromiumPage> OpenAsync(Uri url)
    {
        string profile = Directory.CreateTempSubdirectory("aieng-chromium-").FullName;
        var start = new ProcessStartInfo(Chromium.Path ?? throw new InvalidOperationException("chromium is not installed."))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
            $"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", url.AbsoluteUri,
        })
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(StartTimeout);
        var socket = new ClientWebSocket();
        try
        {
            // "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID" on stderr; the rest of stderr is drained.
            Uri browser = await ReadDevToolsAddressAsync(process, timeout.Token);
            _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            using var http = new HttpClient { BaseAddress = new Uri($"http://{browser.Authority}/") };
            string? pageSocket = null;
            while (pageSocket is null)
            {
                JsonArray targets = (await http.GetFromJsonAsync<JsonArray>("json/list", timeout.Token))!;
                pageSocket = targets.Select(target => target!.AsObject())
                    .Where(target => (string?)target["type"] == "page")
                    .Select(target => (string?)target["webSocketDebuggerUrl"])
                    .FirstOrDefault(address => address is not null);
                if (pageSocket is null)
                {
                    await Task.Delay(100, timeout.Token);
                }
            }

            await socket.ConnectAsync(new Uri(pageSocket), timeout.Token);
            return new ChromiumPage(process, socket, profile);
        }
        catch
        {
            socket.Dispose();
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="expression"/> in the page (awaiting a promise) and returns its value as JSON.</summary>
    /// <exception cref="InvalidOperationException">The script threw; the message has the page's exception.</exception>
    public async Task<JsonElement> EvaluateAsync(string expression, CancellationToken cancellationToken = default)
    {
        int id = Interlocked.Increment(ref _nextId);
        var command = new JsonObject
        {
            ["id"] = id,
            ["method"] = "Runtime.evaluate",
            ["params"] = new JsonObject { ["expression"] = expression, ["awaitPromise"] = true, ["returnByValue"] = true },
        };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(command.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        while (true)
        {
            using JsonDocument message = await ReceiveAsync(cancellationToken);
            if (!message.RootElement.TryGetProperty("id", out JsonElement replyId) || replyId.GetInt32() != id)
            {
                continue;   // an event, or the reply to another command
            }

            if (message.RootElement.TryGetProperty("error", out JsonElement error))
            {
                throw new InvalidOperationException($"Runtime.evaluate failed: {error}");
            }

            JsonElement result = message.RootElement.GetProperty("result");
            if (result.TryGetProperty("exceptionDetails", out JsonElement exception))
            {
                throw new InvalidOperationException($"The script threw in the page: {exception}");
            }

            return result.GetProperty("result").TryGetProperty("value", out JsonElement value) ? value.Clone() : default;
        }
    }

    /// <summary>Evaluates <paramref name="condition"/> every 100 ms until it is <c>true</c>.</summary>
    /// <exception cref="TimeoutException">It was not true within <paramref name="timeout"/>; the message has <paramref name="describe"/>'s value then.</exception>
    public async Task WaitUntilAsync(string condition, TimeSpan timeout, string describe = "document.body.outerHTML")
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            while (!(await EvaluateAsync(condition, cancellation.Token) is { ValueKind: JsonValueKind.True }))
            {
                await Task.Delay(100, cancellation.Token);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw new TimeoutException($"'{condition}' was not true within {timeout.TotalSeconds} s; the page: {await EvaluateAsync(describe)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or InvalidOperationException)
        {
            // Chromium went first.
        }

        _socket.Dispose();
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A file still held: the temporary folder is cleaned up eventually.
        }
    }

    private static async Task<Uri> ReadDevToolsAddressAsync(Process process, CancellationToken cancellationToken)
    {
        const string Marker = "DevTools listening on ";
        var seen = new StringBuilder();
        while (await process.StandardError.ReadLineAsync(cancellationToken) is { } line)
        {
            seen.AppendLine(line);
            int at = line.IndexOf(Marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
                return new Uri(line[(at + Marker.Length)..].Trim());
            }
        }

        throw new InvalidOperationException($"chromium exited (code {process.ExitCode}) without a DevTools address: {seen}");
    }

    private async Task<JsonDocument> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult received;
        do
        {
            received = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("chromium closed the DevTools connection.");
            }

            message.Write(buffer, 0, received.Count);
        }
        while (!received.EndOfMessage);

        message.Position = 0;
        return await JsonDocument.ParseAsync(message, cancellationToken: cancellationToken);
    }
}
