using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiEng.Cli;

/// <summary>What one command invocation works with: its arguments, the configuration, and where output goes.</summary>
internal sealed class CliContext
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Initializes a new instance of the <see cref="CliContext"/> class.</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    public CliContext(ParseResult parseResult, TextWriter output, TextWriter error)
    {
        ParseResult = parseResult;
        Output = output;
        Error = error;
        Json = parseResult.GetValue(CliOptions.Json);
        WorkingDirectory = Directory.GetCurrentDirectory();
        Configuration = CliConfiguration.Build(WorkingDirectory, parseResult.GetValue(CliOptions.Config));
    }

    /// <summary>The parsed command line.</summary>
    public ParseResult ParseResult { get; }

    /// <summary>Standard output: results (text, or one JSON document with <c>--json</c>).</summary>
    public TextWriter Output { get; }

    /// <summary>Standard error: progress and errors.</summary>
    public TextWriter Error { get; }

    /// <summary>Whether <c>--json</c> was given.</summary>
    public bool Json { get; }

    /// <summary>The current directory, against which relative paths are resolved.</summary>
    public string WorkingDirectory { get; }

    /// <summary>The configuration (<see cref="CliConfiguration"/>); a missing or malformed <c>--config</c> file fails every command.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>The value of an argument.</summary>
    public T GetValue<T>(Argument<T> argument) => ParseResult.GetValue(argument)!;

    /// <summary>The value of an option.</summary>
    public T? GetValue<T>(Option<T> option) => ParseResult.GetValue(option);

    /// <summary>Resolves a path given on the command line against the current directory.</summary>
    public string FullPath(string path) => Path.GetFullPath(path, WorkingDirectory);

    /// <summary>Resolves a file that must exist.</summary>
    /// <param name="path">The path as given.</param>
    /// <param name="what">What the file is, for the message (for example <c>DATASET</c> or <c>--rules</c>).</param>
    /// <returns>The full path.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public string ExistingFile(string path, string what)
    {
        string full = FullPath(path);
        return File.Exists(full) ? full : throw new FileNotFoundException($"{what}: the file '{full}' does not exist.", full);
    }

    /// <summary>Resolves a directory that must exist.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public string ExistingDirectory(string path, string what)
    {
        string full = FullPath(path);
        return Directory.Exists(full) ? full : throw new DirectoryNotFoundException($"{what}: the directory '{full}' does not exist.");
    }

    /// <summary>
    /// Builds AiEng's services from <see cref="Configuration"/> with every provider package the tool carries (the
    /// offline responder and local ONNX embeddings by default; OpenAI-compatible endpoints and Ollama when configured).
    /// </summary>
    /// <param name="configure">Adds what the command needs (retrieval and a store, evaluation, fine-tuning).</param>
    /// <returns>The services; dispose them.</returns>
    public ServiceProvider BuildServices(Action<AiEngBuilder>? configure = null)
    {
        var services = new ServiceCollection();
        // The library's logs are not shown: the tool reports through its own output and one-line errors.
        services.TryAddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.TryAddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        AiEngBuilder builder = services.AddAiEng(Configuration).AddOnnx().AddOpenAI().AddOllama();
        configure?.Invoke(builder);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>Writes a result: <paramref name="json"/> as one JSON document with <c>--json</c>, else <paramref name="text"/>.</summary>
    /// <param name="json">The machine-readable result.</param>
    /// <param name="text">Writes the human-readable result.</param>
    public void WriteResult(object json, Action<TextWriter> text)
    {
        if (Json)
        {
            Output.WriteLine(JsonSerializer.Serialize(json, JsonOptions));
        }
        else
        {
            text(Output);
        }
    }

    /// <summary>Writes a progress line to standard error, unless the output is JSON and the caller wants it quiet.</summary>
    public void Progress(string line) => Error.WriteLine(line);
}
