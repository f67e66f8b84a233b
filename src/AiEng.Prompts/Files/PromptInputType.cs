namespace AiEng.Prompts;

/// <summary>The type a prompt input declares (<c>type:</c> in the front matter).</summary>
public enum PromptInputType
{
    /// <summary>Any value (no <c>type</c> declared).</summary>
    Any,

    /// <summary><c>string</c>: a <see cref="string"/>.</summary>
    String,

    /// <summary><c>number</c>: any .NET numeric value.</summary>
    Number,

    /// <summary><c>integer</c>: an integral .NET numeric value.</summary>
    Integer,

    /// <summary><c>boolean</c>: a <see cref="bool"/>.</summary>
    Boolean,

    /// <summary><c>array</c>: a sequence (not a string), for example a list of <see cref="PromptExample"/>.</summary>
    Array,

    /// <summary><c>object</c>: a dictionary, a JSON object or a plain object (read through its JSON form).</summary>
    Object,
}
