using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace AiEng.Shared;

/// <summary>
/// Runs a data-annotation validator (one generated with <c>[OptionsValidator]</c>) and rewrites each of its failures into
/// AiEng's wording: the configuration key of the member, its environment variable and an example (see <see cref="ConfigurationKeys"/>).
/// </summary>
/// <remarks>
/// <para>
/// The generated validator reports a failure as <c>Member: message</c>, where the attribute's message names the member by
/// its path below the options when the validator is called without a name (<c>ChunkSize</c>,
/// <c>CircuitBreaker.FailureRatio</c>, <c>Items[0].Name</c>). That path, found in the message and checked against the
/// options type, gives the key below the section the options were bound from (<c>AiEng:Resilience:CircuitBreaker:FailureRatio</c>).
/// </para>
/// <para>
/// A message written as <c>{0} must ...</c> (AiEng's own annotations) reads <c>&lt;key&gt; is &lt;value&gt; but must ...</c>;
/// when the value is an enum value that is not defined, the names of the enum follow the requirement. Any other message
/// (the attributes' default texts) keeps its words, with the key in place of the member and the value after it. Each ends
/// with an example and the environment variable. The example is the member's <c>[ConfigurationExample]</c>, else its value
/// in a new instance of the options. The default texts of the form <c>The field {0} must ...</c> read like AiEng's. A message
/// that does not name the member (<c>too heavy</c>) is put after the key of the failing member, when that member is the
/// options' own; otherwise after the section's path.
/// </para>
/// <para>
/// The generator's copy of <c>[Range]</c> drops the attribute's <c>ErrorMessage</c> (dotnet/runtime#123137), so a failing
/// member's message is taken from its declared attribute when that one has an <c>ErrorMessage</c> and rejects the value.
/// Messages that come out the same (two attributes of one member) are reported once.
/// </para>
/// </remarks>
internal static partial class AnnotationFailures
{
    // The beginning of the default messages of [Range], [MinLength], [MaxLength], [Length] and others: "The field {0} must ...".
    private const string DefaultPrefix = "The field ";

    /// <summary>Validates <paramref name="options"/> with <paramref name="validator"/> and adds one message per failure.</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="validator">The data-annotation validator.</param>
    /// <param name="options">The options.</param>
    /// <param name="sectionPath">The configuration path the options are bound from, for example <c>AiEng:Retrieval</c>.</param>
    /// <param name="errors">Receives the messages.</param>
    public static void Add<TOptions>(IValidateOptions<TOptions> validator, TOptions options, string sectionPath, ICollection<string> errors)
        where TOptions : class
    {
        // Without a name, the generated validator names members by their path below the options.
        ValidateOptionsResult result = validator.Validate(name: null, options);
        if (result.Failed)
        {
            foreach (string message in (result.Failures ?? []).Select(failure => Format(failure, options, sectionPath)).Distinct(StringComparer.Ordinal))
            {
                errors.Add(message);
            }
        }
    }

