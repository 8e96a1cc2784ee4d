using Orchestrator.Core.Native;

namespace Orchestrator.Core.Exec;

/// <summary>
/// Finds the program the child will execute the way a shell would, but with the child's PATH and
/// working directory (posix_spawnp would use ours), so start failures can be named precisely.
/// </summary>
public static unsafe class ProgramResolver
{
    public static (string? Path, ProcessStartError? Error) Resolve(string program, string workingDirectory, string? pathVariable)
    {
        if (program.Contains('/'))
        {
            string candidate = System.IO.Path.GetFullPath(program, workingDirectory);
            return Check(candidate, program) switch
            {
                (true, _) => (candidate, null),
                (false, var error) => (null, error),
            };
        }

        ProcessStartError? firstDenied = null;
        foreach (string directory in (pathVariable ?? string.Empty).Split(':'))
        {
            string dir = directory.Length == 0 ? workingDirectory : directory;
            string candidate = System.IO.Path.Combine(dir, program);
            if (!File.Exists(candidate))
            {
                continue;
            }

            var (ok, error) = Check(candidate, program);
            if (ok)
            {
                return (candidate, null);
            }

            firstDenied ??= error;
        }

        return (null, firstDenied ?? new ProcessStartError(
            StartFailureKind.ProgramNotFound,
            $"The program '{program}' was not found on PATH ({Abbreviate(pathVariable)}).",
            LibC.ENOENT));
    }

    private static (bool Ok, ProcessStartError? Error) Check(string candidate, string program)
    {
        if (Directory.Exists(candidate))
        {
            return (false, new ProcessStartError(StartFailureKind.PermissionDenied, $"'{candidate}' is a directory, not a program.", LibC.EACCES));
        }

        if (!File.Exists(candidate))
        {
            return (false, new ProcessStartError(StartFailureKind.ProgramNotFound, $"The program '{program}' does not exist ({candidate}).", LibC.ENOENT));
        }

        using var path = new NativeString(candidate);
        if (LibC.access(path.Pointer, LibC.X_OK) != 0)
        {
            return (false, new ProcessStartError(StartFailureKind.PermissionDenied, $"Permission denied: '{candidate}' is not executable.", LibC.EACCES));
        }

        return (true, null);
    }

    private static string Abbreviate(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "PATH is empty";
        }

        return path.Length <= 200 ? "PATH=" + path : "PATH=" + path[..200] + "...";
    }
}
