using System.Runtime.CompilerServices;
using AiEng.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AiEng.Configuration;

/// <summary>
/// Where one named instance of <typeparamref name="TOptions"/> is configured (registered by <c>AiEngBuilder.AddOptions</c>):
/// its options name, the configuration path its messages name keys by, and the values its binding could not convert.
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
internal sealed class OptionsSection<TOptions>
    where TOptions : class
{
    // The binder's conversion failures, kept beside the options instance they belong to until it is validated.
    private readonly ConditionalWeakTable<TOptions, List<string>> _bindingErrors = [];

    /// <summary>Initializes a new instance of the <see cref="OptionsSection{TOptions}"/> class.</summary>
    /// <param name="name">The options name (<see cref="Options.DefaultName"/> for the unnamed options).</param>
    /// <param name="path">The configuration path, for example <c>AiEng:Retrieval</c>.</param>
    public OptionsSection(string name, string path)
    {
        Name = name;
        Path = path;
    }

    /// <summary>Gets the options name.</summary>
    public string Name { get; }

    /// <summary>Gets the configuration path messages name keys by, for example <c>AiEng:Retrieval:Corpora:support</c>.</summary>
    public string Path { get; }

    /// <summary>Finds the registration of the options named <paramref name="name"/>, or <see langword="null"/>.</summary>
    public static OptionsSection<TOptions>? Find(IEnumerable<OptionsSection<TOptions>> sections, string? name) =>
        sections.FirstOrDefault(section => section.Name == (name ?? Options.DefaultName));

    /// <summary>Binds <paramref name="configuration"/> to <paramref name="options"/> with the standard binder, keeping every value it cannot convert.</summary>
    public void Bind(IConfigurationSection configuration, TOptions options)
    {
        var errors = new List<string>();
        StandardBinding.Bind(configuration, options, errors);
        if (errors.Count > 0)
        {
            _bindingErrors.GetOrCreateValue(options).AddRange(errors);
        }
    }

    /// <summary>Gets the messages of the values the binding of <paramref name="options"/> could not convert.</summary>
    public IReadOnlyList<string> BindingErrors(TOptions options) =>
        _bindingErrors.TryGetValue(options, out List<string>? errors) ? errors : [];
}
