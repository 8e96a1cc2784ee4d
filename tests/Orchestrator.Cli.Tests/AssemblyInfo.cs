// Each test starts real processes on two shared cores; classes run in parallel, tests in a class in order.
[assembly: Parallelize(Workers = 2, Scope = ExecutionScope.ClassLevel)]

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
