using System.Globalization;
using System.Text;
using System.Text.Json;
using AiEng.Shared;

namespace AiEng.FineTuning;

/// <summary>
/// Imports and exports training data as JSON lines in OpenAI's formats: chat fine-tuning
/// (<c>{"messages":[...],"tools":[...]}</c> with <c>tool_calls</c>, <c>tool_call_id</c> and <c>weight</c>) and preference
/// fine-tuning (<c>{"input":{"messages":[...]},"preferred_output":[...],"non_preferred_output":[...]}</c>).
/// </summary>
/// <remarks>
/// Reading is line by line and holds no more than <see cref="FineTuningJsonlOptions.MaxLineChars"/> characters of a line.
/// Blank lines are ignored. Any other problem throws <see cref="FineTuningDataException"/> naming the file, the 1-based line
/// and the field as a JSON path (for example <c>messages[1].tool_calls[0].function.arguments</c>); unknown fields are
/// problems too, as OpenAI rejects them. Each example's <see cref="FineTuningExample.Id"/> is set to <c>file:line</c>.
/// Writing produces UTF-8 without a byte-order mark, one compact JSON object per line, ending with a line feed.
/// </remarks>
public static class FineTuningJsonl
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Reads chat fine-tuning examples from a file.</summary>
    /// <param name="path">The JSONL file.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The examples in file order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="FineTuningDataException">A line is malformed.</exception>
    public static async Task<IReadOnlyList<FineTuningExample>> ReadExamplesAsync(string path, FineTuningJsonlOptions? options = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhitespace(path);
        using var reader = new StreamReader(path, Utf8NoBom, detectEncodingFromByteOrderMarks: true);
        return await ParseExamplesAsync(reader, path, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads chat fine-tuning examples from a reader.</summary>
    /// <param name="reader">The text; not disposed.</param>
    /// <param name="sourceName">The name used in errors and example ids (for example the file name).</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The examples in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="sourceName"/> is <see langword="null"/>.</exception>
    /// <exception cref="FineTuningDataException">A line is malformed.</exception>
    public static Task<IReadOnlyList<FineTuningExample>> ParseExamplesAsync(TextReader reader, string sourceName, FineTuningJsonlOptions? options = null, CancellationToken cancellationToken = default) =>
        ReadAsync(Throw.IfNull(reader), Throw.IfNull(sourceName), options, OpenAIChatFormat.ParseExample, cancellationToken);

    /// <summary>Reads preference examples from a file.</summary>
    /// <param name="path">The JSONL file.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The examples in file order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="FineTuningDataException">A line is malformed.</exception>
    public static async Task<IReadOnlyList<PreferenceExample>> ReadPreferencesAsync(string path, FineTuningJsonlOptions? options = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhitespace(path);
        using var reader = new StreamReader(path, Utf8NoBom, detectEncodingFromByteOrderMarks: true);
        return await ParsePreferencesAsync(reader, path, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads preference examples from a reader.</summary>
    /// <param name="reader">The text; not disposed.</param>
    /// <param name="sourceName">The name used in errors and example ids.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The examples in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="sourceName"/> is <see langword="null"/>.</exception>
    /// <exception cref="FineTuningDataException">A line is malformed.</exception>
    public static Task<IReadOnlyList<PreferenceExample>> ParsePreferencesAsync(TextReader reader, string sourceName, FineTuningJsonlOptions? options = null, CancellationToken cancellationToken = default) =>
        ReadAsync(Throw.IfNull(reader), Throw.IfNull(sourceName), options, OpenAIChatFormat.ParsePreference, cancellationToken);

    /// <summary>Writes chat fine-tuning examples to a file, replacing it.</summary>
    /// <param name="path">The JSONL file.</param>
    /// <param name="examples">The examples.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the file is written.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static Task WriteExamplesAsync(string path, IEnumerable<FineTuningExample> examples, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhitespace(path);
        Throw.IfNull(examples);
        return WriteFileAsync(path, writer => SerializeExamplesAsync(writer, examples, cancellationToken));
    }

    /// <summary>
    /// Writes a data set's examples to <paramref name="path"/> (OpenAI chat JSONL) and its provenance beside it, to
    /// <see cref="ProvenancePath(string)"/> (<c>train.jsonl</c> gets <c>train.provenance.json</c>): the number of examples
    /// and how the set was built (source, prompt name, version and content hash, teacher model, tokens and cost spent,
    /// creation time, further facts), so that a trained model can be traced back to its data.
    /// </summary>
    /// <param name="path">The JSONL file.</param>
    /// <param name="dataSet">The data set.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when both files are written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataSet"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/>, empty or whitespace.</exception>
    public static async Task WriteDataSetAsync(string path, FineTuningDataSet dataSet, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhitespace(path);
        Throw.IfNull(dataSet);
        await WriteExamplesAsync(path, dataSet.Examples, cancellationToken).ConfigureAwait(false);
        await WriteFileAsync(ProvenancePath(path), async writer =>
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                WriteProvenance(json, Path.GetFileName(path), dataSet);
            }

            await writer.WriteAsync(Encoding.UTF8.GetString(buffer.ToArray()).AsMemory(), cancellationToken).ConfigureAwait(false);
            await writer.WriteLineAsync().ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>Gets the path of the provenance file written beside a JSONL file: its extension replaced by <c>.provenance.json</c>.</summary>
    /// <param name="jsonlPath">The JSONL file, for example <c>out/train.jsonl</c>.</param>
    /// <returns>For example <c>out/train.provenance.json</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="jsonlPath"/> is <see langword="null"/>, empty or whitespace.</exception>
    public static string ProvenancePath(string jsonlPath)
    {
        Throw.IfNullOrWhitespace(jsonlPath);
        return Path.ChangeExtension(jsonlPath, ".provenance.json");
    }

    private static void WriteProvenance(Utf8JsonWriter json, string fileName, FineTuningDataSet dataSet)
    {
        FineTuningProvenance provenance = dataSet.Provenance;
        json.WriteStartObject();
        json.WriteString("file", fileName);
        json.WriteNumber("examples", dataSet.Examples.Count);
        json.WriteString("source", provenance.Source);
        if (provenance.Prompt is { } prompt)
        {
            json.WriteStartObject("prompt");
            json.WriteString("name", prompt.Name);
            json.WriteString("version", prompt.Version);
            json.WriteString("content_hash", prompt.ContentHash);
            json.WriteEndObject();
        }

        if (provenance.TeacherModel is { } teacher)
        {
            json.WriteString("teacher_model", teacher);
        }

        if (provenance.InputTokens is { } input)
        {
            json.WriteNumber("input_tokens", input);
        }

        if (provenance.OutputTokens is { } output)
        {
            json.WriteNumber("output_tokens", output);
        }

        if (provenance.Cost is { } cost)
        {
            json.WriteNumber("cost", cost);
        }

        json.WriteString("created_at", provenance.CreatedAt);
        json.WriteStartObject("properties");
        foreach (var (key, value) in provenance.Properties.OrderBy(static p => p.Key, StringComparer.Ordinal))
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>Writes chat fine-tuning examples to a writer.</summary>
    /// <param name="writer">The writer; not disposed.</param>
    /// <param name="examples">The examples.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the examples are written.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static Task SerializeExamplesAsync(TextWriter writer, IEnumerable<FineTuningExample> examples, CancellationToken cancellationToken = default) =>
        WriteAsync(Throw.IfNull(writer), Throw.IfNull(examples), OpenAIChatFormat.WriteExample, cancellationToken);

    /// <summary>Writes preference examples to a file, replacing it.</summary>
    /// <param name="path">The JSONL file.</param>
    /// <param name="examples">The examples.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the file is written.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static Task WritePreferencesAsync(string path, IEnumerable<PreferenceExample> examples, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhitespace(path);
        Throw.IfNull(examples);
        return WriteFileAsync(path, writer => SerializePreferencesAsync(writer, examples, cancellationToken));
    }

    /// <summary>Writes preference examples to a writer.</summary>
    /// <param name="writer">The writer; not disposed.</param>
    /// <param name="examples">The examples.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the examples are written.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static Task SerializePreferencesAsync(TextWriter writer, IEnumerable<PreferenceExample> examples, CancellationToken cancellationToken = default) =>
        WriteAsync(Throw.IfNull(writer), Throw.IfNull(examples), OpenAIChatFormat.WritePreference, cancellationToken);

    private static async Task WriteFileAsync(string path, Func<TextWriter, Task> write)
    {
        // Written beside the target and moved over it, so a failed export never leaves half a training file.
        string temporary = path + ".tmp";
        try
        {
            await using (var writer = new StreamWriter(temporary, append: false, Utf8NoBom))
            {
                await write(writer).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static async Task WriteAsync<T>(TextWriter writer, IEnumerable<T> examples, Action<Utf8JsonWriter, T> write, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        foreach (T example in examples)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Throw.IfNull(example, nameof(examples));
            buffer.SetLength(0);
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                write(json, example);
            }

            await writer.WriteAsync(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length).AsMemory(), cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync("\n".AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<T>> ReadAsync<T>(
        TextReader reader, string sourceName, FineTuningJsonlOptions? options, Func<JsonElement, string, T> parse, CancellationToken cancellationToken)
    {
        int maxLineChars = options?.MaxLineChars ?? FineTuningJsonlOptions.DefaultMaxLineChars;
        Throw.IfLessThan(maxLineChars, 2, "options.MaxLineChars");
        bool collect = options?.CollectAllErrors ?? false;
        string name = Path.GetFileName(sourceName) is { Length: > 0 } fileName ? fileName : sourceName;

        var lines = new BoundedLineReader(reader, maxLineChars);
        var results = new List<T>();
        var errors = new List<FineTuningDataError>();
        Exception? firstCause = null;
        int lineNumber = 0;
        while (true)
        {
            var (text, tooLong, length, end) = await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (end)
            {
                break;
            }

            lineNumber++;
            if (!tooLong && string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            try
            {
                if (tooLong)
                {
                    throw new JsonFieldException(null, string.Create(CultureInfo.InvariantCulture,
                        $"the line is {length:N0} characters long, more than FineTuningJsonlOptions.MaxLineChars ({maxLineChars:N0}), so it was not parsed; raise MaxLineChars if such examples are expected"));
                }

                results.Add(ParseLine(text!, $"{name}:{lineNumber}", parse));
            }
            catch (JsonFieldException ex)
            {
                errors.Add(new FineTuningDataError(sourceName, lineNumber, ex.Field, ex.Message + "."));
                firstCause ??= ex.InnerException;
                if (!collect)
                {
                    break;
                }
            }
        }

        return errors.Count > 0 ? throw new FineTuningDataException(errors, firstCause) : results;
    }

    private static T ParseLine<T>(string line, string id, Func<JsonElement, string, T> parse)
    {
        if (!JsonText.TryParse(line, out JsonDocument? document, out string? problem, out JsonException? parseError))
        {
            throw new JsonFieldException(null, "the line " + problem, parseError);
        }

        using (document)
        {
            return parse(document.RootElement, id);
        }
    }
}
