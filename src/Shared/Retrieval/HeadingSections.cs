namespace AiEng.Retrieval;

/// <summary>
/// Builds a document's <see cref="DocumentSection"/>s from its headings, for loaders that write the text in one pass (HTML,
/// Word): each heading closes the section before it and starts one whose heading path lists the headings it is under.
/// </summary>
internal sealed class HeadingSections
{
    private readonly List<(int Level, string Text)> _path = [];
    private IReadOnlyList<string> _sectionPath = [];
    private int _sectionStart;

    /// <summary>Gets the sections closed so far (all of them after <see cref="Finish"/>).</summary>
    public List<DocumentSection> Sections { get; } = [];

    /// <summary>Starts the section of a heading of <paramref name="level"/> (1 is the highest) whose text starts at <paramref name="start"/>.</summary>
    public void StartHeading(int level, string heading, int start)
    {
        if (start > _sectionStart)
        {
            Sections.Add(new DocumentSection(_sectionStart, start) { HeadingPath = _sectionPath });
        }

        _path.RemoveAll(h => h.Level >= level);
        _path.Add((level, heading));
        _sectionStart = start;
        _sectionPath = _path.ConvertAll(h => h.Text);
    }

    /// <summary>Closes the last section at <paramref name="length"/>, the length of the text (a document without headings gets one section).</summary>
    public void Finish(int length)
    {
        if (length > _sectionStart || Sections.Count == 0)
        {
            Sections.Add(new DocumentSection(_sectionStart, length) { HeadingPath = _sectionPath });
        }
    }
}
