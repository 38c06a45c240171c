using NetArchTest.Rules;
using SignTranslate.Cli;
using SignTranslate.Tests.ArchitectureFixture.Training;

namespace SignTranslate.Tests.Architecture;

/// <summary>The folders of the library and the CLI use each other only downwards (docs/architecture.md).</summary>
public class LayerOrderTests
{
    private const string Root = "SignTranslate";
    private const string FixtureRoot = "SignTranslate.Tests.ArchitectureFixture";

    private static Types Program => Types.InAssemblies([typeof(InputException).Assembly, typeof(SltApp).Assembly]);

    private static Types Fixture => Types.InAssembly(typeof(FixtureTrainer).Assembly);

    [Fact]
    public void NoNamespaceUsesAHigherOrSiblingLayer()
    {
        var violations = LayerOrder.Violations(Program, Root);
        Assert.True(violations.Count == 0,
            "Dependencies against the layer order of docs/architecture.md (from -> to: types):\n" + string.Join("\n", violations));
    }

    [Fact]
    public void EveryNamespaceHasALayer()
    {
        var unplaced = LayerOrder.Unplaced(Program, Root);
        Assert.True(unplaced.Count == 0,
            "Types in a namespace that docs/architecture.md and LayerOrder.Layers do not place:\n" + string.Join("\n", unplaced));
    }

    [Fact]
    public void EveryLayerNameHasTypes()
    {
        Assert.Empty(LayerOrder.Empty(Program, Root));
    }

    /// <summary>
    /// The same rule on types made to break it: a model that uses the trainer (upwards) and a reader that uses a model
    /// (sideways) are reported with the edges they make; the trainer using models (downwards) is not.
    /// </summary>
    [Fact]
    public void AFixtureWithEdgesAgainstTheOrderIsReported()
    {
        var violations = LayerOrder.Violations(Fixture, FixtureRoot).Select(v => v.ToString()).ToList();
        Assert.Equal(
            [
                $"Data -> Models: {FixtureRoot}.Data.SidewaysReader",
                $"Models -> Training: {FixtureRoot}.Models.UpwardModel",
            ],
            violations);
    }

    [Fact]
    public void AFixtureNamespaceWithoutALayerIsReported()
    {
        Assert.Equal([$"{FixtureRoot}.Unlayered.Stray"], LayerOrder.Unplaced(Fixture, FixtureRoot));
    }

    [Fact]
    public void LayerNamesWithoutTypesInTheFixtureAreReported()
    {
        var empty = LayerOrder.Empty(Fixture, FixtureRoot);
        Assert.Contains("Text", empty);
        Assert.DoesNotContain("Models", empty);
    }
}
