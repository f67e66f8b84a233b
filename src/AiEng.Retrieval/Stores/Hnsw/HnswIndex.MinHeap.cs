namespace AiEng.Retrieval;

internal sealed partial class HnswIndex
{
    /// <summary>
    /// A min-heap of ids by a float priority for the beam search. It is the algorithm of
    /// <see cref="PriorityQueue{TElement, TPriority}"/> (a 4-ary heap with the same sift-up and sift-down steps, so equal
    /// priorities come out in the same order and the graph does not change), without the comparer dispatch and version
    /// checks, and with the heap's storage readable directly so the results can be sorted without dequeuing them.
    /// </summary>
    internal sealed class MinHeap
    {
        private (int Id, float Priority)[] _nodes = new (int, float)[64];
        private int _count;

        /// <summary>Gets the number of ids in the heap.</summary>
        public int Count => _count;

        /// <summary>Gets the smallest priority; only valid when <see cref="Count"/> is positive.</summary>
        public float MinPriority => _nodes[0].Priority;

        /// <summary>Gets the id with the smallest priority; only valid when <see cref="Count"/> is positive.</summary>
        public int MinId => _nodes[0].Id;

        /// <summary>Gets the ids and priorities in heap order (not sorted).</summary>
        public ReadOnlySpan<(int Id, float Priority)> Nodes => _nodes.AsSpan(0, _count);

        /// <summary>Removes every id.</summary>
        public void Clear() => _count = 0;

        /// <summary>Adds an id.</summary>
        public void Push(int id, float priority)
        {
            if (_count == _nodes.Length)
            {
                Array.Resize(ref _nodes, 2 * _nodes.Length);
            }

            var nodes = _nodes;
            int index = _count++;
            while (index > 0)
            {
                int parent = (index - 1) >> 2;
                if (priority < nodes[parent].Priority)
                {
                    nodes[index] = nodes[parent];
                    index = parent;
                }
                else
                {
                    break;
                }
            }

            nodes[index] = (id, priority);
        }

        /// <summary>Removes the id with the smallest priority.</summary>
        /// <returns><see langword="false"/> if the heap was empty.</returns>
        public bool TryPop(out int id, out float priority)
        {
            if (_count == 0)
            {
                id = 0;
                priority = 0;
                return false;
            }

            (id, priority) = _nodes[0];
            Pop();
            return true;
        }

        /// <summary>Removes the id with the smallest priority; the heap must not be empty.</summary>
        public void Pop()
        {
            int last = --_count;
            if (last == 0)
            {
                return;
            }

            var nodes = _nodes;
            var node = nodes[last];
            int index = 0;
            int child;
            while ((child = (index << 2) + 1) < last)
            {
                int min = child;
                float minPriority = nodes[child].Priority;
                int end = Math.Min(child + 4, last);
                while (++child < end)
                {
                    if (nodes[child].Priority < minPriority)
                    {
                        min = child;
                        minPriority = nodes[child].Priority;
                    }
                }

                if (node.Priority <= minPriority)
                {
                    break;
                }

                nodes[index] = nodes[min];
                index = min;
            }

            nodes[index] = node;
        }
    }
}
