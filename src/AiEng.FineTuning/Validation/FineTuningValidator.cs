using System.Globalization;
using System.Text.Json;
using AiEng.Shared;
using AiEng.Tokens;
using Microsoft.Extensions.AI;

namespace AiEng.FineTuning;

/// <summary>
/// Checks chat fine-tuning examples before they are submitted, as OpenAI's chat fine-tuning format requires: roles and
/// their order, an assistant message to learn from, no empty content, well-formed tool calls and results, weights, tokens
/// per example against a context limit, the minimum number of examples, exact and near-duplicates, and leakage between the
/// training and validation sets.
/// </summary>
/// <remarks>
/// <para>Order rules: system (or developer) messages come first; the first other message is a user message; a tool message
/// answers a call of the assistant message right before it (or of the tool messages between), every call is answered before
/// the next user or assistant message, and no call id repeats. Two user or two assistant messages in a row, and messages after
/// the last assistant message (which nothing learns from), are warnings.</para>
/// <para>Every issue names the set, the example (index and id) and the field as a JSON path of the OpenAI format.</para>
/// </remarks>
public sealed class FineTuningValidator
{
    private const string Training = "training";
    private const string ValidationSet = "validation";

    private readonly FineTuningValidationOptions _options;
    private readonly ITokenCounter _counter;

    /// <summary>Initializes a new instance of the <see cref="FineTuningValidator"/> class.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults. They are copied.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    public FineTuningValidator(FineTuningValidationOptions? options = null)
    {
        _options = (options ?? new FineTuningValidationOptions()).Validate();
        _counter = _options.TokenCounter ?? TiktokenTokenCounter.O200kBase;
    }

    /// <summary>Counts the tokens of one example: its messages with OpenAI's message framing, and its tool definitions.</summary>
    /// <param name="example">The example.</param>
    /// <param name="counter">The tokenizer.</param>
    /// <returns>The tokens.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static int CountTokens(FineTuningExample example, ITokenCounter counter)
    {
        Throw.IfNull(example);
        Throw.IfNull(counter);
        int tokens = ChatTokenEstimator.CountTokens(counter, example.Messages);
        foreach (AIFunctionDeclaration tool in example.Tools)
        {
            tokens += counter.CountTokens(tool.Name) + counter.CountTokens(tool.Description ?? string.Empty) + counter.CountTokens(tool.JsonSchema.GetRawText());
        }

        return tokens;
    }

    /// <summary>Validates a training set and, optionally, its validation set.</summary>
    /// <param name="training">The training examples.</param>
    /// <param name="validation">The validation examples, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="training"/> is <see langword="null"/>, or holds a <see langword="null"/> example.</exception>
    public async Task<FineTuningValidationReport> ValidateAsync(
        IReadOnlyList<FineTuningExample> training, IReadOnlyList<FineTuningExample>? validation = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(training);
        validation ??= [];
        var issues = new List<FineTuningIssue>();
        if (training.Count < _options.MinExamples)
        {
            issues.Add(new(FineTuningIssueSeverity.Error, FineTuningRules.MinExamples, Training, -1, null, null,
                $"the training set has {training.Count} examples; at least {_options.MinExamples} are required (FineTuningValidationOptions.MinExamples). Add examples"));
        }

        int[] trainingTokens = CheckExamples(Training, training, issues, cancellationToken);
        int[] validationTokens = CheckExamples(ValidationSet, validation, issues, cancellationToken);
        CheckExactDuplicates(training, validation, issues);
        CheckNearDuplicates(training, validation, issues, cancellationToken);
        if (_options.EmbeddingGenerator is not null)
        {
            await CheckEmbeddingDuplicatesAsync(training, validation, issues, cancellationToken).ConfigureAwait(false);
        }

        return new FineTuningValidationReport(issues, trainingTokens, validationTokens);
    }

