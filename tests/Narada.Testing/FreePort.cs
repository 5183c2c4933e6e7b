using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Narada.Testing;

/// <summary>
/// Picks loopback ports nobody listens on. Ports come from below the kernel's ephemeral range (32768+), so an outgoing
/// connection cannot take one between the pick and the bind. No port is handed out twice in one test run, in this
/// process or in another: the test projects run in parallel processes, and two of them could otherwise pick the same
/// free port before either binds it. Ports handed out are noted, under an exclusive lock, in a file every test process
/// shares, and not handed out again for <see cref="Reserved"/>.
/// </summary>
public static class FreePort
{
    private const int First = 20000;
    private const int Last = 32767;
    private static readonly TimeSpan Reserved = TimeSpan.FromMinutes(10);
    private static readonly string SharedFile = Path.Combine(Path.GetTempPath(), "narada-test-ports");
    private static readonly HashSet<int> HandedOut = [];

    public static int Next()
    {
        lock (HandedOut)
        {
            using var shared = OpenShared();
            var taken = ReadRecent(shared);
            for (int attempt = 0; attempt < 1000; attempt++)
            {
                int port = Random.Shared.Next(First, Last + 1);
                if (HandedOut.Contains(port) || taken.Contains(port) || !IsFree(port))
                    continue;
                HandedOut.Add(port);
                Append(shared, port);
                return port;
            }
        }
        throw new InvalidOperationException($"no free loopback port between {First} and {Last}");
    }

    /// <summary>The shared file, opened exclusively (FileShare.None is an flock on Linux): other test processes wait.</summary>
    private static FileStream OpenShared()
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(SharedFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 2000)
            {
                Thread.Sleep(5);
            }
        }
    }

    /// <summary>Ports another process (or this one) handed out within <see cref="Reserved"/>; older lines are dropped.</summary>
    private static HashSet<int> ReadRecent(FileStream shared)
    {
        long cutoff = DateTimeOffset.UtcNow.Add(-Reserved).ToUnixTimeSeconds();
        var recent = new List<(int Port, long At)>();
        shared.Position = 0;
        using (var reader = new StreamReader(shared, leaveOpen: true))
        {
            while (reader.ReadLine() is { } line)
            {
                var fields = line.Split(' ');
                if (fields.Length == 2 && int.TryParse(fields[0], CultureInfo.InvariantCulture, out int port)
                    && long.TryParse(fields[1], CultureInfo.InvariantCulture, out long at) && at >= cutoff)
                    recent.Add((port, at));
            }
        }
        shared.SetLength(0);
        using (var writer = new StreamWriter(shared, leaveOpen: true))
        {
            foreach (var (port, at) in recent)
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{port} {at}"));
        }
        return [.. recent.Select(r => r.Port)];
    }

    private static void Append(FileStream shared, int port)
    {
        shared.Seek(0, SeekOrigin.End);
        using var writer = new StreamWriter(shared, leaveOpen: true);
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{port} {DateTimeOffset.UtcNow.ToUnixTimeSeconds()}"));
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
