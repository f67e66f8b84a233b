using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Inference;

/// <summary>
/// Options of a cascade (<c>ChatClientBuilder.UseCascade</c>): the models a request escalates to, cheapest first, and the
/// checks an answer must pass to be returned.
/// </summary>
public sealed class CascadeOptions
{
    /// <summary>Gets the models to escalate to, in order, after the model the cascade wraps (which is tried first).</summary>
    public IList<CascadeModel> Models { get; } = [];

    /// <summary>
    /// Gets the checks every answer but the last model's must pass, in order: the first rejection escalates to the next model.
    /// The last model's answer is returned unchecked.
    /// </summary>
    public IList<ICascadeAcceptanceCheck> AcceptanceChecks { get; } = [];

    /// <summary>
    /// Gets or sets the name of the model the cascade wraps, in its responses and checks; <see langword="null"/> (the
    /// default) for the wrapped client's default model id (<see cref="ChatClientMetadata.DefaultModelId"/>), else <c>first</c>.
    /// </summary>
    public string? FirstModelName { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether an exception from a model other than the last escalates to the next model
    /// (logged as a warning, and named in <see cref="CascadeProperties.Rejections"/>). Default <see langword="false"/>: the
    /// exception propagates, as failures are the business of resilience (<c>UseResilience</c>) and failover
    /// (<c>OrderedFailoverChatClient</c>). Cancellation of the request always propagates.
    /// </summary>
    public bool EscalateOnFailure { get; set; }

    /// <summary>Adds a configured model to escalate to (see <see cref="CascadeModel(string)"/>).</summary>
    /// <param name="modelName">The model's name, for example <c>large</c> for <c>AiEng:ChatModels:large</c>.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="modelName"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="modelName"/> is empty or whitespace.</exception>
    public CascadeOptions EscalateTo(string modelName)
    {
        Models.Add(new CascadeModel(modelName));
        return this;
    }

    /// <summary>Adds a client to escalate to (see <see cref="CascadeModel(IChatClient, string?)"/>).</summary>
    /// <param name="client">The client.</param>
    /// <param name="name">Its name in responses and checks; <see langword="null"/> for its default model id.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No <paramref name="name"/> is given and the client reports no default model id.</exception>
    public CascadeOptions EscalateTo(IChatClient client, string? name = null)
    {
        Models.Add(new CascadeModel(client, name));
        return this;
    }

    /// <summary>Adds a check that rejects refusals, empty answers and filtered answers (see <see cref="RefusalAcceptanceCheck"/>).</summary>
    /// <param name="phrases">The phrases that mark a refusal; <see langword="null"/> for <see cref="RefusalAcceptanceCheck.DefaultPhrases"/>.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentException"><paramref name="phrases"/> holds an empty phrase.</exception>
    public CascadeOptions RejectRefusals(IEnumerable<string>? phrases = null)
    {
        AcceptanceChecks.Add(new RefusalAcceptanceCheck(phrases));
        return this;
    }

    /// <summary>Adds a check that accepts an answer when <paramref name="predicate"/> returns <see langword="true"/>.</summary>
    /// <param name="predicate">Decides on an answer.</param>
    /// <param name="reason">The rejection reason when it returns <see langword="false"/>, for example <c>the answer names no city</c>.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> or <paramref name="reason"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is empty or whitespace.</exception>
    public CascadeOptions AcceptWhen(Func<CascadeAttempt, bool> predicate, string reason)
    {
        Throw.IfNull(predicate);
        AcceptanceChecks.Add(new PredicateAcceptanceCheck((attempt, _) => new(predicate(attempt)), CascadeVerdict.Reject(reason)));
        return this;
    }

    /// <summary>Adds a check that accepts an answer when the asynchronous <paramref name="predicate"/> returns <see langword="true"/>.</summary>
    /// <param name="predicate">Decides on an answer; it receives the request's cancellation token.</param>
    /// <param name="reason">The rejection reason when it returns <see langword="false"/>, for example <c>the answer names no city</c>.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> or <paramref name="reason"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is empty or whitespace.</exception>
    public CascadeOptions AcceptWhen(Func<CascadeAttempt, CancellationToken, ValueTask<bool>> predicate, string reason)
    {
        Throw.IfNull(predicate);
        AcceptanceChecks.Add(new PredicateAcceptanceCheck(predicate, CascadeVerdict.Reject(reason)));
        return this;
    }

    /// <summary>Checks these options and returns a copy, so that later changes by the caller have no effect.</summary>
    /// <param name="paramName">The parameter named in the exception.</param>
    /// <returns>The copy.</returns>
    /// <exception cref="ArgumentException">An option is invalid; the message names each one and how to fix it.</exception>
    internal CascadeOptions ValidateAndClone(string paramName)
    {
        var errors = new List<string>();
        if (Models.Count == 0)
        {
            errors.Add("Models is empty: add at least one model to escalate to, for example options.EscalateTo(\"large\").");
        }

        for (int i = 0; i < Models.Count; i++)
        {
            if (Models[i] is null)
            {
                errors.Add($"Models[{i}] is null: add a CascadeModel with a name or a client.");
            }
        }

        if (AcceptanceChecks.Count == 0)
        {
            errors.Add("AcceptanceChecks is empty, so the first answer would always be returned: add a check, for example options.RejectRefusals() or options.AcceptWhen(attempt => ..., \"reason\").");
        }

        for (int i = 0; i < AcceptanceChecks.Count; i++)
        {
            if (AcceptanceChecks[i] is null)
            {
                errors.Add($"AcceptanceChecks[{i}] is null: add an ICascadeAcceptanceCheck.");
            }
        }

        if (FirstModelName is not null && string.IsNullOrWhiteSpace(FirstModelName))
        {
            errors.Add("FirstModelName is empty: set a name such as \"small\", or null for the wrapped client's model id.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException($"The cascade options are invalid: {string.Join(" ", errors)}", paramName);
        }

        var copy = new CascadeOptions { FirstModelName = FirstModelName, EscalateOnFailure = EscalateOnFailure };
        foreach (CascadeModel model in Models)
        {
            copy.Models.Add(model);
        }

        foreach (ICascadeAcceptanceCheck check in AcceptanceChecks)
        {
            copy.AcceptanceChecks.Add(check);
        }

        return copy;
    }
}
