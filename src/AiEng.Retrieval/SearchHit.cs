using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>A document found by a search, with the score the search gave it (higher is better).</summary>
/// <remarks>Two hits are equal when their ids (ordinal) and scores are equal.</remarks>
public readonly struct SearchHit : IEquatable<SearchHit>
{
    /// <summary>Initializes a new instance of the <see cref="SearchHit"/> struct.</summary>
    /// <param name="id">The document id.</param>
    /// <param name="score">The score; only its order relative to other hits of the same search is meaningful.</param>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    public SearchHit(string id, double score)
    {
        Id = Throw.IfNull(id);
        Score = score;
    }

    /// <summary>Gets the document id.</summary>
    /// <value>The id; <see langword="null"/> only for a <see langword="default"/> instance.</value>
    public string Id { get; }

    /// <summary>Gets the score; only its order relative to other hits of the same search is meaningful.</summary>
    public double Score { get; }

    /// <summary>Determines whether two hits are equal.</summary>
    /// <param name="left">The first hit.</param>
    /// <param name="right">The second hit.</param>
    /// <returns><see langword="true"/> when their ids and scores are equal.</returns>
    public static bool operator ==(SearchHit left, SearchHit right) => left.Equals(right);

    /// <summary>Determines whether two hits differ.</summary>
    /// <param name="left">The first hit.</param>
    /// <param name="right">The second hit.</param>
    /// <returns><see langword="true"/> when their ids or scores differ.</returns>
    public static bool operator !=(SearchHit left, SearchHit right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(SearchHit other) => string.Equals(Id, other.Id, StringComparison.Ordinal) && Score.Equals(other.Score);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SearchHit other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id is null ? 0 : StringComparer.Ordinal.GetHashCode(Id), Score);

    /// <summary>Returns the id and score, for example <c>doc-1 (0.82)</c>.</summary>
    /// <returns>The hit as text.</returns>
    public override string ToString() => $"{Id} ({Score.ToString(System.Globalization.CultureInfo.InvariantCulture)})";
}
