using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using AiEng.Offline;

namespace AiEng.Inference;

/// <summary>
/// The default <see cref="ISemanticCacheGuard"/>: a cached question may answer a new one only when both mention the same
/// numbers, the same names, the same units and comparison words, and are both negated or both not. These are the words
/// that an embedding weighs lightly but that change the answer ("capital of France" and "capital of Spain", "boil at 100
/// degrees" and "boil at 90 degrees", "can dogs eat grapes" and "can't dogs eat grapes").
/// </summary>
/// <remarks>
/// <para>
/// The check is lexical and general: no list of questions, only word classes. Numbers are digit runs (<c>1,000</c> and
/// <c>1000</c> are one number) and English number words (<c>three</c>, <c>third</c>, <c>dozen</c>). Names are the words
/// written with a capital letter other than the first word (a name written in lower case in the other question still
/// matches). Negations are <c>not</c>, <c>no</c>, <c>never</c>, <c>without</c> and the <c>n't</c> forms. Units
/// (<c>km</c>, <c>miles</c>, <c>celsius</c>) and comparison words (<c>more</c>, <c>less</c>, <c>before</c>, <c>after</c>,
/// <c>largest</c>, <c>smallest</c>) are compared by meaning class, so <c>metres</c> and <c>meters</c> agree, and
/// <c>biggest</c> and <c>largest</c> agree.
/// </para>
/// <para>The guard knows English only; for other languages turn the word classes off or supply your own guard.</para>
/// </remarks>
public sealed class KeyTermSemanticCacheGuard : ISemanticCacheGuard
{
    private static readonly FrozenSet<string> Negations = FrozenSet.ToFrozenSet(
        ["not", "no", "never", "without", "none", "nothing", "nobody", "neither", "nor", "cannot", "n't"], StringComparer.Ordinal);

