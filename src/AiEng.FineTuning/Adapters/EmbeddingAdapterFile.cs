using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace AiEng.FineTuning;

/// <summary>
/// The adapter file: the magic bytes <c>AEAD</c>, a 32-bit little-endian format version, the length of a UTF-8 JSON header
/// and the header (kind, base model id, dimensions, hidden size, normalisation, parameter count, training metadata),
/// then the parameters as little-endian float32, and nothing after them.
/// </summary>
internal static class EmbeddingAdapterFile
{
    /// <summary>The format version this code writes and the newest it reads.</summary>
    public const int Version = 1;

    private const int MaxHeaderBytes = 1 << 20;
    private static readonly byte[] Magic = "AEAD"u8.ToArray();

    public static void Write(EmbeddingAdapter adapter, Stream stream)
    {
        byte[] header = Header(adapter);
        Span<byte> prefix = stackalloc byte[12];
        Magic.CopyTo(prefix);
        BinaryPrimitives.WriteInt32LittleEndian(prefix[4..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(prefix[8..], header.Length);
        stream.Write(prefix);
        stream.Write(header);
        float[] parameters = adapter.Parameters;
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(parameters.AsSpan()));
        }
        else
        {
            byte[] bytes = new byte[parameters.Length * sizeof(float)];
            for (int i = 0; i < parameters.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), parameters[i]);
            }

            stream.Write(bytes);
        }

        stream.Flush();
    }

    public static EmbeddingAdapter Read(Stream stream, string source)
    {
        Span<byte> prefix = stackalloc byte[12];
        if (stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false) < prefix.Length || !prefix[..4].SequenceEqual(Magic))
        {
            throw Invalid(source, "it does not start with the adapter file signature 'AEAD'; it is not an embedding adapter file (write one with EmbeddingAdapter.Save)");
        }

        int version = BinaryPrimitives.ReadInt32LittleEndian(prefix[4..]);
        if (version < 1 || version > Version)
        {
            throw Invalid(source, $"it has format version {version}, and this version of AiEng.FineTuning reads versions 1 to {Version}; update the package or save the adapter again");
        }

        int headerLength = BinaryPrimitives.ReadInt32LittleEndian(prefix[8..]);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes)
        {
            throw Invalid(source, $"its header length {headerLength} is out of range (1 to {MaxHeaderBytes} bytes); the file is corrupt");
        }

        byte[] header = new byte[headerLength];
        if (stream.ReadAtLeast(header, headerLength, throwOnEndOfStream: false) < headerLength)
        {
            throw Invalid(source, "it ends inside its header; the file is truncated");
        }

        var fields = ParseHeader(header, source);
        if (stream.CanSeek && stream.Length - stream.Position != (long)fields.ParameterCount * sizeof(float))
        {
            long remaining = stream.Length - stream.Position;
            throw Invalid(source, remaining < (long)fields.ParameterCount * sizeof(float)
                ? $"it holds {remaining / sizeof(float)} of its {fields.ParameterCount} parameters; the file is truncated"
                : $"it has data after its {fields.ParameterCount} parameters; the file is corrupt");
        }

        float[] parameters = new float[fields.ParameterCount];
        Span<byte> bytes = MemoryMarshal.AsBytes(parameters.AsSpan());
        int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (read < bytes.Length)
        {
            throw Invalid(source, $"it holds {read / sizeof(float)} of its {fields.ParameterCount} parameters; the file is truncated");
        }

        if (stream.ReadByte() != -1)
        {
            throw Invalid(source, $"it has data after its {fields.ParameterCount} parameters; the file is corrupt");
        }

        if (!BitConverter.IsLittleEndian)
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * sizeof(float)));
            }
        }

        for (int i = 0; i < parameters.Length; i++)
        {
            if (!float.IsFinite(parameters[i]))
            {
                throw Invalid(source, $"parameter {i} is {parameters[i]}; the file is corrupt or the training diverged");
            }
        }

        EmbeddingAdapter adapter = fields.Kind == EmbeddingAdapterKind.Linear
            ? new LinearEmbeddingAdapter(fields.BaseModelId, fields.Dimensions, fields.Normalize, parameters)
            : new ResidualEmbeddingAdapter(fields.BaseModelId, fields.Dimensions, fields.HiddenSize, fields.Normalize, parameters);
        foreach (KeyValuePair<string, string> entry in fields.Training)
        {
            adapter.SetTraining(entry.Key, entry.Value);
        }

        return adapter;
    }

    private static byte[] Header(EmbeddingAdapter adapter)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", adapter.Kind == EmbeddingAdapterKind.Linear ? "linear" : "residual");
            writer.WriteString("baseModelId", adapter.BaseModelId);
            writer.WriteNumber("dimensions", adapter.Dimensions);
            writer.WriteNumber("hiddenSize", adapter.HiddenSize);
            writer.WriteBoolean("normalize", adapter.Normalize);
            writer.WriteNumber("parameters", adapter.Parameters.Length);
            writer.WriteStartObject("training");
            foreach (KeyValuePair<string, string> entry in adapter.Training.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                writer.WriteString(entry.Key, entry.Value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static HeaderFields ParseHeader(byte[] header, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException ex)
        {
            throw Invalid(source, $"its header is not valid JSON ({ex.Message}); the file is corrupt");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(source, "its header is not a JSON object; the file is corrupt");
            }

            string kindText = String(root, "kind", source);
            EmbeddingAdapterKind kind = kindText switch
            {
                "linear" => EmbeddingAdapterKind.Linear,
                "residual" => EmbeddingAdapterKind.Residual,
                _ => throw Invalid(source, $"its header field 'kind' is '{kindText}'; expected 'linear' or 'residual'"),
            };
            string model = String(root, "baseModelId", source);
            int dimensions = Int(root, "dimensions", source, 1);
            int hidden = Int(root, "hiddenSize", source, kind == EmbeddingAdapterKind.Residual ? 1 : 0);
            int count = Int(root, "parameters", source, 1);
            long expected = kind == EmbeddingAdapterKind.Linear
                ? LinearEmbeddingAdapter.ParameterCountFor(dimensions)
                : (2L * hidden * dimensions) + hidden + dimensions;
            if (count != expected || expected > Array.MaxLength / sizeof(float))
            {
                throw Invalid(source, string.Create(CultureInfo.InvariantCulture, $"its header declares {count} parameters, but a {kindText} adapter of {dimensions} dimensions (hidden size {hidden}) has {expected}; the file is corrupt"));
            }

            if (!root.TryGetProperty("normalize", out JsonElement normalize) || normalize.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw Invalid(source, "its header has no boolean field 'normalize'; the file is corrupt");
            }

            var training = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("training", out JsonElement trainingElement) && trainingElement.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty property in trainingElement.EnumerateObject())
                {
                    training[property.Name] = property.Value.ToString();
                }
            }

            return new HeaderFields(kind, model, dimensions, hidden, normalize.GetBoolean(), count, training);
        }
    }

    private static string String(JsonElement root, string name, string source) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!
            : throw Invalid(source, $"its header has no string field '{name}'; the file is corrupt");

    private static int Int(JsonElement root, string name, string source, int min) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) && number >= min
            ? number
            : throw Invalid(source, $"its header field '{name}' is missing or not a whole number of at least {min}; the file is corrupt");

    private static InvalidDataException Invalid(string source, string reason) =>
        new($"'{source}' cannot be read as an embedding adapter: {reason}.");

    private sealed record HeaderFields(EmbeddingAdapterKind Kind, string BaseModelId, int Dimensions, int HiddenSize, bool Normalize, int ParameterCount, Dictionary<string, string> Training);
}
