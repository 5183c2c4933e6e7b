using System.Runtime.Versioning;
using Narada.Agent.Apply;
using Narada.Controller.Rendering;
using Narada.Core.Contracts;

namespace Narada.Controller.Tests.Rendering;

/// <summary>The controller's rendered content and sha256 are exactly what the agent's apply engine accepts.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class RenderThenApplyTests : IDisposable
{
    private readonly string _base = Directory.CreateTempSubdirectory("narada-render-apply-").FullName;

    public void Dispose() => Directory.Delete(_base, recursive: true);

    [Fact]
    public async Task Rendered_non_ascii_content_is_applied_byte_for_byte_then_unchanged()
    {
        var templates = Directory.CreateDirectory(Path.Join(_base, "templates")).FullName;
        var root = Directory.CreateDirectory(Path.Join(_base, "etc")).FullName;
        await File.WriteAllTextAsync(Path.Join(templates, "motd.scriban"), "Grüße von {{ host.name }} — {{ vars.motto }}\n");
        var renderer = new TemplateRenderer(templates, new SecretStore(null));
        var variables = new TemplateVariables
        {
            HostName = "wëb01",
            Defaults = new Dictionary<string, object?> { ["motto"] = "ναρада ✓" },
        };
        var rendered = renderer.Render("motd.scriban", variables);
        Assert.True(rendered.Succeeded, string.Join("\n", rendered.Errors));
        var engine = new ApplyEngine(new ProcessCommandRunner());
        var policy = new ApplyPolicy { AllowedRoots = [root], BackupDirectory = Path.Join(_base, "backup") };
        var spec = new ApplySpec(Path.Join(root, "motd"), rendered.Content!, rendered.Sha256!, Mode: "0644");

        var first = await engine.ApplyAsync(spec, policy);
        var second = await engine.ApplyAsync(spec, policy);

        Assert.Equal(ApplyOutcome.Changed, first.Outcome);
        Assert.Equal("Grüße von wëb01 — ναρада ✓\n", await File.ReadAllTextAsync(spec.Path));
        Assert.Equal(ApplyOutcome.Unchanged, second.Outcome);
    }
}
