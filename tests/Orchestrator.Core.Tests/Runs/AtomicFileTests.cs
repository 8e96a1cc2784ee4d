using System.Text;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Runs;

[TestClass]
public sealed class AtomicFileTests
{
    [TestMethod]
    public async Task ReadersNeverSeeAPartialFileWhileItIsRewritten()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("manifest.json");
        AtomicFile.Write(path, Content(0), durable: false);
        using var stop = new CancellationTokenSource();
        int torn = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                string text = File.ReadAllText(path);
                if (!text.StartsWith('[') || !text.EndsWith(']'))
                {
                    Interlocked.Increment(ref torn);
                }
            }
        });

        for (int i = 1; i <= 500; i++)
        {
            AtomicFile.Write(path, Content(i), durable: i % 100 == 0);
        }

        stop.Cancel();
        await reader;
        Assert.AreEqual(0, torn);
        Assert.AreEqual(Encoding.UTF8.GetString(Content(500)), await File.ReadAllTextAsync(path));
        Assert.AreEqual(1, Directory.GetFiles(dir.Path).Length, "no temp files may be left behind");
    }

    private static byte[] Content(int i) => Encoding.UTF8.GetBytes("[" + new string((char)('a' + (i % 26)), 20_000 + i) + "]");
}
