// Process-heavy tests share two cores; class-level parallelism keeps wall time down without
// letting timing-sensitive process tests inside one class race each other.
[assembly: Parallelize(Workers = 2, Scope = ExecutionScope.ClassLevel)]

// The runtime under test is Linux-only (posix_spawn, pidfd, bubblewrap).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
