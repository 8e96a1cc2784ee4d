namespace Orchestrator.Core.Configuration;

/// <summary>Turns a configured path into an absolute one: <c>~</c> is the home directory, anything relative is relative to a base directory.</summary>
internal static class ConfigPaths
{
    /// <returns>The absolute path, or null with <paramref name="error"/> saying why not.</returns>
    public static string? Resolve(string text, string baseDirectory, string? homeDirectory, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "a path cannot be empty";
            return null;
        }

        if (text[0] == '~')
        {
            if (text.Length > 1 && text[1] != '/')
            {
                // ~user would need the password database; refusing it beats silently making a relative "~user" directory.
                error = $"'{text}': only '~' and '~/...' are expanded";
                return null;
            }

            if (string.IsNullOrEmpty(homeDirectory))
            {
                error = $"'{text}': '~' cannot be expanded because HOME is not set";
                return null;
            }

            return Path.GetFullPath(homeDirectory + text[1..], baseDirectory);
        }

        return Path.GetFullPath(text, baseDirectory);
    }
}
