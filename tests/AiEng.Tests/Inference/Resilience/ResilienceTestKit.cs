using System.ClientModel;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using AiEng.Inference;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace AiEng.Tests.Inference.Resilience;

/// <summary>Scripted fakes and failures shared by the resilience tests.</summary>
internal static class ResilienceTestKit
{
    /// <summary>Options with every delay and jitter explicit, so tests can assert exact delays on the fake clock.</summary>
    public static ResilienceOptions Exact(Action<ResilienceOptions>? configure = null)
    {
        var options = new ResilienceOptions();
        MakeExact(options);
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Sets the values of <see cref="Exact"/> on options created elsewhere (by the options system, say).</summary>
    public static void MakeExact(ResilienceOptions options)
    {
        options.MaxRetryAttempts = 3;
        options.BaseDelay = TimeSpan.FromSeconds(1);
        options.MaxDelay = TimeSpan.FromSeconds(30);
        options.UseJitter = false;
        options.AttemptTimeout = null;
        options.TotalTimeout = null;
        options.CircuitBreaker.Enabled = false;
    }

    public static ClientResultException Status(int status, string? body = null, params (string Name, string Value)[] headers) =>
        FakePipelineResponse.Error(status, body, headers);

    public static HttpRequestException ConnectionRefused() =>
        new("Connection refused (localhost:11434)", new SocketException((int)SocketError.ConnectionRefused));

    public static HttpRequestException HttpStatus(HttpStatusCode status) =>
        new($"Response status code does not indicate success: {(int)status}.", null, status);

    public static ChatResponse Answer(string text = "ok") => new(new ChatMessage(ChatRole.Assistant, text));

    /// <summary>A chat client that plays <paramref name="steps"/> in order: an exception is thrown, <see cref="Hang"/> waits for cancellation, anything else is answered.</summary>
    public static TestChatClient Scripted(params object[] steps)
    {
        var queue = new Queue<object>(steps);
        return new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, token) => Play(queue.Count > 0 ? queue.Dequeue() : steps[^1], token),
        };
    }

    /// <summary>An embedding generator that plays <paramref name="steps"/> in order, as <see cref="Scripted"/> does.</summary>
    public static TestEmbeddingGenerator ScriptedEmbeddings(params object[] steps)
    {
        var queue = new Queue<object>(steps);
        return new TestEmbeddingGenerator
        {
            GenerateAsyncCallback = async (values, _, token) =>
            {
                var step = queue.Count > 0 ? queue.Dequeue() : steps[^1];
                await Play(step, token).ConfigureAwait(false);
                return new GeneratedEmbeddings<Embedding<float>>(values.Select(_ => new Embedding<float>(new float[] { 1, 0 })));
            },
        };
    }

    /// <summary>The step that makes an attempt wait until it is cancelled.</summary>
    public static readonly object Hang = new();

    /// <summary>
    /// Plays one step without an async method, so that failures and cancellations complete synchronously and the
    /// pipeline's continuations run inline when the fake clock is advanced.
    /// </summary>
    private static Task<ChatResponse> Play(object step, CancellationToken token)
    {
        switch (step)
        {
            case Exception exception:
                return Task.FromException<ChatResponse>(exception);
            case var hang when ReferenceEquals(hang, Hang):
                var pending = new TaskCompletionSource<ChatResponse>();
                token.Register(() => pending.TrySetCanceled(token));
                return pending.Task;
            case ChatResponse response:
                return Task.FromResult(response);
            default:
                return Task.FromResult(Answer(step.ToString()!));
        }
    }

    /// <summary>A stream that yields <paramref name="texts"/>, then throws <paramref name="failure"/> if given.</summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> Stream(Exception? failure, [EnumeratorCancellation] CancellationToken token, params string[] texts)
    {
        foreach (var text in texts)
        {
            await Task.Yield();
            token.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate(ChatRole.Assistant, text);
        }

        if (failure is not null)
        {
            throw failure;
        }
    }

    /// <summary>
    /// Creates the fake clock of a test and removes xunit's synchronization context from the test's thread: with it,
    /// continuations of tasks completed on that thread (a timer fired by <see cref="FakeTimeProvider.Advance"/>) are
    /// queued instead of run inline, so the test could not see the effect of advancing the clock right away.
    /// xunit restores its context after the test.
    /// </summary>
    public static FakeTimeProvider Clock()
    {
        SynchronizationContext.SetSynchronizationContext(null);
        return new FakeTimeProvider();
    }

    /// <summary>Advances the fake clock to just before <paramref name="delay"/> has passed.</summary>
    public static void AdvanceJustBefore(this FakeTimeProvider time, TimeSpan delay) => time.Advance(delay - TimeSpan.FromTicks(1));

    /// <summary>Advances the fake clock by one tick.</summary>
    public static void AdvanceOneTick(this FakeTimeProvider time) => time.Advance(TimeSpan.FromTicks(1));
}

/// <summary>A service provider over a fixed set of instances, standing in for the application's container.</summary>
internal sealed class TestServices : IServiceProvider
{
    private readonly Dictionary<Type, object> _services = [];

    public TestServices Add<T>(T instance)
        where T : notnull
    {
        _services[typeof(T)] = instance;
        return this;
    }

    public object? GetService(Type serviceType) => _services.GetValueOrDefault(serviceType);
}
