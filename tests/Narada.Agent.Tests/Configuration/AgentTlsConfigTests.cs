using Narada.Agent.Configuration;
using Narada.Core.Yaml;

namespace Narada.Agent.Tests.Configuration;

public sealed class AgentTlsConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-tls-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string yaml, params string[] files)
    {
        foreach (var file in files)
            File.WriteAllText(Path.Combine(_dir, file), "placeholder");
        var path = Path.Combine(_dir, "agent.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void Tls_section_paths_are_relative_to_the_file()
    {
        var path = Write("tls:\n  ca: pki/ca.pem\n  cert: web01.pem\n  key: web01.key\n  server_name: jobs.example\n", "web01.pem", "web01.key");
        Directory.CreateDirectory(Path.Combine(_dir, "pki"));
        File.WriteAllText(Path.Combine(_dir, "pki", "ca.pem"), "placeholder");

        var tls = AgentConfig.Load(path).Tls;

        Assert.NotNull(tls);
        Assert.True(tls.Enabled);
        Assert.Equal(Path.Combine(_dir, "pki", "ca.pem"), tls.CaFile);
        Assert.Equal(Path.Combine(_dir, "web01.pem"), tls.CertificateFile);
        Assert.Equal(Path.Combine(_dir, "web01.key"), tls.KeyFile);
        Assert.Equal("jobs.example", tls.TargetHost);
    }

    [Fact]
    public void Without_a_tls_section_the_agent_speaks_plain_tcp()
    {
        Assert.Null(AgentConfig.Load(Write("tags: [linux]\n")).Tls);
    }

    [Fact]
    public void A_missing_certificate_file_is_an_error_with_its_position()
    {
        var e = Assert.Throws<YamlFileException>(() => AgentConfig.Load(Write("tls:\n  cert: nope.pem\n")));
        Assert.Contains("nope.pem", e.Message);
        Assert.Contains(":2:", e.Message);
    }

    [Fact]
    public void An_unknown_tls_key_is_rejected()
    {
        var e = Assert.Throws<YamlFileException>(() => AgentConfig.Load(Write("tls:\n  certificate: x.pem\n")));
        Assert.Contains("certificate", e.Message);
    }

    [Fact]
    public void Command_line_tls_files_win_over_the_file_and_turn_tls_on()
    {
        var path = Write("tags: [linux]\n", "ca.pem", "me.pem", "me.key");
        var overrides = new AgentConfigOverrides
        {
            TlsCa = Path.Combine(_dir, "ca.pem"),
            TlsCertificate = Path.Combine(_dir, "me.pem"),
            TlsKey = Path.Combine(_dir, "me.key"),
        };

        var tls = AgentConfig.Load(path, overrides).Tls;

        Assert.NotNull(tls);
        Assert.Equal(Path.Combine(_dir, "me.pem"), tls.CertificateFile);
    }
}
