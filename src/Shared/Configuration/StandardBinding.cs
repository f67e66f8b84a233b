using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace AiEng.Shared;

/// <summary>
/// Binds options with the standard configuration binder (<see cref="ConfigurationBinder.Bind(IConfiguration, object)"/>) and
/// turns its conversion failures into messages that name every bad key, instead of the binder's exception on the first one.
/// </summary>
/// <remarks>
/// The binder throws <see cref="InvalidOperationException"/> on the first value it cannot convert, when the options are first
/// created. This helper catches it, asks the same binder to convert each top-level value of the section on its own (so that
/// every unconvertible key is named, not only the first), and leaves the messages for the options' validator to report at
/// start-up. It converts nothing itself.
/// </remarks>
internal static class StandardBinding
{
    /// <summary>Binds <paramref name="section"/> to <paramref name="options"/>; adds a message per unconvertible value to <paramref name="errors"/>.</summary>
    /// <typeparam name="T">The options type.</typeparam>
    /// <param name="section">The configuration section.</param>
    /// <param name="options">The options to set.</param>
    /// <param name="errors">Receives one message per key whose value the binder cannot convert.</param>
    /// <param name="example">Gives an example valid value of a property, by name.</param>
    public static void Bind<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(
        IConfigurationSection section, T options, ICollection<string> errors, Func<string, string> example)
        where T : class
    {
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException)
        {
            foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var child = section.GetSection(property.Name);
                if (child.Value is not { } value || !property.CanWrite)
                {
                    continue;
                }

                try
                {
                    child.Get(property.PropertyType);
                }
                catch (InvalidOperationException)
                {
                    errors.Add($"{child.Path} is '{value}', which is not {Describe(property.PropertyType)}, for example {example(property.Name)}.");
                }
            }

            if (errors.Count == 0)
            {
                // Not a top-level value (a nested one, say): report the binder's own message, which names the key.
                throw;
            }
        }
    }

    private static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "a whole number",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
            _ when type == typeof(TimeSpan) => "a duration such as 00:00:30",
            _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type)),
            _ => string.Create(CultureInfo.InvariantCulture, $"a {type.Name}"),
        };
    }
}
