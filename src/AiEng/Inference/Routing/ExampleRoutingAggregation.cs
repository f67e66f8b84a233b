namespace AiEng.Inference;

/// <summary>How routing by examples scores each model from the nearest examples (see <see cref="ExampleRoutingOptions.Aggregation"/>).</summary>
public enum ExampleRoutingAggregation
{
    /// <summary>
    /// The sum of the cosine similarities of the model's examples among the nearest: a k-nearest-neighbour vote weighted by
    /// similarity, so that the model with more close examples wins. The threshold is then on that sum (at most <see cref="ExampleRoutingOptions.Neighbors"/>).
    /// </summary>
    Sum,

    /// <summary>The mean cosine similarity of the model's examples among the nearest: the model with the closest examples wins, however few.</summary>
    Mean,
}
