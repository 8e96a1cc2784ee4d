using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Orchestrator.Core.Configuration;
using Orchestrator.Core.Settings;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Settings;

/// <summary>
/// The settings table and the doors agree: every setting the table places in a door exists there
/// (read from the door's source, its targets file or the Node SDK's typings), every parameter, flag
/// or option a door has is a setting of the table, and a door without a setting says why.
/// </summary>
[TestClass]
public sealed partial class SettingsParityTests
{
    private static readonly Lazy<IReadOnlyDictionary<SettingSurface, IReadOnlySet<string>>> DoorMembers = new(ReadDoors);

    public static IEnumerable<object[]> DoorSurfaces =>
        Enum.GetValues<SettingSurface>().Where(s => s != SettingSurface.DotNetSdk).Select(s => new object[] { s });

    [TestMethod]
    public void EverySettingNamesEverySurfaceOrSaysWhyNot()
    {
        foreach (var setting in SettingsTable.All)
        {
            foreach (var surface in Enum.GetValues<SettingSurface>())
            {
                Assert.IsTrue(setting.Surfaces.ContainsKey(surface), $"{setting.Name} says nothing about {surface}");
                Assert.IsTrue(setting.NameIn(surface) is { Length: > 0 } || setting.WhyAbsentFrom(surface) is { Length: > 0 },
                    $"{setting.Name} on {surface}: neither a name nor a reason");
            }
        }

        Assert.HasCount(SettingsTable.All.Length, SettingsTable.All.Select(s => s.Name).Distinct(), "setting names are unique");
    }

    [TestMethod]
    [DynamicData(nameof(DoorSurfaces))]
    public void EveryMemberTheTableNamesExistsInItsDoor(SettingSurface surface)
    {
        var members = DoorMembers.Value[surface];
        foreach (var setting in SettingsTable.All)
        {
            foreach (string name in Checkable(setting.NameIn(surface)))
            {
                Assert.Contains(name, members, $"the table says {surface} has '{name}' for {setting.Name}; it has: {string.Join(", ", members.Order())}");
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(DoorSurfaces))]
    public void EveryMemberOfADoorIsASettingOfTheTable(SettingSurface surface)
    {
        var named = SettingsTable.All.SelectMany(s => Checkable(s.NameIn(surface))).ToHashSet(StringComparer.Ordinal);
        foreach (string member in DoorMembers.Value[surface])
        {
            Assert.Contains(member, named, $"{surface} has '{member}', which no setting of SettingsTable names: add it (or say why other doors lack it)");
        }
    }

    [TestMethod]
    public void EverySdkMemberTheTableNamesExists()
    {
        var types = typeof(SettingsTable).Assembly.GetExportedTypes().ToLookup(t => t.Name);
        foreach (var setting in SettingsTable.All)
        {
            if (setting.NameIn(SettingSurface.DotNetSdk) is not { } name)
            {
                continue;
            }

            var match = SdkMember().Match(name);
            Assert.IsTrue(match.Success, $"{setting.Name}: '{name}' is not Type.Member or Type.Method(parameter)");
            var type = types[match.Groups["type"].Value].SingleOrDefault();
            Assert.IsNotNull(type, $"{setting.Name}: no public type {match.Groups["type"].Value}");
            string member = match.Groups["member"].Value;
            if (match.Groups["parameter"].Success)
            {
                string parameter = match.Groups["parameter"].Value;
                Assert.IsTrue(type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance)
                    .Any(m => m.Name == member && m.GetParameters().Any(p => p.Name == parameter)), $"{setting.Name}: no {type.Name}.{member}(... {parameter} ...)");
            }
            else
            {
                Assert.IsNotNull(type.GetProperty(member, BindingFlags.Public | BindingFlags.Instance), $"{setting.Name}: no property {type.Name}.{member}");
            }
        }
    }

