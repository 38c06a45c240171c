using SignTranslate.Text;
using TorchSharp;

namespace SignTranslate.Tests.Text;

public sealed class TokenizerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slt-tok-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static MBartSentencePieceTokenizer Phoenix(string language = "de_DE") => MBartSentencePieceTokenizer.FromModelFile(
        TestFixtures.DataFile("phoenix2014t", "mbart-trimmed", "sentencepiece.bpe.model"), language);

    [Fact]
    public void MBartLayoutMatchesReferenceSpec()
    {
        var tokenizer = Phoenix();
        Assert.Equal(2427, tokenizer.PieceCount);
        Assert.Equal(2454, tokenizer.VocabularySize);
        Assert.Equal(2430, tokenizer.LanguageId);
        Assert.Equal(2452, tokenizer.LanguageCodeId("zh_CN"));
        Assert.Equal(2428, tokenizer.LanguageCodeId("ar_AR"));
        Assert.Equal(2453, tokenizer.MaskId);
        Assert.Equal((0, 1, 2, 3), (tokenizer.BosId, tokenizer.PadId, tokenizer.EosId, tokenizer.UnkId));
        Assert.Equal(2452, Phoenix("zh_CN").Encode("regen")[^1]);
    }

    [Fact]
    public void MBartMaskTokenIsOneIdAndDecodeDropsSpecials()
    {
        var tokenizer = Phoenix();
        var plain = tokenizer.Encode("und nun die wettervorhersage");
        var masked = tokenizer.Encode("und nun <mask> <mask>");
        Assert.Equal([.. tokenizer.Encode("und nun").SkipLast(2), 2453, 2453, 2, 2430], masked);
        Assert.Equal("und nun die wettervorhersage", tokenizer.Decode(plain));
        Assert.Equal("und nun", tokenizer.Decode(masked.Append(1).Append(1)));
    }

    [Fact]
    public void MBartSaveAndLoadRoundTrip()
    {
        var tokenizer = Phoenix();
        tokenizer.Save(_folder);
        var loaded = TokenizerStore.Load(_folder);
        const string text = "am tag wechseln sonne und wolken einander ab";
        Assert.IsType<MBartSentencePieceTokenizer>(loaded);
        Assert.Equal(tokenizer.Encode(text), loaded.Encode(text));
        Assert.Equal(tokenizer.VocabularySize, loaded.VocabularySize);
    }

    private static readonly string[] GermanCorpus = ["am tag wechseln sonne und wolken einander ab", "und nun die wettervorhersage", "morgen regen"];
    private static readonly string[] ChineseCorpus = ["我的钢琴老师很好", "今天 天气 很好"];

    [Fact]
    public void WordVocabularyIsSortedAndEncodesUnknownsAsUnk()
    {
        var tokenizer = VocabularyTokenizer.TrainWords(GermanCorpus, "de_DE");
        var expectedUnits = GermanCorpus.SelectMany(t => t.Split(' ')).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedUnits, tokenizer.Units);
        Assert.Equal(expectedUnits.Count + 6, tokenizer.VocabularySize);
        var ids = tokenizer.Encode("morgen schnee <mask>");
        Assert.Equal([4 + expectedUnits.IndexOf("morgen"), 3, tokenizer.MaskId, 2, tokenizer.LanguageId], ids);
        Assert.Equal("morgen", tokenizer.Decode(ids));
        Assert.Equal("und nun die wettervorhersage", tokenizer.Decode(tokenizer.Encode("und  nun die wettervorhersage")));
        // Shuffling the corpus gives the same vocabulary.
        Assert.Equal(tokenizer.Units, VocabularyTokenizer.TrainWords(GermanCorpus.Reverse(), "de_DE").Units);
    }

    [Fact]
    public void CharacterVocabularyIgnoresSpacesAndRoundTrips()
    {
        var tokenizer = VocabularyTokenizer.TrainCharacters(ChineseCorpus, "zh_CN");
        Assert.Equal(ChineseCorpus.SelectMany(t => t.Replace(" ", "")).Distinct().Count(), tokenizer.Units.Count);
        var ids = tokenizer.Encode("今天很好");
        Assert.Equal(6, ids.Count);
        Assert.Equal("今天很好", tokenizer.Decode(ids));
        Assert.Equal(3, tokenizer.Encode("猫")[0]);
        tokenizer.Save(_folder);
        var loaded = Assert.IsType<VocabularyTokenizer>(TokenizerStore.Load(_folder));
        Assert.True(loaded.Characters);
        Assert.Equal(ids, loaded.Encode("今天很好"));
    }

    // cl100k_base only: loading o200k_base takes ~10 s on the CI machine; the code path is the same.
    [Theory]
    [InlineData("cl100k_base")]
    public void TiktokenTrimIsDeterministicAndDecodesWholeSequences(string encoding)
    {
        var corpus = GermanCorpus.Concat(ChineseCorpus).ToList();
        var tokenizer = TrimmedTiktokenTokenizer.Train(corpus, encoding, "de_DE");
        var again = TrimmedTiktokenTokenizer.Train(Enumerable.Reverse(corpus), encoding, "de_DE");
        Assert.Equal(tokenizer.BaseIds, again.BaseIds);
        Assert.True(tokenizer.BaseIds.SequenceEqual(tokenizer.BaseIds.Order()));
        foreach (var text in corpus)
        {
            var ids = tokenizer.Encode(text);
            Assert.DoesNotContain(3, ids);
            Assert.Equal(text, tokenizer.Decode(ids));
        }
        Assert.Equal(tokenizer.BaseIds.Count + 6, tokenizer.VocabularySize);
        Assert.Contains(3, tokenizer.Encode("Xylophon"));

        tokenizer.Save(_folder);
        var loaded = TokenizerStore.Load(_folder);
        Assert.Equal(tokenizer.Encode(corpus[3]), loaded.Encode(corpus[3]));
        Assert.Equal(corpus[3], loaded.Decode(loaded.Encode(corpus[3])));
    }

    [Fact]
    public void BatchEncodingPadsTruncatesAndMasks()
    {
        var tokenizer = VocabularyTokenizer.TrainWords(GermanCorpus, "de_DE");
        using var scope = torch.NewDisposeScope();
        var batch = TextBatchEncoder.Encode(tokenizer, ["morgen regen", "am tag wechseln sonne und wolken einander ab"], maxLength: 6);

        Assert.Equal([2L, 6L], batch.InputIds.shape);
        var ids = batch.InputIds.data<long>().ToArray();
        var mask = batch.AttentionMask.data<long>().ToArray();
        Assert.Equal([1L, 1, 1, 1, 0, 0], mask[..6]);
        Assert.Equal([1L, 1, 1, 1, 1, 1], mask[6..]);
        Assert.Equal([1L, 1], ids[4..6]);
        Assert.Equal(new long[] { 2, tokenizer.LanguageId }, ids[10..12]);
        Assert.Equal(tokenizer.Encode("am tag wechseln sonne").Take(4).Select(i => (long)i), ids[6..10]);
    }
}
