using System.Globalization;
using System.Text;
using CsCheck;
using Narada.Gearman.Client;
using Narada.Testing;

namespace Narada.Gearman.Tests.Client;

[Trait("Category", "Peers")]
public sealed class UniqueHashTests
{
    [Fact]
    public void Crc32_matches_the_standard_check_value() =>
        Assert.Equal(0xCBF43926u, UniqueHash.Crc32("123456789"u8));

    [Fact]
    public async Task Server_choice_agrees_with_the_perl_client_formula()
    {
        var uniques = Gen.String[Gen.Char['!', '~'], 1, 40].Array[20].Single();
        // Gearman::Task::hash is (crc32(uniq) >> 16) & 0x7fff, and the client takes it modulo the server count.
        const string script = "use String::CRC32; for (@ARGV) { print crc32($_), \"\\n\" }";
        // "--": perl reads switches up to the first plain argument, so a unique starting with '-' would be taken for one
        var perl = await ExternalProcess.RunAsync(RequiredTool.Perl, ["-e", script, "--", .. uniques]);
        Assert.Equal(0, perl.ExitCode);
        var crcs = perl.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(s => uint.Parse(s, CultureInfo.InvariantCulture)).ToArray();

        for (int i = 0; i < uniques.Length; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(uniques[i]);
            Assert.Equal(crcs[i], UniqueHash.Crc32(bytes));
            foreach (int servers in new[] { 2, 3, 7 })
                Assert.Equal((int)(((crcs[i] >> 16) & 0x7fff) % servers), UniqueHash.ServerIndex(bytes, servers));
        }
    }
}
