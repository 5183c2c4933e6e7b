using System.Text.Json;
using Narada.Controller.Rendering;

namespace Narada.Controller.Tests.Rendering;

/// <summary>Real template files in a temp templates directory, rendered strictly.</summary>
public sealed class TemplateRendererTests : IDisposable
{
    private readonly string _base = Directory.CreateTempSubdirectory("narada-render-").FullName;
    private readonly string _templates;
    private readonly TemplateRenderer _renderer;

    public TemplateRendererTests()
    {
        _templates = Directory.CreateDirectory(Path.Join(_base, "templates")).FullName;
        _renderer = new TemplateRenderer(_templates, new SecretStore(Path.Join(_base, "secrets")));
    }

    public void Dispose() => Directory.Delete(_base, recursive: true);

    private static TemplateVariables Web01 => new()
    {
        HostName = "web01",
        Tags = ["linux", "web"],
        Defaults = new Dictionary<string, object?> { ["port"] = 80, ["nginx"] = new Dictionary<string, object?> { ["workers"] = 2, ["gzip"] = false } },
        GroupVars = [new Dictionary<string, object?> { ["port"] = 8080, ["nginx"] = new Dictionary<string, object?> { ["workers"] = 4 } }],
        HostVars = new Dictionary<string, object?> { ["nginx"] = new Dictionary<string, object?> { ["gzip"] = true } },
        Facts = Facts("""{"os": {"family": "debian", "version": 13}, "cpus": 2, "addresses": ["10.0.0.1", "10.0.0.2"]}"""),
    };

    private static Dictionary<string, object?> Facts(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!.ToDictionary(e => e.Key, e => (object?)e.Value);

    private string Write(string name, string text)
    {
        var path = Path.Join(_templates, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return name;
    }

    [Fact]
    public void Renders_host_vars_and_facts_and_hashes_the_result()
    {
        var name = Write("nginx.conf.scriban", """
            # {{ host.name }} ({{ host.tags | array.join "," }}) on {{ facts.os.family }} {{ facts.os.version }}
            worker_processes {{ vars.nginx.workers }};
            gzip {{ if vars.nginx.gzip }}on{{ else }}off{{ end }};
            listen {{ vars.port }};
            {{~ for address in facts.addresses ~}}
            allow {{ address }};
            {{~ end ~}}

            """);

        var result = _renderer.Render(name, Web01);

        Assert.Empty(result.Errors);
        Assert.Equal("""
            # web01 (linux,web) on debian 13
            worker_processes 4;
            gzip on;
            listen 8080;
            allow 10.0.0.1;
            allow 10.0.0.2;

            """, result.Content);
        Assert.Equal(ContentHash.Sha256(result.Content!), result.Sha256);
        Assert.Matches("^[0-9a-f]{64}$", result.Sha256);
    }

    [Fact]
    public void Undefined_variable_is_an_error_with_line_and_column_not_an_empty_string()
    {
        var name = Write("site.conf.scriban", "server {\n  listen {{ vars.port }};\n  root {{ docroot }};\n}\n");

        var result = _renderer.Render(name, Web01);

        Assert.False(result.Succeeded);
        Assert.Null(result.Content);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("site.conf.scriban", 3, 11), (error.Template, error.Line, error.Column));
        Assert.Contains("docroot", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Undefined_member_of_a_map_is_an_error_too()
    {
        var result = _renderer.RenderText("a\nworkers {{ vars.nginx.threads }}\n", "inline:motd", Web01);

        var error = Assert.Single(result.Errors);
        Assert.Equal("inline:motd", error.Template);
        Assert.Equal(2, error.Line);
        Assert.Contains("threads", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_error_names_its_position()
    {
        var name = Write("broken.scriban", "ok\nline two {{ if vars.port }}\nno end here\n");

        var result = _renderer.Render(name, Web01);

        Assert.False(result.Succeeded);
        var error = result.Errors[0];
        Assert.Equal("broken.scriban", error.Template);
        Assert.Equal(2, error.Line);
        Assert.StartsWith("broken.scriban(", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_error_in_an_expression_points_at_the_bad_token()
    {
        var result = _renderer.RenderText("first\nsecond {{ vars.port + }}\n", "bad.scriban", Web01);

        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.Line);
        Assert.Equal("second {{ vars.port + ".Length + 1, error.Column);
    }

    [Fact]
    public void Include_renders_a_template_from_the_same_directory()
    {
        Write("partials/header.scriban", "# managed by narada for {{ host.name }}\n");
        var name = Write("motd.scriban", "{{ include 'partials/header.scriban' }}Welcome to {{ host.name }}\n");

        var result = _renderer.Render(name, Web01);

        Assert.Empty(result.Errors);
        Assert.Equal("# managed by narada for web01\nWelcome to web01\n", result.Content);
    }

    [Fact]
    public void Errors_inside_an_included_template_name_that_template()
    {
        Write("partials/footer.scriban", "line one\n{{ missing_thing }}\n");
        var name = Write("page.scriban", "{{ include 'partials/footer.scriban' }}\n");

        var error = Assert.Single(_renderer.Render(name, Web01).Errors);

        Assert.Equal((Path.Join("partials", "footer.scriban"), 2, 4), (error.Template, error.Line, error.Column));
    }

    [Theory]
    [InlineData("../outside.scriban", "escapes the templates directory")]
    [InlineData("/etc/passwd", "must be a path relative to the templates directory")]
    [InlineData("nope.scriban", "not found in the templates directory")]
    public void Include_cannot_leave_the_templates_directory(string include, string reason)
    {
        File.WriteAllText(Path.Join(_base, "outside.scriban"), "secret stuff\n");
        var name = Write("evil.scriban", $"x\n{{{{ include '{include}' }}}}\n");

        var error = Assert.Single(_renderer.Render(name, Web01).Errors);

        Assert.Equal(("evil.scriban", 2), (error.Template, error.Line));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Include_through_a_symlink_that_leaves_the_directory_is_refused()
    {
        File.WriteAllText(Path.Join(_base, "outside.scriban"), "secret stuff\n");
        File.CreateSymbolicLink(Path.Join(_templates, "link.scriban"), Path.Join(_base, "outside.scriban"));
        var name = Write("evil.scriban", "{{ include 'link.scriban' }}");

        var error = Assert.Single(_renderer.Render(name, Web01).Errors);

        Assert.Contains("symlink that escapes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_path_outside_the_directory_is_an_error_not_a_read()
    {
        var error = Assert.Single(_renderer.Render("../../etc/passwd", Web01).Errors);

        Assert.Equal("../../etc/passwd", error.Template);
        Assert.Contains("escapes the templates directory", error.Message, StringComparison.Ordinal);
    }
}
