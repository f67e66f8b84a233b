namespace AiEng.Inference;

/// <summary>Matching of configured model keys (prices, budget filters) against the model ids providers report.</summary>
internal static class ModelIds
{
    /// <summary>
    /// Gets a value indicating whether <paramref name="modelId"/> is <paramref name="key"/> or a variant of it: the key
    /// followed by a separator (<c>-</c>, <c>_</c>, <c>:</c>, <c>@</c>, <c>/</c>), compared case-insensitively. A dated
    /// snapshot such as <c>gpt-4o-mini-2024-07-18</c> is a variant of <c>gpt-4o-mini</c>; <c>gpt-4o</c> is not a variant of <c>gpt-4</c>.
    /// </summary>
    public static bool IsVariantOf(string modelId, string key)
    {
        if (!modelId.StartsWith(key, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (modelId.Length == key.Length)
        {
            return true;
        }

        char next = modelId[key.Length];
        return next is '-' or '_' or ':' or '@' or '/';
    }
}
