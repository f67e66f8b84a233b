namespace AiEng.Retrieval;

/// <summary>
/// The Porter stemming algorithm (M. F. Porter, "An algorithm for suffix stripping", Program 14(3), 1980), written from the
/// published description, for lower-case English words.
/// </summary>
/// <remarks>
/// Three details follow Porter's own reference implementation (and so Lucene's <c>PorterStemFilter</c>) where it departs
/// from the 1980 paper, so that BM25 results match Lucene-based baselines: words of one or two letters are left alone;
/// step 2 maps <c>-bli</c> to <c>-ble</c> (the paper has <c>-abli</c> to <c>-able</c>); and step 2 also maps
/// <c>-logi</c> to <c>-log</c>. In steps 2 to 4 only the longest matching suffix is considered: when its condition fails,
/// shorter suffixes are not tried, as the paper specifies.
/// </remarks>
internal static class PorterStemmer
{
    private static readonly (string Suffix, string Replacement)[][] Step2Rules =
    [
        [("ational", "ate"), ("tional", "tion")],
        [("enci", "ence"), ("anci", "ance")],
        [("izer", "ize")],
        [("bli", "ble"), ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous")],
        [("ization", "ize"), ("ation", "ate"), ("ator", "ate")],
        [("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous")],
        [("aliti", "al"), ("iviti", "ive"), ("biliti", "ble")],
        [("logi", "log")],
    ];

    private static readonly (string Suffix, string Replacement)[] Step3Rules =
        [("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", "")];

    // Longest first where one suffix ends another ("ement", "ment", "ent"), so that the longest match is the one examined.
    private static readonly string[] Step4Suffixes =
        ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate", "iti", "ous", "ive", "ize"];

    /// <summary>Stems one lower-case word.</summary>
    /// <param name="word">The word, in lower case.</param>
    /// <returns>The stem; the word itself when it has fewer than three letters.</returns>
    public static string Stem(string word)
    {
        if (word.Length <= 2)
        {
            return word;
        }

        var w = new Word(word);
        w.Step1a();
        w.Step1b();
        w.Step1c();
        w.Step2();
        w.Step3();
        w.Step4();
        w.Step5();
        return w.ToString();
    }

    /// <summary>The word being stemmed: a buffer whose first <see cref="_length"/> characters are the current form.</summary>
    private struct Word
    {
        private readonly char[] _chars;
        private int _length;

        public Word(string word)
        {
            // No step makes the word longer than it was, so the buffer never grows.
            _chars = word.ToCharArray();
            _length = word.Length;
        }

        public override readonly string ToString() => new(_chars, 0, _length);

        // Step 1a: sses -> ss, ies -> i, ss -> ss, s -> (removed).
        public void Step1a()
        {
            if (EndsWith("sses") || EndsWith("ies"))
            {
                _length -= 2;
            }
            else if (EndsWith("s") && !EndsWith("ss"))
            {
                _length--;
            }
        }

        // Step 1b: (m > 0) eed -> ee; (*v*) ed -> ; (*v*) ing -> ; then tidy the stem when ed or ing was removed.
        public void Step1b()
        {
            if (EndsWith("eed"))
            {
                if (Measure(_length - 3) > 0)
                {
                    _length--;
                }

                return;
            }

            int stem;
            if (EndsWith("ed"))
            {
                stem = _length - 2;
            }
            else if (EndsWith("ing"))
            {
                stem = _length - 3;
            }
            else
            {
                return;
            }

            if (!ContainsVowel(stem))
            {
                return;
            }

            _length = stem;
            if (EndsWith("at") || EndsWith("bl") || EndsWith("iz"))
            {
                Append('e');
            }
            else if (EndsWithDoubleConsonant(_length) && _chars[_length - 1] is not ('l' or 's' or 'z'))
            {
                _length--;
            }
            else if (Measure(_length) == 1 && EndsWithCvc(_length))
            {
                Append('e');
            }
        }

        // Step 1c: (*v*) y -> i.
        public void Step1c()
        {
            if (EndsWith("y") && ContainsVowel(_length - 1))
            {
                _chars[_length - 1] = 'i';
            }
        }

        // Step 2: (m > 0) double suffixes to single ones; the rules are grouped by the penultimate letter, as in the paper.
        public void Step2()
        {
            if (_length < 3)
            {
                return;
            }

            int group = _chars[_length - 2] switch
            {
                'a' => 0,
                'c' => 1,
                'e' => 2,
                'l' => 3,
                'o' => 4,
                's' => 5,
                't' => 6,
                'g' => 7,
                _ => -1,
            };
            if (group >= 0)
            {
                ReplaceLongest(Step2Rules[group], minimumMeasure: 1);
            }
        }

        // Step 3: (m > 0) -ic-, -full, -ness etc.
        public void Step3() => ReplaceLongest(Step3Rules, minimumMeasure: 1);

        // Step 4: (m > 1) remove the suffix; "ion" only after s or t.
        public void Step4()
        {
            string? longest = null;
            foreach (string suffix in Step4Suffixes)
            {
                if (EndsWith(suffix) && (longest is null || suffix.Length > longest.Length))
                {
                    longest = suffix;
                }
            }

            if (longest is null)
            {
                return;
            }

            int stem = _length - longest.Length;
            if (Measure(stem) <= 1)
            {
                return;
            }

            if (longest == "ion" && (stem == 0 || _chars[stem - 1] is not ('s' or 't')))
            {
                return;
            }

            _length = stem;
        }

        // Step 5a: (m > 1) e -> ; (m = 1 and not *o) e -> . Step 5b: (m > 1 and *d and *L) -> single letter.
        public void Step5()
        {
            if (_chars[_length - 1] == 'e')
            {
                int m = Measure(_length - 1);
                if (m > 1 || (m == 1 && !EndsWithCvc(_length - 1)))
                {
                    _length--;
                }
            }

            if (_chars[_length - 1] == 'l' && EndsWithDoubleConsonant(_length) && Measure(_length) > 1)
            {
                _length--;
            }
        }

        private void ReplaceLongest((string Suffix, string Replacement)[] rules, int minimumMeasure)
        {
            (string Suffix, string Replacement)? longest = null;
            foreach (var rule in rules)
            {
                if (EndsWith(rule.Suffix) && (longest is null || rule.Suffix.Length > longest.Value.Suffix.Length))
                {
                    longest = rule;
                }
            }

            if (longest is { } match && Measure(_length - match.Suffix.Length) >= minimumMeasure)
            {
                _length -= match.Suffix.Length;
                foreach (char c in match.Replacement)
                {
                    Append(c);
                }
            }
        }

        private void Append(char c) => _chars[_length++] = c;

        private readonly bool EndsWith(string suffix) =>
            suffix.Length <= _length && _chars.AsSpan(_length - suffix.Length, suffix.Length).SequenceEqual(suffix);

        /// <summary>Whether the letter at <paramref name="i"/> is a consonant: not a, e, i, o, u, and not a y after a consonant.</summary>
        private readonly bool IsConsonant(int i) => _chars[i] switch
        {
            'a' or 'e' or 'i' or 'o' or 'u' => false,
            'y' => i == 0 || !IsConsonant(i - 1),
            _ => true,
        };

        /// <summary>The measure m of the first <paramref name="length"/> letters, written [C](VC)^m[V].</summary>
        private readonly int Measure(int length)
        {
            int i = 0;
            while (i < length && IsConsonant(i))
            {
                i++;
            }

            int m = 0;
            while (i < length)
            {
                while (i < length && !IsConsonant(i))
                {
                    i++;
                }

                if (i == length)
                {
                    break;
                }

                while (i < length && IsConsonant(i))
                {
                    i++;
                }

                m++;
            }

            return m;
        }

        /// <summary>*v*: the first <paramref name="length"/> letters contain a vowel.</summary>
        private readonly bool ContainsVowel(int length)
        {
            for (int i = 0; i < length; i++)
            {
                if (!IsConsonant(i))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>*d: the first <paramref name="length"/> letters end with a double consonant.</summary>
        private readonly bool EndsWithDoubleConsonant(int length) =>
            length >= 2 && _chars[length - 1] == _chars[length - 2] && IsConsonant(length - 1);

        /// <summary>*o: the first <paramref name="length"/> letters end consonant-vowel-consonant, the last not w, x or y.</summary>
        private readonly bool EndsWithCvc(int length) =>
            length >= 3 && IsConsonant(length - 1) && !IsConsonant(length - 2) && IsConsonant(length - 3)
            && _chars[length - 1] is not ('w' or 'x' or 'y');
    }
}
