using AiEng.FineTuning;
using static AiEng.Tests.FineTuning.Adapters.EmbeddingAdapterTestData;

namespace AiEng.Tests.FineTuning.Adapters;

public sealed class EmbeddingAdapterTrainerTests
{
    public static TheoryData<string, bool> Shapes => new()
    {
        { "linear", true },
        { "linear", false },
        { "residual", true },
        { "residual", false },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_hand_written_gradient_matches_finite_differences(string shape, bool normalize)
    {
        const int Dimensions = 6;
        var random = new Random(11);
        EmbeddingAdapter adapter = shape == "linear"
            ? new LinearEmbeddingAdapter(Model, Dimensions, normalize)
            : new ResidualEmbeddingAdapter(Model, Dimensions, hiddenSize: 4, normalize, seed: 3);
        float[] parameters = adapter.Parameters;
        for (int k = 0; k < parameters.Length; k++)
        {
            // Away from the identity (and with W2 non-zero), so that every parameter has a gradient.
            parameters[k] += (float)((random.NextDouble() * 2) - 1) * 0.3f;
        }

        EmbeddingAdapterExample[] batch =
        [
            new(UnitVector(random, Dimensions), UnitVector(random, Dimensions), [UnitVector(random, Dimensions)]) { Group = "a" },
            new(UnitVector(random, Dimensions), UnitVector(random, Dimensions), [UnitVector(random, Dimensions), UnitVector(random, Dimensions)]) { Group = "b", Weight = 2 },
            new(UnitVector(random, Dimensions), UnitVector(random, Dimensions)) { Group = "b" },
        ];
        const float Temperature = 0.5f;
        float[] analytic = new float[parameters.Length];
        EmbeddingAdapterTrainer.BatchLoss(adapter, batch, Temperature, analytic);

        const float Step = 1e-2f;
        for (int k = 0; k < parameters.Length; k++)
        {
            float saved = parameters[k];
            parameters[k] = saved + Step;
            double plus = EmbeddingAdapterTrainer.BatchLoss(adapter, batch, Temperature, []);
            parameters[k] = saved - Step;
            double minus = EmbeddingAdapterTrainer.BatchLoss(adapter, batch, Temperature, []);
            parameters[k] = saved;
            double numeric = (plus - minus) / (2 * Step);
            Assert.True(
                Math.Abs(numeric - analytic[k]) <= 2e-3 + (0.02 * Math.Abs(numeric)),
                $"{shape} (normalize {normalize}) parameter {k}: analytic {analytic[k]:G6}, numeric {numeric:G6}");
        }

        Assert.Contains(analytic, g => Math.Abs(g) > 1e-3);
    }

    [Theory]
    [InlineData("linear")]
    [InlineData("residual")]
    public void The_identity_penalty_and_its_gradient_agree(string shape)
    {
        EmbeddingAdapter adapter = shape == "linear" ? new LinearEmbeddingAdapter(Model, 4) : new ResidualEmbeddingAdapter(Model, 4, hiddenSize: 3);
        float[] none = new float[adapter.ParameterCount];
        Assert.Equal(0, adapter.AddIdentityPenalty(0.5f, none), 6);
        Assert.All(none, g => Assert.Equal(0f, g));

        var random = new Random(5);
        float[] parameters = adapter.Parameters;
        for (int k = 0; k < parameters.Length; k++)
        {
            parameters[k] += (float)random.NextDouble() - 0.5f;
        }

        float[] gradient = new float[parameters.Length];
        double penalty = adapter.AddIdentityPenalty(0.5f, gradient);
        for (int k = 0; k < parameters.Length; k++)
        {
            float saved = parameters[k];
            parameters[k] = saved + 1e-2f;
            double plus = adapter.AddIdentityPenalty(0.5f, new float[parameters.Length]);
            parameters[k] = saved;
            Assert.Equal((plus - penalty) / 1e-2, gradient[k] + (0.5 * 0.5 * 1e-2), 2);
        }
    }

    [Theory]
    [InlineData("linear")]
    [InlineData("residual")]
    public void Training_learns_what_the_base_model_gets_wrong(string shape)
    {
        var (queries, passages) = RotationTask(count: 120, dimensions: 12, seed: 4);
        EmbeddingAdapter adapter = shape == "linear" ? new LinearEmbeddingAdapter(Model, 12) : new ResidualEmbeddingAdapter(Model, 12, hiddenSize: 32);
        double before = TopOneAccuracy(adapter, queries, passages);

        var result = EmbeddingAdapterTrainer.Train(
            adapter,
            RotationExamples(queries, passages),
            new EmbeddingAdapterTrainingOptions { Epochs = 60, LearningRate = 0.01, Temperature = 0.1, ValidationFraction = 0.2, Patience = 60 });

        double after = TopOneAccuracy(adapter, queries, passages);
        Assert.True(before < 0.5, $"the task should be hard for the base model (top-1 accuracy {before:F2})");
        Assert.True(after > 0.8, $"{shape}: top-1 accuracy {before:F2} -> {after:F2}");
        Assert.True(result.BestValidationLoss < result.InitialValidationLoss);
        Assert.Equal(24, result.ValidationExamples);
        Assert.Equal(96, result.TrainingExamples);
        Assert.Equal(result.EpochsRun, result.TrainingLosses.Count);
        Assert.Equal("96", adapter.Training["examples"]);
    }

    [Fact]
    public void Training_is_deterministic_for_a_seed()
    {
        var (queries, passages) = RotationTask(count: 40, dimensions: 8, seed: 9);
        var options = new EmbeddingAdapterTrainingOptions { Epochs = 5, Seed = 3 };
        var first = new LinearEmbeddingAdapter(Model, 8);
        var second = new LinearEmbeddingAdapter(Model, 8);

        EmbeddingAdapterTrainer.Train(first, RotationExamples(queries, passages), options);
        EmbeddingAdapterTrainer.Train(second, RotationExamples(queries, passages), options);

        Assert.Equal(first.Parameters, second.Parameters);
        Assert.NotEqual(new LinearEmbeddingAdapter(Model, 8).Parameters, first.Parameters);
    }

    [Fact]
    public void Keeps_the_untrained_adapter_when_no_epoch_improves_the_validation_loss()
    {
        var (queries, passages) = RotationTask(count: 40, dimensions: 8, seed: 9);

        // Passages equal to their queries: the identity is already as good as it gets, and a huge step only makes it worse.
        var adapter = new LinearEmbeddingAdapter(Model, 8);
        var result = EmbeddingAdapterTrainer.Train(
            adapter,
            RotationExamples(queries, queries),
            new EmbeddingAdapterTrainingOptions { Epochs = 3, LearningRate = 1.0, Patience = 3, ValidationFraction = 0.25 });

        Assert.Equal(0, result.BestEpoch);
        Assert.Equal(new LinearEmbeddingAdapter(Model, 8).Parameters, adapter.Parameters);
        Assert.Equal(result.InitialValidationLoss, result.BestValidationLoss);
        _ = passages;
    }

    [Fact]
    public void Without_a_validation_slice_trains_every_epoch_and_keeps_the_last()
    {
        var (queries, passages) = RotationTask(count: 20, dimensions: 6, seed: 2);

        var result = EmbeddingAdapterTrainer.Train(
            new LinearEmbeddingAdapter(Model, 6), RotationExamples(queries, passages), new EmbeddingAdapterTrainingOptions { Epochs = 4, ValidationFraction = 0 });

        Assert.Equal(4, result.EpochsRun);
        Assert.Equal(4, result.BestEpoch);
        Assert.Equal(0, result.ValidationExamples);
        Assert.Empty(result.ValidationLosses);
        Assert.True(double.IsNaN(result.InitialValidationLoss));
    }

    [Fact]
    public void Examples_of_one_group_stay_on_one_side_of_the_validation_split()
    {
        var random = new Random(8);
        float[] query = UnitVector(random, 4);

        // Ten groups of three examples: the held-out count is a multiple of three.
        EmbeddingAdapterExample[] examples = [.. Enumerable.Range(0, 30).Select(i => new EmbeddingAdapterExample(query, UnitVector(random, 4)) { Group = "g" + (i / 3) })];
        var result = EmbeddingAdapterTrainer.Train(new LinearEmbeddingAdapter(Model, 4), examples, new EmbeddingAdapterTrainingOptions { Epochs = 1, ValidationFraction = 0.2 });

        Assert.Equal(6, result.ValidationExamples);
        Assert.Equal(24, result.TrainingExamples);
    }

    [Fact]
    public void Cancellation_stops_training_and_restores_the_parameters()
    {
        var (queries, passages) = RotationTask(count: 40, dimensions: 8, seed: 9);
        var adapter = new LinearEmbeddingAdapter(Model, 8);
        float[] before = (float[])adapter.Parameters.Clone();
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.Throws<OperationCanceledException>(() => EmbeddingAdapterTrainer.Train(adapter, RotationExamples(queries, passages), cancellationToken: cancellation.Token));

        Assert.Equal(before, adapter.Parameters);
        Assert.Empty(adapter.Training);
    }

    [Fact]
    public void Rejects_an_example_of_another_dimension_count_naming_it()
    {
        EmbeddingAdapterExample[] examples =
        [
            new(new float[4], new float[4]) { Group = "q1" },
            new(new float[4], new float[4], [new float[4], new float[3]]) { Group = "q2" },
        ];

        var error = Assert.Throws<ArgumentException>(() => EmbeddingAdapterTrainer.Train(new LinearEmbeddingAdapter(Model, 4), examples));

        Assert.Contains("Training example 1 (group 'q2'): its hard negative 1 has 3 values", error.Message, StringComparison.Ordinal);
        Assert.Contains("takes 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_no_examples_and_invalid_options_naming_the_option()
    {
        var adapter = new LinearEmbeddingAdapter(Model, 4);
        Assert.Contains("no training examples", Assert.Throws<ArgumentException>(() => EmbeddingAdapterTrainer.Train(adapter, [])).Message, StringComparison.Ordinal);

        var options = new EmbeddingAdapterTrainingOptions { Temperature = 0 };
        var error = Assert.Throws<ArgumentException>(() => EmbeddingAdapterTrainer.Train(adapter, [new(new float[4], new float[4])], options));
        Assert.Contains(nameof(EmbeddingAdapterTrainingOptions.Temperature), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Never_changes_the_callers_options()
    {
        var options = new EmbeddingAdapterTrainingOptions { Epochs = 2 };
        var (queries, passages) = RotationTask(count: 10, dimensions: 4, seed: 1);

        EmbeddingAdapterTrainer.Train(new LinearEmbeddingAdapter(Model, 4), RotationExamples(queries, passages), options);

        Assert.Equal(2, options.Epochs);
        Assert.Equal(0.1, options.ValidationFraction);
    }
}