    /// <summary>
    /// Validates preference pairs (OpenAI's preference fine-tuning format) and, optionally, their validation set: the input
    /// is a valid conversation ending with a user message, both answers are non-empty assistant messages that differ, and
    /// each pair fits <see cref="FineTuningValidationOptions.MaxTokensPerExample"/>. Fields are named as in the format:
    /// <c>input.messages[i]</c>, <c>preferred_output[0]</c>, <c>non_preferred_output[0]</c>.
    /// </summary>
    /// <param name="training">The training pairs.</param>
    /// <param name="validation">The validation pairs, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The report; its token counts are of the input and both answers.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="training"/> is <see langword="null"/>, or holds a <see langword="null"/> pair.</exception>
    public Task<FineTuningValidationReport> ValidatePreferencesAsync(
        IReadOnlyList<PreferenceExample> training, IReadOnlyList<PreferenceExample>? validation = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(training);
        validation ??= [];
        var issues = new List<FineTuningIssue>();
        if (training.Count < _options.MinExamples)
        {
            issues.Add(new(FineTuningIssueSeverity.Error, FineTuningRules.MinExamples, Training, -1, null, null,
                $"the training set has {training.Count} preference pairs; at least {_options.MinExamples} are required (FineTuningValidationOptions.MinExamples). Add pairs"));
        }

        int[] trainingTokens = CheckPreferences(Training, training, issues, cancellationToken);
        int[] validationTokens = CheckPreferences(ValidationSet, validation, issues, cancellationToken);
        return Task.FromResult(new FineTuningValidationReport(issues, trainingTokens, validationTokens));
    }

    private int[] CheckPreferences(string set, IReadOnlyList<PreferenceExample> examples, List<FineTuningIssue> issues, CancellationToken cancellationToken)
    {
        int[] tokens = new int[examples.Count];
        for (int i = 0; i < examples.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            PreferenceExample example = examples[i] ?? throw new ArgumentNullException(set == Training ? "training" : "validation", $"The {set} preference pair at index {i} is null.");
            void Add(FineTuningIssueSeverity severity, string rule, string? field, string message) =>
                issues.Add(new(severity, rule, set, i, example.Id, field, message));

            int inputCount = example.Input.Count;
            if (inputCount == 0)
            {
                Add(FineTuningIssueSeverity.Error, FineTuningRules.Preference, "input.messages", "the pair has no input messages; add the prompt both answers reply to");
            }
            else if (example.Input[^1].Role != ChatRole.User)
            {
                Add(FineTuningIssueSeverity.Error, FineTuningRules.Preference, $"input.messages[{inputCount - 1}].role",
                    $"the input ends with a {example.Input[^1].Role.Value} message; it must end with the user message both answers reply to");
            }

            foreach (var (field, answer, which) in new[] { ("preferred_output[0]", example.Preferred, "preferred"), ("non_preferred_output[0]", example.NonPreferred, "non-preferred") })
            {
                if (answer.Role != ChatRole.Assistant)
                {
                    Add(FineTuningIssueSeverity.Error, FineTuningRules.Role, field + ".role", $"the {which} answer is a {answer.Role.Value} message; answers are assistant messages");
                }
                else if (string.IsNullOrWhiteSpace(answer.Text) && !answer.Contents.OfType<FunctionCallContent>().Any())
                {
                    Add(FineTuningIssueSeverity.Error, FineTuningRules.EmptyContent, field + ".content", $"the {which} answer has neither content nor tool calls; write it");
                }
            }

            if (inputCount > 0)
            {
                // The input is checked as a conversation, with the preferred answer as its reply, and its fields named as the format names them.
                var conversation = new FineTuningExample([.. example.Input, new ChatMessage(ChatRole.Assistant, "answer")]) { Tools = example.Tools };
                CheckMessages(conversation, (severity, rule, field, message) =>
                {
                    if (field is null || !field.StartsWith($"messages[{inputCount}]", StringComparison.Ordinal))
                    {
                        Add(severity, rule, field is null ? null : "input." + field, message);
                    }
                });
            }

            string preferred = example.Preferred.Text.Trim();
            if (preferred.Length > 0 && string.Equals(preferred, example.NonPreferred.Text.Trim(), StringComparison.Ordinal))
            {
                Add(FineTuningIssueSeverity.Error, FineTuningRules.Preference, "non_preferred_output[0].content",
                    "the preferred and non-preferred answers are the same; a pair teaches only through the difference between them");
            }

            tokens[i] = CountTokens(new FineTuningExample([.. example.Input, example.Preferred, example.NonPreferred]) { Tools = example.Tools }, _counter);
            if (tokens[i] > _options.MaxTokensPerExample)
            {
                Add(FineTuningIssueSeverity.Error, FineTuningRules.Tokens, "input.messages", string.Create(CultureInfo.InvariantCulture,
                    $"the pair has {tokens[i]:N0} tokens ({_counter.Name}) with both answers, more than the limit of {_options.MaxTokensPerExample:N0} (FineTuningValidationOptions.MaxTokensPerExample); shorten it"));
            }
        }

        return tokens;
    }

