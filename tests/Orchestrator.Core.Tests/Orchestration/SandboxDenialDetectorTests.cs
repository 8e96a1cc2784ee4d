using Orchestrator.Core.Orchestration.Sandbox;

namespace Orchestrator.Core.Tests.Orchestration;

[TestClass]
public sealed class SandboxDenialDetectorTests
{
    [TestMethod]
    [DataRow("touch: cannot touch '/etc/x': Read-only file system")]
    [DataRow("mkdir: cannot create directory '/opt/x': Permission denied")]
    [DataRow("error: EROFS: read-only file system, open '/usr/lib/node_modules/x'")]
    [DataRow("chmod: changing permissions of '/bin/sh': Operation not permitted")]
    public void FileSystemRefusalsAreDenials(string stderr)
    {
        var denial = SandboxDenialDetector.Detect(1, "", "some output\n" + stderr + "\nmore", networkDisabled: false);

        Assert.IsNotNull(denial);
        Assert.AreEqual(SandboxDenialKind.FileSystem, denial.Kind);
        Assert.AreEqual(stderr, denial.Evidence, "the evidence is the whole line that shows it");
    }

    [TestMethod]
    [DataRow("curl: (6) Could not resolve host: api.nuget.org")]
    [DataRow("ping: example.com: Temporary failure in name resolution")]
    [DataRow("connect: Network is unreachable")]
    public void NetworkFailuresAreDenialsOnlyWhenTheNetworkIsOff(string stderr)
    {
        Assert.AreEqual(SandboxDenialKind.Network, SandboxDenialDetector.Detect(6, "", stderr, networkDisabled: true)!.Kind);
        Assert.IsNull(SandboxDenialDetector.Detect(6, "", stderr, networkDisabled: false));
    }

    [TestMethod]
    public void SuccessAndOrdinaryFailuresAreNotDenials()
    {
        Assert.IsNull(SandboxDenialDetector.Detect(0, "", "Permission denied", networkDisabled: true));
        Assert.IsNull(SandboxDenialDetector.Detect(1, "3 tests failed", "Assert.AreEqual failed", networkDisabled: true));
        Assert.IsNull(SandboxDenialDetector.Detect(null, "", "Read-only file system", networkDisabled: true));
    }
}
