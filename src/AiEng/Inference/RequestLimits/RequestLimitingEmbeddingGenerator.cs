using System.Globalization;
using AiEng.Providers;
using AiEng.Tokens;
using Microsoft.Extensions.AI;

namespace AiEng.Inference;

/// <summary>
/// Splits an embedding call into requests that respect a model's <see cref="EmbeddingRequestLimits"/> (inputs and tokens
/// per request), sends them one after the other and returns the embeddings in the order of the inputs, with the usage summed.
/// An input over the per-input limit fails the call before any request is sent.
/// </summary>
/// <remarks>
/// Requests are sent one at a time: parallelism is the caller's choice (<see cref="EmbeddingRequestLimits.MaxParallelRequests"/>
/// is advice to callers, answered by <see cref="GetService"/>), so two layers never multiply it. Within AiEng's pipeline this
/// sits outside usage tracking and resilience, so each request is recorded, budgeted and retried on its own.
/// </remarks>
internal sealed class RequestLimitingEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingRequestLimits _limits;
    private readonly ITokenCounter? _tokenCounter;
    private readonly string _source;

    /// <summary>Initializes a new instance of the <see cref="RequestLimitingEmbeddingGenerator"/> class.</summary>
    /// <remarks><see cref="GetService"/> answers the limits with <see cref="EmbeddingRequestLimits.TokenCounter"/> set to the counter in use.</remarks>
    /// <param name="innerGenerator">The generator the requests go to.</param>
    /// <param name="limits">The limits to respect.</param>
    /// <param name="tokenCounter">Counts the tokens of inputs; required when a token limit is set.</param>
    /// <param name="source">Where the limits come from, named in error messages (for example <c>AiEng:Embeddings</c>).</param>
    public RequestLimitingEmbeddingGenerator(
        IEmbeddingGenerator<string, Embedding<float>> innerGenerator, EmbeddingRequestLimits limits, ITokenCounter? tokenCounter, string source)
        : base(innerGenerator)
    {
        // Callers see the counter in use, so that one whose inputs reach here through a cache (only the misses) can find
        // the over-long input itself rather than trust an index into a call it did not make.
        _limits = limits.TokenCounter is null && tokenCounter is not null
            ? new EmbeddingRequestLimits
            {
                MaxInputsPerRequest = limits.MaxInputsPerRequest,
                MaxTokensPerRequest = limits.MaxTokensPerRequest,
                MaxTokensPerInput = limits.MaxTokensPerInput,
                MaxParallelRequests = limits.MaxParallelRequests,
                TokenCounter = tokenCounter,
            }
            : limits;
        _tokenCounter = tokenCounter;
        _source = source;
        if (limits.CountsTokens && tokenCounter is null)
        {
            throw new ArgumentNullException(nameof(tokenCounter), "A token counter is required to apply a token limit.");
        }
    }

    /// <inheritdoc />
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        string[] inputs = [.. values];
        int[]? tokens = _limits.CountsTokens ? CountTokens(inputs) : null;
        List<Range> requests = Split(inputs.Length, tokens);
        if (requests.Count <= 1)
        {
            return await base.GenerateAsync(inputs, options, cancellationToken).ConfigureAwait(false);
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Length);
        UsageDetails? usage = null;
        foreach (Range request in requests)
        {
            GeneratedEmbeddings<Embedding<float>> part = await base.GenerateAsync(inputs[request], options, cancellationToken).ConfigureAwait(false);
            result.AddRange(part);
            if (part.Usage is { } partUsage)
            {
                usage ??= new UsageDetails();
                usage.Add(partUsage);
            }
        }

        result.Usage = usage;
        return result;
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(EmbeddingRequestLimits) ? _limits : base.GetService(serviceType, serviceKey);
    }

    /// <summary>Counts each input's tokens and rejects one that no request could hold.</summary>
    private int[] CountTokens(string[] inputs)
    {
        var tokens = new int[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            tokens[i] = _tokenCounter!.CountTokens(inputs[i]);
            (int? limit, string setting) = _limits.MaxTokensPerInput is int perInput && tokens[i] > perInput
                ? (perInput, EmbeddingRequestLimits.MaxTokensPerInputSetting)
                : _limits.MaxTokensPerRequest is int perRequest && tokens[i] > perRequest
                    ? (perRequest, EmbeddingRequestLimits.MaxTokensPerRequestSetting)
                    : ((int?)null, string.Empty);
            if (limit is int max)
            {
                throw new ModelRequestException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Input {i} of the embedding call has {tokens[i]} tokens ({_tokenCounter.Name}), more than the {max} the model accepts ({_source}:Settings:{setting}); " +
                    $"nothing was sent. Split the text into smaller pieces (a smaller chunk size), or raise the setting if the model accepts more."))
                {
                    InputIndex = i,
                };
            }
        }

        return tokens;
    }

    /// <summary>Splits the inputs, in order, into the fewest consecutive requests that respect the limits (greedy: each request as full as it may be).</summary>
    private List<Range> Split(int count, int[]? tokens)
    {
        var requests = new List<Range>();
        int start = 0;
        long requestTokens = 0;
        for (int i = 0; i < count; i++)
        {
            bool full = (_limits.MaxInputsPerRequest is int maxInputs && i - start >= maxInputs)
                || (_limits.MaxTokensPerRequest is int maxTokens && tokens is not null && requestTokens + tokens[i] > maxTokens);
            if (full && i > start)
            {
                requests.Add(start..i);
                start = i;
                requestTokens = 0;
            }

            requestTokens += tokens?[i] ?? 0;
        }

        if (count > start)
        {
            requests.Add(start..count);
        }

        return requests;
    }
}
