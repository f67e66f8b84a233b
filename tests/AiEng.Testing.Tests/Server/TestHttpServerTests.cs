using Microsoft.AspNetCore.Http;

namespace AiEng.Testing.Tests;

public sealed class TestHttpServerTests
{
    [Fact]
    public async Task Answers_every_request_with_the_handler_on_loopback()
    {
        await using var server = await TestHttpServer.StartAsync(context => context.Response.WriteAsync("path=" + context.Request.Path));
        using var http = new HttpClient { BaseAddress = server.Address };

        var text = await http.GetStringAsync(new Uri("api/tags", UriKind.Relative));

        Assert.Equal("path=/api/tags", text);
        Assert.Equal("127.0.0.1", server.Address.Host);
        Assert.Equal("/", server.Address.AbsolutePath);
    }

    [Fact]
    public async Task Stops_listening_when_disposed()
    {
        var server = await TestHttpServer.StartAsync(context => context.Response.WriteAsync("ok"));
        var address = server.Address;

        await server.DisposeAsync();
        await server.DisposeAsync();

        using var http = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync(address));
    }
}
