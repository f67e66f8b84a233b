using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using AiEng.Configuration;

namespace AiEng.Shared;

/// <summary>
/// Finds a member of an options object by its path below the options, written as configuration keys (<c>ChunkSize</c>;
/// <c>CircuitBreaker</c>, <c>FailureRatio</c>; <c>Prices</c>, <c>gpt-4o</c>, <c>InputPerMillion</c>; <c>Items</c>, <c>0</c>):
/// its type, its value in an instance and an example value, for configuration messages.
/// </summary>
/// <remarks>
/// A step is a property (any letter case, as the configuration binder matches them), a key of a dictionary with string keys,
/// or an index into a list or array. Reflection runs only when a message is written, never on a valid configuration.
/// </remarks>
internal static class OptionsMembers
{
    /// <summary>Gets the type of the member at <paramref name="path"/> below <paramref name="root"/>, or <see langword="null"/> when there is none.</summary>
    public static Type? TypeAt(Type root, IReadOnlyList<string> path)
    {
        Type? type = root;
        foreach (string segment in path)
        {
            if (type is null)
            {
                return null;
            }

            type = Step(instance: null, type, segment).Type;
        }

        return type;
    }

    /// <summary>
    /// Gets the value at <paramref name="path"/> in <paramref name="options"/>, and when it is a property, the property and the
    /// object that holds it; false when the path does not lead to a member.
    /// </summary>
    public static bool TryGetMember(object options, IReadOnlyList<string> path, out object? value, out object? holder, out PropertyInfo? property)
    {
        object? current = options;
        Type type = options.GetType();
        (value, holder, property) = (null, null, null);
        foreach (string segment in path)
        {
            (object? next, Type? nextType, PropertyInfo? nextProperty) = Step(current, type, segment);
            if (nextType is null)
            {
                (value, holder, property) = (null, null, null);
                return false;
            }

            (holder, property) = (current, nextProperty);
            (current, type) = (next, nextType);
        }

        value = current;
        return true;
    }

    /// <summary>
    /// Gets an example value of the member at <paramref name="path"/>: its <see cref="ConfigurationExampleAttribute"/>, else its
    /// value in a new instance of the options (the default), else <see langword="null"/>.
    /// </summary>
    public static string? ExampleAt(Type root, IReadOnlyList<string> path)
    {
        object? current = Create(root);
        Type type = root;
        PropertyInfo? property = null;
        foreach (string segment in path)
        {
            // An entry that a new instance does not have (a dictionary key, a list item) is a new instance of its type.
            (object? next, Type? nextType, property) = Step(current ?? Create(type), type, segment);
            if (nextType is null)
            {
                return null;
            }

            (current, type) = (next, nextType);
        }

        if (property?.GetCustomAttribute<ConfigurationExampleAttribute>() is { } attribute)
        {
            return attribute.Value;
        }

        return current is null || !IsValue(type) || current is string { Length: 0 } ? null : ConfigurationKeys.FormatExample(current);
    }

    /// <summary>Gets a value indicating whether configuration writes a value of <paramref name="type"/> as one string (a number, a name, a duration).</summary>
    public static bool IsValue(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string) || type.IsEnum || type.IsPrimitive || TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));
    }

    private static (object? Value, Type? Type, PropertyInfo? Property) Step(object? instance, Type type, string segment)
    {
        if (DictionaryValueType(type) is { } valueType)
        {
            object? found = null;
            if (instance is IEnumerable entries)
            {
                foreach (object? entry in entries)
                {
                    Type? entryType = entry?.GetType();
                    if (entryType?.GetProperty("Key")?.GetValue(entry) is string key && string.Equals(key, segment, StringComparison.OrdinalIgnoreCase))
                    {
                        found = entryType.GetProperty("Value")?.GetValue(entry);
                        break;
                    }
                }
            }

            return (found, valueType, null);
        }

        if (type != typeof(string) && ElementType(type) is { } elementType && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            object? item = instance is IEnumerable items ? items.Cast<object?>().Skip(index).FirstOrDefault() : null;
            return (item, elementType, null);
        }

        PropertyInfo? property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null || property.GetIndexParameters().Length > 0)
        {
            return (null, null, null);
        }

        return (instance is null ? null : property.GetValue(instance), property.PropertyType, property);
    }

    /// <summary>Gets a value indicating whether <paramref name="type"/> is a dictionary with string keys (its keys are the configuration's).</summary>
    public static bool IsDictionary(Type type) => DictionaryValueType(type) is not null;

    private static Type? DictionaryValueType(Type type)
    {
        foreach (Type candidate in Interfaces(type))
        {
            if (candidate.IsGenericType
                && (candidate.GetGenericTypeDefinition() == typeof(IDictionary<,>) || candidate.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
                && candidate.GetGenericArguments()[0] == typeof(string))
            {
                return candidate.GetGenericArguments()[1];
            }
        }

        return null;
    }

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return Interfaces(type).FirstOrDefault(candidate => candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
    }

    private static IEnumerable<Type> Interfaces(Type type) => type.IsInterface ? type.GetInterfaces().Prepend(type) : type.GetInterfaces();

    private static object? Create(Type type)
    {
        if (type.IsAbstract || type.IsInterface || type == typeof(string) || type.IsValueType || type.GetConstructor(Type.EmptyTypes) is null)
        {
            return null;
        }

        try
        {
            return Activator.CreateInstance(type);
        }
        catch (TargetInvocationException)
        {
            return null;
        }
    }
}