    private int[] CheckExamples(string set, IReadOnlyList<FineTuningExample> examples, List<FineTuningIssue> issues, CancellationToken cancellationToken)
    {
        int[] tokens = new int[examples.Count];
        for (int i = 0; i < examples.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            FineTuningExample example = examples[i] ?? throw new ArgumentNullException(set == Training ? "training" : "validation", $"The {set} example at index {i} is null.");
            void Add(FineTuningIssueSeverity severity, string rule, string? field, string message) =>
                issues.Add(new(severity, rule, set, i, example.Id, field, message));

            CheckMessages(example, Add);
            tokens[i] = CountTokens(example, _counter);
            if (tokens[i] > _options.MaxTokensPerExample)
            {
                Add(FineTuningIssueSeverity.Error, FineTuningRules.Tokens, "messages", string.Create(CultureInfo.InvariantCulture,
                    $"the example has {tokens[i]:N0} tokens ({_counter.Name}), more than the limit of {_options.MaxTokensPerExample:N0} (FineTuningValidationOptions.MaxTokensPerExample); shorten or split it"));
            }
        }

        return tokens;
    }

    private static void CheckMessages(FineTuningExample example, Action<FineTuningIssueSeverity, string, string?, string> add)
    {
        const FineTuningIssueSeverity Error = FineTuningIssueSeverity.Error;
        const FineTuningIssueSeverity Warning = FineTuningIssueSeverity.Warning;
        IList<ChatMessage> messages = example.Messages;
        if (messages.Count == 0)
        {
            add(Error, FineTuningRules.NoTrainedMessage, "messages", "the example has no messages");
            return;
        }

        var toolNames = new HashSet<string>(example.Tools.Select(static t => t.Name), StringComparer.Ordinal);
        var seenCallIds = new HashSet<string>(StringComparer.Ordinal);
        var pendingCalls = new List<string>();
        bool anyTrained = false;
        bool seenConversation = false;
        string? previousRole = null;
        int lastAssistant = -1;
        for (int m = 0; m < messages.Count; m++)
        {
            ChatMessage message = messages[m];
            string path = $"messages[{m}]";
            string role = message.Role.Value;
            bool isSystem = role is "system" or "developer";
            if (role is not ("system" or "developer" or "user" or "assistant" or "tool"))
            {
                add(Error, FineTuningRules.Role, path + ".role", $"unknown role '{role}'; use system, developer, user, assistant or tool");
                continue;
            }

            if (isSystem && seenConversation)
            {
                add(Error, FineTuningRules.Order, path + ".role", $"a {role} message comes after the conversation started; put system messages first");
            }
            else if (!isSystem && !seenConversation)
            {
                seenConversation = true;
                if (role != "user")
                {
                    add(Error, FineTuningRules.Order, path + ".role", $"the conversation starts with a {role} message; the first message after the system messages must be a user message");
                }
            }

            if (role != "tool" && pendingCalls.Count > 0)
            {
                add(Error, FineTuningRules.ToolCall, path, $"the tool calls {string.Join(", ", pendingCalls.Select(static c => "'" + c + "'"))} have no tool result before this {role} message; add a tool message for each call");
                pendingCalls.Clear();
            }

            if (role == previousRole && role is "user" or "assistant")
            {
                add(Warning, FineTuningRules.Order, path + ".role", $"two {role} messages in a row; merge them or add the missing turn");
            }

            int? weight = FineTuningExample.GetWeight(message);
            bool hasWeightValue = message.AdditionalProperties?.ContainsKey(FineTuningExample.WeightProperty) == true;
            if (hasWeightValue && role != "assistant")
            {
                add(Error, FineTuningRules.Weight, path + ".weight", "only assistant messages have a weight; remove it");
            }
            else if (hasWeightValue && weight is not (0 or 1))
            {
                add(Error, FineTuningRules.Weight, path + ".weight", "a weight is 0 (context only) or 1 (trained)");
            }

            switch (role)
            {
                case "tool":
                    CheckToolResult(message, path, pendingCalls, previousRole, add);
                    break;
                case "assistant":
                    lastAssistant = m;
                    anyTrained |= weight != 0;
                    CheckAssistant(message, path, toolNames, seenCallIds, pendingCalls, add);
                    break;
                default:
                    if (string.IsNullOrWhiteSpace(message.Text))
                    {
                        add(Error, FineTuningRules.EmptyContent, path + ".content", $"the {role} message has no content; write it or remove the message");
                    }

                    break;
            }

            previousRole = role;
        }

        if (pendingCalls.Count > 0)
        {
            add(Error, FineTuningRules.ToolCall, "messages", $"the tool calls {string.Join(", ", pendingCalls.Select(static c => "'" + c + "'"))} have no tool result; add a tool message for each call");
        }

        if (!anyTrained)
        {
            add(Error, FineTuningRules.NoTrainedMessage, "messages", "the example has no assistant message with a weight other than 0, so nothing is learned from it; add the answer");
        }
        else if (lastAssistant < messages.Count - 1)
        {
            add(Warning, FineTuningRules.Order, $"messages[{lastAssistant + 1}]", "messages after the last assistant message are not learned from; end the example with the answer");
        }
    }

