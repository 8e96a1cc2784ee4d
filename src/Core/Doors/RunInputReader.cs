using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Orchestrator.Core.Configuration;
using Orchestrator.Core.Outcomes;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Settings;
using Orchestrator.Core.Validation;

namespace Orchestrator.Core.Doors;

/// <summary>
/// Turns the run settings a door received into explicit settings, or into the one problem that
/// stops the run, worded from the message catalogue with the parameter named as the door names it.
/// The task id is checked first, so a bad one can never name a path.
/// </summary>
public static class RunInputReader
{
    /// <summary>Reads <paramref name="input"/> as <paramref name="surface"/> received it.</summary>
    /// <returns>True with <paramref name="result"/> set, or false with <paramref name="problem"/> set.</returns>
    public static bool TryRead(RunInput input, SettingSurface surface, [NotNullWhen(true)] out RunSettingsInput? result, [NotNullWhen(false)] out OutcomeMessage? problem)
    {
        ArgumentNullException.ThrowIfNull(input);
        result = null;
        problem = null;
        string Name(string setting) => SettingsTable.NameIn(surface, setting);

        // Null is "not set"; a door that cannot tell unset from empty (MSBuild) passes null for both.
        if (input.TaskId is { } taskId && !TaskId.IsValid(taskId, out string? taskProblem))
        {
            problem = MessageCatalogue.InvalidTaskId(taskId, taskProblem!);
            return false;
        }

        if (!TryEnum(input.ApprovalPolicy, () => Name("approvalPolicy"), SettingRules.Policies, out Orchestration.ApprovalPolicy? policy, ref problem) ||
            !TryEnum(input.SandboxMode, () => Name("sandboxMode"), SettingRules.SandboxModes, out Orchestration.SandboxMode? mode, ref problem) ||
            !TryBoolean(input.Network, () => Name("network"), out bool? network, ref problem) ||
            !TryInteger(input.MaxAttempts, () => Name("maxAttempts"), SettingRules.MinAttempts, SettingRules.MaxAttempts,
                $"use a number from {SettingRules.MinAttempts} to {SettingRules.MaxAttempts}", out long? attempts, ref problem) ||
            !TryInteger(input.EventBudgetBytes, () => Name("eventBudgetBytes"), 0, long.MaxValue, "use a number of bytes, 0 for unlimited", out long? budget, ref problem) ||
            !TryInteger(input.CaptureBytes, () => Name("captureBytes"), SettingRules.MinCaptureBytes, int.MaxValue,
                $"use a number of bytes of at least {SettingRules.MinCaptureBytes}", out long? capture, ref problem) ||
            !TryGrace(input, () => Name("killGracePeriod"), out TimeSpan? grace, ref problem))
        {
            // Each check that fails sets the problem.
            System.Diagnostics.Debug.Assert(problem is not null);
            return false;
        }

        var settings = new ExplicitSettings
        {
            TaskId = input.TaskId,
            RunsRoot = Blank(input.RunsRoot) ? null : input.RunsRoot,
            ApprovalPolicy = policy,
            SandboxMode = mode,
            Network = network,
            WritableRoots = input.WritableRoots?.Where(r => !Blank(r)).Select(r => r.Trim()).ToArray() is { Length: > 0 } roots ? [.. roots] : null,
            MaxAttempts = (int?)attempts,
            EventBudgetBytes = budget,
            CaptureBytes = (int?)capture,
        };
        result = new RunSettingsInput(
            settings,
            grace,
            Blank(input.OtelEndpoint) ? null : input.OtelEndpoint!.Trim(),
            [.. (input.Notify ?? []).Where(t => !Blank(t)).Select(t => t.Trim())]);
        return true;
    }

    private static bool TryEnum<T>(string? text, Func<string> parameter, EnumNames<T> names, out T? value, ref OutcomeMessage? problem)
        where T : struct, Enum
    {
        value = null;
        if (Blank(text))
        {
            return true;
        }

        if (!names.TryParseParameter(text!, out T parsed))
        {
            problem = MessageCatalogue.InvalidValue(parameter(), text!.Trim(), "use " + names.Expected);
            return false;
        }

        value = parsed;
        return true;
    }

    private static bool TryBoolean(string? text, Func<string> parameter, out bool? value, ref OutcomeMessage? problem)
    {
        value = null;
        if (Blank(text))
        {
            return true;
        }

        if (!bool.TryParse(text!.Trim(), out bool parsed))
        {
            problem = MessageCatalogue.InvalidValue(parameter(), text.Trim(), "use true or false");
            return false;
        }

        value = parsed;
        return true;
    }

    private static bool TryInteger(string? text, Func<string> parameter, long min, long max, string hint, out long? value, ref OutcomeMessage? problem)
    {
        value = null;
        if (Blank(text))
        {
            return true;
        }

        if (!long.TryParse(text!.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed) || parsed < min || parsed > max)
        {
            problem = MessageCatalogue.InvalidValue(parameter(), text.Trim(), hint);
            return false;
        }

        value = parsed;
        return true;
    }

    private static bool TryGrace(RunInput input, Func<string> parameter, out TimeSpan? grace, ref OutcomeMessage? problem)
    {
        grace = null;
        if (Blank(input.KillGracePeriod))
        {
            return true;
        }

        string text = input.KillGracePeriod!.Trim();
        if (text is "0" or "0s" or "0ms")
        {
            grace = TimeSpan.Zero;
            return true;
        }

        if (!Durations.TryParse(text, input.PlainDurationUnit, out TimeSpan parsed, out string? why))
        {
            problem = MessageCatalogue.InvalidValue(parameter(), text, why + "; 0 kills at once");
            return false;
        }

        grace = parsed;
        return true;
    }

    private static bool Blank(string? text) => string.IsNullOrWhiteSpace(text);
}
