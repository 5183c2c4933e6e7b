using Narada.Controller.Rendering;

namespace Narada.Controller.Tests.Rendering;

/// <summary>Secrets come from the secrets directory or NARADA_SECRET_* on the controller; a missing one stops the render.</summary>
public sealed class SecretStoreTests : IDisposable
{
    private readonly string _base = Directory.CreateTempSubdirectory("narada-secrets-").FullName;
    private readonly string _secrets;
    private readonly TemplateRenderer _renderer;
    private readonly string _unique = Guid.NewGuid().ToString("N")[..8];
    private static readonly TemplateVariables Host = new() { HostName = "db01" };

    public SecretStoreTests()
    {
        _secrets = Directory.CreateDirectory(Path.Join(_base, "secrets")).FullName;
        var templates = Directory.CreateDirectory(Path.Join(_base, "templates")).FullName;
        _renderer = new TemplateRenderer(templates, new SecretStore(_secrets));
    }

    public void Dispose() => Directory.Delete(_base, recursive: true);

    [Fact]
    public void A_secret_file_is_read_without_its_final_newline()
    {
        File.WriteAllText(Path.Join(_secrets, "db_password"), "s3cr3t\n");

        var result = _renderer.RenderText("password={{ secret \"db_password\" }}\n", "db.conf", Host);

        Assert.Equal("password=s3cr3t\n", result.Content);
    }

    [Fact]
    public void A_secret_comes_from_the_environment_when_there_is_no_file()
    {
        var name = $"api-key.{_unique}";
        var variable = SecretStore.EnvironmentVariable(name);
        Assert.Equal($"NARADA_SECRET_API_KEY_{_unique.ToUpperInvariant()}", variable);
        Environment.SetEnvironmentVariable(variable, "from-env");
        try
        {
            var result = _renderer.RenderText($"key={{{{ secret '{name}' }}}}", "api.conf", Host);

            Assert.Equal("key=from-env", result.Content);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void A_missing_secret_is_an_error_saying_where_it_looked()
    {
        var name = $"missing_{_unique}";

        var result = _renderer.RenderText($"line\nx={{{{ secret \"{name}\" }}}}\n", "app.conf", Host);

        var error = Assert.Single(result.Errors);
        Assert.Null(result.Content);
        Assert.Equal(("app.conf", 2), (error.Template, error.Line));
        Assert.Equal(
            $"secret \"{name}\" not found: no file {Path.Join(_secrets, name)} and no environment variable {SecretStore.EnvironmentVariable(name)}",
            error.Message);
    }

    [Theory]
    [InlineData("../secrets/x")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    public void Secret_names_cannot_walk_the_file_system(string name)
    {
        File.WriteAllText(Path.Join(_secrets, "x"), "no");

        var error = Assert.Single(_renderer.RenderText($"{{{{ secret '{name}' }}}}", "t", Host).Errors);

        Assert.Contains("must be letters, digits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Secrets_are_not_variables()
    {
        File.WriteAllText(Path.Join(_secrets, "token"), "t0k3n");

        var result = _renderer.RenderText("{{ token }}", "t", Host);

        Assert.False(result.Succeeded);
    }
}
