using AiEng.FineTuning;
using AiEng.Inference;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.FineTuning.Cost;

public sealed class FineTuningCostEstimatorTests
{
    private static FineTuningCostOptions Options() => new()
    {
        BaseModel = "mini",
        TeacherModel = "big",
        Epochs = 2,
        TokenCounter = new WordTokenCounter(),
        Prices =
        {
            ["mini"] = new ModelPrice { InputPerMillion = 1m, OutputPerMillion = 2m, TrainingPerMillion = 10m },
            ["big"] = new ModelPrice { InputPerMillion = 10m, OutputPerMillion = 20m },
            ["ft:mini"] = new ModelPrice { InputPerMillion = 2m, OutputPerMillion = 4m },
        },
    };

    [Fact]
    public void Training_cost_is_tokens_times_epochs_times_the_training_price()
    {
        List<FineTuningExample> examples = [TrainingData.Chat("one two three", "four five", system: "sys"), TrainingData.Chat("a b", "c", system: "sys")];
        int perEpoch = examples.Sum(e => FineTuningValidator.CountTokens(e, new WordTokenCounter()));

        FineTuningCostEstimate estimate = FineTuningCostEstimator.Estimate(examples, Options());

        Assert.Equal(perEpoch, estimate.TrainingTokensPerEpoch);
        Assert.Equal(perEpoch * 2, estimate.BilledTrainingTokens);
        Assert.Equal(perEpoch * 2 * 10m / 1_000_000m, estimate.TrainingCost);
    }

    [Fact]
    public void Inference_costs_of_base_teacher_and_fine_tuned_models_are_side_by_side()
    {
        List<FineTuningExample> examples = [TrainingData.Chat("one two three", "four five", system: "sys")];
        FineTuningCostOptions options = Options();
        options.PromptTokensWithoutFineTuning = 1000;

        FineTuningCostEstimate estimate = FineTuningCostEstimator.Estimate(examples, options);

        Assert.Equal(["base", "teacher", "fine-tuned"], estimate.Inference.Select(r => r.Role));
        Assert.Equal(2, estimate.AverageCompletionTokens);
        Assert.Equal(((1000m * 1m) + (2m * 2m)) * 1000m / 1_000_000m, estimate.Inference[0].CostPer1000Requests);
        Assert.Equal(((1000m * 10m) + (2m * 20m)) * 1000m / 1_000_000m, estimate.Inference[1].CostPer1000Requests);
        InferenceCost tuned = estimate.Inference[2];
        Assert.Equal("ft:mini", tuned.Model);
        Assert.Equal((((decimal)estimate.AveragePromptTokens * 2m) + (2m * 4m)) * 1000m / 1_000_000m, tuned.CostPer1000Requests);
        Assert.Contains("fine-tuned", estimate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Prompt_tokens_are_everything_before_the_last_answer()
    {
        var counter = new WordTokenCounter();
        FineTuningExample example = TrainingData.Chat("one two three", "four five", system: "sys");
        FineTuningCostEstimate estimate = FineTuningCostEstimator.Estimate([example], Options());
        Assert.Equal(AiEng.Tokens.ChatTokenEstimator.CountTokens(counter, example.Messages.Take(2)), estimate.AveragePromptTokens);
    }

    [Fact]
    public void Models_without_prices_have_no_cost_rather_than_zero()
    {
        var options = new FineTuningCostOptions { BaseModel = "unknown-model", TokenCounter = new WordTokenCounter() };
        FineTuningCostEstimate estimate = FineTuningCostEstimator.Estimate([TrainingData.Chat("q", "a")], options);
        Assert.Null(estimate.TrainingCost);
        Assert.All(estimate.Inference, r => Assert.Null(r.CostPer1000Requests));
        Assert.Contains("no training price", estimate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Dated_snapshots_use_the_price_of_their_model()
    {
        var prices = new Dictionary<string, ModelPrice> { ["gpt-4o"] = new() { InputPerMillion = 1 }, ["gpt-4o-mini"] = new() { InputPerMillion = 2 } };
        Assert.Equal(2, ModelPrice.Find(prices, "gpt-4o-mini-2024-07-18")!.InputPerMillion);
        Assert.Equal(1, ModelPrice.Find(prices, "GPT-4O")!.InputPerMillion);
        Assert.Null(ModelPrice.Find(prices, "gpt-4"));
    }

    [Fact]
    public void A_missing_base_model_or_bad_epochs_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => FineTuningCostEstimator.Estimate([], new FineTuningCostOptions()));
        Assert.Throws<ArgumentException>(() => FineTuningCostEstimator.Estimate([], new FineTuningCostOptions { BaseModel = "m", Epochs = 0 }));
    }
}
