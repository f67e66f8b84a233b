using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AiEng.Inference;
using Microsoft.Extensions.AI;
using Polly;
using Polly.CircuitBreaker;
using Polly.Fallback;
using Polly.Hedging;
using Polly.Retry;
using Polly.Timeout;
using static AiEng.Tests.Inference.Resilience.ResilienceTestKit;

namespace AiEng.Tests.Inference.Resilience;

public class ModelFailuresTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(501, false)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(0, true)]
    public void Classifies_ClientResultException_by_status(int status, bool transient)
    {
        Assert.Equal(transient, ModelFailures.IsTransient(Status(status)));
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    public void Classifies_HttpRequestException_by_status(HttpStatusCode status, bool transient)
    {
        Assert.Equal(transient, ModelFailures.IsTransient(HttpStatus(status)));
        Assert.Equal((int)status, ModelFailures.GetStatusCode(HttpStatus(status)));
    }

    [Fact]
    public void Treats_timeouts_io_socket_and_connection_failures_as_transient()
    {
        Assert.True(ModelFailures.IsTransient(ConnectionRefused()));
        Assert.True(ModelFailures.IsTransient(new TimeoutException()));
        Assert.True(ModelFailures.IsTransient(new TimeoutRejectedException()));
        Assert.True(ModelFailures.IsTransient(new IOException("reset")));
        Assert.True(ModelFailures.IsTransient(new HttpIOException(HttpRequestError.ResponseEnded)));
        Assert.True(ModelFailures.IsTransient(new SocketException((int)SocketError.ConnectionReset)));
        Assert.True(ModelFailures.IsTransient(new TaskCanceledException("HttpClient.Timeout", new TimeoutException())));
        Assert.True(ModelFailures.IsConnectionFailure(ConnectionRefused()));
        Assert.Null(ModelFailures.GetStatusCode(ConnectionRefused()));
        Assert.Null(ModelFailures.GetStatusCode(Status(0)));
    }

    [Fact]
    public void Does_not_treat_other_exceptions_or_an_open_circuit_as_transient()
    {
        Assert.False(ModelFailures.IsTransient(new InvalidOperationException()));
        Assert.False(ModelFailures.IsTransient(new ArgumentException("bad")));
        Assert.False(ModelFailures.IsTransient(new BrokenCircuitException("open", new TimeoutException())));
    }

    [Fact]
    public void Looks_through_a_wrapper_for_the_provider_failure()
    {
        var wrapped = new InvalidOperationException("wrapper", Status(503));

        Assert.True(ModelFailures.IsTransient(wrapped));
        Assert.Equal(503, ModelFailures.GetStatusCode(wrapped));
    }

    [Theory]
    [InlineData("7", 7_000)]
    [InlineData(" 0 ", 0)]
    [InlineData("Sat, 01 Mar 2025 12:00:30 GMT", 30_000)]
    [InlineData("Sat, 01 Mar 2025 11:59:00 GMT", 0)]
    [InlineData("Saturday, 01-Mar-25 12:01:00 GMT", 60_000)]
    [InlineData("Sat Mar  1 12:00:10 2025", 10_000)]
    public void Parses_Retry_After_as_seconds_or_an_HTTP_date(string value, int expectedMilliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), ModelFailures.ParseRetryAfter(value, Now));
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("2025-03-01")]
    public void Ignores_an_invalid_Retry_After(string value)
    {
        Assert.Null(ModelFailures.ParseRetryAfter(value, Now));
    }

    [Fact]
    public void Prefers_retry_after_ms_then_the_Azure_header_then_Retry_After()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(250), ModelFailures.GetRetryAfter(Status(429, headers: [("Retry-After", "9"), ("retry-after-ms", "250")]), Now));
        Assert.Equal(TimeSpan.FromMilliseconds(1200), ModelFailures.GetRetryAfter(Status(429, headers: ("x-ms-retry-after-ms", "1200")), Now));
        Assert.Equal(TimeSpan.FromSeconds(9), ModelFailures.GetRetryAfter(Status(429, headers: [("Retry-After", "9"), ("retry-after-ms", "garbage")]), Now));
        Assert.Null(ModelFailures.GetRetryAfter(Status(429), Now));
        Assert.Null(ModelFailures.GetRetryAfter(HttpStatus(HttpStatusCode.TooManyRequests), Now));
    }

    [Fact]
    public void Reads_an_HTTP_date_relative_to_the_given_clock()
    {
        var date = Now.AddMinutes(2).ToString("r", CultureInfo.InvariantCulture);

        Assert.Equal(TimeSpan.FromMinutes(2), ModelFailures.GetRetryAfter(Status(503, headers: ("Retry-After", date)), Now));
    }

    [Fact]
    public async Task ShouldHandle_handles_transient_failures_but_not_successes_client_errors_open_circuits_or_the_callers_cancellation()
    {
        var context = ResilienceContextPool.Shared.Get();
        Assert.True(await ModelFailures.ShouldHandle(Outcome.FromException<object>(Status(429)), context));
        Assert.True(await ModelFailures.ShouldHandle(Outcome.FromException<object>(new TaskCanceledException("HttpClient.Timeout")), context));
        Assert.False(await ModelFailures.ShouldHandle(Outcome.FromException<object>(Status(401)), context));
        Assert.False(await ModelFailures.ShouldHandle(Outcome.FromException<object>(new BrokenCircuitException()), context));
        Assert.False(await ModelFailures.ShouldHandle(Outcome.FromResult<object>("ok"), context));
        ResilienceContextPool.Shared.Return(context);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var callerCancelled = ResilienceContextPool.Shared.Get(cancelled.Token);
        Assert.False(await ModelFailures.ShouldHandle(Outcome.FromException<object>(new OperationCanceledException(cancelled.Token)), callerCancelled));
        Assert.False(await ModelFailures.ShouldHandle(Outcome.FromException<object>(Status(503)), callerCancelled));
        ResilienceContextPool.Shared.Return(callerCancelled);
    }

    [Fact]
    public async Task A_PredicateBuilder_handles_transient_model_failures()
    {
        var options = new RetryStrategyOptions { ShouldHandle = new PredicateBuilder().HandleTransientModelFailures() };
        var context = ResilienceContextPool.Shared.Get();

        Assert.True(await options.ShouldHandle(new RetryPredicateArguments<object>(context, Outcome.FromException<object>(Status(503)), 0)));
        Assert.True(await options.ShouldHandle(new RetryPredicateArguments<object>(context, Outcome.FromException<object>(ConnectionRefused()), 0)));
        Assert.False(await options.ShouldHandle(new RetryPredicateArguments<object>(context, Outcome.FromException<object>(Status(400)), 0)));
        Assert.False(await options.ShouldHandle(new RetryPredicateArguments<object>(context, Outcome.FromResult<object>("ok"), 0)));
        ResilienceContextPool.Shared.Return(context);
    }

    [Fact]
    public async Task ShouldHandle_fits_the_ShouldHandle_of_typed_hedging_and_fallback()
    {
        var hedging = new HedgingStrategyOptions<ChatResponse> { ShouldHandle = args => ModelFailures.ShouldHandle(args.Outcome, args.Context) };
        var fallback = new FallbackStrategyOptions<ChatResponse> { ShouldHandle = args => ModelFailures.ShouldHandle(args.Outcome, args.Context) };
        var context = ResilienceContextPool.Shared.Get();

        Assert.True(await hedging.ShouldHandle(new HedgingPredicateArguments<ChatResponse>(context, Outcome.FromException<ChatResponse>(Status(503)), 0)));
        Assert.False(await hedging.ShouldHandle(new HedgingPredicateArguments<ChatResponse>(context, Outcome.FromException<ChatResponse>(Status(400)), 0)));
        Assert.False(await hedging.ShouldHandle(new HedgingPredicateArguments<ChatResponse>(context, Outcome.FromResult(Answer()), 0)));
        Assert.True(await fallback.ShouldHandle(new FallbackPredicateArguments<ChatResponse>(context, Outcome.FromException<ChatResponse>(ConnectionRefused()))));
        Assert.False(await fallback.ShouldHandle(new FallbackPredicateArguments<ChatResponse>(context, Outcome.FromResult(Answer()))));
        ResilienceContextPool.Shared.Return(context);
    }

    [Fact]
    public async Task ShouldFallBack_also_handles_an_open_circuit_but_not_client_errors_successes_or_the_callers_cancellation()
    {
        var context = ResilienceContextPool.Shared.Get();
        Assert.True(await ModelFailures.ShouldFallBack(Outcome.FromException<ChatResponse>(Status(503)), context));
        Assert.True(await ModelFailures.ShouldFallBack(Outcome.FromException<ChatResponse>(new TimeoutRejectedException()), context));
        Assert.True(await ModelFailures.ShouldFallBack(Outcome.FromException<ChatResponse>(new BrokenCircuitException()), context));
        Assert.True(await ModelFailures.ShouldFallBack(Outcome.FromException<ChatResponse>(new InvalidOperationException("wrapped", new IsolatedCircuitException())), context));
        Assert.False(await ModelFailures.ShouldFallBack(Outcome.FromException<ChatResponse>(Status(401)), context));
        Assert.False(await ModelFailures.ShouldFallBack(Outcome.FromException<ChatResponse>(new InvalidOperationException()), context));
        Assert.False(await ModelFailures.ShouldFallBack(Outcome.FromResult(Answer()), context));
        ResilienceContextPool.Shared.Return(context);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var callerCancelled = ResilienceContextPool.Shared.Get(cancelled.Token);
        Assert.False(await ModelFailures.ShouldFallBack(Outcome.FromException<ChatResponse>(new OperationCanceledException(cancelled.Token)), callerCancelled));
        Assert.False(await ModelFailures.ShouldFallBack(Outcome.FromException<ChatResponse>(new BrokenCircuitException()), callerCancelled));
        ResilienceContextPool.Shared.Return(callerCancelled);
    }

    [Fact]
    public async Task A_typed_PredicateBuilder_handles_transient_model_failures()
    {
        var options = new HedgingStrategyOptions<ChatResponse> { ShouldHandle = new PredicateBuilder<ChatResponse>().HandleTransientModelFailures() };
        var context = ResilienceContextPool.Shared.Get();

        Assert.True(await options.ShouldHandle(new HedgingPredicateArguments<ChatResponse>(context, Outcome.FromException<ChatResponse>(Status(429)), 0)));
        Assert.True(await options.ShouldHandle(new HedgingPredicateArguments<ChatResponse>(context, Outcome.FromException<ChatResponse>(new TimeoutRejectedException()), 0)));
        Assert.False(await options.ShouldHandle(new HedgingPredicateArguments<ChatResponse>(context, Outcome.FromException<ChatResponse>(Status(404)), 0)));
        Assert.False(await options.ShouldHandle(new HedgingPredicateArguments<ChatResponse>(context, Outcome.FromResult(Answer()), 0)));
        ResilienceContextPool.Shared.Return(context);
    }

    [Fact]
    public void TryGetRetryAfter_gives_the_providers_delay_exactly()
    {
        Assert.True(ModelFailures.TryGetRetryAfter(Status(429, headers: ("retry-after-ms", "1234")), Now, out var delay));
        Assert.Equal(TimeSpan.FromMilliseconds(1234), delay);
        Assert.True(ModelFailures.TryGetRetryAfter(Status(429, headers: ("Retry-After", "120")), Now, out delay));
        Assert.Equal(TimeSpan.FromMinutes(2), delay);
        Assert.False(ModelFailures.TryGetRetryAfter(Status(429), Now, out _));
        Assert.False(ModelFailures.TryGetRetryAfter(null, Now, out _));
    }

    [Fact]
    public void Checks_its_arguments()
    {
        Assert.Throws<ArgumentNullException>("exception", () => ModelFailures.IsTransient(null!));
        Assert.Throws<ArgumentNullException>("builder", () => ModelFailures.HandleTransientModelFailures(null!));
        Assert.Throws<ArgumentNullException>("builder", () => ModelFailures.HandleTransientModelFailures<ChatResponse>(null!));
        Assert.Throws<ArgumentNullException>("context", () => ModelFailures.ShouldFallBack(Outcome.FromResult(1), null!));
    }
}
