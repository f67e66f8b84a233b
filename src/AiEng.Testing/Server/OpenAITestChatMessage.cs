using AiEng.Shared;

namespace AiEng.Testing;

/// <summary>One message of a chat completion request received by <see cref="OpenAITestServer"/>.</summary>
/// <remarks>Two messages are equal when their roles and contents are equal (ordinal comparison), so a test can compare whole lists.</remarks>
public sealed class OpenAITestChatMessage : IEquatable<OpenAITestChatMessage>
{
    /// <summary>Initializes a new instance of the <see cref="OpenAITestChatMessage"/> class.</summary>
    /// <param name="role">The role, for example <c>system</c>, <c>user</c>, <c>assistant</c> or <c>tool</c>.</param>
    /// <param name="content">The text content; empty when there is none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> or <paramref name="content"/> is <see langword="null"/>.</exception>
    public OpenAITestChatMessage(string role, string content)
    {
        Role = Throw.IfNull(role);
        Content = Throw.IfNull(content);
    }

    /// <summary>Gets the role, for example <c>system</c>, <c>user</c>, <c>assistant</c> or <c>tool</c>.</summary>
    public string Role { get; }

    /// <summary>Gets the text content; the text parts of a multi-part content joined with newlines; empty when there is none.</summary>
    public string Content { get; }

    /// <summary>Determines whether two messages are equal.</summary>
    /// <param name="left">The first message.</param>
    /// <param name="right">The second message.</param>
    /// <returns><see langword="true"/> when both are <see langword="null"/> or their roles and contents are equal.</returns>
    public static bool operator ==(OpenAITestChatMessage? left, OpenAITestChatMessage? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Determines whether two messages differ.</summary>
    /// <param name="left">The first message.</param>
    /// <param name="right">The second message.</param>
    /// <returns><see langword="true"/> when exactly one is <see langword="null"/> or their roles or contents differ.</returns>
    public static bool operator !=(OpenAITestChatMessage? left, OpenAITestChatMessage? right) => !(left == right);

    /// <inheritdoc />
    public bool Equals(OpenAITestChatMessage? other) =>
        other is not null && string.Equals(Role, other.Role, StringComparison.Ordinal) && string.Equals(Content, other.Content, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as OpenAITestChatMessage);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Role), StringComparer.Ordinal.GetHashCode(Content));

    /// <summary>Returns the role and content, for example <c>user: Capital of France?</c>, so that assertion failures show both.</summary>
    /// <returns>The message as text.</returns>
    public override string ToString() => $"{Role}: {Content}";
}
