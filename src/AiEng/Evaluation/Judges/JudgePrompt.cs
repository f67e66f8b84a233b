using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.AI;

namespace AiEng.Evaluation;

/// <summary>
/// A judge prompt kept as an embedded prompt file (<c>Judges/Prompts/*.prompty</c>: YAML front matter, then
/// <c>system:</c> and <c>user:</c> sections with <c>{{name}}</c> placeholders). This small loader exists until the judge
/// prompts move to the AiEng prompt registry; the files already use its front-matter layout.
/// </summary>
internal sealed class JudgePrompt
{
    private static readonly ConcurrentDictionary<string, JudgePrompt> Cache = new(StringComparer.Ordinal);

    private JudgePrompt(string system, string user)
    {
        System = system;
        User = user;
    }

    public string System { get; }

    public string User { get; }

    public static JudgePrompt Get(string name) => Cache.GetOrAdd(name, static n =>
    {
        var assembly = typeof(JudgePrompt).Assembly;
        using var stream = assembly.GetManifestResourceStream($"AiEng.Evaluation.Judges.Prompts.{n}.prompty")
            ?? throw new InvalidOperationException($"The judge prompt '{n}' is not embedded in {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader.ReadToEnd());
    });

    public static JudgePrompt Parse(string text)
    {
        string[] lines = text.ReplaceLineEndings("\n").Split('\n');
        int start = 0;
        if (lines.Length > 0 && lines[0].Trim() == "---")
        {
            start = Array.FindIndex(lines, 1, static l => l.Trim() == "---") + 1;
        }

        var system = new StringBuilder();
        var user = new StringBuilder();
        StringBuilder? current = null;
        for (int i = start; i < lines.Length; i++)
        {
            if (lines[i] == "system:")
            {
                current = system;
            }
            else if (lines[i] == "user:")
            {
                current = user;
            }
            else
            {
                current?.Append(lines[i]).Append('\n');
            }
        }

        return new JudgePrompt(system.ToString().Trim(), user.ToString().Trim());
    }

    public List<ChatMessage> Render(IReadOnlyDictionary<string, string> values) =>
    [
        new(ChatRole.System, Fill(System, values)),
        new(ChatRole.User, Fill(User, values)),
    ];

    private static string Fill(string template, IReadOnlyDictionary<string, string> values)
    {
        var text = new StringBuilder(template);
        foreach (var (name, value) in values)
        {
            text.Replace("{{" + name + "}}", value);
        }

        return text.ToString();
    }
}
