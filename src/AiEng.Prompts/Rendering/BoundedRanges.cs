using System.Globalization;
using Fluid;
using Fluid.Ast;
using Fluid.Values;

namespace AiEng.Prompts;

/// <summary>
/// Replaces each range <c>(a..b)</c> of a compiled template with one that refuses, with a <see cref="FluidException"/>, a
/// bound that is not a 32-bit whole number or a range of more items than the template may take steps
/// (<see cref="PromptTemplateOptions.MaxSteps"/>). Fluid builds a range's array whole before a loop takes its first step, so
/// <c>(1..200000000)</c> would allocate gigabytes and a bound past <see cref="int.MaxValue"/> would throw an
/// <see cref="OverflowException"/> from inside the engine (both found by fuzzing the prompt parser).
/// </summary>
internal sealed class BoundedRanges : AstRewriter
{
    public static readonly BoundedRanges Instance = new();

    /// <summary>Returns <paramref name="template"/> with its ranges bounded (the same instance when it has none).</summary>
    public static IFluidTemplate Apply(IFluidTemplate template) => Instance.VisitTemplate(template);

    /// <inheritdoc />
    protected override Expression VisitRangeExpression(RangeExpression rangeExpression)
    {
        var visited = (RangeExpression)base.VisitRangeExpression(rangeExpression);
        return new BoundedRangeExpression(visited.From, visited.To);
    }

    /// <summary>A range <c>(from..to)</c> that checks its bounds and size before building its array.</summary>
    private sealed class BoundedRangeExpression(Expression from, Expression to) : Expression
    {
        public override async ValueTask<FluidValue> EvaluateAsync(TemplateContext context)
        {
            decimal start = (await from.EvaluateAsync(context).ConfigureAwait(false)).ToNumberValue();
            decimal end = (await to.EvaluateAsync(context).ConfigureAwait(false)).ToNumberValue();
            int first = WholeNumber(start), last = WholeNumber(end);
            long count = last < first ? 0 : (long)last - first + 1;
            int limit = context.Options.MaxSteps > 0 ? context.Options.MaxSteps : PromptTemplateOptions.DefaultMaxSteps;
            if (count > limit)
            {
                throw new FluidException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The range ({first}..{last}) has {count} items, more than the {limit} steps a render may take."));
            }

            var items = new FluidValue[count];
            for (int i = 0; i < items.Length; i++)
            {
                items[i] = NumberValue.Create(first + i);
            }

            return new ArrayValue(items);
        }

        // Rounded as Fluid's own range rounds its bounds (to the nearest, halves to even).
        private static int WholeNumber(decimal bound) =>
            Math.Round(bound, MidpointRounding.ToEven) is decimal rounded && rounded >= int.MinValue && rounded <= int.MaxValue
                ? (int)rounded
                : throw new FluidException(string.Create(CultureInfo.InvariantCulture, $"A range bound of {bound} is not a 32-bit whole number."));
    }
}
