using AiEng.Shared;

namespace AiEng.Inference;

/// <summary>One input of a batch run, with the stable id that finds its result again when the run is resumed.</summary>
/// <typeparam name="TInput">The input type.</typeparam>
public sealed class BatchItem<TInput>
{
    /// <summary>Initializes a new instance of the <see cref="BatchItem{TInput}"/> class.</summary>
    /// <param name="id">A stable id, unique in the batch: a row key, a document id, a case id.</param>
    /// <param name="input">The input.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is <see langword="null"/>, empty or whitespace.</exception>
    public BatchItem(string id, TInput input)
    {
        Id = Throw.IfNullOrWhitespace(id);
        Input = input;
    }

    /// <summary>Gets the item's id.</summary>
    public string Id { get; }

    /// <summary>Gets the item's input.</summary>
    public TInput Input { get; }
}
