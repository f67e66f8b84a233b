using AiEng.Shared;

namespace AiEng.Prompts;

/// <summary>Identifies one version of a prompt: its name, its version and the hash of its content.</summary>
/// <remarks>Two ids are equal when their name, version and content hash are equal (ordinal comparison).</remarks>
public sealed class PromptId : IEquatable<PromptId>
{
    /// <summary>Initializes a new instance of the <see cref="PromptId"/> class.</summary>
    /// <param name="name">The prompt name, for example <c>classify-ticket</c>.</param>
    /// <param name="version">The version declared by the prompt, for example <c>1.2.0</c>; <c>0</c> when the prompt declares none.</param>
    /// <param name="contentHash">The SHA-256 of the prompt file text, as <c>sha256:</c> followed by 64 lowercase hex digits.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/>, <paramref name="version"/> or <paramref name="contentHash"/> is <see langword="null"/>.</exception>
    public PromptId(string name, string version, string contentHash)
    {
        Name = Throw.IfNull(name);
        Version = Throw.IfNull(version);
        ContentHash = Throw.IfNull(contentHash);
    }

    /// <summary>Gets the prompt name, for example <c>classify-ticket</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the version declared by the prompt, for example <c>1.2.0</c>; <c>0</c> when the prompt declares none.</summary>
    public string Version { get; }

    /// <summary>
    /// Gets the SHA-256 of the prompt file text (line endings normalised to <c>\n</c>), as <c>sha256:</c> followed by 64
    /// lowercase hex digits. Evaluation reports and usage records cite it so that a result can be traced to the exact prompt text.
    /// </summary>
    public string ContentHash { get; }

    /// <summary>Determines whether two ids are equal.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns><see langword="true"/> when both are <see langword="null"/> or their name, version and content hash are equal.</returns>
    public static bool operator ==(PromptId? left, PromptId? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Determines whether two ids differ.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns><see langword="true"/> when exactly one is <see langword="null"/> or their name, version or content hash differ.</returns>
    public static bool operator !=(PromptId? left, PromptId? right) => !(left == right);

    /// <inheritdoc />
    public bool Equals(PromptId? other) =>
        other is not null
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && string.Equals(Version, other.Version, StringComparison.Ordinal)
        && string.Equals(ContentHash, other.ContentHash, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PromptId);

    /// <inheritdoc />
    public override int GetHashCode() =>
        HashCode.Combine(StringComparer.Ordinal.GetHashCode(Name), StringComparer.Ordinal.GetHashCode(Version), StringComparer.Ordinal.GetHashCode(ContentHash));

    /// <summary>Returns <c>name@version</c>.</summary>
    /// <returns>The reference of this prompt version.</returns>
    public override string ToString() => $"{Name}@{Version}";
}
