using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Orchestrator.Core.Tests.Architecture;

/// <summary>
/// Which of the Core's layers (<c>Exec</c>, <c>Events</c>, <c>Orchestration</c>, <c>Runs</c>,
/// <c>Commands</c>, <c>Configuration</c>) use which, read from the compiled assembly: every type
/// reference in a signature, a field, a local or an instruction. <c>Exec</c> is the process
/// runtime and uses none of the others; <c>Commands</c> runs one command and records it. The goal
/// is no cycle; until the layering work (issue 14, item 4) removes them, the edges that close
/// cycles today are listed here, so a new one fails the build and a removed one must be struck.
/// </summary>
[TestClass]
public sealed class LayerDependencyTests
{
    private static readonly string[] Layers = ["Exec", "Events", "Orchestration", "Runs", "Commands", "Configuration"];

    /// <summary>The intended order, lowest first: a layer may use only those before it.</summary>
    private static readonly string[] Order = ["Exec", "Events", "Orchestration", "Runs", "Commands", "Configuration"];

    /// <summary>Edges that go against <see cref="Order"/> today, each to be removed by the layering work.</summary>
    private static readonly HashSet<(string From, string To)> KnownUpwardEdges =
    [
        ("Orchestration", "Runs"), // ToolOrchestrator records (it belongs above Runs; the policy types below it); ApprovalCache uses FileLock, the probe AtomicFile
        ("Orchestration", "Commands"), // ToolOrchestrator runs commands; RetryPolicy and ToolRunResult read CommandResult
        ("Runs", "Commands"), // RunResult lists CommandResults, SessionRecord wraps SessionInfo, RunOptions holds the ExecSessionManager
    ];

    private static readonly Lazy<Dictionary<(string From, string To), SortedSet<string>>> Edges = new(Read);

    [TestMethod]
    public void NoLayerUsesOneAboveItExceptTheListedEdges()
    {
        var upward = Edges.Value.Keys.Where(e => Array.IndexOf(Order, e.From) < Array.IndexOf(Order, e.To)).ToHashSet();
        foreach (var edge in upward.Where(e => !KnownUpwardEdges.Contains(e)))
        {
            Assert.Fail($"{edge.From} now uses {edge.To}, a layer above it: {string.Join("; ", Edges.Value[edge].Take(5))}");
        }

        foreach (var edge in KnownUpwardEdges.Where(e => !upward.Contains(e)))
        {
            Assert.Fail($"{edge.From} no longer uses {edge.To}: strike the edge from KnownUpwardEdges so it cannot come back");
        }
    }

    [TestMethod]
    public void TheProcessRuntimeUsesNoOtherLayer()
    {
        var uses = Edges.Value.Where(e => e.Key.From == "Exec").ToList();
        Assert.IsEmpty(uses, string.Join("; ", uses.Select(e => $"Exec uses {e.Key.To}: {string.Join(", ", e.Value.Take(5))}")));
    }

    [TestMethod]
    public void TheReaderSeesRealReferences()
    {
        // A check of the check: edges that exist by design are found.
        Assert.IsTrue(Edges.Value.ContainsKey(("Runs", "Events")), "RunRecorder writes events");
        Assert.IsTrue(Edges.Value.ContainsKey(("Configuration", "Runs")), "the resolver builds RunOptions");
    }

    private static Dictionary<(string From, string To), SortedSet<string>> Read()
    {
        string path = typeof(OrchestratorClient).Assembly.Location;
        using var module = ModuleDefinition.ReadModule(path);
        var edges = new Dictionary<(string, string), SortedSet<string>>();

        void Add(TypeDefinition from, TypeReference? to)
        {
            while (to is TypeSpecification specification)
            {
                if (to is GenericInstanceType generic)
                {
                    foreach (var argument in generic.GenericArguments)
                    {
                        Add(from, argument);
                    }
                }

                to = specification.ElementType;
            }

            if (to is null || Layer(Outermost(from).Namespace) is not { } a || Layer(Outermost(to).Namespace) is not { } b || a == b)
            {
                return;
            }

            if (!edges.TryGetValue((a, b), out var uses))
            {
                edges[(a, b)] = uses = new SortedSet<string>(StringComparer.Ordinal);
            }

            uses.Add($"{Outermost(from).Name} -> {Outermost(to).Name}");
        }

        foreach (var type in module.GetTypes())
        {
            Add(type, type.BaseType);
            foreach (var face in type.Interfaces)
            {
                Add(type, face.InterfaceType);
            }

            foreach (var field in type.Fields)
            {
                Add(type, field.FieldType);
            }

            foreach (var method in type.Methods)
            {
                Add(type, method.ReturnType);
                foreach (var parameter in method.Parameters)
                {
                    Add(type, parameter.ParameterType);
                }

                if (!method.HasBody)
                {
                    continue;
                }

                foreach (var local in method.Body.Variables)
                {
                    Add(type, local.VariableType);
                }

                foreach (var instruction in method.Body.Instructions)
                {
                    switch (instruction.Operand)
                    {
                        case MethodReference called:
                            Add(type, called.DeclaringType);
                            Add(type, called.ReturnType);
                            break;
                        case FieldReference field:
                            Add(type, field.DeclaringType);
                            Add(type, field.FieldType);
                            break;
                        case TypeReference referenced:
                            Add(type, referenced);
                            break;
                    }
                }
            }
        }

        return edges;
    }

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }

    private static string? Layer(string? ns)
    {
        const string Prefix = "Orchestrator.Core.";
        if (ns is null || !ns.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        string first = ns[Prefix.Length..].Split('.')[0];
        return Array.IndexOf(Layers, first) >= 0 ? first : null;
    }
}
