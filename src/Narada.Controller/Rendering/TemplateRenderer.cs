using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Narada.Controller.Rendering;

/// <summary>Renders Scriban templates from the templates directory in strict mode: anything undefined is an error with its position.</summary>
public sealed class TemplateRenderer
{
    private readonly string _root;
    private readonly SecretStore _secrets;
    private readonly TemplateDirectoryLoader _loader;

    public TemplateRenderer(string templatesDirectory, SecretStore secrets)
    {
        _root = Path.GetFullPath(templatesDirectory).TrimEnd('/');
        _secrets = secrets;
        _loader = new TemplateDirectoryLoader(_root);
    }

    /// <summary>Renders the template file <paramref name="templatePath"/>, relative to the templates directory.</summary>
    public RenderResult Render(string templatePath, TemplateVariables variables)
    {
        var (path, problem) = TemplateDirectory.Locate(_root, templatePath);
        if (path is null)
            return RenderResult.Failed([new TemplateError(templatePath, 0, 0, $"template {problem}")]);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return RenderResult.Failed([new TemplateError(templatePath, 0, 0, $"cannot read the template: {e.Message}")]);
        }
        return RenderParsed(text, path, variables);
    }

    /// <summary>Renders <paramref name="templateText"/> (inline content); <paramref name="templateName"/> names it in errors.</summary>
    public RenderResult RenderText(string templateText, string templateName, TemplateVariables variables) =>
        RenderParsed(templateText, templateName, variables);

    private RenderResult RenderParsed(string text, string sourcePath, TemplateVariables variables)
    {
        var template = Template.Parse(text, sourcePath);
        if (template.HasErrors)
            return RenderResult.Failed([.. template.Messages.Where(m => m.Type == ParserMessageType.Error).Select(ToError)]);

        var context = new TemplateContext
        {
            StrictVariables = true,
            EnableRelaxedMemberAccess = false,
            TemplateLoader = _loader,
        };
        context.PushGlobal(Globals(variables));
        try
        {
            return RenderResult.Rendered(template.Render(context));
        }
        catch (ScriptParserRuntimeException e)
        {
            // An included template did not parse: report its own errors, in its own file.
            return RenderResult.Failed([.. e.ParserMessages.Where(m => m.Type == ParserMessageType.Error).Select(ToError)]);
        }
        catch (ScriptRuntimeException e)
        {
            return RenderResult.Failed([At(e.Span, e.OriginalMessage)]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An included file vanished or became unreadable between lookup and load.
            return RenderResult.Failed([new TemplateError(TemplateDirectory.Display(_root, sourcePath), 0, 0, e.Message)]);
        }
    }

    private ScriptObject Globals(TemplateVariables variables)
    {
        var globals = new ScriptObject(StringComparer.Ordinal);
        globals.SetValue("host", ScriptValues.Object([
            KeyValuePair.Create<string, object?>("name", variables.HostName),
            KeyValuePair.Create<string, object?>("tags", variables.Tags.ToList<object?>()),
        ]), readOnly: true);
        globals.SetValue("vars", ScriptValues.Object(variables.Merged()), readOnly: true);
        globals.SetValue("facts", ScriptValues.Object(variables.Facts), readOnly: true);
        globals.Import("secret", new Func<TemplateContext, SourceSpan, string, string>(Secret));
        return globals;
    }

    private string Secret(TemplateContext context, SourceSpan span, string name)
    {
        var (value, error) = _secrets.Read(name);
        return value ?? throw new ScriptRuntimeException(span, error ?? $"secret \"{name}\" not found");
    }

    private TemplateError ToError(LogMessage message) => At(message.Span, message.Message);

    // Scriban counts lines and columns from 0; editors and people count from 1.
    private TemplateError At(SourceSpan span, string message) =>
        new(TemplateDirectory.Display(_root, span.FileName), span.Start.Line + 1, span.Start.Column + 1, message);
}
