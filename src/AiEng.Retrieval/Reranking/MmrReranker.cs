using System.Diagnostics;
using AiEng.Inference;
using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Retrieval;

/// <summary>
/// A diversification stage: reorders candidates by maximal marginal relevance over their embeddings,
/// so that the top results are relevant but not near-duplicates of each other.
/// </summary>
/// <remarks>
/// The query is embedded with the generator given. A candidate's stored <see cref="ChunkRecord.Embedding"/> is used when it
/// has the query's length (retrieve with <see cref="VectorStoreRetrieverOptions.IncludeEmbeddings"/> to get them); the other
/// candidates' texts are embedded in one call. The returned scores are the marginal relevance at selection.
/// </remarks>
public sealed class MmrReranker : IReranker
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embeddingGenerator;
    private readonly MmrRerankerOptions _options;

    /// <summary>Initializes a new instance of the <see cref="MmrReranker"/> class.</summary>
    /// <param name="embeddingGenerator">Embeds the query and the candidates without a stored embedding.</param>
    /// <param name="options">The options (copied), or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="embeddingGenerator"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    public MmrReranker(IEmbeddingGenerator<string, Embedding<float>> embeddingGenerator, MmrRerankerOptions? options = null)
    {
        _embeddingGenerator = Throw.IfNull(embeddingGenerator);
        _options = (options ?? new MmrRerankerOptions()).Validate();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The generator returned a different number of embeddings than texts, or embeddings of another length than the query's.</exception>
    public async Task<IReadOnlyList<RetrievedChunk>> RerankAsync(RerankRequest request, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(request);
        (string query, IReadOnlyList<RetrievedChunk> candidates, int top) = (request.Query, request.Candidates, request.Top);
        if (candidates.Count == 0)
        {
            return [];
        }

        using Activity? activity = AiEngTelemetry.Start(AiEngTelemetry.RetrievalRerank);
        if (activity is not null)
        {
            activity.SetTag(AiEngTelemetry.RerankMethod, "mmr");
            activity.SetTag(AiEngTelemetry.RequestModel, _embeddingGenerator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId);
            activity.SetTag(AiEngTelemetry.RerankCandidates, candidates.Count);
            activity.SetTag(AiEngTelemetry.RetrievalTopK, top);
        }

        try
        {
            var queryVector = await QueryEmbeddings.EmbedAsync(_embeddingGenerator, query, cancellationToken).ConfigureAwait(false);
            var vectors = new ReadOnlyMemory<float>[candidates.Count];
            var missing = new List<int>();
            for (int i = 0; i < candidates.Count; i++)
            {
                vectors[i] = candidates[i].Chunk.Embedding;
                if (vectors[i].Length != queryVector.Length)
                {
                    missing.Add(i);
                }
            }

            if (missing.Count > 0)
            {
                var embeddings = await _embeddingGenerator.GenerateAsync(missing.Select(i => candidates[i].Chunk.Text), new EmbeddingGenerationOptions().WithInputKind(EmbeddingInputKind.Document), cancellationToken).ConfigureAwait(false);
                if (embeddings.Count != missing.Count)
                {
                    throw new InvalidOperationException($"The embedding generator returned {embeddings.Count} embeddings for {missing.Count} texts.");
                }

                for (int j = 0; j < missing.Count; j++)
                {
                    vectors[missing[j]] = embeddings[j].Vector;
                    if (embeddings[j].Vector.Length != queryVector.Length)
                    {
                        throw new InvalidOperationException($"The embedding generator returned an embedding of {embeddings[j].Vector.Length} dimensions for a candidate but {queryVector.Length} for the query.");
                    }
                }
            }

            RetrievedChunk[] reranked = Mmr.Select(queryVector, vectors, top, _options.Lambda).Select(pick => new RetrievedChunk(candidates[pick.Index].Chunk, pick.Score)).ToArray();
            activity?.SetTag(AiEngTelemetry.RetrievalResults, reranked.Length);
            return reranked;
        }
        catch (Exception ex) when (AiEngTelemetry.Fail(activity, ex))
        {
            throw; // Not reached: the filter only marks the span.
        }
    }
}
