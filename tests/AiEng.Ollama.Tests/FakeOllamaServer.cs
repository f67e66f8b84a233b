using System.Collections.Concurrent;
using System.Text;
using AiEng.Testing;
using Microsoft.AspNetCore.Http;

namespace AiEng.Ollama.Tests;

/// <summary>A minimal Ollama on loopback: <c>/api/chat</c> answers one final message, <c>/api/embed</c> fixed vectors.</summary>
internal sealed class FakeOllamaServer : IAsyncDisposable
{
    private TestHttpServer? _http;

    public Uri Address => _http!.Address;

    public ConcurrentQueue<(string Path, string Body, string? Authorization)> Requests { get; } = new();

    public static async Task<FakeOllamaServer> StartAsync()
    {
        var server = new FakeOllamaServer();
        server._http = await TestHttpServer.StartAsync(server.HandleAsync);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (_http is not null)
        {
            await _http.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        Requests.Enqueue((context.Request.Path.Value ?? "/", body, context.Request.Headers.Authorization.FirstOrDefault()));
        var answer = context.Request.Path.Value switch
        {
            "/api/chat" => """{"model":"llama-test","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"hi from ollama"},"done":true,"done_reason":"stop","total_duration":10,"prompt_eval_count":7,"eval_count":3}""",
            "/api/embed" => """{"model":"embed-test","embeddings":[[0.5,0.25],[1,0]],"prompt_eval_count":2}""",
            _ => null,
        };
        if (answer is null)
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer + "\n");
    }
}
