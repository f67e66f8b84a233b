using System.Globalization;

namespace AiEng.Shared;

/// <summary>
/// The one wording of AiEng's messages about configuration values: each names the key as the configuration spells it
/// (<c>AiEng:Retrieval:ChunkSize</c>), its environment-variable form (<c>AiEng__Retrieval__ChunkSize</c>) and, where there is
/// one, an example value. Compiled into each package that writes such messages.
/// </summary>
internal static class ConfigurationKeys
{
    /// <summary>Gets the environment-variable form of a configuration key: <c>:</c> becomes <c>__</c>.</summary>
    /// <param name="key">The key, for example <c>AiEng:Retrieval:ChunkSize</c>.</param>
    /// <returns>The variable name, for example <c>AiEng__Retrieval__ChunkSize</c>.</returns>
    public static string EnvironmentVariable(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>Formats a value that is out of range: <c>&lt;key&gt; is &lt;value&gt; but &lt;requirement&gt;, for example ... (environment variable ...).</c></summary>
    /// <param name="key">The configuration key.</param>
    /// <param name="value">The rejected value (formatted with <see cref="Format"/>).</param>
    /// <param name="requirement">What a valid value is, starting with a verb, for example <c>must be at least 1</c>.</param>
    /// <param name="example">A valid value, or <see langword="null"/> for none.</param>
    /// <returns>The message.</returns>
    public static string Invalid(string key, object? value, string requirement, string? example) =>
        $"{key} is {Format(value)} but {requirement}{ForExample(key, example)}.";

    /// <summary>Formats a value the configuration binder cannot convert: <c>&lt;key&gt; is '&lt;text&gt;', which is not &lt;kind&gt;, for example ...</c>.</summary>
    /// <param name="key">The configuration key.</param>
    /// <param name="text">The configured text.</param>
    /// <param name="kind">What the value should be, for example <c>a whole number</c>.</param>
    /// <param name="example">A valid value, or <see langword="null"/> for none.</param>
    /// <returns>The message.</returns>
    public static string NotConvertible(string key, string text, string kind, string? example) =>
        $"{key} is '{text}', which is not {kind}{ForExample(key, example)}.";

    /// <summary>
    /// Formats the message of a dictionary entry whose key held <c>:</c>: configuration split it into sections, so the entry
    /// <paramref name="entryPath"/> got a section <paramref name="childKey"/> that its settings type does not have.
    /// </summary>
    /// <param name="entryPath">The entry's path, for example <c>AiEng:Usage:Prices:ft</c>.</param>
    /// <param name="childKey">The section below it, for example <c>gpt-4o-mini-2024-07-18</c>.</param>
    /// <param name="settings">The entry's settings type; when it has a <c>Model</c> property, the message says to use it.</param>
    /// <returns>The message.</returns>
    public static string SplitKey(string entryPath, string childKey, Type settings)
    {
        int last = entryPath.LastIndexOf(':');
        string entry = entryPath[(last + 1)..];
        string parent = last < 0 ? entryPath : entryPath[..last];
        string fix = settings.GetProperty("Model") is not null
            ? $"key the entry by a name without ':' and give the id in its Model setting, for example {parent}:my-model:Model={entry}:{childKey} (environment variable {EnvironmentVariable(parent)}__my-model__Model={entry}:{childKey})"
            : "key the entry by a name without ':'";
        return $"{entryPath}:{childKey} is not a setting of {settings.Name}. If the entry's key held ':' (as a fine-tuned model id does), configuration, which reads ':' as a section separator, "
            + $"split '{entry}:{childKey}...' into an entry '{entry}' with default settings and sections below it: {fix}. Otherwise the section is misspelled or misplaced: remove it.";
    }

    /// <summary>
    /// Formats the end of a message: <c>, for example 200 (environment variable AiEng__Retrieval__ChunkSize=200)</c>, or
    /// <c> (environment variable AiEng__Retrieval__ChunkSize)</c> when there is no example.
    /// </summary>
    /// <param name="key">The configuration key.</param>
    /// <param name="example">A valid value, or <see langword="null"/> for none.</param>
    /// <returns>The text, starting with a comma or a space.</returns>
    public static string ForExample(string key, string? example) =>
        string.IsNullOrEmpty(example)
            ? $" (environment variable {EnvironmentVariable(key)})"
            : $", for example {example} (environment variable {EnvironmentVariable(key)}={example})";

    /// <summary>Formats a value for a message: text in quotes, <c>not set</c> for null, numbers and time spans as configuration writes them.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string Format(object? value) => value switch
    {
        null => "not set",
        string text => $"'{text}'",
        _ => FormatExample(value),
    };

    /// <summary>Formats a value as it would be written in configuration (no quotes), for examples.</summary>
    /// <param name="value">The value; not null.</param>
    /// <returns>The text.</returns>
    public static string FormatExample(object value) => value switch
    {
        bool flag => flag ? "true" : "false",
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
