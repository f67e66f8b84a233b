using Microsoft.Extensions.AI;

namespace AiEng.Inference;

/// <summary>
/// Options of routing by examples (<c>ChatClientBuilder.UseExampleRouting</c>): labelled examples, how many of the nearest
/// decide, and from which score a request leaves the fallback model.
/// </summary>
public sealed class ExampleRoutingOptions
{
    /// <summary>The default <see cref="Neighbors"/>: 5.</summary>
    public const int DefaultNeighbors = 5;

    /// <summary>The default <see cref="Threshold"/>: 0.5.</summary>
    public const double DefaultThreshold = 0.5;

    /// <summary>Gets the labelled examples: request texts and the names of the models that should serve requests like them.</summary>
    public IList<RoutingExample> Examples { get; } = [];

    /// <summary>
    /// Gets clients by model name, for models of the examples that are not resolved from the services (names are matched
    /// in any letter case). A model not found here is resolved as a keyed <see cref="IChatClient"/> of the pipeline's services.
    /// </summary>
    public IDictionary<string, IChatClient> Clients { get; } = new Dictionary<string, IChatClient>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets or sets the name of the model this router wraps, which serves requests that no model scores
    /// <see cref="Threshold"/> for, and requests without user text, in its responses; <see langword="null"/> (the default)
    /// for the wrapped client's default model id, else <c>fallback</c>. An example may name it to route to it explicitly.
    /// </summary>
    public string? FallbackModelName { get; set; }

    /// <summary>Gets or sets how many of the examples nearest to the request decide its model. Between 1 and 100; default <see cref="DefaultNeighbors"/>.</summary>
    public int Neighbors { get; set; } = DefaultNeighbors;

    /// <summary>Gets or sets how the nearest examples score each model. Default <see cref="ExampleRoutingAggregation.Sum"/> (a vote weighted by similarity).</summary>
    public ExampleRoutingAggregation Aggregation { get; set; } = ExampleRoutingAggregation.Sum;

    /// <summary>
    /// Gets or sets the score the best model must reach, else the request goes to the fallback model. With
    /// <see cref="ExampleRoutingAggregation.Mean"/> it is a cosine similarity (between -1 and 1); with
    /// <see cref="ExampleRoutingAggregation.Sum"/> a sum of up to <see cref="Neighbors"/> similarities (between
    /// -<see cref="Neighbors"/> and <see cref="Neighbors"/>). Default <see cref="DefaultThreshold"/>. Measure it with your
    /// embedding model: similarities of unrelated texts differ between models.
    /// </summary>
    public double Threshold { get; set; } = DefaultThreshold;

    /// <summary>Adds a labelled example.</summary>
    /// <param name="text">The example request.</param>
    /// <param name="model">The name of the model for requests like it.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> or <paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> or <paramref name="model"/> is empty or whitespace.</exception>
    public ExampleRoutingOptions AddExample(string text, string model)
    {
        Examples.Add(new RoutingExample(text, model));
        return this;
    }

    /// <summary>Checks these options and returns a copy, so that later changes by the caller have no effect.</summary>
    /// <param name="paramName">The parameter named in the exception.</param>
    /// <returns>The copy.</returns>
    /// <exception cref="ArgumentException">An option is invalid; the message names each one and how to fix it.</exception>
    internal ExampleRoutingOptions ValidateAndClone(string paramName)
    {
        var errors = new List<string>();
        if (Neighbors is < 1 or > 100)
        {
            errors.Add($"Neighbors ({Neighbors}) must be between 1 and 100, for example 5.");
        }

        if (!Enum.IsDefined(Aggregation))
        {
            errors.Add($"Aggregation ({(int)Aggregation}) must be Sum or Mean.");
        }

        if (Examples.Count == 0)
        {
            errors.Add("Examples is empty: add labelled examples, for example options.AddExample(\"What is 17 times 23?\", \"large\").");
        }

        for (int i = 0; i < Examples.Count; i++)
        {
            if (Examples[i] is null)
            {
                errors.Add($"Examples[{i}] is null: add a RoutingExample with a text and a model name.");
            }
        }

        foreach (KeyValuePair<string, IChatClient> client in Clients)
        {
            if (client.Value is null)
            {
                errors.Add($"Clients[\"{client.Key}\"] is null: give a client, or remove the entry to resolve the model from the services.");
            }
        }

        double limit = Aggregation == ExampleRoutingAggregation.Sum ? Neighbors : 1;
        if (!double.IsFinite(Threshold) || Math.Abs(Threshold) > limit)
        {
            errors.Add(Aggregation == ExampleRoutingAggregation.Sum
                ? $"Threshold ({Threshold}) must be a sum of similarities between -{Neighbors} and {Neighbors} (Neighbors), for example 0.5."
                : $"Threshold ({Threshold}) must be a cosine similarity between -1 and 1, for example 0.5.");
        }

        if (FallbackModelName is not null && string.IsNullOrWhiteSpace(FallbackModelName))
        {
            errors.Add("FallbackModelName is empty: set a name such as \"small\", or null for the wrapped client's model id.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException($"The example routing options are invalid: {string.Join(" ", errors)}", paramName);
        }

        var copy = new ExampleRoutingOptions
        {
            FallbackModelName = FallbackModelName,
            Neighbors = Neighbors,
            Aggregation = Aggregation,
            Threshold = Threshold,
        };
        foreach (RoutingExample example in Examples)
        {
            copy.Examples.Add(example);
        }

        foreach (KeyValuePair<string, IChatClient> client in Clients)
        {
            copy.Clients.Add(client);
        }

        return copy;
    }
}
