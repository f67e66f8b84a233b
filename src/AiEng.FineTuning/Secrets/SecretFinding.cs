using System.Globalization;

namespace AiEng.FineTuning;

/// <summary>Where a secret or piece of personal data was found. It never holds the secret itself.</summary>
public sealed class SecretFinding
{
    /// <summary>Initializes a new instance of the <see cref="SecretFinding"/> class.</summary>
    /// <param name="kind">What was found.</param>
    /// <param name="exampleIndex">The 0-based index of the example.</param>
    /// <param name="exampleId">The example's id, if any.</param>
    /// <param name="field">The field as a JSON path in the OpenAI format, for example <c>messages[1].content</c>.</param>
    /// <param name="offset">The 0-based character offset of the secret in the field's text.</param>
    /// <param name="length">The length of the secret in characters.</param>
    public SecretFinding(SecretKind kind, int exampleIndex, string? exampleId, string field, int offset, int length)
    {
        Kind = kind;
        ExampleIndex = exampleIndex;
        ExampleId = exampleId;
        Field = field;
        Offset = offset;
        Length = length;
    }

    /// <summary>Gets what was found.</summary>
    public SecretKind Kind { get; }

    /// <summary>Gets the 0-based index of the example.</summary>
    public int ExampleIndex { get; }

    /// <summary>Gets the example's id, if any.</summary>
    public string? ExampleId { get; }

    /// <summary>Gets the field as a JSON path in the OpenAI format.</summary>
    public string Field { get; }

    /// <summary>Gets the 0-based character offset of the secret in the field's text.</summary>
    public int Offset { get; }

    /// <summary>Gets the length of the secret in characters.</summary>
    public int Length { get; }

    /// <summary>Formats the finding without the secret, as <c>EmailAddress in example #2 (id) messages[1].content at 14, 20 characters</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        string id = ExampleId is null ? string.Empty : $" ({ExampleId})";
        return string.Create(CultureInfo.InvariantCulture, $"{Kind} in example #{ExampleIndex}{id} {Field} at {Offset}, {Length} characters");
    }
}
