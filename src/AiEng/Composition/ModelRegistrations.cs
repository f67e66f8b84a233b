namespace AiEng.Composition;

/// <summary>
/// What the application registered through <c>AiEngBuilder</c> for one kind of model: its own clients (which replace a
/// configured model of the same name) and its pipeline callbacks.
/// </summary>
/// <typeparam name="TClient">The client type (<c>IChatClient</c> or the embedding generator).</typeparam>
/// <typeparam name="TBuilder">The MEAI pipeline builder of that client type.</typeparam>
internal sealed class ModelRegistrations<TClient, TBuilder>
    where TClient : class
{
    private readonly Dictionary<string, Func<IServiceProvider, TClient>> _custom = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(bool AllModels, string? Name, Action<TBuilder> Configure)> _pipeline = [];
    private Func<IServiceProvider, TClient>? _customDefault;

    /// <summary>Gets the pipeline callbacks of the model <paramref name="name"/> (the default model when null), in the order they were added (the first one is outermost).</summary>
    public IEnumerable<Action<TBuilder>> PipelineOf(string? name) =>
        _pipeline.Where(entry => entry.AllModels || string.Equals(entry.Name, name, StringComparison.OrdinalIgnoreCase)).Select(entry => entry.Configure);

    /// <summary>Adds a pipeline callback for every model.</summary>
    public void AddPipeline(Action<TBuilder> configure) => _pipeline.Add((true, null, configure));

    /// <summary>Adds a pipeline callback for the model <paramref name="name"/> only (the default model when null).</summary>
    public void AddPipeline(string? name, Action<TBuilder> configure) => _pipeline.Add((false, name, configure));

    /// <summary>Makes <paramref name="factory"/> serve the model <paramref name="name"/> (the default model when null).</summary>
    public void SetCustom(string? name, Func<IServiceProvider, TClient> factory)
    {
        if (name is null)
        {
            _customDefault = factory;
        }
        else
        {
            _custom[name] = factory;
        }
    }

    /// <summary>Gets the application's own factory for the model <paramref name="name"/>, if any.</summary>
    public Func<IServiceProvider, TClient>? GetCustom(string? name) =>
        name is null ? _customDefault : _custom.GetValueOrDefault(name);

    /// <summary>Gets the names of the models the application serves with its own clients.</summary>
    public IEnumerable<string> CustomNames => _custom.Keys;
}
