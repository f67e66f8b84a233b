using System.Collections;
using System.Globalization;
using System.Text.Json;
using Fluid;
using Fluid.Values;
using Microsoft.Extensions.AI;

namespace AiEng.Prompts;

/// <summary>
/// Converts input values to Fluid values up front: strings, numbers, booleans, lists and dictionaries only. Other objects
/// are read through their JSON form, so templates never reach .NET members by reflection.
/// </summary>
internal static class FluidValueConverter
{
    // Examples are immutable records reused across renders (a selector returns the same instances), and Fluid values are
    // read-only to templates, so each example is converted once.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<PromptExample, FluidValue> ConvertedExamples = new();

    public static FluidValue ToFluid(object? value, TemplateOptions options) => value switch
    {
        null => NilValue.Instance,
        FluidValue fluid => fluid,
        string s => new StringValue(s, encode: false),
        bool b => BooleanValue.Create(b),
        int or long or short or byte or sbyte or uint or ulong or ushort or decimal => NumberValue.Create(Convert.ToDecimal(value, CultureInfo.InvariantCulture)),
        double d => double.IsFinite(d) ? NumberValue.Create((decimal)d) : new StringValue(d.ToString(CultureInfo.InvariantCulture)),
        float f => float.IsFinite(f) ? NumberValue.Create((decimal)f) : new StringValue(f.ToString(CultureInfo.InvariantCulture)),
        DateTime or DateTimeOffset => FluidValue.Create(value, options),
        Enum e => new StringValue(e.ToString(), encode: false),
        PromptExample example => FromExampleCached(example, options),
        JsonElement json => FromJson(json),
        IDictionary dictionary => FromDictionary(dictionary, options),
        IList list => FromList(list, options),
        IEnumerable sequence => new ArrayValue(sequence.Cast<object?>().Select(item => ToFluid(item, options)).ToArray()),
        _ => FromJson(JsonSerializer.SerializeToElement(value, value.GetType(), AIJsonUtilities.DefaultOptions)),
    };

    private static FluidValue FromExampleCached(PromptExample example, TemplateOptions options)
    {
        if (ConvertedExamples.TryGetValue(example, out FluidValue? value))
        {
            return value;
        }

        value = FromExample(example, options);
        ConvertedExamples.AddOrUpdate(example, value);
        return value;
    }

    private static ArrayValue FromList(IList list, TemplateOptions options)
    {
        var items = new FluidValue[list.Count];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = ToFluid(list[i], options);
        }

        return new ArrayValue(items);
    }

    private static DictionaryValue FromExample(PromptExample example, TemplateOptions options)
    {
        var values = new Dictionary<string, FluidValue>(StringComparer.Ordinal)
        {
            ["input"] = new StringValue(example.Input, encode: false),
            ["output"] = new StringValue(example.Output, encode: false),
            ["id"] = example.Id is null ? NilValue.Instance : new StringValue(example.Id, encode: false),
        };
        if (example.Metadata is not null)
        {
            values["metadata"] = new DictionaryValue(new FluidValueDictionaryFluidIndexable(
                example.Metadata.ToDictionary(p => p.Key, p => ToFluid(p.Value, options), StringComparer.Ordinal)));
        }

        return new DictionaryValue(new FluidValueDictionaryFluidIndexable(values));
    }

    private static DictionaryValue FromDictionary(IDictionary dictionary, TemplateOptions options)
    {
        var values = new Dictionary<string, FluidValue>(dictionary.Count, StringComparer.Ordinal);
        foreach (DictionaryEntry entry in dictionary)
        {
            values[Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty] = ToFluid(entry.Value, options);
        }

        return new DictionaryValue(new FluidValueDictionaryFluidIndexable(values));
    }

    private static FluidValue FromJson(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.String => new StringValue(json.GetString() ?? string.Empty, encode: false),
        JsonValueKind.Number => json.TryGetDecimal(out decimal d) ? NumberValue.Create(d) : new StringValue(json.GetRawText()),
        JsonValueKind.True => BooleanValue.True,
        JsonValueKind.False => BooleanValue.False,
        JsonValueKind.Array => new ArrayValue(json.EnumerateArray().Select(FromJson).ToArray()),
        JsonValueKind.Object => new DictionaryValue(new FluidValueDictionaryFluidIndexable(
            json.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value), StringComparer.Ordinal))),
        _ => NilValue.Instance,
    };
}
