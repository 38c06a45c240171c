using SignTranslate.Data.Synthetic;

namespace SignTranslate.Tests.Data.Synthetic;

public class SyntheticLanguageTests
{
    private static readonly SyntheticOptions Defaults = new();
    private static readonly SentencePool Pool = SentencePool.FromGrammar(Defaults);

    [Fact]
    public void PoolHoldsTheRequestedNumberOfDistinctSentencesAndKeepsAFractionOutOfTraining()
    {
        Assert.Equal(400, Pool.Sentences.Count);
        Assert.Equal(400, Pool.Sentences.Select(s => s.Gloss).Distinct().Count());
        Assert.Equal(340, Pool.SeenCount);
    }

    [Fact]
    public void EveryGlossOfTheVocabularyOccursInTrainingSentences()
    {
        var trained = Pool.Sentences.Take(Pool.SeenCount).SelectMany(s => s.Glosses).ToHashSet();
        Assert.Equal(SyntheticGrammar.Glosses.Order(), trained.Order());
        Assert.InRange(SyntheticGrammar.Glosses.Count, 30, 60);
    }

    [Fact]
    public void SentencesHaveThreeToSixGlossesAndLongerTextWithFunctionWords()
    {
        Assert.All(Pool.Sentences, s =>
        {
            Assert.InRange(s.Glosses.Count, 3, 6);
            var words = s.Text.Split(' ');
            Assert.True(words.Length > s.Glosses.Count, $"'{s.Text}' is not longer than '{s.Gloss}'");
            Assert.True(words.Contains("the") || words.Contains("will"), $"'{s.Text}' has no function word");
            Assert.Equal(s.Text.ToLowerInvariant(), s.Text);
            Assert.NotEqual(s.Gloss.ToLowerInvariant(), s.Text);
        });
    }

    [Fact]
    public void WordOrderDiffersFromGlossOrder()
    {
        // Forecasts sign the place second but say it last; weather changes sign the time first but say it last.
        var forecasts = Pool.Sentences.Where(s => s.Text.Contains(" there will be ") && !s.Text.Contains(" but ")).ToList();
        Assert.NotEmpty(forecasts);
        Assert.All(forecasts, s => Assert.True(RegionPhrase(s.Glosses[1]) is { } region && s.Text.EndsWith(region), $"{s.Gloss} -> {s.Text}"));
        var changes = Pool.Sentences.Where(s => s.Glosses.Contains("WETTER")).ToList();
        Assert.NotEmpty(changes);
        Assert.All(changes, s => Assert.StartsWith("the weather ", s.Text));
    }

    [Fact]
    public void IntensityWordDependsOnTheWeatherAndNegationMovesIntoThePhrase()
    {
        foreach (var s in Pool.Sentences)
        {
            var g = s.Gloss;
            if (g.Contains("REGEN STARK")) Assert.Contains("heavy rain", s.Text);
            if (g.Contains("WIND STARK")) Assert.Contains("strong wind", s.Text);
            if (g.Contains("NEBEL STARK")) Assert.Contains("dense fog", s.Text);
            if (g.EndsWith(" NICHT")) Assert.Contains("there will be no ", s.Text);
            if (g.Contains("MINUS")) Assert.Contains("minus ", s.Text);
        }
        Assert.Contains(Pool.Sentences, s => s.Gloss.EndsWith(" NICHT"));
        Assert.Contains(Pool.Sentences, s => s.Gloss.Contains(" STARK"));
    }

    [Fact]
    public void TrainingUsesOnlySeenSentencesWhileTestAlsoHasUnseenOnes()
    {
        var dataset = SyntheticDataset.Create(new SyntheticOptions { TrainSamples = 300, DevSamples = 100, TestSamples = 100 });
        var seen = Pool.Sentences.Take(Pool.SeenCount).Select(s => s.Gloss).ToHashSet();
        Assert.All(dataset.Samples("train"), s => Assert.Contains(s.Gloss!, seen));
        var unseenInTest = dataset.Samples("test").Count(s => !seen.Contains(s.Gloss!));
        Assert.InRange(unseenInTest, 3, 40);
    }

    [Fact]
    public void LexiconGivesEverySignADistinctAppearance()
    {
        var lexicon = SignLexicon.Build(SyntheticGrammar.Glosses, Defaults);
        var signs = SyntheticGrammar.Glosses.Select(g => lexicon[g]).ToList();
        for (var i = 0; i < signs.Count; i++)
            for (var j = i + 1; j < signs.Count; j++)
                Assert.True(signs[i].Distance(signs[j]) >= 3, $"{SyntheticGrammar.Glosses[i]} and {SyntheticGrammar.Glosses[j]} look alike");
        Assert.All(signs, s => Assert.InRange(s.NaturalFrames, Defaults.MinSignFrames, Defaults.MaxSignFrames));
    }

    private static string? RegionPhrase(string gloss) => gloss switch
    {
        "NORD" => "in the north", "SUED" => "in the south", "OST" => "in the east", "WEST" => "in the west",
        "BERG" => "in the mountains", "KUESTE" => "on the coast", "UEBERALL" => "everywhere", _ => null,
    };
}
