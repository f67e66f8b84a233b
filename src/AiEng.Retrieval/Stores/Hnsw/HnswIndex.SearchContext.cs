namespace AiEng.Retrieval;

internal sealed partial class HnswIndex
{
    /// <summary>
    /// The scratch state of one search: visited marks (an epoch per vector, so starting a search costs nothing), the two
    /// heaps of the beam search and the result buffer. One thread uses a context at a time; the index pools them.
    /// </summary>
    private sealed class SearchContext
    {
        private int[] _visited = [];
        private int _epoch;
        private float[] _query = [];
        private int[] _fresh = [];
        private Neighbour[] _buffer = [];

        /// <summary>Gets the candidates to expand; the priority is the negated similarity, so the most similar comes first.</summary>
        public MinHeap Candidates { get; } = new();

        /// <summary>Gets the results so far; the priority is the similarity, so the least similar comes first.</summary>
        public MinHeap Results { get; } = new();

        /// <summary>Gets a buffer for the unvisited neighbours of the vector being expanded.</summary>
        public Span<int> Fresh(int length)
        {
            if (_fresh.Length < length)
            {
                _fresh = new int[length];
            }

            return _fresh;
        }

        /// <summary>Gets a buffer for the normalised query.</summary>
        public Span<float> Query(int dimensions)
        {
            if (_query.Length != dimensions)
            {
                _query = new float[dimensions];
            }

            return _query;
        }

        /// <summary>Starts a search over up to <paramref name="capacity"/> vectors.</summary>
        public void Begin(int capacity)
        {
            if (_visited.Length < capacity)
            {
                _visited = new int[capacity];
                _epoch = 0;
            }

            if (++_epoch == int.MaxValue)
            {
                Array.Clear(_visited);
                _epoch = 1;
            }

            Candidates.Clear();
            Results.Clear();
        }

        /// <summary>Marks a vector as visited.</summary>
        /// <returns><see langword="true"/> if it had not been visited in this search.</returns>
        public bool Visit(int id)
        {
            if (_visited[id] == _epoch)
            {
                return false;
            }

            _visited[id] = _epoch;
            return true;
        }

        /// <summary>Copies <see cref="Results"/> into a buffer, most similar first (equal similarity: lower id first).</summary>
        /// <remarks>The order is total (ids are distinct), so sorting the heap's storage gives what dequeuing it would.</remarks>
        public ReadOnlySpan<Neighbour> Drain()
        {
            var nodes = Results.Nodes;
            if (_buffer.Length < nodes.Length)
            {
                _buffer = new Neighbour[Math.Max(nodes.Length, 2 * _buffer.Length)];
            }

            var found = _buffer.AsSpan(0, nodes.Length);
            for (int i = 0; i < nodes.Length; i++)
            {
                found[i] = new Neighbour(nodes[i].Id, nodes[i].Priority);
            }

            Results.Clear();
            found.Sort();
            return found;
        }
    }
}
