using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Core.Tests.Instructions;

/// <summary>Builds real instruction trees on disk for the loader tests.</summary>
internal static class InstructionFiles
{
    /// <summary>An environment with neither ORCHESTRATOR_HOME nor HOME, so no global directory.</summary>
    public static string? NoEnvironment(string name) => null;

    public static Func<string, string?> EnvironmentOf(params (string Name, string Value)[] variables) =>
        name => variables.Where(v => v.Name == name).Select(v => v.Value).FirstOrDefault();

    /// <summary>Writes UTF-8 (no BOM), creating parent directories; returns the full path.</summary>
    public static string Write(string path, string text) => WriteBytes(path, Encoding.UTF8.GetBytes(text));

    public static string WriteBytes(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Creates the directory with a <c>.git</c> directory in it, which is what marks a git root.</summary>
    public static string Repository(string path)
    {
        Directory.CreateDirectory(Path.Combine(path, ".git"));
        return path;
    }

    public static string Sha256(string text) => Sha256(Encoding.UTF8.GetBytes(text));

    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static void Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        string stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, $"{program} {string.Join(' ', args)} failed: {stderr}");
    }
}
