using System.Net;
using AiEng.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Testing;

/// <summary>
/// A minimal HTTP server on loopback (<c>127.0.0.1</c>, a free port) that answers every request with one delegate, for
/// fakes of services other than OpenAI's API (for example Ollama's native API). Kestrel without logging, routing or TLS.
/// </summary>
/// <example>
/// <code>
/// await using var server = await TestHttpServer.StartAsync(context => context.Response.WriteAsync("{}"));
/// var client = new HttpClient { BaseAddress = server.Address };
/// </code>
/// </example>
public sealed class TestHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private TestHttpServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Gets the server's root address, for example <c>http://127.0.0.1:52341/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Starts a server that answers every request with <paramref name="handler"/>.</summary>
    /// <param name="handler">Handles one request; exceptions become <c>500</c> responses.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is <see langword="null"/>.</exception>
    public static async Task<TestHttpServer> StartAsync(RequestDelegate handler, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(handler);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(handler);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new TestHttpServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Stops the server.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
