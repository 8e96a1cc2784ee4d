// Each test starts a real `dotnet cake` process (a script compile each); two at a time keeps both cores busy.
[assembly: Parallelize(Workers = 2, Scope = ExecutionScope.MethodLevel)]

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
