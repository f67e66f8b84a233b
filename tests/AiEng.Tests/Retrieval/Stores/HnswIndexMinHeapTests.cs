using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval.Stores;

public class HnswIndexMinHeapTests
{
    [Fact]
    public void Pops_in_the_same_order_as_PriorityQueue_even_with_many_equal_priorities()
    {
        var random = new Random(11);
        var heap = new HnswIndex.MinHeap();
        var queue = new PriorityQueue<int, float>();
        for (int step = 0; step < 20_000; step++)
        {
            if (queue.Count == 0 || random.Next(3) != 0)
            {
                int id = random.Next(1_000_000);
                float priority = random.Next(8) * 0.25f;
                heap.Push(id, priority);
                queue.Enqueue(id, priority);
            }
            else
            {
                Assert.True(heap.TryPop(out int id, out float priority));
                Assert.True(queue.TryDequeue(out int expectedId, out float expectedPriority));
                Assert.Equal((expectedId, expectedPriority), (id, priority));
            }

            Assert.Equal(queue.Count, heap.Count);
            if (queue.TryPeek(out int minId, out float minPriority))
            {
                Assert.Equal((minId, minPriority), (heap.MinId, heap.MinPriority));
            }
        }

        Assert.Equal(queue.UnorderedItems.Select(item => (item.Element, item.Priority)), heap.Nodes.ToArray().Select(node => (node.Id, node.Priority)));
    }

    [Fact]
    public void TryPop_on_an_empty_heap_returns_false()
    {
        var heap = new HnswIndex.MinHeap();
        heap.Push(4, 1f);
        heap.Clear();

        Assert.False(heap.TryPop(out _, out _));
        Assert.Equal(0, heap.Count);
    }
}
