namespace AiEng.Retrieval;

/// <summary>A range of characters <c>[Start, End)</c> of a text.</summary>
internal readonly record struct TextRange(int Start, int End)
{
    public int Length => End - Start;
}
