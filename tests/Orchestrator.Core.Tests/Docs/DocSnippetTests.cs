using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Docs;

/// <summary>
/// Every C# snippet in README.md and docs/ compiles as written: each fenced <c>csharp</c> block is a
/// program of its own (top-level statements) against Orchestrator.Core and the framework, with only
/// the implicit usings a new console project has. A Cake script is fenced <c>csharp cake</c> (the
/// Cake tests run real scripts of that shape), and a listing of Cake alias signatures is fenced
/// <c>csharp signatures</c>: each line must be declared, as written, in src/Cake.
/// </summary>
[TestClass]
public sealed partial class DocSnippetTests
{
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly Lazy<MetadataReference[]> References = new(() =>
        [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.Length > 0)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))]);

    public static IEnumerable<object[]> Snippets()
    {
        string root = RepositoryRoot();
        var files = new List<string> { Path.Combine(root, "README.md") };
        files.AddRange(Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        foreach (string file in files)
        {
            string text = File.ReadAllText(file);
            foreach (Match block in CSharpBlock().Matches(text))
            {
                int line = text[..block.Index].Count(c => c == '\n') + 1;
                yield return [$"{Path.GetRelativePath(root, file)}:{line}", block.Groups["code"].Value];
            }
        }
    }

    [TestMethod]
    public void TheDocsHaveCSharpSnippetsToCompile() => Assert.IsGreaterThan(10, Snippets().Count());

    [TestMethod]
    public void EveryListedCakeAliasSignatureIsDeclaredAsWritten()
    {
        string root = RepositoryRoot();
        string sources = string.Join('\n', Directory.GetFiles(Path.Combine(root, "src", "Cake"), "*.cs").Select(File.ReadAllText));
        var listed = SignatureBlock().Matches(File.ReadAllText(Path.Combine(root, "docs", "cake.md")))
            .SelectMany(m => m.Groups["code"].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();

        Assert.IsGreaterThan(5, listed.Count);
        foreach (string signature in listed)
        {
            StringAssert.Contains(sources, "public static " + signature, $"docs/cake.md lists '{signature}', which src/Cake does not declare");
        }
    }

    [TestMethod]
    [DynamicData(nameof(Snippets))]
    public void EverySnippetCompilesAsWritten(string where, string code)
    {
        var options = new CSharpParseOptions(LanguageVersion.Preview);
        var snippet = CSharpSyntaxTree.ParseText(code, options, path: where);

        // A snippet of statements is a program; one that only declares types (an interface) is a library.
        bool program = snippet.GetRoot().ChildNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax>().Any();
        var compilation = CSharpCompilation.Create(
            "Snippet",
            [CSharpSyntaxTree.ParseText(ImplicitUsings, options), snippet],
            References.Value,
            new CSharpCompilationOptions(program ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

        var report = new StringBuilder();
        foreach (var error in errors)
        {
            report.AppendLine(error.ToString());
        }

        Assert.IsEmpty(errors, $"the snippet at {where} does not compile:\n{report}\n{code}");
    }

    private static string RepositoryRoot() => RepositoryFiles.Root;

    [GeneratedRegex(@"^```csharp signatures[ \t]*\n(?<code>.*?)^```[ \t]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex SignatureBlock();

    /// <summary>A block fenced <c>```csharp</c> (or <c>```cs</c>) with nothing else on the fence line.</summary>
    [GeneratedRegex(@"^```(?:csharp|cs)[ \t]*\n(?<code>.*?)^```[ \t]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
