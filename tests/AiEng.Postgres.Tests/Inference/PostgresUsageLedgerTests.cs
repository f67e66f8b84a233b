using AiEng.Inference;
using AiEng.Postgres.Tests.TestSupport;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AiEng.Postgres.Tests.Inference;

/// <summary>The usage ledger in PostgreSQL: records every instance sees, spending totals as budgets select them, and a budget shared by concurrent instances.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresUsageLedgerTests(PostgresServer server)
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "hello world")];

    [PostgresFact]
    public async Task Records_round_trip_and_spending_is_totalled_as_budgets_select_calls()
    {
        await WithLedgerAsync(async (ledger, _) =>
        {
            var full = new UsageRecord
            {
                Timestamp = Noon,
                Operation = "chat",
                Provider = "openai",
                Model = "gpt-4o-2024-08-06",
                InputTokens = 100,
                OutputTokens = 20,
                CachedInputTokens = 50,
                Latency = TimeSpan.FromMilliseconds(1234.5),
                Cost = 0.0123456789m,
                IsEstimated = true,
                CallerTag = "alice",
                IsStreaming = true,
                Prompt = "summarise",
                PromptHash = "abc123",
                IsCacheHit = true,
                CascadeStep = 1,
            };
            await ledger.RecordAsync(full);
            ledger.Record(Call(Noon.AddHours(-13), "gpt-4o", 1m, 10, tag: "alice"));
            await ledger.RecordAsync(Call(Noon, "GPT-4o:latest", 2m, 30, tag: "bob"));
            await ledger.RecordAsync(Call(Noon, "gpt-4omni", 4m, 40));
            await ledger.RecordAsync(Call(Noon, "gpt-4o", null, 5, operation: "embeddings"));

            IReadOnlyList<UsageRecord> records = ledger.GetRecords();
            Assert.Equal(5, records.Count);
            Assert.Equal(full, records[0]);
            Assert.Equal(records, await ledger.GetRecordsAsync());

            Assert.Equal(new UsageSpending(7.0123456789m, 205), await ledger.GetSpendingAsync(new UsageSpendingQuery()));
            Assert.Equal(new UsageSpending(3.0123456789m, 160), await ledger.GetSpendingAsync(new UsageSpendingQuery { Model = "gpt-4o", Operation = "CHAT" }));
            Assert.Equal(new UsageSpending(2.0123456789m, 155), await ledger.GetSpendingAsync(new UsageSpendingQuery { Model = "gpt-4o", Since = Noon.AddHours(-1) }));
            Assert.Equal(new UsageSpending(1.0123456789m, 130), await ledger.GetSpendingAsync(new UsageSpendingQuery { CallerTag = "alice" }));
            Assert.Equal(new UsageSpending(0m, 5), await ledger.GetSpendingAsync(new UsageSpendingQuery { Operation = "embeddings" }));
            Assert.Equal(new UsageSpending(0m, 0), await ledger.GetSpendingAsync(new UsageSpendingQuery { Model = "gpt-4" }));
        });
    }

    [PostgresFact]
    public async Task A_table_from_before_cache_hits_and_cascade_steps_gains_their_columns_on_first_use()
    {
        await WithLedgerAsync(async (ledger, source) =>
        {
            // The table as earlier versions created it, with a row in it.
            string table = ledger.TableName;
            await using (var create = source.CreateCommand($"""
                CREATE TABLE {table} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, started_at timestamptz NOT NULL, operation text NOT NULL,
                    provider text, model text NOT NULL, input_tokens bigint NOT NULL, output_tokens bigint NOT NULL, cached_input_tokens bigint NOT NULL,
                    latency_ticks bigint NOT NULL, cost numeric, is_estimated boolean NOT NULL, caller_tag text, is_streaming boolean NOT NULL,
                    prompt text, prompt_hash text);
                INSERT INTO {table} (started_at, operation, model, input_tokens, output_tokens, cached_input_tokens, latency_ticks, is_estimated, is_streaming)
                    VALUES ('2026-12-01T00:00:00Z', 'chat', 'old', 1, 2, 0, 0, false, false);
                """))
            {
                await create.ExecuteNonQueryAsync();
            }

            await ledger.RecordAsync(Call(Noon, "new", 1m, 10) with { IsCacheHit = true, CascadeStep = 2 });

            IReadOnlyList<UsageRecord> records = await ledger.GetRecordsAsync();
            Assert.Equal(("old", false, (int?)null), (records[0].Model, records[0].IsCacheHit, records[0].CascadeStep));
            Assert.Equal(("new", true, (int?)2), (records[1].Model, records[1].IsCacheHit, records[1].CascadeStep));
        });
    }

    [PostgresFact]
    public async Task GetRecords_returns_the_newest_rows_oldest_first_up_to_the_limit()
    {
        await WithLedgerAsync(
            async (ledger, _) =>
            {
                for (int i = 0; i < 5; i++)
                {
                    await ledger.RecordAsync(Call(Noon.AddMinutes(i), $"model-{i}", i, i));
                }

                Assert.Equal(["model-2", "model-3", "model-4"], ledger.GetRecords().Select(record => record.Model));
            },
            options => options.MaxRecords = 3);
    }

    [PostgresFact]
    public async Task Two_instances_spending_against_one_budget_overshoot_it_by_at_most_the_other_ones_call_in_flight()
    {
        await RaceAsync(instances: 2, callsInFlightPerInstance: 1);
    }

    [PostgresFact]
    public async Task Concurrent_callers_in_two_instances_overshoot_a_budget_by_at_most_the_calls_in_flight()
    {
        await RaceAsync(instances: 2, callsInFlightPerInstance: 3);
    }

    [PostgresFact]
    public async Task AddPostgresUsageLedger_makes_every_model_record_to_the_table()
    {
        string table = PostgresTables.UniqueName("aieng_usage_di");
        var connection = new NpgsqlConnectionStringBuilder(server.ConnectionString) { MaxPoolSize = 1 };
        var services = new ServiceCollection();
        services.AddAiEng(_ => { }).AddPostgresUsageLedger(connection.ConnectionString, options => options.Table = table);
        await using (ServiceProvider provider = services.BuildServiceProvider())
        {
            var ledger = Assert.IsType<PostgresUsageLedger>(provider.GetRequiredService<IUsageLedger>());
            await provider.GetRequiredService<IChatClient>().GetResponseAsync("What is recorded?");

            UsageRecord record = Assert.Single(await ledger.GetRecordsAsync());
            Assert.Equal("chat", record.Operation);
        }

        await using NpgsqlDataSource source = PostgresTables.CreateDataSource(server, maxPoolSize: 1);
        await PostgresTables.DropAsync(source, table);
    }

    [Fact]
    public void AddPostgresUsageLedger_checks_its_options_when_called()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddAiEng(_ => { }).AddPostgresUsageLedger("Host=localhost", options => options.Schema = "my schema"));

        Assert.Contains("PostgresUsageLedgerOptions.Schema", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_name_that_is_not_a_plain_identifier_is_refused_naming_the_option()
    {
        using NpgsqlDataSource source = NpgsqlDataSource.Create("Host=localhost");

        var ex = Assert.Throws<ArgumentException>(() => new PostgresUsageLedger(source, new PostgresUsageLedgerOptions { Table = "usage; DROP TABLE x" }));

        Assert.Contains("PostgresUsageLedgerOptions.Table", ex.Message, StringComparison.Ordinal);
        Assert.Contains("letters, digits and underscores", ex.Message, StringComparison.Ordinal);
    }

    private static UsageRecord Call(DateTimeOffset at, string model, decimal? cost, long tokens, string? tag = null, string operation = "chat") => new()
    {
        Timestamp = at,
        Operation = operation,
        Model = model,
        InputTokens = tokens,
        Cost = cost,
        CallerTag = tag,
    };

    /// <summary>
    /// Each instance (its own data source and ledger, as another process would have) runs callers that make 10-token calls
    /// until the 1,000-token budget refuses them; every call a caller saw succeed must be recorded once, and the total may
    /// exceed the budget only by the calls that were in flight when it was reached.
    /// </summary>
    private async Task RaceAsync(int instances, int callsInFlightPerInstance)
    {
        const long Budget = 1_000;
        const long CallTokens = 10;
        string table = PostgresTables.UniqueName("aieng_usage_race");
        var sources = new List<NpgsqlDataSource>();
        try
        {
            var callers = new List<Task<int>>();
            for (int instance = 0; instance < instances; instance++)
            {
                NpgsqlDataSource source = PostgresTables.CreateDataSource(server, maxPoolSize: server.IsPglite ? 1 : callsInFlightPerInstance);
                sources.Add(source);
                var ledger = new PostgresUsageLedger(source, new PostgresUsageLedgerOptions { Table = table });
                await ledger.EnsureCreatedAsync();
                var options = new UsageTrackingOptions();
                options.Budgets["shared"] = new UsageBudget { MaxTokens = Budget, Window = UsageBudgetWindow.Day };
                var inner = new TestChatClient
                {
                    GetResponseAsyncCallback = async (_, _, ct) =>
                    {
                        await Task.Delay(5, ct);
                        return new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")) { Usage = new UsageDetails { InputTokenCount = 9, OutputTokenCount = 1 } };
                    },
                };
                var client = new UsageTrackingChatClient(inner, ledger, options);
                for (int caller = 0; caller < callsInFlightPerInstance; caller++)
                {
                    callers.Add(Task.Run(() => CallUntilRefusedAsync(client)));
                }
            }

            int[] succeeded = await Task.WhenAll(callers);

            var reader = new PostgresUsageLedger(sources[0], new PostgresUsageLedgerOptions { Table = table });
            UsageSpending total = await reader.GetSpendingAsync(new UsageSpendingQuery());
            int inFlight = instances * callsInFlightPerInstance;
            Assert.Equal(succeeded.Sum() * CallTokens, total.Tokens);
            Assert.InRange(total.Tokens, Budget, Budget + ((inFlight - 1) * CallTokens));
        }
        finally
        {
            if (sources.Count > 0)
            {
                await PostgresTables.DropAsync(sources[0], table);
            }

            foreach (NpgsqlDataSource source in sources)
            {
                await source.DisposeAsync();
            }
        }
    }

    private static async Task<int> CallUntilRefusedAsync(IChatClient client)
    {
        int calls = 0;
        var options = new ChatOptions { MaxOutputTokens = 1 };
        while (true)
        {
            try
            {
                await client.GetResponseAsync(Question, options);
                calls++;
            }
            catch (BudgetExceededException)
            {
                return calls;
            }
        }
    }

    private async Task WithLedgerAsync(Func<PostgresUsageLedger, NpgsqlDataSource, Task> body, Action<PostgresUsageLedgerOptions>? configure = null)
    {
        string table = PostgresTables.UniqueName("aieng_usage");
        await using NpgsqlDataSource source = PostgresTables.CreateDataSource(server, maxPoolSize: 2);
        var options = new PostgresUsageLedgerOptions { Table = table };
        configure?.Invoke(options);
        try
        {
            await body(new PostgresUsageLedger(source, options), source);
        }
        finally
        {
            await PostgresTables.DropAsync(source, table);
        }
    }
}
