using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval;

public sealed class ChunkRecordTests
{
    [Theory]
    [InlineData("acme", 0, "8303ba1e-f2d5-537e-8c09-fdbf31b8cc1e")]
    [InlineData("docs/guide.md", 3, "d7360bf6-746a-56be-a7e3-51605ed704e5")]
    [InlineData("é文", 12, "e04eb86d-457c-5642-a279-25ae0b9f0581")]
    public void A_key_is_the_version_5_UUID_of_the_namespace_and_the_document_id_and_index(string documentId, int index, string expected)
    {
        // The expected values come from Python's uuid.uuid5(ChunkRecord.KeyNamespace, f"{documentId}\n{index}"): the keys are
        // the standard name-based UUIDs, the same in every run, on every machine and in every language.
        Guid key = ChunkRecord.CreateKey(documentId, index);

        Assert.Equal(Guid.Parse(expected), key);
        Assert.Equal(5, key.Version);
    }

    [Fact]
    public void Keys_are_stable_and_differ_for_every_document_and_index()
    {
        var keys = new HashSet<Guid>();
        foreach (string id in new[] { "a", "a1", "a\n1", "b", new string('x', 600) })
        {
            for (int index = 0; index < 12; index++)
            {
                Assert.Equal(ChunkRecord.CreateKey(id, index), ChunkRecord.CreateKey(id, index));
                Assert.True(keys.Add(ChunkRecord.CreateKey(id, index)), $"{id}#{index} collides");
            }
        }
    }

    [Fact]
    public void A_key_needs_a_document_id_and_a_non_negative_index()
    {
        Assert.Throws<ArgumentException>(() => ChunkRecord.CreateKey(" ", 0));
        Assert.Throws<ArgumentNullException>(() => ChunkRecord.CreateKey(null!, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChunkRecord.CreateKey("a", -1));
    }

    [Fact]
    public void The_definition_declares_a_Guid_key_and_an_indexed_document_id()
    {
        var definition = ChunkRecord.CreateDefinition(8);

        var key = Assert.Single(definition.Properties.OfType<Microsoft.Extensions.VectorData.VectorStoreKeyProperty>());
        Assert.Equal((nameof(ChunkRecord.Key), typeof(Guid)), (key.Name, key.Type));
        var documentId = definition.Properties.OfType<Microsoft.Extensions.VectorData.VectorStoreDataProperty>().Single(p => p.Name == nameof(ChunkRecord.DocumentId));
        Assert.True(documentId.IsIndexed);
    }

    [Fact]
    public void Metadata_round_trips_as_a_JSON_object_of_strings_in_order()
    {
        var record = new ChunkRecord { DocumentId = "d" };

        record.SetMetadata([new("tenant", "a"), new("window", "One. \"Two\" \u00e9 \n three."), new("tenant", "b")]);

        Assert.Equal("{\"tenant\":\"b\",\"window\":\"One. \\u0022Two\\u0022 \\u00E9 \\n three.\"}", record.Metadata);
        Assert.Equal(new Dictionary<string, string> { ["tenant"] = "b", ["window"] = "One. \"Two\" \u00e9 \n three." }, record.GetMetadata());
        record.SetMetadata([]);
        Assert.Null(record.Metadata);
        Assert.Empty(record.GetMetadata());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[\"a\"]")]
    [InlineData("{\"count\":3}")]
    public void Reading_metadata_that_is_not_an_object_of_strings_names_the_chunk(string json)
    {
        var record = new ChunkRecord { DocumentId = "manual", ChunkIndex = 4, Metadata = json };

        var error = Assert.Throws<FormatException>(() => record.GetMetadata());

        Assert.Contains("chunk 4 of document 'manual'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tags_are_key_equals_value_and_never_null()
    {
        var record = new ChunkRecord { Tags = null! };

        Assert.Empty(record.Tags);
        Assert.Equal("tenant=a=b", ChunkRecord.CreateTag("tenant", "a=b"));
        Assert.Equal("lang=", ChunkRecord.CreateTag("lang", string.Empty));
        Assert.Throws<ArgumentException>(() => ChunkRecord.CreateTag("a=b", "c"));
        Assert.Throws<ArgumentException>(() => ChunkRecord.CreateTag(" ", "c"));
        Assert.Throws<ArgumentNullException>(() => ChunkRecord.CreateTag("a", null!));
    }
}
