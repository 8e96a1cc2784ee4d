using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Orchestrator.Core.Configuration;

/// <summary>
/// A pass over the parser's events before the representation model is built, for the two errors
/// the model reports poorly: a second document (it loads silently) and a duplicate key (its error
/// names neither the key's first place nor the key reliably).
/// </summary>
internal static class YamlStructureCheck
{
    public static void Run(string yaml, string filePath)
    {
        var parser = new Parser(new StringReader(yaml));
        var open = new Stack<Collection>();
        int documents = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case DocumentStart start:
                    if (++documents == 2)
                    {
                        throw ConfigurationException.At(
                            ConfigurationParser.LocationOf(filePath, start.Start),
                            "a second YAML document ('---') is not allowed: a configuration file holds exactly one");
                    }

                    break;
                case MappingStart mapping:
                    Take(open, mapping, filePath);
                    open.Push(new Collection(isMapping: true));
                    break;
                case SequenceStart sequence:
                    Take(open, sequence, filePath);
                    open.Push(new Collection(isMapping: false));
                    break;
                case Scalar or AnchorAlias:
                    Take(open, parser.Current, filePath);
                    break;
                case MappingEnd or SequenceEnd:
                    open.Pop();
                    break;
            }
        }
    }

    private static void Take(Stack<Collection> open, ParsingEvent node, string filePath)
    {
        if (!open.TryPeek(out Collection? parent) || !parent.IsMapping)
        {
            return;
        }

        if (parent.ExpectingKey && node is Scalar key)
        {
            if (parent.Keys.TryGetValue(key.Value, out Mark first))
            {
                throw ConfigurationException.At(
                    ConfigurationParser.LocationOf(filePath, key.Start),
                    $"duplicate key '{key.Value}' (first set at {first.Line}:{first.Column})");
            }

            parent.Keys.Add(key.Value, key.Start);
        }

        parent.ExpectingKey = !parent.ExpectingKey;
    }

    private sealed class Collection(bool isMapping)
    {
        public bool IsMapping { get; } = isMapping;

        public bool ExpectingKey { get; set; } = true;

        public Dictionary<string, Mark> Keys { get; } = new(StringComparer.Ordinal);
    }
}
