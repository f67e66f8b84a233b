using System.Collections;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AiEng.Shared;
using AiEng.Tokens;
using Fluid;
using Fluid.Values;
using Microsoft.Extensions.AI;

namespace AiEng.Prompts;

/// <summary>
/// A compiled prompt file: renders typed, validated inputs into <see cref="ChatMessage"/>s and <see cref="ChatOptions"/>,
/// inside a Fluid (Liquid) sandbox, optionally within a token budget.
/// </summary>
/// <remarks>
/// <para>
/// Injection safety: the body is split into role sections on the raw template text, and each section is compiled as its
/// own template. Inputs enter templates only as Fluid values, never as template source, so a value holding <c>{{</c>,
/// <c>{%</c>, <c>system:</c> or any delimiter is printed literally inside the message of its section.
/// </para>
/// <para>
/// Sandbox: templates see only the inputs (converted to strings, numbers, booleans, lists and dictionaries; other objects
/// through their JSON form), can include only the partials of <see cref="PromptTemplateOptions.Partials"/>, and are bounded
/// by <see cref="PromptTemplateOptions.MaxSteps"/> and <see cref="PromptTemplateOptions.MaxRecursion"/>.
/// </para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed partial class PromptTemplate : IPromptTemplate
{
    private static readonly FluidParser Parser = new();
    private static readonly PromptRenderOptions DefaultRenderOptions = new();

    // The unknown variables met by the lenient render running on this thread. Renders are synchronous (partials are in
    // memory), so a thread-static list is enough and costs nothing in strict mode, the default.
    [ThreadStatic]
    private static List<string>? t_undefined;

    // One render buffer per thread, reused: a render takes it and gives it back, so a nested render gets its own.
    [ThreadStatic]
    private static StringBuilder? t_buffer;

    private readonly List<RoleSection> _sections;
    private readonly TemplateOptions _strictOptions;
    private readonly TemplateOptions _lenientOptions;
    private readonly Dictionary<string, PromptInput> _inputs;
    private readonly PromptInput[] _declared;
    private readonly FluidValue?[] _defaults;
    private readonly PromptTemplateOptions _options;
    private readonly ChatOptions _chatOptions;

    /// <summary>Initializes a new instance of the <see cref="PromptTemplate"/> class by compiling a parsed prompt file.</summary>
    /// <param name="file">The prompt file.</param>
    /// <param name="options">Partials and sandbox limits; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="file"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit in <paramref name="options"/> is below 1.</exception>
    /// <exception cref="PromptException">The body has a syntax error, includes an unknown partial or includes form a cycle.</exception>
    public PromptTemplate(PromptFile file, PromptTemplateOptions? options = null)
    {
        File = Throw.IfNull(file);
        _options = (options ?? new PromptTemplateOptions()).CloneAndValidate();
        _inputs = file.Inputs.ToDictionary(i => i.Name, StringComparer.Ordinal);
        _declared = [.. file.Inputs];
        _sections = RoleSectionSplitter.Split(file.Body, file.BodyLine, file.Source);
        foreach (RoleSection section in _sections)
        {
            if (section.ExamplesInput is not null)
            {
                continue;
            }

            if (!Parser.TryParse(section.Text, out IFluidTemplate? template, out string? error))
            {
                throw ParseError(error, section);
            }

            section.Template = BoundedRanges.Apply(template);
        }

        var partials = new Dictionary<string, IFluidTemplate>(StringComparer.Ordinal);
        foreach ((string name, string text) in _options.Partials)
        {
            if (!Parser.TryParse(text, out IFluidTemplate? partial, out string? error))
            {
                (string reason, int line, int column) = SplitParseError(error);
                throw new PromptException($"In partial '{name}' at line {line}, column {column}: {reason}", file.Source, 0, 0);
            }

            partials[name] = partial;
        }

        IncludeGraph.Check(_sections, partials, file.Source);

        _strictOptions = CreateTemplateOptions(strict: true);
        _lenientOptions = CreateTemplateOptions(strict: false);

        // Defaults are plain data fixed by the file: converted to Fluid values once (Fluid values are read-only to templates).
        _defaults = new FluidValue?[_declared.Length];
        for (int i = 0; i < _declared.Length; i++)
        {
            if (_declared[i].HasDefault)
            {
                _defaults[i] = FluidValueConverter.ToFluid(_declared[i].Default, _strictOptions);
            }
        }

        _chatOptions = CreateChatOptionsCore();
    }

    /// <summary>Gets the prompt file this template was compiled from.</summary>
    public PromptFile File { get; }

    /// <inheritdoc />
    public PromptId Id => File.Id;

    /// <summary>Parses and compiles prompt file text.</summary>
    /// <param name="text">The prompt file text.</param>
    /// <param name="source">The path or resource name, cited by errors.</param>
    /// <param name="options">Partials and sandbox limits.</param>
    /// <returns>The compiled prompt.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="PromptException">The file is malformed; the message names the file, line and column.</exception>
    public static PromptTemplate Parse(string text, string? source = null, PromptTemplateOptions? options = null)
        => new(PromptFile.Parse(text, source), options);

    /// <summary>Reads, parses and compiles a prompt file.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="options">Partials and sandbox limits.</param>
    /// <returns>The compiled prompt.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="PromptException">The file is malformed.</exception>
    public static PromptTemplate Load(string path, PromptTemplateOptions? options = null)
        => new(PromptFile.Load(path), options);

    /// <summary>
    /// Creates the chat options the prompt's model parameters describe, with the prompt's id and content hash in
    /// <see cref="ChatOptions.AdditionalProperties"/> under <see cref="PromptProperties.Name"/> and <see cref="PromptProperties.ContentHash"/>.
    /// </summary>
    /// <returns>A new <see cref="ChatOptions"/> instance, free to change.</returns>
    public ChatOptions CreateChatOptions() => _chatOptions.Clone();

    private ChatOptions CreateChatOptionsCore()
    {
        PromptModelSettings model = File.Model;
        var options = new ChatOptions
        {
            ModelId = model.ModelId,
            Temperature = model.Temperature,
            MaxOutputTokens = model.MaxOutputTokens,
            TopP = model.TopP,
            FrequencyPenalty = model.FrequencyPenalty,
            PresencePenalty = model.PresencePenalty,
            Seed = model.Seed,
            StopSequences = model.StopSequences.Count == 0 ? null : [.. model.StopSequences],
            ResponseFormat = model.ResponseFormat switch
            {
                "text" => ChatResponseFormat.Text,
                "json_object" => ChatResponseFormat.Json,
                "json_schema" => ChatResponseFormat.ForJsonSchema(model.ResponseSchema!.Value, model.ResponseSchemaName),
                _ => null,
            },
            AdditionalProperties = new AdditionalPropertiesDictionary
            {
                [PromptProperties.Name] = Id.ToString(),
                [PromptProperties.ContentHash] = Id.ContentHash,
            },
        };
        return options;
    }

    /// <inheritdoc />
    public PromptRenderResult Render(IReadOnlyDictionary<string, object?> inputs, PromptRenderOptions? options = null)
    {
        Throw.IfNull(inputs);
        options ??= DefaultRenderOptions;
        if (options.MaxInputTokens is int max)
        {
            Throw.IfLessThan(max, 1, nameof(options.MaxInputTokens));
        }

        Dictionary<string, object?> values = ResolveInputs(inputs);
        ITokenCounter? counter = options.TokenCounter ?? (options.MaxInputTokens is null ? null : TiktokenTokenCounter.ForModel(File.Model.ModelId));

        // Strict renders cannot warn (an unknown variable fails them); lenient ones collect the unknown names.
        List<string>? warnings = options.StrictVariables ? null : [];
        List<RoleSection>? rendered = counter is null ? null : new List<RoleSection>(_sections.Count + 4);
        IList<ChatMessage> messages = RenderMessages(values, options.StrictVariables, rendered, warnings, null);
        IReadOnlyList<string> warningList = warnings is { Count: > 0 } ? warnings : [];
        if (counter is null)
        {
            return new PromptRenderResult(Id, messages, CreateChatOptions(), [], [], warningList, null);
        }

        int total = ChatTokenEstimator.CountTokens(counter, messages);
        var cuts = new List<PromptBudgetCut>();
        if (options.MaxInputTokens is int budget && total > budget)
        {
            (messages, rendered, total) = FitBudget(values, options.StrictVariables, counter, budget, total, messages, rendered!, cuts);
        }

        var sections = new PromptSectionTokens[messages.Count];
        for (int i = 0; i < messages.Count; i++)
        {
            sections[i] = new PromptSectionTokens(i, messages[i].Role, rendered![i].Kind, counter.CountTokens(messages[i].Text));
        }

        return new PromptRenderResult(Id, messages, CreateChatOptions(), sections, cuts, warningList, total);
    }

    private Dictionary<string, object?> ResolveInputs(IReadOnlyDictionary<string, object?> inputs)
    {
        var values = new Dictionary<string, object?>(inputs.Count + _inputs.Count, StringComparer.Ordinal);
        int supplied = 0;
        foreach (PromptInput input in _declared)
        {
            bool found = inputs.TryGetValue(input.Name, out object? value);
            if (found)
            {
                supplied++;
            }

            if (found && value is not null)
            {
                if (!PromptInputValidator.Matches(input.Type, value))
                {
                    throw new PromptException(
                        $"Input '{input.Name}' must be of type '{input.Type.ToString().ToLowerInvariant()}' but is {PromptInputValidator.Describe(value)}.",
                        File.Source, input.Line, 0) { InputName = input.Name };
                }

                values[input.Name] = value;
            }
            else if (input.HasDefault)
            {
                values[input.Name] = input.Default;
            }
            else if (input.Required)
            {
                throw new PromptException($"Required input '{input.Name}' is missing.", File.Source, input.Line, 0) { InputName = input.Name };
            }
            else
            {
                values[input.Name] = null;
            }
        }

        if (_inputs.Count > 0 && supplied == inputs.Count)
        {
            // Every supplied name is declared: nothing else to check or add.
            return values;
        }

        foreach (KeyValuePair<string, object?> pair in inputs)
        {
            if (_inputs.Count > 0 && !_inputs.ContainsKey(pair.Key))
            {
                throw new PromptException(
                    $"Input '{pair.Key}' is not declared by prompt '{File.Name}'. Declared inputs: {string.Join(", ", _inputs.Keys)}.",
                    File.Source, 0, 0) { InputName = pair.Key };
            }

            values.TryAdd(pair.Key, pair.Value);
        }

        return values;
    }

    private List<ChatMessage> RenderMessages(Dictionary<string, object?> values, bool strict, List<RoleSection>? rendered, List<string>? warnings, bool[]? dropped)
    {
        TemplateOptions templateOptions = strict ? _strictOptions : _lenientOptions;
        var context = new TemplateContext(templateOptions);
        for (int i = 0; i < _declared.Length; i++)
        {
            PromptInput input = _declared[i];
            object? value = values[input.Name];
            FluidValue? converted = _defaults[i];
            context.SetValue(input.Name, converted is not null && ReferenceEquals(value, input.Default) ? converted : FluidValueConverter.ToFluid(value, templateOptions));
        }

        if (values.Count > _declared.Length)
        {
            // Undeclared inputs, accepted only by prompts that declare none.
            foreach (KeyValuePair<string, object?> pair in values)
            {
                if (!_inputs.ContainsKey(pair.Key))
                {
                    context.SetValue(pair.Key, FluidValueConverter.ToFluid(pair.Value, templateOptions));
                }
            }
        }

        var messages = new List<ChatMessage>(_sections.Count + 4);
        List<string>? undefined = strict ? null : [];
        List<string>? outerUndefined = t_undefined;
        StringBuilder buffer = t_buffer ?? new StringBuilder(1024);
        t_buffer = null;
        t_undefined = undefined;
        try
        {
            using var writer = new StringWriter(buffer, System.Globalization.CultureInfo.InvariantCulture);
            for (int i = 0; i < _sections.Count; i++)
            {
                RoleSection section = _sections[i];
                if (dropped is not null && dropped[i])
                {
                    continue;
                }

                if (section.ExamplesInput is string examplesInput)
                {
                    AddExamples(section, examplesInput, values, messages, rendered);
                    continue;
                }

                string text = RenderSection(section, context, writer);
                if (!string.IsNullOrWhiteSpace(text))
                {
                    messages.Add(new ChatMessage(section.Role, text));
                    rendered?.Add(section);
                }
            }
        }
        finally
        {
            t_undefined = outerUndefined;
            if (buffer.Capacity <= 64 * 1024)
            {
                buffer.Clear();
                t_buffer = buffer;
            }
        }

        if (undefined is { Count: > 0 } && warnings is not null)
        {
            foreach (string name in undefined.Distinct(StringComparer.Ordinal))
            {
                warnings.Add($"Unknown variable '{name}' rendered empty (lenient mode).");
            }
        }

        return messages;
    }

    private string RenderSection(RoleSection section, TemplateContext context, StringWriter writer)
    {
        try
        {
            // One writer serves every section of a render; each section's text is taken trimmed.
            StringBuilder buffer = writer.GetStringBuilder();
            buffer.Clear();
            ValueTask pending = section.Template!.RenderAsync(writer, NullEncoder.Default, context);
            if (!pending.IsCompletedSuccessfully)
            {
                // Only partial loading can suspend, and partials are in memory: this completes at once.
                pending.AsTask().GetAwaiter().GetResult();
            }

            return Trimmed(buffer);
        }
        catch (UndefinedVariableException e)
        {
            string name = e.Name;
            (int line, int column) = Locate(section, name);
            throw new PromptException(
                $"Unknown variable '{name}' (strict mode). Declare it as an input, supply it, or render with StrictVariables = false.",
                File.Source, line, column, e) { InputName = name };
        }
        catch (FileNotFoundException e)
        {
            // An include the compile-time check could not resolve (a name built at render time, or written oddly).
            string known = _options.Partials.Count == 0 ? "none are given" : "the known ones are " + string.Join(", ", _options.Partials.Keys.Order(StringComparer.Ordinal).Select(static k => "'" + k + "'"));
            throw new PromptException(
                $"The '{section.Kind}' section includes the partial '{PartialFileProvider.PartialName(e.Message)}', which does not exist; {known} (PromptTemplateOptions.Partials, or *.liquid files beside the prompts).",
                File.Source, section.Line, 1, e);
        }
        catch (Exception e) when (e is FluidException or InvalidOperationException or ParseException or ArgumentException or OverflowException or FormatException)
        {
            // Fluid's own faults on hostile templates (a filter given one named argument twice, a number out of range) too.
            throw new PromptException(
                $"The '{section.Kind}' section failed to render (limits: {_options.MaxSteps} steps, recursion {_options.MaxRecursion}): {e.Message}",
                File.Source, section.Line, 1, e);
        }
    }

    private void AddExamples(RoleSection section, string input, Dictionary<string, object?> values, List<ChatMessage> messages, List<RoleSection>? rendered)
    {
        if (!values.TryGetValue(input, out object? value) || value is null)
        {
            return;
        }

        if (value is string || value is not IEnumerable items)
        {
            throw new PromptException($"Input '{input}' fills an 'examples:' section and must be a list of examples.", File.Source, section.Line - 1, 1) { InputName = input };
        }

        foreach (object? item in items)
        {
            (string user, string assistant) = item switch
            {
                PromptExample example => (example.Input, example.Output),
                IDictionary dictionary when dictionary["input"] is string i && dictionary["output"] is string o => (i, o),
                JsonElement { ValueKind: JsonValueKind.Object } json when json.TryGetProperty("input", out JsonElement i) && json.TryGetProperty("output", out JsonElement o)
                    => (i.ToString(), o.ToString()),
                _ => throw new PromptException(
                    $"An item of input '{input}' is not an example (a PromptExample, or an object with 'input' and 'output').",
                    File.Source, section.Line - 1, 1) { InputName = input },
            };

            // Example text goes straight into message content: it is never parsed as a template.
            messages.Add(new ChatMessage(ChatRole.User, user));
            rendered?.Add(section);
            messages.Add(new ChatMessage(ChatRole.Assistant, assistant));
            rendered?.Add(section);
        }
    }

    private (IList<ChatMessage> Messages, List<RoleSection> Rendered, int Total) FitBudget(
        Dictionary<string, object?> values, bool strict, ITokenCounter counter, int budget, int total, IList<ChatMessage> messages, List<RoleSection> rendered, List<PromptBudgetCut> cuts)
    {
        var working = new Dictionary<string, object?>(values, StringComparer.Ordinal);
        var dropped = new bool[_sections.Count];
        int Measure(out IList<ChatMessage> result, out List<RoleSection> sections)
        {
            sections = [];
            result = RenderMessages(working, strict, sections, null, dropped);
            return ChatTokenEstimator.CountTokens(counter, result);
        }

        IList<ChatMessage> bestMessages = messages;
        List<RoleSection> bestRendered = rendered;
        foreach (BudgetCandidate candidate in CutOrder())
        {
            int before = total;
            if (candidate.Section is int index)
            {
                // A whole section goes: its messages (all the pairs of an examples section) leave the render.
                RoleSection section = _sections[index];
                int messagesRemoved = bestRendered.Count(s => ReferenceEquals(s, section));
                if (messagesRemoved == 0)
                {
                    continue;
                }

                dropped[index] = true;
                total = Measure(out bestMessages, out bestRendered);
                cuts.Add(new PromptBudgetCut(string.Empty, candidate.Priority, messagesRemoved, before - total, trimmed: false)
                {
                    Section = section.Kind,
                    SectionLine = section.Line - 1,
                });
            }
            else
            {
                PromptInput input = candidate.Input!;
                object? original = working[input.Name];
                if (original is null)
                {
                    continue;
                }

                (IList<ChatMessage> Messages, List<RoleSection> Rendered) kept = (bestMessages, bestRendered);
                int itemsDropped = 0;
                bool trimmed = true;
                if (original is string text)
                {
                    // Binary search on the kept length, cutting at whitespace, for the longest prefix that fits.
                    working[input.Name] = Prefix(text, LongestFitting(text.Length, length => working[input.Name] = Prefix(text, length)));
                }
                else if (original is IEnumerable sequence and not IDictionary)
                {
                    List<object?> items = sequence.Cast<object?>().ToList();
                    int count = LongestFitting(items.Count, n => working[input.Name] = items.GetRange(0, n));
                    working[input.Name] = items.GetRange(0, count);
                    (itemsDropped, trimmed) = (items.Count - count, false);
                }
                else
                {
                    working[input.Name] = null;
                }

                total = Measure(out bestMessages, out bestRendered);
                if (total >= before)
                {
                    // The input is not rendered (any more: its section was dropped): cutting it saves nothing, so it stays whole.
                    working[input.Name] = original;
                    (bestMessages, bestRendered, total) = (kept.Messages, kept.Rendered, before);
                    continue;
                }

                cuts.Add(new PromptBudgetCut(input.Name, candidate.Priority, itemsDropped, before - total, trimmed));
            }

            if (total <= budget)
            {
                return (bestMessages, bestRendered, total);
            }
        }

        throw new PromptException(
            $"The prompt needs {total} input tokens after every cut the budget may make, over the budget of {budget}. Inputs and sections without a 'priority' (instructions, user input) are never cut: shorten them or raise the budget.",
            File.Source, 0, 0) { RequiredTokens = total, MaxTokens = budget };

        // The largest size in [0, size] whose render fits the budget (size 0 is taken when nothing fits).
        int LongestFitting(int size, Action<int> apply)
        {
            int low = 0, high = size;
            while (low < high)
            {
                int mid = (low + high + 1) / 2;
                apply(mid);
                if (Measure(out _, out _) <= budget)
                {
                    low = mid;
                }
                else
                {
                    high = mid - 1;
                }
            }

            return low;
        }
    }

    /// <summary>
    /// Everything a budget may cut, in the order it is cut: lowest priority first; at equal priority inputs (trimmed, the
    /// finer cut) before sections (dropped whole); inputs in declaration order; sections from the end of the body backwards,
    /// as a list input loses items from its end.
    /// </summary>
    private IEnumerable<BudgetCandidate> CutOrder()
    {
        var candidates = new List<BudgetCandidate>();
        foreach (PromptInput input in _declared)
        {
            if (input.Priority is int priority)
            {
                candidates.Add(new BudgetCandidate(priority, 0, input.Line, input, null));
            }
        }

        for (int i = 0; i < _sections.Count; i++)
        {
            if (_sections[i].Priority is int priority)
            {
                candidates.Add(new BudgetCandidate(priority, 1, -i, null, i));
            }
        }

        return candidates.OrderBy(c => c.Priority).ThenBy(c => c.Kind).ThenBy(c => c.Order);
    }

    private readonly record struct BudgetCandidate(int Priority, int Kind, int Order, PromptInput? Input, int? Section);

    private static string Trimmed(StringBuilder buffer)
    {
        int start = 0, end = buffer.Length;
        while (start < end && char.IsWhiteSpace(buffer[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(buffer[end - 1]))
        {
            end--;
        }

        return buffer.ToString(start, end - start);
    }

    private static string Prefix(string text, int length)
    {
        if (length >= text.Length)
        {
            return text;
        }

        int cut = text.LastIndexOfAny([' ', '\n', '\t'], Math.Max(0, length - 1));
        return cut > 0 ? text[..cut] : text[..length];
    }

    private TemplateOptions CreateTemplateOptions(bool strict)
    {
        var options = new TemplateOptions
        {
            // No member is registered: inputs are converted to plain Fluid values, so templates reach no .NET object.
            MemberAccessStrategy = new DefaultMemberAccessStrategy(),
            FileProvider = new PartialFileProvider(_options.Partials.AsReadOnly()),

            // Partials are compiled by Fluid when first included: their ranges are bounded as the sections' are.
            TemplateParsed = static (_, template) => BoundedRanges.Apply(template),
            MaxSteps = _options.MaxSteps,
            MaxRecursion = _options.MaxRecursion,
            Now = static () => DateTimeOffset.UnixEpoch,
            TimeZone = TimeZoneInfo.Utc,

            // Strictness is ours rather than Fluid's StrictVariables (which also rejects inputs set to nil): an unknown
            // name fails in strict mode and renders empty with a warning in lenient mode.
            Undefined = strict
                ? static name => throw new UndefinedVariableException(name)
                : static name =>
                {
                    t_undefined?.Add(name);
                    return new ValueTask<FluidValue>(NilValue.Instance);
                },
        };
        return options;
    }

    private PromptException ParseError(string? error, RoleSection section)
    {
        (string reason, int line, int column) = SplitParseError(error);
        return new PromptException($"Liquid syntax error in the '{section.Kind}' section: {reason}", File.Source, section.Line + line - 1, column);
    }

    private static (string Reason, int Line, int Column) SplitParseError(string? error)
    {
        error ??= "unknown error";
        int sourceAt = error.IndexOf("\nSource:", StringComparison.Ordinal);
        string first = (sourceAt >= 0 ? error[..sourceAt] : error).Trim();
        Match match = ParseLocationRegex().Match(first);
        if (!match.Success)
        {
            return (first, 1, 1);
        }

        return (first[..match.Index].Trim(), int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(match.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static (int Line, int Column) Locate(RoleSection section, string name)
    {
        Match match = Regex.Match(section.Text, @"\b" + Regex.Escape(name) + @"\b", RegexOptions.CultureInvariant);
        if (!match.Success)
        {
            return (section.Line, 1);
        }

        int line = section.Text.AsSpan(0, match.Index).Count('\n');
        int lineStart = section.Text.LastIndexOf('\n', Math.Max(0, match.Index - 1)) + 1;
        if (match.Index == 0)
        {
            lineStart = 0;
        }

        return (section.Line + line, match.Index - lineStart + 1);
    }

    [GeneratedRegex(@"\s*at \((?<line>\d+):(?<column>\d+)\)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ParseLocationRegex();

    private sealed class UndefinedVariableException(string name) : Exception($"Undefined variable '{name}'")
    {
        public string Name { get; } = name;
    }
}
