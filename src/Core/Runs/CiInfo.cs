namespace Orchestrator.Core.Runs;

/// <summary>The CI system the run happened in, when one is detected from its environment variables.</summary>
/// <param name="Provider"><c>github-actions</c>, <c>azure-pipelines</c>, <c>gitlab-ci</c>, <c>jenkins</c>, <c>buildkite</c>, <c>circleci</c> or <c>generic</c>.</param>
/// <param name="BuildId">The provider's run/build id when it exposes one.</param>
/// <param name="Url">A link to the CI run when the provider exposes one.</param>
public sealed record CiInfo(string Provider, string? BuildId, string? Url)
{
    public static CiInfo? Detect(Func<string, string?> env)
    {
        if (env("GITHUB_ACTIONS") == "true")
        {
            string? server = env("GITHUB_SERVER_URL");
            string? repo = env("GITHUB_REPOSITORY");
            string? runId = env("GITHUB_RUN_ID");
            string? url = server is not null && repo is not null && runId is not null ? $"{server}/{repo}/actions/runs/{runId}" : null;
            return new CiInfo("github-actions", runId, url);
        }

        if (!string.IsNullOrEmpty(env("TF_BUILD")))
        {
            string? collection = env("SYSTEM_COLLECTIONURI");
            string? project = env("SYSTEM_TEAMPROJECT");
            string? buildId = env("BUILD_BUILDID");
            string? url = collection is not null && project is not null && buildId is not null
                ? $"{collection.TrimEnd('/')}/{project}/_build/results?buildId={buildId}"
                : null;
            return new CiInfo("azure-pipelines", buildId, url);
        }

        if (env("GITLAB_CI") == "true")
        {
            return new CiInfo("gitlab-ci", env("CI_JOB_ID"), env("CI_JOB_URL"));
        }

        if (!string.IsNullOrEmpty(env("JENKINS_URL")))
        {
            return new CiInfo("jenkins", env("BUILD_NUMBER"), env("BUILD_URL"));
        }

        if (env("BUILDKITE") == "true")
        {
            return new CiInfo("buildkite", env("BUILDKITE_BUILD_ID"), env("BUILDKITE_BUILD_URL"));
        }

        if (env("CIRCLECI") == "true")
        {
            return new CiInfo("circleci", env("CIRCLE_BUILD_NUM"), env("CIRCLE_BUILD_URL"));
        }

        string? ci = env("CI");
        if (!string.IsNullOrEmpty(ci) && !string.Equals(ci, "false", StringComparison.OrdinalIgnoreCase) && ci != "0")
        {
            return new CiInfo("generic", null, null);
        }

        return null;
    }
}
