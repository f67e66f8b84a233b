using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace AiEng.Shared;

/// <summary>Argument checks shared by every AiEng package (compiled into each as an internal type).</summary>
internal static class Throw
{
    /// <summary>Throws <see cref="ArgumentNullException"/> when <paramref name="argument"/> is null.</summary>
    public static T IfNull<T>([NotNull] T? argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
    {
        if (argument is null)
        {
            throw new ArgumentNullException(paramName);
        }

        return argument;
    }

    /// <summary>Throws when <paramref name="argument"/> is null, empty or whitespace.</summary>
    public static string IfNullOrWhitespace([NotNull] string? argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
    {
        if (argument is null)
        {
            throw new ArgumentNullException(paramName);
        }

        if (string.IsNullOrWhiteSpace(argument))
        {
            throw new ArgumentException("The value cannot be empty or whitespace.", paramName);
        }

        return argument;
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when <paramref name="argument"/> is below <paramref name="min"/>.</summary>
    public static int IfLessThan(int argument, int min, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
    {
        if (argument < min)
        {
            throw new ArgumentOutOfRangeException(paramName, argument, $"The value must be at least {min}.");
        }

        return argument;
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when <paramref name="argument"/> is negative.</summary>
    public static double IfNegative(double argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
    {
        if (argument < 0 || double.IsNaN(argument))
        {
            throw new ArgumentOutOfRangeException(paramName, argument, "The value must be zero or positive.");
        }

        return argument;
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when <paramref name="argument"/> is zero or negative.</summary>
    public static TimeSpan IfNotPositive(TimeSpan argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
    {
        if (argument <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(paramName, argument, "The duration must be positive.");
        }

        return argument;
    }
}
