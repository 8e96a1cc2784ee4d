namespace Orchestrator.Core.Pipelines;

/// <summary>
/// The built-in spec guard (<c>builtin: spec-guard</c>): fails when files under the configured code
/// paths changed relative to a base without any change under the spec/doc paths. The base is
/// <c>BASE_SHA</c> when set, else the merge-base of HEAD with <c>specGuard.baseRef</c>, else with the
/// default branch (origin/HEAD, then main, then master). The comparison is the working tree
/// (committed and uncommitted changes, untracked files included) against that base.
/// </summary>
public static class SpecGuardCheck
{
    public const string BuiltinName = "spec-guard";

    public const string BaseShaVariable = "BASE_SHA";

    /// <param name="workingDirectory">Anywhere inside the repository.</param>
    /// <param name="environment">Reads <c>BASE_SHA</c>.</param>
    public static async Task<SpecGuardReport> EvaluateAsync(string workingDirectory, SpecGuardSettings settings, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(environment);
        var top = await GitCommand.RunAsync(workingDirectory, ["rev-parse", "--show-toplevel"], cancellationToken).ConfigureAwait(false);
        if (top.ExitCode != 0)
        {
            return Fail(null, null, $"not a git repository ({FirstLine(top.Stderr)}); the spec guard compares against a base commit");
        }

        string root = top.Stdout.Trim();
        var (baseDescription, baseSha, problem) = await FindBaseAsync(root, settings, environment, cancellationToken).ConfigureAwait(false);
        if (baseSha is null)
        {
            return Fail(null, null, problem!);
        }

        var diff = await GitCommand.RunAsync(root, ["diff", "--name-only", "--no-renames", "-z", baseSha], cancellationToken).ConfigureAwait(false);
        if (diff.ExitCode != 0)
        {
            return Fail(baseDescription, baseSha, $"git diff against {baseSha} failed: {FirstLine(diff.Stderr)}");
        }

        var untracked = await GitCommand.RunAsync(root, ["ls-files", "--others", "--exclude-standard", "-z"], cancellationToken).ConfigureAwait(false);
        var changed = diff.Stdout.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Concat(untracked.ExitCode == 0 ? untracked.Stdout.Split('\0', StringSplitOptions.RemoveEmptyEntries) : [])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

        var specs = changed.Where(f => Under(f, settings.SpecPaths)).ToList();
        var code = changed.Where(f => Under(f, settings.CodePaths) && !Under(f, settings.SpecPaths)).ToList();
        string shortSha = baseSha.Length > 12 ? baseSha[..12] : baseSha;
        if (code.Count > 0 && specs.Count == 0)
        {
            string sample = string.Join(", ", code.Take(5)) + (code.Count > 5 ? $" and {code.Count - 5} more" : string.Empty);
            return new SpecGuardReport(false, baseDescription, baseSha, code, specs,
                $"{code.Count} file(s) under {string.Join(", ", settings.CodePaths)} changed since {shortSha} ({baseDescription}) without a change under {string.Join(", ", settings.SpecPaths)}: {sample}");
        }

        string message = code.Count == 0
            ? $"no change under {string.Join(", ", settings.CodePaths)} since {shortSha} ({baseDescription})"
            : $"{code.Count} code file(s) and {specs.Count} spec/doc file(s) changed since {shortSha} ({baseDescription})";
        return new SpecGuardReport(true, baseDescription, baseSha, code, specs, message);
    }

    private static async Task<(string? Description, string? Sha, string? Problem)> FindBaseAsync(
        string root, SpecGuardSettings settings, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        if (environment(BaseShaVariable) is { Length: > 0 } fromEnvironment)
        {
            var verified = await GitCommand.RunAsync(root, ["rev-parse", "--verify", "--quiet", fromEnvironment + "^{commit}"], cancellationToken).ConfigureAwait(false);
            return verified.ExitCode == 0
                ? (BaseShaVariable, verified.Stdout.Trim(), null)
                : (null, null, $"{BaseShaVariable}={fromEnvironment} is not a commit of this repository (is the clone shallow? fetch it first)");
        }

        var candidates = new List<string>();
        if (settings.BaseRef is { } baseRef)
        {
            candidates.Add(baseRef);
        }
        else if (settings.DefaultBranch is { } branch)
        {
            candidates.Add(branch);
        }
        else
        {
            var originHead = await GitCommand.RunAsync(root, ["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"], cancellationToken).ConfigureAwait(false);
            if (originHead.ExitCode == 0 && originHead.Stdout.Trim() is { Length: > 0 } remoteDefault)
            {
                candidates.Add(remoteDefault);
            }

            candidates.AddRange(["main", "master", "origin/main", "origin/master"]);
        }

        foreach (string candidate in candidates)
        {
            var mergeBase = await GitCommand.RunAsync(root, ["merge-base", "HEAD", candidate], cancellationToken).ConfigureAwait(false);
            if (mergeBase.ExitCode == 0 && mergeBase.Stdout.Trim() is { Length: > 0 } sha)
            {
                return ($"merge-base with {candidate}", sha, null);
            }
        }

        return (null, null, $"no base to compare against: set {BaseShaVariable}, or specGuard.baseRef, or have one of {string.Join(", ", candidates)} share history with HEAD");
    }

    private static bool Under(string file, IEnumerable<string> prefixes) =>
        prefixes.Any(prefix => prefix.EndsWith('/')
            ? file.StartsWith(prefix, StringComparison.Ordinal)
            : file == prefix || file.StartsWith(prefix + "/", StringComparison.Ordinal));

    private static SpecGuardReport Fail(string? description, string? sha, string message) => new(false, description, sha, [], [], message);

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
