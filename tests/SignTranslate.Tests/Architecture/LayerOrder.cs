using System.Text.RegularExpressions;
using NetArchTest.Rules;

namespace SignTranslate.Tests.Architecture;

/// <summary>
/// The layer order of docs/architecture.md as a check on compiled types: a namespace directly under the root (with
/// everything nested in it, e.g. <c>Data.Synthetic</c> belongs to <c>Data</c>) may use only namespaces of lower layers.
/// Namespaces of one layer are independent of each other, so no cycle can form. The check reads the IL (through
/// NetArchTest), so it sees every type a signature, field, attribute or method body names, but not what only
/// <c>nameof</c> or a doc comment names.
/// </summary>
public static class LayerOrder
{
    /// <summary>
    /// Lowest layer first; the names are relative to the root namespace, and "" is the root namespace itself. Keep in
    /// step with the picture in docs/architecture.md.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> Layers { get; } =
    [
        [""],
        ["Files", "Logging", "Randomness", "Distributed"],
        ["Config"],
        ["Text", "Losses"],
        ["Data", "Models"],
        ["Decoding"],
        ["Metrics"],
        ["Checkpoints"],
        ["Training"],
        ["Benchmarks"],
        ["Cli"],
    ];

    /// <summary>A use of <see cref="To"/> by <see cref="From"/> (names relative to the root) that the order forbids.</summary>
    public sealed record Violation(string From, string To, IReadOnlyList<string> TypeNames)
    {
        public override string ToString() => $"{Display(From)} -> {Display(To)}: {string.Join(", ", TypeNames)}";
    }

    /// <summary>
    /// Every forbidden edge among <paramref name="types"/> whose namespaces lie under <paramref name="root"/>, with the
    /// types that make it. Taking the types and the root as arguments lets a test run the same rule on a deliberately
    /// wrong set of types.
    /// </summary>
    public static IReadOnlyList<Violation> Violations(Types types, string root)
    {
        var violations = new List<Violation>();
        for (var layer = 0; layer < Layers.Count; layer++)
            foreach (var from in Layers[layer])
            {
                // Anything higher, and the other namespaces of the same layer.
                var forbidden = Layers.Skip(layer).SelectMany(names => names).Where(name => name != from).ToList();
                if (forbidden.Count == 0 || Offenders(types, root, from, [.. forbidden]).Count == 0) continue;
                // Only a namespace that breaks the rule is looked at again, one forbidden namespace at a time, to name the edges.
                foreach (var to in forbidden)
                {
                    var offenders = Offenders(types, root, from, [to]);
                    if (offenders.Count > 0) violations.Add(new Violation(from, to, offenders));
                }
            }
        return violations;
    }

    /// <summary>Types under <paramref name="root"/> in a namespace that no layer names: each new folder must be given a layer.</summary>
    public static IReadOnlyList<string> Unplaced(Types types, string root)
    {
        var placed = Layers.SelectMany(names => names).Where(name => name.Length > 0).Select(Regex.Escape);
        var anyPlaced = "^" + Regex.Escape(root) + @"\.(" + string.Join("|", placed) + @")(\.|$)";
        return Sorted(types.That().ResideInNamespaceMatching("^" + Regex.Escape(root) + @"\.")
            .Should().ResideInNamespaceMatching(anyPlaced).GetResult());
    }

    /// <summary>Layer names under <paramref name="root"/> without a single type: a stale entry left after a folder went away.</summary>
    public static IReadOnlyList<string> Empty(Types types, string root) =>
        Layers.SelectMany(names => names).Where(name => !types.That().ResideInNamespaceMatching(NamespacePattern(root, name)).GetTypes().Any())
            .Select(Display).ToList();

    /// <summary>Types of namespace <paramref name="from"/> that use any of <paramref name="to"/>.</summary>
    private static IReadOnlyList<string> Offenders(Types types, string root, string from, string[] to) =>
        Sorted(types.That().ResideInNamespaceMatching(NamespacePattern(root, from))
            .ShouldNot().HaveDependencyOnAny([.. to.Select(name => Qualified(root, name))]).GetResult());

    // FailingTypeNames is null, not empty, when every type passes.
    private static IReadOnlyList<string> Sorted(TestResult result) =>
        (result.FailingTypeNames ?? []).Order(StringComparer.Ordinal).ToList();

    /// <summary>The root namespace alone for "", otherwise the namespace and everything nested in it.</summary>
    private static string NamespacePattern(string root, string name) =>
        name.Length == 0 ? "^" + Regex.Escape(root) + "$" : "^" + Regex.Escape(Qualified(root, name)) + @"(\.|$)";

    private static string Qualified(string root, string name) => name.Length == 0 ? root : root + "." + name;

    private static string Display(string name) => name.Length == 0 ? "(root)" : name;
}
