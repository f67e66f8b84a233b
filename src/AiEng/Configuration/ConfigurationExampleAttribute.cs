namespace AiEng.Configuration;

/// <summary>
/// Gives an example value of an options property for AiEng's configuration messages, when the property's default value is
/// not a good example (it is <see langword="null"/>, empty, or a value nobody sets).
/// </summary>
/// <remarks>
/// Options registered with <c>AiEngBuilder.AddOptions</c> are reported with a message that names the key, its environment
/// variable and an example: the value of this attribute when the property has one, otherwise the property's value in a new
/// instance of the options (its documented default), otherwise none.
/// </remarks>
/// <example><c>[ConfigurationExample("384")] public int? Dimensions { get; set; }</c></example>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class ConfigurationExampleAttribute : Attribute
{
    /// <summary>Initializes a new instance of the <see cref="ConfigurationExampleAttribute"/> class.</summary>
    /// <param name="value">The example, written as in configuration, for example <c>384</c> or <c>00:00:30</c>.</param>
    public ConfigurationExampleAttribute(string value)
    {
        Value = value;
    }

    /// <summary>Gets the example, written as in configuration.</summary>
    public string Value { get; }
}
