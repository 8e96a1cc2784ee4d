using Orchestrator.Core.Schemas.Nodes;

namespace Orchestrator.Core.Schemas.Compilation;

/// <summary>
/// Rejects a <c>$ref</c> loop that never steps into a child value (e.g. <c>{"$ref": "#"}</c>), which would recurse
/// forever while validating.
/// </summary>
internal static class InPlaceCycleDetector
{
    public static void Reject(IReadOnlyList<CompiledDocument> documents)
    {
        var owners = new Dictionary<SchemaNode, CompiledDocument>();
        foreach (var document in documents)
        {
            foreach (var node in document.Nodes.Values)
            {
                owners.Add(node, document);
            }
        }

        var finished = new HashSet<SchemaNode>();
        var onPath = new List<SchemaNode>();

        void Visit(SchemaNode node)
        {
            if (finished.Contains(node)) return;
            int start = onPath.IndexOf(node);
            if (start >= 0)
            {
                string cycle = string.Join(" -> ", onPath.Skip(start).Append(node).Select(n => n.Location));
                throw owners[node].Source.Attribute(KeywordReader.Fail(
                    node.Location, $"$ref cycle that never descends into the instance would recurse forever: {cycle}"));
            }

            onPath.Add(node);
            foreach (var next in node.InPlaceSubschemas())
            {
                Visit(next);
            }

            onPath.RemoveAt(onPath.Count - 1);
            finished.Add(node);
        }

        foreach (var document in documents)
        {
            foreach (var node in document.Nodes.Values)
            {
                Visit(node);
            }
        }
    }
}
