using System.Security.Cryptography;
using System.Text;
using AiEng.Shared;

namespace AiEng.Prompts;

/// <summary>
/// A parsed prompt file: YAML front matter between <c>---</c> lines (name, description, version, model parameters, typed
/// inputs, a sample) followed by a Liquid body with role sections. The layout follows Prompty where practical.
/// </summary>
/// <remarks>
/// Parsing checks the front matter only; <see cref="PromptTemplate"/> compiles the body. Instances are immutable.
/// </remarks>
public sealed class PromptFile
{
    internal PromptFile(
        string? source, string name, string? description, string version, IReadOnlyList<string> authors,
        PromptModelSettings model, IReadOnlyList<PromptInput> inputs, IReadOnlyDictionary<string, object?> sample,
        string body, int bodyLine, string contentHash)
    {
        Source = source;
        Name = name;
        Description = description;
        Version = version;
        Authors = authors;
        Model = model;
        Inputs = inputs;
        Sample = sample;
        Body = body;
        BodyLine = bodyLine;
        ContentHash = contentHash;
    }

    /// <summary>Gets the file path or resource name the prompt was read from, if any (errors cite it).</summary>
    public string? Source { get; }

    /// <summary>Gets the prompt name (<c>name:</c>; defaults to the file name without extension).</summary>
    public string Name { get; }

    /// <summary>Gets the description, if any.</summary>
    public string? Description { get; }

    /// <summary>Gets the version (<c>version:</c>); <c>0</c> when not declared.</summary>
    public string Version { get; }

    /// <summary>Gets the authors, if any.</summary>
    public IReadOnlyList<string> Authors { get; }

    /// <summary>Gets the model settings.</summary>
    public PromptModelSettings Model { get; }

    /// <summary>Gets the declared inputs, in declaration order.</summary>
    public IReadOnlyList<PromptInput> Inputs { get; }

    /// <summary>Gets the sample inputs (<c>sample:</c>), for previews and tests.</summary>
    public IReadOnlyDictionary<string, object?> Sample { get; }

    /// <summary>Gets the template body (everything after the front matter).</summary>
    public string Body { get; }

    /// <summary>Gets the 1-based line of the file on which <see cref="Body"/> starts.</summary>
    public int BodyLine { get; }

    /// <summary>Gets the content hash: <c>sha256:</c> and the SHA-256 of the text with line endings normalised to <c>\n</c>.</summary>
    public string ContentHash { get; }

    /// <summary>Gets the identity of the prompt.</summary>
    public PromptId Id => new(Name, Version, ContentHash);

    /// <summary>Parses prompt file text.</summary>
    /// <param name="text">The file text.</param>
    /// <param name="source">The path or resource name, cited by errors; its file name is the default prompt name.</param>
    /// <returns>The parsed file.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="PromptException">The front matter is malformed; the message names the file, line and column.</exception>
    public static PromptFile Parse(string text, string? source = null)
    {
        Throw.IfNull(text);
        return PromptFileParser.Parse(text, source);
    }

    /// <summary>Reads and parses a prompt file.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The parsed file.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="PromptException">The front matter is malformed.</exception>
    public static PromptFile Load(string path)
    {
        Throw.IfNullOrWhitespace(path);
        return Parse(File.ReadAllText(path), path);
    }

    internal static string ComputeHash(string text)
    {
        string normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(normalized));
        return "sha256:" + Convert.ToHexStringLower(hash);
    }
}
