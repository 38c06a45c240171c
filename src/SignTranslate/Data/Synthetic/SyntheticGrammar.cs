using SignTranslate.Randomness;

namespace SignTranslate.Data.Synthetic;

/// <summary>
/// The built-in language: weather-forecast sentences in the style of Phoenix-2014T, with German-style glosses and
/// English text. Translation is more than transcription: glosses are topic-first (time, place, then the event) while
/// the text puts the place last or the time last, function words exist only in the text, one gloss often becomes
/// several words, the word for an intensity depends on the weather it modifies (REGEN STARK → "heavy rain",
/// WIND STARK → "strong wind"), and a sentence-final NICHT becomes "no" inside the phrase.
/// </summary>
public static class SyntheticGrammar
{
    private sealed record Word(string Gloss, string Text);

    private sealed record Weather(string Gloss, string Noun, string StrongAdjective);

    private static readonly Word[] Times =
    [
        new("HEUTE", "today"), new("MORGEN", "tomorrow"), new("ABEND", "this evening"), new("NACHT", "tonight"),
        new("WOCHENENDE", "at the weekend"), new("MONTAG", "on monday"), new("DIENSTAG", "on tuesday"), new("FREITAG", "on friday"),
    ];

    private static readonly Word[] Regions =
    [
        new("NORD", "in the north"), new("SUED", "in the south"), new("OST", "in the east"), new("WEST", "in the west"),
        new("BERG", "in the mountains"), new("KUESTE", "on the coast"), new("UEBERALL", "everywhere"),
    ];

    private static readonly Weather[] Weathers =
    [
        new("REGEN", "rain", "heavy"), new("SCHNEE", "snow", "heavy"), new("GEWITTER", "thunderstorms", "severe"),
        new("NEBEL", "fog", "dense"), new("WIND", "wind", "strong"), new("SONNE", "sunshine", "bright"),
        new("WOLKE", "clouds", "thick"), new("SCHAUER", "showers", "scattered"),
    ];

    private static readonly Word[] Numbers =
    [
        new("NULL", "zero"), new("FUENF", "five"), new("ZEHN", "ten"), new("FUENFZEHN", "fifteen"),
        new("ZWANZIG", "twenty"), new("DREISSIG", "thirty"),
    ];

    private static readonly Word[] WeatherChanges =
    [
        new("BESSER", "improve"), new("SCHLECHTER", "get worse"), new("WECHSELHAFT", "be changeable"),
        new("FREUNDLICH", "be friendly"), new("KALT", "turn cold"), new("WARM", "turn warm"),
    ];

    private const string Strong = "STARK", Little = "WENIG", Not = "NICHT", Temperature = "TEMPERATUR",
        Minus = "MINUS", Degree = "GRAD", TheWeather = "WETTER";

    /// <summary>Every gloss the grammar can produce, in a fixed order.</summary>
    public static IReadOnlyList<string> Glosses { get; } =
    [
        .. Times.Select(w => w.Gloss), .. Regions.Select(w => w.Gloss), .. Weathers.Select(w => w.Gloss),
        Strong, Little, Not, Temperature, Minus, .. Numbers.Select(w => w.Gloss), Degree, TheWeather,
        .. WeatherChanges.Select(w => w.Gloss),
    ];

    /// <summary>Draws one sentence (3 to 6 glosses).</summary>
    public static SyntheticSentence Sample(SplitMix64 random)
    {
        var kind = random.NextDouble();
        return kind switch
        {
            < 0.40 => Forecast(random),
            < 0.60 => TemperatureReport(random),
            < 0.80 => WeatherChange(random),
            _ => Contrast(random),
        };
    }

    // MORGEN NORD REGEN STARK NICHT → "tomorrow there will be no heavy rain in the north"
    private static SyntheticSentence Forecast(SplitMix64 random)
    {
        var time = random.Pick(Times);
        var region = random.Pick(Regions);
        var weather = random.Pick(Weathers);
        var intensity = random.NextDouble() switch { < 0.5 => null, < 0.75 => Strong, _ => Little };
        var negated = intensity != Little && random.Chance(0.25);

        var glosses = new List<string> { time.Gloss, region.Gloss, weather.Gloss };
        if (intensity is not null) glosses.Add(intensity);
        if (negated) glosses.Add(Not);

        var phrase = intensity switch { Strong => $"{weather.StrongAdjective} {weather.Noun}", Little => $"some {weather.Noun}", _ => weather.Noun };
        var text = $"{time.Text} there will be {(negated ? "no " : "")}{phrase} {region.Text}";
        return new SyntheticSentence(glosses, text);
    }

    // NACHT BERG TEMPERATUR MINUS FUENF GRAD → "tonight temperatures in the mountains will reach minus five degrees"
    private static SyntheticSentence TemperatureReport(SplitMix64 random)
    {
        var time = random.Pick(Times);
        var region = random.Pick(Regions);
        var number = random.Pick(Numbers);
        var minus = number.Gloss != "NULL" && random.Chance(0.3);

        var glosses = new List<string> { time.Gloss, region.Gloss, Temperature };
        if (minus) glosses.Add(Minus);
        glosses.Add(number.Gloss);
        glosses.Add(Degree);
        var text = $"{time.Text} temperatures {region.Text} will reach {(minus ? "minus " : "")}{number.Text} degrees";
        return new SyntheticSentence(glosses, text);
    }

    // WOCHENENDE BERG WETTER KALT → "the weather in the mountains will turn cold at the weekend"
    private static SyntheticSentence WeatherChange(SplitMix64 random)
    {
        var time = random.Pick(Times);
        var region = random.Pick(Regions);
        var change = random.Pick(WeatherChanges);
        return new SyntheticSentence(
            [time.Gloss, region.Gloss, TheWeather, change.Gloss],
            $"the weather {region.Text} will {change.Text} {time.Text}");
    }

    // HEUTE NORD REGEN SUED SONNE → "today there will be rain in the north but sunshine in the south"
    private static SyntheticSentence Contrast(SplitMix64 random)
    {
        var time = random.Pick(Times);
        var first = random.Pick(Regions[..^1]);
        var second = random.Pick(Regions[..^1].Where(r => r != first).ToArray());
        var firstWeather = random.Pick(Weathers);
        var secondWeather = random.Pick(Weathers.Where(w => w != firstWeather).ToArray());
        return new SyntheticSentence(
            [time.Gloss, first.Gloss, firstWeather.Gloss, second.Gloss, secondWeather.Gloss],
            $"{time.Text} there will be {firstWeather.Noun} {first.Text} but {secondWeather.Noun} {second.Text}");
    }
}
