using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Narada.Controller.Rendering;

/// <summary>Serves <c>include</c> from the templates directory only: names are relative to it and may not leave it.</summary>
internal sealed class TemplateDirectoryLoader(string root) : ITemplateLoader
{
    public string GetPath(TemplateContext context, SourceSpan callerSpan, string templateName)
    {
        var (path, problem) = TemplateDirectory.Locate(root, templateName);
        return path ?? throw new ScriptRuntimeException(callerSpan, $"include \"{templateName}\": {problem}");
    }

    public string Load(TemplateContext context, SourceSpan callerSpan, string templatePath) => File.ReadAllText(templatePath);

    public async ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
        await File.ReadAllTextAsync(templatePath).ConfigureAwait(false);
}
