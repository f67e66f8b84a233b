using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace AiEng.Samples.WebChat;

/// <summary>
/// Limits how many questions one client (by remote address) may ask a minute, since each question is paid for:
/// <c>WebChat:QuestionsPerMinute</c> (default 20; 0 turns the limit off). A question over the limit gets HTTP 429 with
/// <c>Retry-After</c> and a readable message, and reaches no model.
/// </summary>
internal static class AskRateLimit
{
    /// <summary>The rate-limiting policy of <c>POST /api/ask</c>.</summary>
    public const string PolicyName = "ask";

    /// <summary>The configuration key of the limit.</summary>
    public const string QuestionsPerMinuteKey = "WebChat:QuestionsPerMinute";

    /// <summary>The limit when none is configured.</summary>
    public const int DefaultQuestionsPerMinute = 20;

    /// <summary>Adds the policy, reading the limit from <paramref name="configuration"/>.</summary>
    /// <exception cref="InvalidOperationException">The configured limit is negative or not a whole number.</exception>
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        string? configured = configuration[QuestionsPerMinuteKey];
        int perMinute = DefaultQuestionsPerMinute;
        if (configured is not null && (!int.TryParse(configured, NumberStyles.None, CultureInfo.InvariantCulture, out perMinute) || perMinute < 0))
        {
            throw new InvalidOperationException($"{QuestionsPerMinuteKey} is '{configured}'; set it to a whole number of questions a client may ask a minute (0 for no limit).");
        }

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                TimeSpan wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
                int seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync(
                    string.Create(CultureInfo.InvariantCulture, $"Too many questions: at most {perMinute} a minute from one address. Ask again in {seconds} s."),
                    cancellationToken);
            };
            options.AddPolicy(PolicyName, http => perMinute == 0
                ? RateLimitPartition.GetNoLimiter(string.Empty)
                : RateLimitPartition.GetFixedWindowLimiter(
                    http.Connection.RemoteIpAddress?.ToString() ?? string.Empty,
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
    }
}
