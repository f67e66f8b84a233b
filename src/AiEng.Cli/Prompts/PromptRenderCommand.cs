using System.CommandLine;
using System.Text.Json;
using AiEng.Prompts;

namespace AiEng.Cli.Prompts;

/// <summary><c>aieng prompt render FILE --input k=v</c>: <see cref="PromptTemplate.Load"/> and <see cref="PromptTemplate.Render"/>.</summary>
internal static class PromptRenderCommand
{
    private static readonly Argument<string> File = new("FILE") { Description = "The prompt file (*.prompty)." };

    private static readonly Option<string?> PartialsDirectory = new("--partials")
    {
        Description = "The directory whose *.liquid files (searched recursively, named by their path under it without the extension) are the partials the prompt includes; the prompt file's own directory by default.",
        HelpName = "DIR",
    };

    private static readonly Option<string[]> Inputs = new("--input", "-i")
    {
        Description = "An input as NAME=VALUE (repeatable). A string input takes VALUE as it is; other types take JSON (--input count=3, --input tags='[\"a\"]').",
        HelpName = "NAME=VALUE",
    };

    /// <summary>Creates the command.</summary>
    public static Command Create(CliApplication application)
    {
        Command command = CliCommand.Create(
            "render",
            "Renders a prompt file with inputs and prints its messages (role and text) and model options. Inputs are validated against the file's declared inputs; unknown variables fail with their file, line and column.",
            "aieng prompt render prompts/classify-ticket.prompty --input ticket=\"My invoice is wrong\"",
            "aieng prompt render prompts/summarize.prompty -i text=@notes.txt --json",
            "aieng prompt render prompts/support/reply.prompty --partials prompts -i ticket=\"Where is my parcel?\"");
        command.Add(File);
        command.Add(Inputs);
        command.Add(PartialsDirectory);
        return command.WithAction(application, (context, _) =>
        {
            string path = context.ExistingFile(context.GetValue(File), "FILE");
            string partials = context.GetValue(PartialsDirectory) is { } given
                ? context.ExistingDirectory(given, "--partials")
                : Path.GetDirectoryName(Path.GetFullPath(path))!;
            PromptTemplate template = PromptTemplate.Load(path, new PromptTemplateOptions().AddPartialsFrom(partials));
            Dictionary<string, object?> inputs = ParseInputs(template.File, context.GetValue(Inputs) ?? [], context);
            PromptRenderResult result = template.Render(inputs);
            context.WriteResult(
                new
                {
                    prompt = result.Prompt.ToString(),
                    contentHash = result.Prompt.ContentHash,
                    model = result.Options.ModelId,
                    temperature = result.Options.Temperature,
                    maxOutputTokens = result.Options.MaxOutputTokens,
                    messages = result.Messages.Select(m => new { role = m.Role.Value, text = m.Text }),
                    inputTokens = result.InputTokens,
                    warnings = result.Warnings,
                },
                output =>
                {
                    foreach (var message in result.Messages)
                    {
                        output.WriteLine($"--- {message.Role.Value}");
                        output.WriteLine(message.Text);
                    }

                    foreach (string warning in result.Warnings)
                    {
                        context.Error.WriteLine("aieng: warning: " + warning);
                    }
                });
            return Task.FromResult(ExitCodes.Ok);
        });
    }

    // NAME=VALUE pairs typed by the prompt's declared inputs: the library validates the values, the tool only turns
    // command-line text into the JSON values it accepts. VALUE @FILE reads the value from a file.
    private static Dictionary<string, object?> ParseInputs(PromptFile file, string[] pairs, CliContext context)
    {
        var inputs = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (string pair in pairs)
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliInputException($"--input '{pair}': expected NAME=VALUE, for example --input ticket=\"My invoice is wrong\".");
            }

            string name = pair[..equals];
            string text = pair[(equals + 1)..];
            if (text.StartsWith('@') && text.Length > 1)
            {
                text = System.IO.File.ReadAllText(context.ExistingFile(text[1..], $"--input {name}"));
            }

            PromptInputType type = file.Inputs.FirstOrDefault(i => i.Name == name)?.Type ?? PromptInputType.String;
            inputs[name] = type is PromptInputType.String or PromptInputType.Any ? text : ParseJson(name, type, text);
        }

        return inputs;
    }

    private static JsonElement ParseJson(string name, PromptInputType type, string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new CliInputException(
                $"--input {name}: '{text}' is not a JSON {type.ToString().ToLowerInvariant()} ({ex.Message}); input '{name}' is declared as {type.ToString().ToLowerInvariant()}.", ex);
        }
    }
}
