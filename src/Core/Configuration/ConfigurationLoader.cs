using System.Security.Cryptography;
using System.Text;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Configuration;

/// <summary>Finds and reads the configuration files and the environment (docs/configuration.md).</summary>
public static class ConfigurationLoader
{
    /// <summary>The repository file's name, at the workspace root.</summary>
    public const string RepoFileName = WorkspaceLocator.ConfigFileName;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Loads the repo file, the user file and the environment settings for <paramref name="workingDirectory"/>.</summary>
    /// <param name="workingDirectory">Where the command runs; its git root (else itself) holds <c>orchestrator.yaml</c>.</param>
    /// <param name="environment">The environment to read (<c>Environment.GetEnvironmentVariable</c> in production);
    /// <c>HOME</c> and <c>XDG_CONFIG_HOME</c> come from it too, so nothing here reads the real process environment.</param>
    /// <param name="explicitConfigPath">A file to use instead of the repository's, as a door's option; beats <c>ORCHESTRATOR_CONFIG</c>.</param>
    /// <exception cref="ConfigurationException">A file or variable is invalid, or a named configuration file does not exist.</exception>
    public static LoadedConfiguration Load(string workingDirectory, Func<string, string?> environment, string? explicitConfigPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(workingDirectory);
        ArgumentNullException.ThrowIfNull(environment);

        string cwd = Path.GetFullPath(workingDirectory);
        string workspaceRoot = WorkspaceLocator.FindWorkspaceRoot(cwd);
        string? home = NonEmpty(environment(ConfigurationEnvironment.Home));

        string repoPath;
        ConfigurationFile? repo;
        if (!string.IsNullOrEmpty(explicitConfigPath))
        {
            repoPath = ConfigPaths.Resolve(explicitConfigPath, cwd, home, out string? error)
                ?? throw ConfigurationException.InSetting("configFile", error!);
            repo = ReadFile(repoPath, home) ?? throw ConfigurationException.InFile(repoPath, "the configuration file named explicitly does not exist");
        }
        else if (NonEmpty(environment(ConfigurationEnvironment.ConfigFile)) is { } fromEnvironment)
        {
            repoPath = ConfigPaths.Resolve(fromEnvironment, cwd, home, out string? error)
                ?? throw ConfigurationException.InEnvironment(ConfigurationEnvironment.ConfigFile, error!);
            repo = ReadFile(repoPath, home) ?? throw ConfigurationException.InEnvironment(
                ConfigurationEnvironment.ConfigFile,
                $"the configuration file '{repoPath}' does not exist");
        }
        else
        {
            repoPath = Path.Combine(workspaceRoot, RepoFileName);
            repo = ReadFile(repoPath, home);
        }

        string? userPath = UserConfigPath(environment, home);

        // The same file at both levels would count its rules and secrets twice.
        ConfigurationFile? user = userPath is null || string.Equals(userPath, repoPath, StringComparison.Ordinal) ? null : ReadFile(userPath, home);

        return new LoadedConfiguration
        {
            WorkingDirectory = cwd,
            WorkspaceRoot = workspaceRoot,
            HomeDirectory = home,
            RepoConfigPath = repoPath,
            UserConfigPath = userPath,
            Repo = repo,
            User = user,
            FromEnvironment = EnvironmentSettingsReader.Read(environment, cwd, home),
        };
    }

    /// <summary><c>$XDG_CONFIG_HOME/orchestrator/config.yaml</c>, <c>XDG_CONFIG_HOME</c> defaulting to <c>~/.config</c>.</summary>
    public static string? UserConfigPath(Func<string, string?> environment, string? homeDirectory) =>
        WorkspaceLocator.UserConfigFile(environment, homeDirectory);

    /// <summary>Reads and parses one file; null when it does not exist.</summary>
    /// <exception cref="ConfigurationException">The file cannot be read, is not UTF-8, or is invalid.</exception>
    public static ConfigurationFile? ReadFile(string path, string? homeDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        path = Path.GetFullPath(path);
        if (!File.Exists(path))
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ConfigurationException.InFile(path, $"cannot be read: {e.Message}", e);
        }

        string text;
        try
        {
            ReadOnlySpan<byte> content = bytes;
            text = StrictUtf8.GetString(content.StartsWith(Utf8Bom) ? content[Utf8Bom.Length..] : content);
        }
        catch (DecoderFallbackException e)
        {
            throw ConfigurationException.InFile(path, "is not valid UTF-8", e);
        }

        string sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (Parsed.TryGetValue((path, homeDirectory), out ConfigurationFile? known) && known.Sha256 == sha256)
        {
            return known;
        }

        var file = new ConfigurationFile(path, sha256, ConfigurationParser.Parse(text, path, homeDirectory));
        if (Parsed.Count >= MaxParsedFiles)
        {
            Parsed.Clear();
        }

        Parsed[(path, homeDirectory)] = file;
        return file;
    }

    private const int MaxParsedFiles = 32;

    /// <summary>
    /// The last parse of each file (and home directory, which <c>~</c> in it resolves against): a build
    /// node reads the same file for every task, and parsing YAML costs far more than reading and hashing
    /// it. The file is still read every time; only the same bytes reuse the parse. The result is immutable.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Path, string? Home), ConfigurationFile> Parsed = new();

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
