using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace AiEng.Shared;

/// <summary>
/// Reads typed values of a configuration section for the hand-written option binders: a value that cannot be converted is
/// kept as an error message naming its key and an example, for start-up validation to report, instead of throwing.
/// </summary>
internal static class ConfigurationValues
{
    /// <summary>Reads the whole number at <paramref name="key"/>; <see langword="null"/> when absent or unreadable (then an error is added).</summary>
    public static int? ReadInt(IConfigurationSection section, string key, List<string> errors, string example)
    {
        string? value = section[key];
        if (value is null)
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int number))
        {
            return number;
        }

        errors.Add($"{section.Path}:{key} is '{value}', which is not a whole number, for example {example}.");
        return null;
    }

    /// <summary>Reads the <c>true</c>/<c>false</c> at <paramref name="key"/>; <see langword="null"/> when absent or unreadable (then an error is added).</summary>
    public static bool? ReadBool(IConfigurationSection section, string key, List<string> errors, string example)
    {
        string? value = section[key];
        if (value is null)
        {
            return null;
        }

        if (bool.TryParse(value.Trim(), out bool flag))
        {
            return flag;
        }

        errors.Add($"{section.Path}:{key} is '{value}', which is not true or false, for example {example}.");
        return null;
    }
}
