using AiEng.Shared;

namespace AiEng.FineTuning;

/// <summary>Why a fine-tuning job failed, as the provider reported it.</summary>
public sealed class FineTuningJobError
{
    /// <summary>Initializes a new instance of the <see cref="FineTuningJobError"/> class.</summary>
    /// <param name="code">The provider's error code, for example <c>invalid_training_file</c>; empty when it gave none.</param>
    /// <param name="message">The provider's message.</param>
    /// <exception cref="ArgumentNullException"><paramref name="code"/> or <paramref name="message"/> is <see langword="null"/>.</exception>
    public FineTuningJobError(string code, string message)
    {
        Code = Throw.IfNull(code);
        Message = Throw.IfNull(message);
    }

    /// <summary>Gets the provider's error code; empty when it gave none.</summary>
    public string Code { get; }

    /// <summary>Gets the provider's message.</summary>
    public string Message { get; }

    /// <summary>Gets the parameter the error is about (for example <c>training_file</c>), if the provider named one.</summary>
    public string? Parameter { get; init; }

    /// <summary>Returns the code and message.</summary>
    /// <returns>For example <c>invalid_training_file: The file has too few examples.</c>.</returns>
    public override string ToString() => Code.Length == 0 ? Message : $"{Code}: {Message}";
}
