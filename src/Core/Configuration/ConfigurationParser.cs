using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Core.Configuration;

/// <summary>Reads the text of one configuration file into an <see cref="OrchestratorConfig"/>, strictly.</summary>
public static class ConfigurationParser
{
    /// <summary>Parses <paramref name="yaml"/> as the file at <paramref name="filePath"/>.</summary>
    /// <param name="yaml">The file's text. Empty (or only comments) is an empty configuration.</param>
    /// <param name="filePath">Named in errors and locations; relative paths in the file are resolved against its directory.</param>
    /// <param name="homeDirectory">What <c>~</c> expands to; null leaves any <c>~</c> an error.</param>
    /// <exception cref="ConfigurationException">Anything invalid, at its line and column.</exception>
    public static OrchestratorConfig Parse(string yaml, string filePath, string? homeDirectory)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        filePath = Path.GetFullPath(filePath);

        var stream = new YamlStream();
        try
        {
            YamlStructureCheck.Run(yaml, filePath);
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw SyntaxError(e, yaml, filePath);
        }

        return stream.Documents.Count == 0
            ? OrchestratorConfig.Empty
            : new ConfigDocumentReader(filePath, homeDirectory).ReadRoot(stream.Documents[0].RootNode);
    }

    internal static ConfigLocation LocationOf(string filePath, Mark mark) =>
        new(filePath, (int)Math.Clamp(mark.Line, 1, int.MaxValue), (int)Math.Clamp(mark.Column, 1, int.MaxValue));

    private static ConfigurationException SyntaxError(YamlException e, string yaml, string filePath)
    {
        // YamlDotNet reports a tab in indentation at the start of the enclosing block (often 1:1);
        // the tab itself is what the reader must find, so point at it.
        if (e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) &&
            FindIndentationTab(yaml, (int)Math.Max(1, e.Start.Line)) is { } tab)
        {
            return ConfigurationException.At(
                new ConfigLocation(filePath, tab.Line, tab.Column),
                "a tab character is used for indentation (YAML indents with spaces only)",
                e);
        }

        string detail = e.Message.TrimEnd('.');
        return ConfigurationException.At(LocationOf(filePath, e.Start), $"invalid YAML: {detail}", e);
    }

    private static (int Line, int Column)? FindIndentationTab(string yaml, int fromLine)
    {
        string[] lines = yaml.Split('\n');
        for (int i = fromLine - 1; i < lines.Length; i++)
        {
            string line = lines[i];
            for (int c = 0; c < line.Length && line[c] is ' ' or '\t'; c++)
            {
                if (line[c] == '\t')
                {
                    return (i + 1, c + 1);
                }
            }
        }

        return null;
    }
}