    [TestMethod]
    public void TheMSBuildTargetsPassEachPropertyToItsParameter()
    {
        string targets = RepositoryFiles.Read("src", "Tasks", "build", "Orchestrator.Tasks.targets");
        foreach (var setting in SettingsTable.All)
        {
            if (setting.MSBuildProperty is not { } property)
            {
                continue;
            }

            string reference = property.StartsWith('@') ? property : $"$({property})";
            foreach (var surface in new[] { SettingSurface.MSBuildExec, SettingSurface.MSBuildPipeline })
            {
                if (setting.NameIn(surface) is { } parameter)
                {
                    StringAssert.Contains(targets, $"{parameter}=\"{reference}\"", $"{setting.Name}: the targets do not pass {reference} to {parameter}");
                }
            }
        }
    }

    [TestMethod]
    public void TheEnvironmentVariablesAndYamlKeysAreTheOnesTheCoreReads()
    {
        var variables = typeof(ConfigurationEnvironment).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name is not ("Home" or "XdgConfigHome"))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);
        var tableVariables = SettingsTable.All.Select(s => s.EnvironmentVariable).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (string variable in variables)
        {
            Assert.Contains(variable, tableVariables, $"the Core reads {variable}; no setting names it");
        }

        using var schema = JsonDocument.Parse(RepositoryFiles.Read("schemas", "config.json"));
        foreach (var setting in SettingsTable.All)
        {
            if (setting.YamlKey is not { } key)
            {
                continue;
            }

            JsonElement node = schema.RootElement;
            foreach (string part in key.Split('.'))
            {
                Assert.IsTrue(node.TryGetProperty("properties", out var properties) && properties.TryGetProperty(part, out node),
                    $"{setting.Name}: schemas/config.json has no '{key}'");
            }
        }
    }

    [TestMethod]
    public void DocsSettingsIsRenderedFromTheTable()
    {
        string path = RepositoryFiles.Path("docs", "settings.md");
        string expected = SettingsReference.Render();
        if (Environment.GetEnvironmentVariable("ORCHESTRATOR_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, expected);
        }

        Assert.AreEqual(expected, File.Exists(path) ? File.ReadAllText(path) : "",
            "docs/settings.md differs from SettingsTable: ORCHESTRATOR_UPDATE_DOCS=1 dotnet test tests/Orchestrator.Core.Tests --filter SettingsParityTests");
    }

    // A name with a space or parentheses describes an argument ("-- <cmd> [args]", "exec(command, args)"),
    // not a member to look up; "--jsonl | --json" is two flags.
    private static IEnumerable<string> Checkable(string? name) =>
        name is null ? [] : name.Split(" | ").Where(n => !n.Contains(' ', StringComparison.Ordinal) && !n.Contains('(', StringComparison.Ordinal));

    private static Dictionary<SettingSurface, IReadOnlySet<string>> ReadDoors()
    {
        var cake = CSharpFiles("src", "Cake");
        var runSettings = PublicSettable(cake, "OrchestratorRunSettings").Concat(PublicSettable(cake, "OrchestratorSettings")).ToList();
        string typings = RepositoryFiles.Read("sdk", "node", "index.d.ts");
        var nodeExec = InterfaceMembers(typings, "ExecOptions");
        return new()
        {
            [SettingSurface.MSBuildExec] = Set(PublicSettable(CSharpFiles("src", "Tasks"), "OrchestratorExec")),
            [SettingSurface.MSBuildPipeline] = Set(PublicSettable(CSharpFiles("src", "Tasks"), "OrchestratorPipeline")),
            [SettingSurface.CakeExec] = Set(PublicSettable(cake, "OrchestratorExecSettings").Concat(runSettings)),
            [SettingSurface.CakePipeline] = Set(PublicSettable(cake, "OrchestratorPipelineSettings").Concat(runSettings)),
            [SettingSurface.CliExec] = Set(Flags(RepositoryFiles.Read("src", "Cli", "Commands", "ExecOptions.cs"))),
            [SettingSurface.CliPipeline] = Set(Flags(RepositoryFiles.Read("src", "Cli", "Commands", "StartCommand.cs"))),
            [SettingSurface.NodeExec] = Set(nodeExec),
            [SettingSurface.NodePipeline] = Set(InterfaceMembers(typings, "ResumeOptions")),
        };
    }

    private static IReadOnlySet<string> Set(IEnumerable<string> names) => names.ToHashSet(StringComparer.Ordinal);

    private static List<SyntaxTree> CSharpFiles(params string[] folder) =>
        [.. Directory.GetFiles(RepositoryFiles.Path(folder), "*.cs", SearchOption.TopDirectoryOnly).Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), path: f))];

    /// <summary>A class's public properties a caller can set (set or init, not private), its base classes' among them, outputs excepted.</summary>
    private static IEnumerable<string> PublicSettable(List<SyntaxTree> trees, string className)
    {
        var classes = trees.SelectMany(t => t.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>()).Where(c => c.Identifier.Text == className).ToList();
        Assert.IsNotEmpty(classes, $"no class {className}");
        var bases = classes.SelectMany(c => c.BaseList?.Types ?? [])
            .Select(t => t.Type.ToString())
            .Where(name => trees.Any(t => t.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().Any(c => c.Identifier.Text == name)))
            .SelectMany(name => PublicSettable(trees, name));
        return classes.SelectMany(c => c.Members.OfType<PropertyDeclarationSyntax>())
            .Where(p => p.Modifiers.Any(SyntaxKind.PublicKeyword) && !p.Modifiers.Any(SyntaxKind.StaticKeyword))
            .Where(p => p.AccessorList?.Accessors.Any(a => a.Kind() is SyntaxKind.SetAccessorDeclaration or SyntaxKind.InitAccessorDeclaration && a.Modifiers.Count == 0) == true)
            .Where(p => !p.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is "Output" or "OutputAttribute"))
            .Select(p => p.Identifier.Text)
            .Concat(bases);
    }

    /// <summary>The <c>--flag</c> names of the System.CommandLine options a file declares.</summary>
    private static IEnumerable<string> Flags(string source) =>
        CSharpSyntaxTree.ParseText(source).GetRoot().DescendantNodes().OfType<LiteralExpressionSyntax>()
            .Where(l => l.IsKind(SyntaxKind.StringLiteralExpression) && l.Token.ValueText.StartsWith("--", StringComparison.Ordinal)
                && l.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Arguments: var arguments } } argument && arguments[0] == argument)
            .Select(l => l.Token.ValueText)
            .Where(flag => Regex.IsMatch(flag, "^--[a-z][a-z-]*$"));

    /// <summary>An interface's own members, those of the interfaces it extends, and the keys it picks.</summary>
    private static IEnumerable<string> InterfaceMembers(string typings, string name)
    {
        var declaration = Regex.Match(typings, $@"export interface {name}\b(?<extends>[^{{]*)\{{(?<body>[^}}]*)\}}");
        Assert.IsTrue(declaration.Success, $"index.d.ts has no interface {name}");
        var own = Regex.Matches(declaration.Groups["body"].Value, @"^\s*(?<name>[A-Za-z]+)\??:", RegexOptions.Multiline).Select(m => m.Groups["name"].Value);
        string extends = declaration.Groups["extends"].Value;
        var picked = Regex.Matches(extends, "'(?<key>[A-Za-z]+)'").Select(m => m.Groups["key"].Value);
        var inherited = Regex.Matches(Regex.Replace(extends, "Pick<[^>]*>", ""), @"\b(?<base>[A-Z][A-Za-z]+)\b")
            .Select(m => m.Groups["base"].Value)
            .SelectMany(parent => InterfaceMembers(typings, parent));
        return [.. own, .. picked, .. inherited];
    }

    [GeneratedRegex(@"^(?<type>[A-Za-z]+)\.(?<member>[A-Za-z]+)(\((?<parameter>[A-Za-z]+)\))?$")]
    private static partial Regex SdkMember();
}