    // Words that carry the form of a question, not its subject: question words, auxiliaries and modals, pronouns,
    // determiners, common prepositions and conjunctions, and the verbs of asking. Negations and comparison words are not here.
    private static readonly FrozenSet<string> FormWords = FrozenSet.ToFrozenSet(
        ("a an the what which who whom whose when where why how is are was were be been being am do does did done "
        + "can could would should shall will may might must have has had i me my mine you your yours we us our it its "
        + "they them their this that these those there here of in on at to for from with by about as into onto "
        + "and or but if so than then also just please tell explain know need want way kind sort type "
        + "some any many much one ones get gets got make makes made s").Split(' '), StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> NumberWords = BuildClasses(
        ("0", "zero none"), ("1", "one first single once"), ("2", "two second twice double pair"), ("3", "three third thrice triple"),
        ("4", "four fourth quarter"), ("5", "five fifth"), ("6", "six sixth"), ("7", "seven seventh"), ("8", "eight eighth"),
        ("9", "nine ninth"), ("10", "ten tenth"), ("11", "eleven eleventh"), ("12", "twelve twelfth dozen"), ("13", "thirteen"),
        ("14", "fourteen"), ("15", "fifteen"), ("16", "sixteen"), ("17", "seventeen"), ("18", "eighteen"), ("19", "nineteen"),
        ("20", "twenty"), ("30", "thirty"), ("40", "forty"), ("50", "fifty"), ("60", "sixty"), ("70", "seventy"),
        ("80", "eighty"), ("90", "ninety"), ("100", "hundred"), ("1000", "thousand"), ("1000000", "million"),
        ("1000000000", "billion"), ("0.5", "half"));

    private static readonly FrozenDictionary<string, string> UnitClasses = BuildClasses(
        ("length:m", "m meter meters metre metres"), ("length:km", "km kilometer kilometers kilometre kilometres"),
        ("length:cm", "cm centimeter centimeters centimetre centimetres"), ("length:mm", "mm millimeter millimeters millimetre millimetres"),
        ("length:mi", "mi mile miles"), ("length:ft", "ft foot feet"), ("length:in", "inch inches"), ("length:yd", "yd yard yards"),
        ("mass:kg", "kg kilo kilos kilogram kilograms"), ("mass:g", "g gram grams"), ("mass:mg", "mg milligram milligrams"),
        ("mass:lb", "lb lbs pound pounds"), ("mass:oz", "oz ounce ounces"), ("mass:t", "ton tons tonne tonnes"),
        ("volume:l", "l liter liters litre litres"), ("volume:ml", "ml milliliter milliliters millilitre millilitres"),
        ("volume:gal", "gallon gallons"), ("volume:cup", "cup cups"), ("volume:tbsp", "tablespoon tablespoons tbsp"),
        ("volume:tsp", "teaspoon teaspoons tsp"), ("volume:pt", "pint pints"),
        ("temperature:c", "c celsius centigrade"), ("temperature:f", "f fahrenheit"), ("temperature:k", "kelvin"),
        ("time:s", "seconds sec secs"), ("time:min", "minute minutes min mins"), ("time:h", "hour hours hr hrs"),
        ("time:d", "day days daily"), ("time:wk", "week weeks weekly"), ("time:mo", "month months monthly"),
        ("time:y", "year years yearly annual annually"), ("speed:mph", "mph"), ("speed:kmh", "kph kmh"),
        ("data:kb", "kb kilobyte kilobytes"), ("data:mb", "mb megabyte megabytes"), ("data:gb", "gb gigabyte gigabytes"),
        ("data:tb", "tb terabyte terabytes"), ("data:bit", "bit bits"), ("data:byte", "byte bytes"),
        ("energy:cal", "calorie calories kcal"), ("energy:j", "joule joules"), ("power:w", "watt watts"),
        ("money:usd", "dollar dollars usd"), ("money:eur", "euro euros eur"), ("money:gbp", "gbp sterling"),
        ("money:jpy", "yen jpy"), ("percent", "percent percentage"));

    private static readonly FrozenDictionary<string, string> ComparisonClasses = BuildClasses(
        ("more", "more most greater greatest higher highest larger largest bigger biggest maximum over above exceed exceeds"),
        ("less", "less least fewer fewest lower lowest smaller smallest minimum under below"),
        ("longer", "longer longest"), ("shorter", "shorter shortest"), ("taller", "taller tallest"),
        ("faster", "faster fastest quicker quickest"), ("slower", "slower slowest"), ("older", "older oldest"),
        ("newer", "newer newest younger youngest latest"), ("heavier", "heavier heaviest"), ("lighter", "lighter lightest"),
        ("hotter", "hotter hottest warmer warmest"), ("colder", "colder coldest cooler coolest"),
        ("cheaper", "cheaper cheapest"), ("expensive", "pricier priciest costlier"), ("before", "before earlier earliest prior"),
        ("after", "after later"), ("better", "better best"), ("worse", "worse worst"),
        ("increase", "increase increases increasing raise raises"), ("decrease", "decrease decreases decreasing reduce reduces"),
        ("plus", "plus"), ("minus", "minus"));

    /// <summary>Gets or sets a value indicating whether both questions must contain the same numbers (digits and number words). Default <see langword="true"/>.</summary>
    public bool CompareNumbers { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether both questions must be negated or both not. Default <see langword="true"/>.</summary>
    public bool CompareNegations { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether a capitalised word (a name) of either question must occur in the other. Default <see langword="true"/>.</summary>
    public bool CompareNames { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether both questions must name the same units (by meaning class). Default <see langword="true"/>.</summary>
    public bool CompareUnits { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether both questions must use the same comparison words by meaning class
    /// (<c>largest</c> and <c>smallest</c> differ, <c>largest</c> and <c>biggest</c> agree; also <c>before</c>/<c>after</c>).
    /// Default <see langword="true"/>.
    /// </summary>
    public bool CompareComparisons { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether two questions that are the same words but for a swapped subject word are kept
    /// apart. Subject words are those that are not question words, pronouns, articles, auxiliaries or common prepositions,
    /// with plurals and -ing/-ed endings folded and number words, units and comparison words taken as their class. When each
    /// question has subject words of its own and they share at least as many as either has of its own, they differ by a swap,
    /// the shape of a near-miss ("boil an egg for a soft yolk" and "... a hard yolk", "sort a dictionary by key" and "... by
    /// value"); a reworded question shares fewer words and passes. Default <see langword="true"/>; it also stops short
    /// paraphrases that swap one word for a synonym ("How tall is Mount Everest?" and "What is the height of Mount Everest?").
    /// </summary>
    public bool CompareSubjectWords { get; set; } = true;

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="question"/> or <paramref name="cachedQuestion"/> is <see langword="null"/>.</exception>
    public bool CanServe(string question, string cachedQuestion)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(cachedQuestion);
        KeyTerms a = Extract(question);
        KeyTerms b = Extract(cachedQuestion);
        return (!CompareNumbers || a.Numbers.SetEquals(b.Numbers))
            && (!CompareNegations || a.Negated == b.Negated)
            && (!CompareNames || (Contains(b.Words, a.Names) && Contains(a.Words, b.Names)))
            && (!CompareUnits || a.Units.SetEquals(b.Units))
            && (!CompareComparisons || a.Comparisons.SetEquals(b.Comparisons))
            && (!CompareSubjectWords || !IsSwap(a.Subjects, b.Subjects));
    }

    /// <summary>
    /// Gets a value indicating whether two questions are the same words but for a swap: each has subject words the other
    /// lacks, and they share at least as many as either has of its own.
    /// </summary>
    private static bool IsSwap(HashSet<string> a, HashSet<string> b)
    {
        int shared = 0;
        foreach (string word in a)
        {
            shared += b.Contains(word) ? 1 : 0;
        }

        int ownA = a.Count - shared;
        int ownB = b.Count - shared;
        return ownA > 0 && ownB > 0 && shared >= Math.Max(ownA, ownB);
    }

    private static bool Contains(HashSet<string> words, HashSet<string> names)
    {
        foreach (string name in names)
        {
            if (!words.Contains(name))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Splits a question into words and collects its key terms.</summary>
    private static KeyTerms Extract(string text)
    {
        var terms = new KeyTerms();
        bool first = true;
        var word = new StringBuilder();
        for (int i = 0; i <= text.Length; i++)
        {
            char c = i < text.Length ? text[i] : ' ';
            bool inNumber = word.Length > 0 && char.IsAsciiDigit(word[0]);
            if (char.IsLetterOrDigit(c)
                || (c is '\'' or '’' && word.Length > 0 && i + 1 < text.Length && char.IsLetter(text[i + 1]))
                || (c is '.' or ',' && inNumber && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                word.Append(c == '’' ? '\'' : c);
                continue;
            }

            if (word.Length > 0)
            {
                terms.Add(word.ToString(), first);
                first = false;
                word.Clear();
            }

            if (c is '.' or '?' or '!' or ':' or ';')
            {
                // A new sentence starts with a capital letter that does not make a name.
                first = true;
            }
        }

        return terms;
    }

    private static FrozenDictionary<string, string> BuildClasses(params (string Class, string Words)[] classes)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string name, string words) in classes)
        {
            foreach (string w in words.Split(' '))
            {
                map[w] = name;
            }
        }

        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed class KeyTerms
    {
        public HashSet<string> Words { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Numbers { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Units { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Comparisons { get; } = new(StringComparer.Ordinal);

        /// <summary>Gets the content words, stemmed, with number words, units and comparison words as their class.</summary>
        public HashSet<string> Subjects { get; } = new(StringComparer.Ordinal);

        public bool Negated { get; private set; }

        public void Add(string word, bool startsSentence)
        {
            string lower = word.ToLowerInvariant();
            if (char.IsAsciiDigit(word[0]))
            {
                AddNumber(lower);
                return;
            }

            if (lower.EndsWith("n't", StringComparison.Ordinal))
            {
                Negated = true;
                lower = lower[..^3];
            }
            else if (lower.Contains('\'', StringComparison.Ordinal))
            {
                // Possessives and contractions: "France's" is "France", "what's" is "what".
                lower = lower[..lower.IndexOf('\'', StringComparison.Ordinal)];
            }

            if (lower.Length == 0)
            {
                return;
            }

            Words.Add(lower);
            Words.Add(Singular(lower));
            if (Negations.Contains(lower))
            {
                Negated = true;
                return;
            }

            if (NumberWords.TryGetValue(lower, out string? number))
            {
                Numbers.Add(number);
                Subjects.Add("#" + number);
            }
            else if (UnitClasses.TryGetValue(lower, out string? unit) && (lower.Length > 1 || !startsSentence))
            {
                Units.Add(unit);
                Subjects.Add(unit);
            }
            else if (ComparisonClasses.TryGetValue(lower, out string? comparison))
            {
                Comparisons.Add(comparison);
                Subjects.Add(comparison);
            }
            else if (!FormWords.Contains(lower))
            {
                // The extractive responder's light stemmer: plurals, -ing, -ed, -ly.
                Subjects.Add(TermNormalizer.Stem(lower));
            }

            if (!startsSentence && char.IsUpper(word[0]) && lower != "i")
            {
                Names.Add(Singular(lower));
            }
        }

        private void AddNumber(string digits)
        {
            // "1,000" and "1000" are one number; "3.50" and "3.5" too. Letters glued to the digits ("5km", "3rd") are a unit or an ordinal.
            int end = 0;
            while (end < digits.Length && (char.IsAsciiDigit(digits[end]) || digits[end] is '.' or ','))
            {
                end++;
            }

            string value = digits[..end].Replace(",", string.Empty, StringComparison.Ordinal);
            if (decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal parsed))
            {
                value = parsed.ToString("G29", CultureInfo.InvariantCulture);
            }

            Numbers.Add(value);
            Subjects.Add("#" + value);
            string suffix = digits[end..];
            if (suffix.Length > 0 && UnitClasses.TryGetValue(suffix, out string? unit))
            {
                Units.Add(unit);
            }
        }

        private static string Singular(string word) =>
            word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) ? word[..^1] : word;
    }
}
