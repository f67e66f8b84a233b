using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Evaluation;

/// <summary>A chat model to compare in a <see cref="ModelComparison"/>: a name for the table and the client that answers.</summary>
public sealed class ModelCandidate
{
    /// <summary>Initializes a new instance of the <see cref="ModelCandidate"/> class.</summary>
    /// <param name="name">The name shown in the table; also the evaluation run's name, so it must be unique among the candidates.</param>
    /// <param name="client">The client under evaluation, with its usage tracking (cost comes from the usage ledger it records into).</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is <see langword="null"/>.</exception>
    public ModelCandidate(string name, IChatClient client)
    {
        Name = Throw.IfNullOrWhitespace(name);
        Client = Throw.IfNull(client);
    }

    /// <summary>Gets the candidate's name.</summary>
    public string Name { get; }

    /// <summary>Gets the client under evaluation.</summary>
    public IChatClient Client { get; }

    /// <summary>Gets the chat options of every request (cloned per request), or <see langword="null"/>.</summary>
    public ChatOptions? Options { get; init; }

    /// <summary>Gets the system prompt of every request, or <see langword="null"/>.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>
    /// Gets the named chat models of <c>AiEng:ChatModels:&lt;name&gt;</c> (the keyed <see cref="IChatClient"/>s that
    /// <c>AddAiEng</c> registers, each with its usage tracking and prices) as candidates.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="names">The model names, as configured.</param>
    /// <returns>One candidate per name, in order.</returns>
    /// <exception cref="ArgumentException">No name is given, or a name is empty or repeated.</exception>
    /// <exception cref="InvalidOperationException">A name is not a configured chat model.</exception>
    public static IReadOnlyList<ModelCandidate> FromServices(IServiceProvider services, IEnumerable<string> names)
    {
        Throw.IfNull(services);
        Throw.IfNull(names);
        string[] list = [.. names];
        ModelComparison.CheckNames(list, nameof(names));
        return [.. list.Select(name => new ModelCandidate(name, services.GetKeyedService<IChatClient>(name)
            ?? throw new InvalidOperationException($"'{name}' is not a configured chat model: add it under AiEng:ChatModels:{name} or register a keyed IChatClient named '{name}'.")))];
    }
}