    /// <summary>Rewrites one failure of a data-annotation validator.</summary>
    /// <param name="failure">The failure, for example <c>ChunkSize: ChunkSize must be at least 1 token</c>.</param>
    /// <param name="options">The validated options.</param>
    /// <param name="sectionPath">The configuration path the options are bound from.</param>
    /// <returns>The message in AiEng's wording.</returns>
    public static string Format(string failure, object options, string sectionPath)
    {
        string? member = null;
        string message = failure;
        int colon = failure.IndexOf(": ", StringComparison.Ordinal);
        if (colon > 0 && Identifier().IsMatch(failure[..colon]))
        {
            member = failure[..colon];
            message = failure[(colon + 2)..];
        }

        if (FindPath(message, member, options.GetType()) is not { } found)
        {
            // A message that does not name the member ("too heavy"): the failing member names it, when it is the options' own.
            if (member is null || !Exists(member, options.GetType()))
            {
                return $"{sectionPath}: {failure}";
            }

            string memberKey = sectionPath + ":" + member;
            OptionsMembers.TryGetMember(options, [member], out object? memberValue, out _, out _);
            return $"{memberKey}: {message.TrimEnd('.')} (it is {ConfigurationKeys.Format(memberValue)}){ConfigurationKeys.ForExample(memberKey, OptionsMembers.ExampleAt(options.GetType(), [member]))}.";
        }

        List<string> path = Segments(found.Path);
        string key = sectionPath + ":" + string.Join(":", path);
        string? example = OptionsMembers.ExampleAt(options.GetType(), path);
        OptionsMembers.TryGetMember(options, path, out object? value, out object? holder, out PropertyInfo? property);
        if (DeclaredMessage(found.Path, value, holder, property) is { } declared)
        {
            (message, found) = (declared, (0, found.Path));
        }
        else if (found.Index == DefaultPrefix.Length && message.StartsWith(DefaultPrefix, StringComparison.Ordinal))
        {
            (message, found) = (message[DefaultPrefix.Length..], (0, found.Path));
        }

        string rest = message[(found.Index + found.Path.Length)..].Trim().TrimEnd('.');
        if (found.Index == 0 && rest.StartsWith("must ", StringComparison.Ordinal))
        {
            if (value is Enum kind && !Enum.IsDefined(kind.GetType(), kind))
            {
                rest += ": " + string.Join(", ", Enum.GetNames(kind.GetType()));
            }

            return ConfigurationKeys.Invalid(key, value, rest, example);
        }

        if (found.Index == 0)
        {
            return $"{key} {rest}{ConfigurationKeys.ForExample(key, example)}.";
        }

        string text = (message[..found.Index] + key + message[(found.Index + found.Path.Length)..]).Trim().TrimEnd('.');
        return $"{text} (it is {ConfigurationKeys.Format(value)}){ConfigurationKeys.ForExample(key, example)}.";
    }

    /// <summary>
    /// Gets the message of the member's declared validation attribute that rejects <paramref name="value"/> and has an
    /// <c>ErrorMessage</c> of the form <c>{0} ...</c>, formatted with the member path; <see langword="null"/> when there is none.
    /// </summary>
    private static string? DeclaredMessage(string displayPath, object? value, object? holder, PropertyInfo? property)
    {
        if (property is null || holder is null)
        {
            return null;
        }

        foreach (ValidationAttribute attribute in property.GetCustomAttributes<ValidationAttribute>(inherit: true))
        {
            if (attribute.ErrorMessage is not { } text || !text.StartsWith("{0} ", StringComparison.Ordinal))
            {
                continue;
            }

            var context = new ValidationContext(holder) { MemberName = property.Name, DisplayName = displayPath };
            if (attribute.GetValidationResult(value, context)?.ErrorMessage is { } formatted && formatted.StartsWith(displayPath + " ", StringComparison.Ordinal))
            {
                return formatted;
            }
        }

        return null;
    }

    /// <summary>Finds the member path in the message: at its start, else the first path that ends with the failing member.</summary>
    private static (int Index, string Path)? FindPath(string message, string? member, Type optionsType)
    {
        Match start = MemberPath().Match(message);
        if (start.Success && start.Index == 0 && (member is null || EndsWithMember(start.Value, member)) && Exists(start.Value, optionsType))
        {
            return (0, start.Value);
        }

        if (member is null)
        {
            return null;
        }

        foreach (Match match in MemberPath().Matches(message))
        {
            if (EndsWithMember(match.Value, member) && Exists(match.Value, optionsType))
            {
                return (match.Index, match.Value);
            }
        }

        return null;
    }

    private static bool EndsWithMember(string path, string member) =>
        path.Equals(member, StringComparison.Ordinal) || path.EndsWith("." + member, StringComparison.Ordinal);

    private static bool Exists(string path, Type optionsType) => OptionsMembers.TypeAt(optionsType, Segments(path)) is not null;

    /// <summary>Splits <c>Items[0].Name</c> into the configuration keys <c>Items</c>, <c>0</c>, <c>Name</c>.</summary>
    private static List<string> Segments(string path) =>
        path.Split('.').SelectMany(part => part.Split('[', StringSplitOptions.RemoveEmptyEntries)).Select(part => part.TrimEnd(']')).ToList();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();

    [GeneratedRegex(@"(?<![\w.\]])[A-Za-z_][A-Za-z0-9_]*(?:\[[0-9]+\])*(?:\.[A-Za-z_][A-Za-z0-9_]*(?:\[[0-9]+\])*)*", RegexOptions.CultureInvariant)]
    private static partial Regex MemberPath();
}
