using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using AiEng.Shared;

namespace AiEng.FineTuning;

/// <summary>
/// Trains an <see cref="EmbeddingAdapter"/> on (query, relevant passage) examples, in plain C# on the CPU: a contrastive
/// InfoNCE loss with in-batch and hard negatives, hand-written gradients, the Adam optimiser, an L2 pull toward the
/// identity and early stopping on a validation slice of the examples.
/// </summary>
/// <remarks>
/// <para>
/// For each example of a mini-batch the adapted query vector <c>q</c> (re-normalised when the adapter normalises) is scored
/// against candidates <c>c</c>: its own positive, the positives of the other examples of the batch (unless of the same
/// <see cref="EmbeddingAdapterExample.Group"/>) and the hard negatives of every example of the batch. The loss is
/// <c>-log softmax(q·c / τ)</c> at the positive, weighted by <see cref="EmbeddingAdapterExample.Weight"/>, plus
/// <c>λ/2 · ‖θ - θ_identity‖²</c>. Passages are never transformed, so only the query side learns: a corpus indexed with the
/// base model stays valid.
/// </para>
/// <para>
/// Training is deterministic for a given <see cref="EmbeddingAdapterTrainingOptions.Seed"/> and runs on the calling thread;
/// call it from <see cref="Task.Run(Action)"/> to keep a UI or request thread free. With validation examples the adapter
/// keeps the parameters of the epoch with the lowest validation loss.
/// </para>
/// </remarks>
public static class EmbeddingAdapterTrainer
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;
    private static readonly EmbeddingAdapterTrainingOptionsValidator Validator = new();

    /// <summary>Trains <paramref name="adapter"/> in place on <paramref name="examples"/>.</summary>
    /// <param name="adapter">The adapter to train, for example a new <see cref="LinearEmbeddingAdapter"/> (the identity).</param>
    /// <param name="examples">The examples, with vectors of the adapter's base model.</param>
    /// <param name="options">The settings; <see langword="null"/> for the defaults. Never changed.</param>
    /// <param name="cancellationToken">Cancels training between mini-batches; the adapter then keeps the parameters it had before the call.</param>
    /// <returns>What training did.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="adapter"/> or <paramref name="examples"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// There are no examples, an example's vector has another dimension count than the adapter (the message names the example),
    /// or an option is out of range (the message names it).
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static EmbeddingAdapterTrainingResult Train(
        EmbeddingAdapter adapter, IEnumerable<EmbeddingAdapterExample> examples, EmbeddingAdapterTrainingOptions? options = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(adapter);
        Throw.IfNull(examples);
        options = options?.Clone() ?? new EmbeddingAdapterTrainingOptions();
        var validation = Validator.Validate(null, options);
        if (validation.Failed)
        {
            throw new ArgumentException($"Invalid embedding adapter training options: {validation.FailureMessage}", nameof(options));
        }

        EmbeddingAdapterExample[] all = [.. examples];
        Check(adapter, all);
        (EmbeddingAdapterExample[] train, EmbeddingAdapterExample[] held) = Split(all, options.ValidationFraction, options.Seed);

        var watch = Stopwatch.StartNew();
        float[] parameters = adapter.Parameters;
        float[] original = (float[])parameters.Clone();
        try
        {
            var result = Run(adapter, train, held, options, watch, cancellationToken);
            adapter.SetTraining("examples", train.Length.ToString(CultureInfo.InvariantCulture));
            adapter.SetTraining("validation_examples", held.Length.ToString(CultureInfo.InvariantCulture));
            adapter.SetTraining("epochs", result.EpochsRun.ToString(CultureInfo.InvariantCulture));
            adapter.SetTraining("best_epoch", result.BestEpoch.ToString(CultureInfo.InvariantCulture));
            adapter.SetTraining("validation_loss", result.BestValidationLoss.ToString("R", CultureInfo.InvariantCulture));
            adapter.SetTraining("learning_rate", options.LearningRate.ToString("R", CultureInfo.InvariantCulture));
            adapter.SetTraining("temperature", options.Temperature.ToString("R", CultureInfo.InvariantCulture));
            adapter.SetTraining("identity_regularization", options.IdentityRegularization.ToString("R", CultureInfo.InvariantCulture));
            adapter.SetTraining("batch_size", options.BatchSize.ToString(CultureInfo.InvariantCulture));
            adapter.SetTraining("seed", options.Seed.ToString(CultureInfo.InvariantCulture));
            return result;
        }
        catch
        {
            // Nothing half-trained is left behind: a canceled or failed run restores the parameters the caller gave.
            original.CopyTo(parameters, 0);
            throw;
        }
    }

    /// <summary>Computes the loss of one mini-batch, and optionally its gradient; used by training, validation and the gradient check.</summary>
    /// <param name="adapter">The adapter.</param>
    /// <param name="batch">The examples of one mini-batch.</param>
    /// <param name="temperature">The softmax temperature.</param>
    /// <param name="gradient">Receives the gradient of the mean loss (added to), or <see langword="null"/> for the loss alone.</param>
    /// <returns>The weighted mean InfoNCE loss of the batch.</returns>
    internal static double BatchLoss(EmbeddingAdapter adapter, ReadOnlySpan<EmbeddingAdapterExample> batch, float temperature, Span<float> gradient)
    {
        int d = adapter.Dimensions;
        int negatives = 0;
        foreach (var example in batch)
        {
            negatives += example.HardNegatives.Count;
        }

        // Candidates: the batch's positives first (candidate j is example j's positive), then every hard negative.
        int count = batch.Length + negatives;
        float[] candidates = new float[count * d];
        for (int j = 0; j < batch.Length; j++)
        {
            batch[j].Positive.Span.CopyTo(candidates.AsSpan(j * d, d));
        }

        int next = batch.Length;
        foreach (var example in batch)
        {
            foreach (var negative in example.HardNegatives)
            {
                negative.Span.CopyTo(candidates.AsSpan(next++ * d, d));
            }
        }

        double totalWeight = 0;
        foreach (var example in batch)
        {
            totalWeight += example.Weight;
        }

        float[] output = new float[d];
        float[] scratch = new float[adapter.ScratchSize];
        float[] work = new float[adapter.ScratchSize];
        float[] logits = new float[count];
        bool[] masked = new bool[count];
        float[] queryGradient = new float[d];
        double loss = 0;
        float inverseTemperature = 1f / temperature;
        for (int i = 0; i < batch.Length; i++)
        {
            var example = batch[i];
            ReadOnlySpan<float> input = example.Query.Span;
            adapter.Forward(input, output, scratch);
            float norm = adapter.Normalize ? EmbeddingAdapter.ScaleToUnit(output) : 1f;
            ReadOnlySpan<float> ownPositive = example.Positive.Span;
            float max = float.NegativeInfinity;
            for (int c = 0; c < count; c++)
            {
                ReadOnlySpan<float> candidate = candidates.AsSpan(c * d, d);
                logits[c] = TensorPrimitives.Dot(output, candidate) * inverseTemperature;

                // Another example's positive of the same group is relevant too, and a copy of the own positive is no negative.
                masked[c] = c != i
                    && ((c < batch.Length && example.Group is not null && string.Equals(example.Group, batch[c].Group, StringComparison.Ordinal))
                        || (logits[c] == logits[i] && candidate.SequenceEqual(ownPositive)));
                if (!masked[c] && logits[c] > max)
                {
                    max = logits[c];
                }
            }

            double sum = 0;
            for (int c = 0; c < count; c++)
            {
                sum += masked[c] ? 0 : Math.Exp(logits[c] - max);
            }

            loss += example.Weight * (Math.Log(sum) + max - logits[i]);
            if (gradient.IsEmpty)
            {
                continue;
            }

            // dL/dlogit_c = w (p_c - [c = i]) / W; dL/dq = Σ_c dL/dlogit_c · c / τ.
            float scale = (float)(example.Weight / totalWeight) * inverseTemperature;
            queryGradient.AsSpan().Clear();
            for (int c = 0; c < count; c++)
            {
                if (masked[c])
                {
                    continue;
                }

                float g = (float)(Math.Exp(logits[c] - max) / sum) - (c == i ? 1f : 0f);
                TensorPrimitives.MultiplyAdd(candidates.AsSpan(c * d, d), g * scale, queryGradient, queryGradient);
            }

            if (adapter.Normalize)
            {
                // Through q = u / ‖u‖: dL/du = (dL/dq - q (q · dL/dq)) / ‖u‖.
                float along = TensorPrimitives.Dot(output, queryGradient);
                TensorPrimitives.MultiplyAdd(output, -along, queryGradient, queryGradient);
                TensorPrimitives.Divide(queryGradient, norm, queryGradient);
            }

            adapter.Backward(input, scratch, queryGradient, gradient, work);
        }

        return loss / totalWeight;
    }

    private static EmbeddingAdapterTrainingResult Run(
        EmbeddingAdapter adapter, EmbeddingAdapterExample[] train, EmbeddingAdapterExample[] held, EmbeddingAdapterTrainingOptions options, Stopwatch watch, CancellationToken cancellationToken)
    {
        float[] parameters = adapter.Parameters;
        float[] gradient = new float[parameters.Length];
        double[] firstMoment = new double[parameters.Length];
        double[] secondMoment = new double[parameters.Length];
        float[] best = (float[])parameters.Clone();
        float temperature = (float)options.Temperature;
        float strength = (float)options.IdentityRegularization;
        var random = new Random(options.Seed);
        int[] order = [.. Enumerable.Range(0, train.Length)];
        var batch = new EmbeddingAdapterExample[options.BatchSize];
        var trainingLosses = new List<double>();
        var validationLosses = new List<double>();
        double initial = held.Length > 0 ? MeanLoss(adapter, held, options.BatchSize, temperature) : double.NaN;
        double bestLoss = initial;
        int bestEpoch = 0;
        int stale = 0;
        long step = 0;
        int epoch = 0;
        while (epoch < options.Epochs)
        {
            epoch++;
            random.Shuffle(order);
            double epochLoss = 0;
            int batches = 0;
            for (int start = 0; start < order.Length; start += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int size = Math.Min(options.BatchSize, order.Length - start);
                for (int k = 0; k < size; k++)
                {
                    batch[k] = train[order[start + k]];
                }

                Array.Clear(gradient);
                double loss = BatchLoss(adapter, batch.AsSpan(0, size), temperature, gradient);
                if (strength > 0)
                {
                    loss += adapter.AddIdentityPenalty(strength, gradient);
                }

                AdamStep(parameters, gradient, firstMoment, secondMoment, ++step, options.LearningRate);
                epochLoss += loss;
                batches++;
            }

            trainingLosses.Add(epochLoss / Math.Max(1, batches));
            if (held.Length == 0)
            {
                continue;
            }

            double validationLoss = MeanLoss(adapter, held, options.BatchSize, temperature);
            validationLosses.Add(validationLoss);
            if (validationLoss < bestLoss)
            {
                (bestLoss, bestEpoch, stale) = (validationLoss, epoch, 0);
                parameters.CopyTo(best, 0);
            }
            else if (++stale >= options.Patience)
            {
                break;
            }
        }

        if (held.Length > 0)
        {
            best.CopyTo(parameters, 0);
        }
        else
        {
            bestEpoch = epoch;
        }

        return new EmbeddingAdapterTrainingResult(train.Length, held.Length, epoch, bestEpoch, initial, bestLoss, trainingLosses, validationLosses, watch.Elapsed);
    }

    private static double MeanLoss(EmbeddingAdapter adapter, EmbeddingAdapterExample[] examples, int batchSize, float temperature)
    {
        double total = 0;
        double weight = 0;
        for (int start = 0; start < examples.Length; start += batchSize)
        {
            var batch = examples.AsSpan(start, Math.Min(batchSize, examples.Length - start));
            double batchWeight = 0;
            foreach (var example in batch)
            {
                batchWeight += example.Weight;
            }

            total += BatchLoss(adapter, batch, temperature, []) * batchWeight;
            weight += batchWeight;
        }

        return total / weight;
    }

    private static void AdamStep(float[] parameters, float[] gradient, double[] firstMoment, double[] secondMoment, long step, double learningRate)
    {
        double correction1 = 1 - Math.Pow(Beta1, step);
        double correction2 = 1 - Math.Pow(Beta2, step);
        double rate = learningRate * Math.Sqrt(correction2) / correction1;
        for (int k = 0; k < parameters.Length; k++)
        {
            double g = gradient[k];
            double m = firstMoment[k] = (Beta1 * firstMoment[k]) + ((1 - Beta1) * g);
            double v = secondMoment[k] = (Beta2 * secondMoment[k]) + ((1 - Beta2) * g * g);
            parameters[k] -= (float)(rate * m / (Math.Sqrt(v) + Epsilon));
        }
    }

    /// <summary>Splits the examples by group: a seeded share of the groups is held out for validation.</summary>
    private static (EmbeddingAdapterExample[] Train, EmbeddingAdapterExample[] Held) Split(EmbeddingAdapterExample[] examples, double fraction, int seed)
    {
        string[] groups = [.. examples.Select((e, i) => e.Group ?? "\0" + i.ToString(CultureInfo.InvariantCulture)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        int heldCount = fraction > 0 && groups.Length >= 2 ? Math.Max(1, (int)(groups.Length * fraction)) : 0;
        if (heldCount == 0)
        {
            return (examples, []);
        }

        new Random(seed).Shuffle(groups);
        var heldGroups = new HashSet<string>(groups.Take(heldCount), StringComparer.Ordinal);
        var train = new List<EmbeddingAdapterExample>();
        var held = new List<EmbeddingAdapterExample>();
        for (int i = 0; i < examples.Length; i++)
        {
            string group = examples[i].Group ?? "\0" + i.ToString(CultureInfo.InvariantCulture);
            (heldGroups.Contains(group) ? held : train).Add(examples[i]);
        }

        return ([.. train], [.. held]);
    }

    private static void Check(EmbeddingAdapter adapter, EmbeddingAdapterExample[] examples)
    {
        if (examples.Length == 0)
        {
            throw new ArgumentException("There are no training examples; give at least one (query, relevant passage) pair.", nameof(examples));
        }

        for (int i = 0; i < examples.Length; i++)
        {
            var example = examples[i] ?? throw new ArgumentException($"Training example {i} is null.", nameof(examples));
            string name = example.Group is null ? $"Training example {i}" : $"Training example {i} (group '{example.Group}')";
            CheckVector(adapter, example.Query.Length, $"{name}: its query vector");
            CheckVector(adapter, example.Positive.Length, $"{name}: its positive vector");
            for (int n = 0; n < example.HardNegatives.Count; n++)
            {
                CheckVector(adapter, example.HardNegatives[n].Length, $"{name}: its hard negative {n}");
            }
        }
    }

    private static void CheckVector(EmbeddingAdapter adapter, int length, string what)
    {
        if (length != adapter.Dimensions)
        {
            throw new ArgumentException(
                $"{what} has {length} values, but the adapter for '{adapter.BaseModelId}' takes {adapter.Dimensions}; embed the examples with that model.", "examples");
        }
    }
}
