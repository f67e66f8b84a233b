using System.Numerics.Tensors;

namespace AiEng.Testing.Tests;

public sealed class TestVectorsTests
{
    [Fact]
    public void Gives_the_same_unit_vector_for_the_same_words_regardless_of_case_and_punctuation()
    {
        var a = TestVectors.HashedBagOfWords("The cat, the HAT!", 32);
        var b = TestVectors.HashedBagOfWords("the cat the hat", 32);

        Assert.Equal(a, b);
        Assert.Equal(1f, TensorPrimitives.Norm(a), 4);
    }

    [Fact]
    public void Makes_texts_that_share_words_closer_than_texts_that_do_not()
    {
        var query = TestVectors.HashedBagOfWords("retrieval augmented generation");
        var related = TestVectors.HashedBagOfWords("generation augmented by retrieval of documents");
        var unrelated = TestVectors.HashedBagOfWords("banana bread recipe");

        Assert.True(TensorPrimitives.CosineSimilarity(query, related) > TensorPrimitives.CosineSimilarity(query, unrelated));
    }

    [Fact]
    public void Returns_a_zero_vector_for_text_without_words()
    {
        Assert.All(TestVectors.HashedBagOfWords(" ?! ", 4), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Rejects_fewer_than_one_dimension()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TestVectors.HashedBagOfWords("x", 0));
    }
}
