using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval.Ingestion;

public sealed class IngestionRateEstimatorTests
{
    private static readonly TimeSpan Tau = TimeSpan.FromSeconds(30);

    [Fact]
    public void Gives_no_estimate_from_the_first_document_alone()
    {
        var estimator = new IngestionRateEstimator(Tau);

        estimator.Observe(1, TimeSpan.FromSeconds(1));

        Assert.Null(estimator.EstimateRemaining(10));
        Assert.Null(estimator.DocumentsPerSecond);
    }

    [Fact]
    public void Does_not_count_the_start_up_before_the_first_document()
    {
        var estimator = new IngestionRateEstimator(Tau);

        // A minute of start-up (a model loading), then one document every two seconds.
        estimator.Observe(1, TimeSpan.FromSeconds(60));
        estimator.Observe(2, TimeSpan.FromSeconds(62));
        estimator.Observe(3, TimeSpan.FromSeconds(64));

        Assert.Equal(0.5, estimator.DocumentsPerSecond!.Value, 9);
        Assert.Equal(TimeSpan.FromSeconds(14), estimator.EstimateRemaining(7));
    }

    [Fact]
    public void Waits_for_a_later_instant_when_documents_complete_together()
    {
        var estimator = new IngestionRateEstimator(Tau);
        estimator.Observe(1, TimeSpan.FromSeconds(1));

        estimator.Observe(4, TimeSpan.FromSeconds(1));
        Assert.Null(estimator.DocumentsPerSecond);

        estimator.Observe(5, TimeSpan.FromSeconds(3));
        Assert.Equal(2.0, estimator.DocumentsPerSecond!.Value, 9);
    }

    [Fact]
    public void Follows_a_change_of_pace_part_of_the_way_weighted_by_the_interval()
    {
        var estimator = new IngestionRateEstimator(Tau);
        estimator.Observe(1, TimeSpan.Zero + TimeSpan.FromSeconds(1));
        for (int i = 2; i <= 11; i++)
        {
            estimator.Observe(i, TimeSpan.FromSeconds(i)); // one a second
        }

        // One slow document (ten seconds): the rate moves towards 0.1 by 1 - exp(-10/30) of the way, not all of it.
        estimator.Observe(12, TimeSpan.FromSeconds(21));

        double expected = 1 + ((0.1 - 1) * (1 - Math.Exp(-10.0 / 30)));
        Assert.Equal(expected, estimator.DocumentsPerSecond!.Value, 9);
        Assert.InRange(estimator.EstimateRemaining(10)!.Value.TotalSeconds, 10.0, 100.0);
        Assert.Equal(10 / expected, estimator.EstimateRemaining(10)!.Value.TotalSeconds, 3);
    }

    [Fact]
    public void Says_zero_when_nothing_remains()
    {
        var estimator = new IngestionRateEstimator(Tau);

        Assert.Equal(TimeSpan.Zero, estimator.EstimateRemaining(0));
    }

    [Fact]
    public void Rejects_a_time_constant_that_is_not_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IngestionRateEstimator(TimeSpan.Zero));
    }
}
