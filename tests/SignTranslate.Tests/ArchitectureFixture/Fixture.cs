// Types for LayerOrderTests only: a miniature of the library's namespaces under another root, with edges that the
// layer order forbids, to show that the check reports them. Nothing else uses these types.

namespace SignTranslate.Tests.ArchitectureFixture.Models
{
    public sealed class FixtureModel
    {
        public int Width { get; init; }
    }

    /// <summary>Against the order: a model that reaches up into training.</summary>
    public sealed class UpwardModel
    {
        public int Steps(Training.FixtureTrainer trainer) => trainer.Steps;
    }
}

namespace SignTranslate.Tests.ArchitectureFixture.Data
{
    /// <summary>Against the order: Data and Models share a layer, so neither may use the other.</summary>
    public sealed class SidewaysReader
    {
        public Models.FixtureModel Model { get; } = new() { Width = 3 };
    }
}

namespace SignTranslate.Tests.ArchitectureFixture.Training
{
    /// <summary>Allowed: training uses a model from a lower layer.</summary>
    public sealed class FixtureTrainer
    {
        public int Steps { get; init; }

        public int ModelWidth(Models.FixtureModel model) => model.Width;
    }
}

namespace SignTranslate.Tests.ArchitectureFixture.Unlayered
{
    /// <summary>A namespace that no layer names.</summary>
    public sealed class Stray;
}
