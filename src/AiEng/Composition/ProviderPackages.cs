using System.Reflection;
using AiEng.Providers;

namespace AiEng.Composition;

/// <summary>
/// The convention provider packages follow, for messages about a provider that is not registered: provider <c>X</c> comes
/// with the package (and assembly) <c>AiEng.X</c>, which declares a <see cref="ModelProvider"/> and registers it with
/// <c>.AddX()</c> on the builder <c>AddAiEng</c> returns. AiEng keeps no list of provider packages.
/// </summary>
internal static class ProviderPackages
{
    private const string Prefix = "AiEng.";

    /// <summary>Gets a value indicating whether <paramref name="provider"/> can be the name of a package and method by the convention (letters and digits).</summary>
    public static bool IsConventionalName(string provider) =>
        provider.Length > 0 && char.IsLetter(provider[0]) && provider.All(char.IsAsciiLetterOrDigit);

    /// <summary>
    /// Finds the provider package of <paramref name="provider"/> among the application's assemblies (any letter case) and
    /// gives its name as the package spells it, for example <c>AiEng.OpenAI</c> for <c>openai</c>; <see langword="null"/> when
    /// the application does not reference it or the assembly declares no <see cref="ModelProvider"/>.
    /// </summary>
    /// <remarks>
    /// Runs only to word a start-up error. It looks at the loaded assemblies, then at the application's own assembly list
    /// (<c>TRUSTED_PLATFORM_ASSEMBLIES</c>), loading the one assembly of that name; where that list does not exist (a
    /// single-file or native AOT application) only loaded assemblies are seen, and the message falls back to the convention.
    /// </remarks>
    public static string? FindReferenced(string provider)
    {
        string wanted = Prefix + provider;
        foreach (Assembly assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (string.Equals(assembly.GetName().Name, wanted, StringComparison.OrdinalIgnoreCase))
            {
                return DeclaresProvider(assembly) ? assembly.GetName().Name : null;
            }
        }

        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is not string paths)
        {
            return null;
        }

        foreach (string path in paths.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string file = Path.GetFileNameWithoutExtension(path);
            if (string.Equals(file, wanted, StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    Assembly assembly = Assembly.Load(new AssemblyName(file));
                    return DeclaresProvider(assembly) ? assembly.GetName().Name : null;
                }
                catch (Exception e) when (e is IOException or BadImageFormatException)
                {
                    return null;
                }
            }
        }

        return null;
    }

    private static bool DeclaresProvider(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes().Any(type => !type.IsAbstract && typeof(ModelProvider).IsAssignableFrom(type));
        }
        catch (ReflectionTypeLoadException)
        {
            return false;
        }
    }
}
