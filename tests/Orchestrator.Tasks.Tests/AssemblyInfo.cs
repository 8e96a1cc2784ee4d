// Each test starts real `dotnet msbuild` processes; two at a time keeps both cores busy.
[assembly: Parallelize(Workers = 2, Scope = ExecutionScope.MethodLevel)]

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