    private static void CheckAssistant(
        ChatMessage message, string path, HashSet<string> toolNames, HashSet<string> seenCallIds, List<string> pendingCalls,
        Action<FineTuningIssueSeverity, string, string?, string> add)
    {
        int callIndex = 0;
        foreach (FunctionCallContent call in message.Contents.OfType<FunctionCallContent>())
        {
            string callPath = $"{path}.tool_calls[{callIndex++}]";
            if (string.IsNullOrWhiteSpace(call.CallId))
            {
                add(FineTuningIssueSeverity.Error, FineTuningRules.ToolCall, callPath + ".id", "the tool call has no id; give each call a unique id");
            }
            else if (!seenCallIds.Add(call.CallId))
            {
                add(FineTuningIssueSeverity.Error, FineTuningRules.ToolCall, callPath + ".id", $"the tool call id '{call.CallId}' is used twice in the example; give each call a unique id");
            }
            else
            {
                pendingCalls.Add(call.CallId);
            }

            if (string.IsNullOrWhiteSpace(call.Name))
            {
                add(FineTuningIssueSeverity.Error, FineTuningRules.ToolCall, callPath + ".function.name", "the tool call has no function name");
            }
            else if (toolNames.Count > 0 && !toolNames.Contains(call.Name))
            {
                add(FineTuningIssueSeverity.Warning, FineTuningRules.ToolCall, callPath + ".function.name", $"the function '{call.Name}' is not among the example's tools; add its definition to tools");
            }

            if (call.Arguments is not null)
            {
                try
                {
                    _ = JsonSerializer.SerializeToUtf8Bytes(call.Arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>)));
                }
                catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
                {
                    add(FineTuningIssueSeverity.Error, FineTuningRules.ToolCall, callPath + ".function.arguments", $"the arguments cannot be written as JSON ({ex.Message})");
                }
            }
        }

        if (callIndex == 0 && string.IsNullOrWhiteSpace(message.Text))
        {
            add(FineTuningIssueSeverity.Error, FineTuningRules.EmptyContent, path + ".content", "the assistant message has neither content nor tool calls; write the answer");
        }
    }

    private static void CheckToolResult(
        ChatMessage message, string path, List<string> pendingCalls, string? previousRole, Action<FineTuningIssueSeverity, string, string?, string> add)
    {
        FunctionResultContent? result = message.Contents.OfType<FunctionResultContent>().FirstOrDefault();
        if (result is null || string.IsNullOrWhiteSpace(result.CallId))
        {
            add(FineTuningIssueSeverity.Error, FineTuningRules.ToolCall, path + ".tool_call_id", "the tool message has no tool_call_id (a FunctionResultContent with a CallId)");
            return;
        }

        if (previousRole is not ("assistant" or "tool") || !pendingCalls.Remove(result.CallId))
        {
            add(FineTuningIssueSeverity.Error, FineTuningRules.ToolCall, path + ".tool_call_id",
                $"the tool result answers '{result.CallId}', which is not an unanswered call of the assistant message before it; check the id and the order");
        }

        if (string.IsNullOrWhiteSpace(OpenAIChatFormat.ResultText(result.Result)))
        {
            add(FineTuningIssueSeverity.Error, FineTuningRules.EmptyContent, path + ".content", "the tool message has no content; write the tool's result");
        }
    }

    private static void CheckExactDuplicates(IReadOnlyList<FineTuningExample> training, IReadOnlyList<FineTuningExample> validation, List<FineTuningIssue> issues)
    {
        var firstSeen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < training.Count; i++)
        {
            string key = ExampleText.ExactKey(training[i]);
            if (!firstSeen.TryAdd(key, i))
            {
                issues.Add(new(FineTuningIssueSeverity.Warning, FineTuningRules.Duplicate, Training, i, training[i].Id, null,
                    $"the example repeats training example #{firstSeen[key]}; repeats weigh an example more without teaching anything new, so remove it"));
            }
        }

        for (int i = 0; i < validation.Count; i++)
        {
            if (firstSeen.TryGetValue(ExampleText.ExactKey(validation[i]), out int match))
            {
                issues.Add(new(FineTuningIssueSeverity.Error, FineTuningRules.Leakage, ValidationSet, i, validation[i].Id, null,
                    $"the example is also training example #{match}, so validation loss overstates how well the model generalises; remove it from one set"));
            }
        }
    }

    private void CheckNearDuplicates(IReadOnlyList<FineTuningExample> training, IReadOnlyList<FineTuningExample> validation, List<FineTuningIssue> issues, CancellationToken cancellationToken)
    {
        if (_options.NearDuplicateSimilarity is not double threshold)
        {
            return;
        }

        if (training.Count + validation.Count > _options.MaxNearDuplicateExamples)
        {
            issues.Add(new(FineTuningIssueSeverity.Warning, FineTuningRules.NearDuplicate, Training, -1, null, null,
                $"{training.Count + validation.Count} examples are more than FineTuningValidationOptions.MaxNearDuplicateExamples ({_options.MaxNearDuplicateExamples}); near-duplicates were not looked for"));
            return;
        }

        HashSet<ulong>[] trainingShingles = training.Select(static e => ExampleText.Shingles(ExampleText.Content(e))).ToArray();
        var exactKeys = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < training.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!exactKeys.Add(ExampleText.ExactKey(training[i])))
            {
                continue; // already reported as an exact duplicate
            }

            if (Best(trainingShingles[i], trainingShingles, i, threshold) is (int match, double similarity))
            {
                issues.Add(new(FineTuningIssueSeverity.Warning, FineTuningRules.NearDuplicate, Training, i, training[i].Id, null,
                    string.Create(CultureInfo.InvariantCulture, $"the example is {similarity:P0} the same as training example #{match} (word 3-grams); keep one unless they differ on purpose")));
            }
        }

        for (int i = 0; i < validation.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (exactKeys.Contains(ExampleText.ExactKey(validation[i])))
            {
                continue;
            }

            if (Best(ExampleText.Shingles(ExampleText.Content(validation[i])), trainingShingles, trainingShingles.Length, threshold) is (int match, double similarity))
            {
                issues.Add(new(FineTuningIssueSeverity.Error, FineTuningRules.Leakage, ValidationSet, i, validation[i].Id, null,
                    string.Create(CultureInfo.InvariantCulture, $"the example is {similarity:P0} the same as training example #{match} (word 3-grams), so validation loss overstates generalisation; remove it from one set")));
            }
        }
    }

    private static (int, double)? Best(HashSet<ulong> shingles, HashSet<ulong>[] others, int count, double threshold)
    {
        (int, double)? best = null;
        for (int j = 0; j < count; j++)
        {
            double similarity = ExampleText.Jaccard(shingles, others[j]);
            if (similarity >= threshold && (best is null || similarity > best.Value.Item2))
            {
                best = (j, similarity);
            }
        }

        return best;
    }

    private async Task CheckEmbeddingDuplicatesAsync(
        IReadOnlyList<FineTuningExample> training, IReadOnlyList<FineTuningExample> validation, List<FineTuningIssue> issues, CancellationToken cancellationToken)
    {
        string[] texts = [.. training.Select(ExampleText.Content), .. validation.Select(ExampleText.Content)];
        (int Match, double Similarity)[] matches = await EmbeddingDuplicates.FindAsync(_options.EmbeddingGenerator!, texts, _options.EmbeddingSimilarity, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < texts.Length; i++)
        {
            (int match, double similarity) = matches[i];
            bool inValidation = i >= training.Count;
            if (match < 0 || (inValidation && match >= training.Count))
            {
                continue;
            }

            string text = string.Create(CultureInfo.InvariantCulture, $"the example's embedding has cosine similarity {similarity:F3} with training example #{match}");
            issues.Add(inValidation
                ? new(FineTuningIssueSeverity.Error, FineTuningRules.Leakage, ValidationSet, i - training.Count, validation[i - training.Count].Id, null, text + "; remove it from one set")
                : new(FineTuningIssueSeverity.Warning, FineTuningRules.NearDuplicate, Training, i, training[i].Id, null, text + "; keep one unless they differ on purpose"));
        }
    }
}
