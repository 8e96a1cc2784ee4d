using Orchestrator.Core.Configuration;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Configuration;

/// <summary>
/// A git workspace and a home directory in a temp folder, with an injected environment, so no
/// test reads the real HOME, XDG_CONFIG_HOME or ORCHESTRATOR_* variables.
/// </summary>
internal sealed class ConfigWorkspace : IDisposable
{
    private readonly TempDirectory _temp = new("orch-config");

    public ConfigWorkspace()
    {
        Root = Directory.CreateDirectory(_temp.Combine("repo")).FullName;
        Directory.CreateDirectory(Path.Combine(Root, ".git"));
        Home = Directory.CreateDirectory(_temp.Combine("home")).FullName;
        Environment[ConfigurationEnvironment.Home] = Home;
    }

    public string Root { get; }

    public string Home { get; }

    public string RepoFile => Path.Combine(Root, ConfigurationLoader.RepoFileName);

    public string UserFile => Path.Combine(Home, ".config", "orchestrator", "config.yaml");

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public string TempPath(params string[] parts) => _temp.Combine(parts);

    public string WriteRepo(string yaml) => Write(RepoFile, yaml);

    public string WriteUser(string yaml) => Write(UserFile, yaml);

    public string Write(string path, string yaml)
    {
        string full = Path.IsPathRooted(path) ? path : Path.Combine(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, yaml);
        return full;
    }

    public LoadedConfiguration Load(string? explicitConfigPath = null, string? workingDirectory = null) =>
        ConfigurationLoader.Load(workingDirectory ?? Root, name => Environment.GetValueOrDefault(name), explicitConfigPath);

    public EffectiveSettings Resolve(ExplicitSettings? explicitSettings = null) => Load().Resolve(explicitSettings ?? ExplicitSettings.None);

    public void Dispose() => _temp.Dispose();
}
