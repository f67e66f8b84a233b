using System.Globalization;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace AiEng.Shared;

/// <summary>
/// Binds options with the standard configuration binder (<see cref="ConfigurationBinder.Bind(IConfiguration, object)"/>) and
/// turns its conversion failure into one message per key it cannot convert, instead of the binder's exception on the first.
/// </summary>
/// <remarks>
/// The binder throws <see cref="InvalidOperationException"/> on the first value it cannot convert, and skips, silently, an
/// entry of a dictionary whose value it cannot convert. After binding, this helper asks the same binder to convert each value
/// of the section on its own (nested sections, dictionaries and lists included), so that every unconvertible key is named,
/// with its environment variable and an example, for the options' validation to report at start-up. When there is one, it
/// binds the section again without those keys, so that the other values, after the first bad one or in a skipped entry, are
/// bound and validated too (a list bound before the failure may then hold its items twice; the options are invalid anyway).
/// It converts nothing itself. An exception that no single value explains (a type the binder cannot create, say) is
/// rethrown as it is.
/// </remarks>
internal static class StandardBinding
{
    /// <summary>Binds <paramref name="section"/> to <paramref name="options"/>; adds a message per unconvertible value to <paramref name="errors"/>.</summary>
    /// <param name="section">The configuration section; messages name keys by its path.</param>
    /// <param name="options">The options to set.</param>
    /// <param name="errors">Receives one message per key whose value the binder cannot convert.</param>
    public static void Bind(IConfigurationSection section, object options, ICollection<string> errors)
    {
        InvalidOperationException? failure = null;
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            failure = e;
        }

        // Also when the binder did not throw: it skips an entry of a dictionary whose value it cannot convert, without a word.
        Type type = options.GetType();
        var bad = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        Probe(section, type, type, [], errors, bad);
        if (bad.Count > 0)
        {
            new WithoutKeys(section, bad).Bind(options);
        }
        else if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    private static void Probe(IConfigurationSection section, Type root, Type type, List<string> path, ICollection<string> errors, HashSet<string> bad, bool inEntry = false)
    {
        foreach (IConfigurationSection child in section.GetChildren())
        {
            // A key the options do not have is ignored by the binder, and here; but a section inside a dictionary entry's
            // settings is almost always an entry whose key held ':' (a fine-tuned model id such as ft:gpt-4o-mini:acme::id),
            // which configuration splits into sections, leaving an entry of the first part with default settings.
            if (OptionsMembers.TypeAt(type, [child.Key]) is not { } childType)
            {
                if (inEntry && child.Value is null && child.GetChildren().Any())
                {
                    errors.Add(ConfigurationKeys.SplitKey(section.Path, child.Key, type));
                }

                continue;
            }

            path.Add(child.Key);
            if (child.Value is { } text && OptionsMembers.IsValue(childType))
            {
                if (!Converts(child, childType))
                {
                    bad.Add(child.Path);
                    errors.Add(ConfigurationKeys.NotConvertible(child.Path, text, Describe(childType), OptionsMembers.ExampleAt(root, path)));
                }
            }
            else if (child.Value is null)
            {
                Probe(child, root, childType, path, errors, bad, inEntry: OptionsMembers.IsDictionary(type) && !OptionsMembers.IsValue(childType));
            }

            path.RemoveAt(path.Count - 1);
        }
    }

    private static bool Converts(IConfigurationSection value, Type type)
    {
        try
        {
            value.Get(type);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) => "a whole number",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
            _ when type == typeof(TimeSpan) => "a duration such as 00:00:30",
            _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type)),
            _ => string.Create(CultureInfo.InvariantCulture, $"a {type.Name}"),
        };
    }

    /// <summary>A configuration section with some keys hidden: the binder sees neither their values nor their children.</summary>
    private sealed class WithoutKeys : IConfigurationSection
    {
        private readonly IConfigurationSection _inner;
        private readonly HashSet<string> _hidden;

        public WithoutKeys(IConfigurationSection inner, HashSet<string> hidden)
        {
            _inner = inner;
            _hidden = hidden;
        }

        public string Key => _inner.Key;

        public string Path => _inner.Path;

        public string? Value
        {
            get => _hidden.Contains(_inner.Path) ? null : _inner.Value;
            set => _inner.Value = value;
        }

        public string? this[string key]
        {
            get => GetSection(key).Value;
            set => _inner[key] = value;
        }

        public IEnumerable<IConfigurationSection> GetChildren() =>
            _inner.GetChildren().Where(child => !_hidden.Contains(child.Path)).Select(child => new WithoutKeys(child, _hidden));

        public IChangeToken GetReloadToken() => _inner.GetReloadToken();

        public IConfigurationSection GetSection(string key) => new WithoutKeys(_inner.GetSection(key), _hidden);
    }
}
