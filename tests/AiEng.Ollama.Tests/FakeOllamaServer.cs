using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Ollama.Tests;

/// <summary>A minimal Ollama on loopback: <c>/api/chat</c> answers one final message, <c>/api/embed</c> fixed vectors.</summary>
internal sealed class FakeOllamaServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeOllamaServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public ConcurrentQueue<(string Path, string Body, string? Authorization)> Requests { get; } = new();

    public static async Task<FakeOllamaServer> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeOllamaServer? server = null;
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            server!.Requests.Enqueue((context.Request.Path.Value ?? "/", body, context.Request.Headers.Authorization.FirstOrDefault()));
            context.Response.ContentType = "application/json";
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

            await context.Response.WriteAsync(answer + "\n");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server = new FakeOllamaServer(app, new Uri(address));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
