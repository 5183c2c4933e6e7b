using System.Globalization;

using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>Reads a <c>kind: Apply</c> document: targets, files, rollout, optional schedule and vars.</summary>
internal static class ApplyParser
{
    public static ApplyDefinition? Parse(MappingReader reader, string name, DefinitionSource source)
    {
        var targets = DefinitionParts.Targets(reader, allowRoundRobin: false);
        var files = Files(reader);
        var rolloutReader = reader.Map("rollout");
        var rollout = rolloutReader is null ? Rollout.Default : ReadRollout(rolloutReader);
        var schedule = DefinitionParts.Schedule(reader, required: false, out var scheduleFailed);
        var vars = reader.Vars("vars");
        reader.RejectUnknownKeys(DefinitionKind.Apply);
        if (targets is null || files is null || rollout is null || scheduleFailed)
        {
            return null;
        }

        return new ApplyDefinition(name, targets, files, rollout, source) { Schedule = schedule, Vars = vars };
    }

    private static List<ApplyFile>? Files(MappingReader reader)
    {
        var sequence = reader.Sequence("files", required: true);
        if (sequence is null)
        {
            return null;
        }

        if (sequence.Children.Count == 0)
        {
            reader.Context.Error(sequence, "files", "files needs at least one file");
            return null;
        }

        var files = new List<ApplyFile>();
        var failed = false;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = MappingReader.For(sequence.Children[i], $"files[{i}]", reader.Context);
            var file = item is null ? null : ReadFile(item);
            failed |= file is null;
            if (file is not null)
            {
                files.Add(file);
            }
        }

        return failed ? null : files;
    }

    private static ApplyFile? ReadFile(MappingReader reader)
    {
        var context = reader.Context;
        var errorsBefore = context.ErrorCount;
        var pathNode = reader.Value("path", required: true);
        var path = pathNode is null ? null : reader.Scalar(pathNode, reader.PathOf("path"));
        if (path is not null && !path.StartsWith('/'))
        {
            context.Error(pathNode!, reader.PathOf("path"), $"'{path}' must be an absolute path");
        }

        var templateNode = reader.Value("template");
        var template = reader.String("template");
        var content = reader.String("content");
        if (templateNode is not null && reader.Value("content") is not null)
        {
            context.Error(reader.Node, reader.Path, "a file has either template or content, not both");
        }
        else if (templateNode is null && reader.Value("content") is null)
        {
            reader.Missing("template", "template (a file under the config directory) or content (inline text)");
        }
        else if (template is not null)
        {
            CheckTemplate(reader, templateNode!, template);
        }

        var mode = Mode(reader);
        var owner = reader.String("owner");
        var group = reader.String("group");
        var validateNode = reader.Value("validate");
        var validate = reader.String("validate");
        if (validate is not null && !validate.Contains("%s", StringComparison.Ordinal))
        {
            context.Error(validateNode!, reader.PathOf("validate"), $"validate must contain %s, the path of the new file (e.g. \"nginx -t -c %s\")");
        }

        var onChange = reader.String("on_change");
        reader.RejectUnknownKeys("an apply file");
        if (path is null || context.ErrorCount != errorsBefore)
        {
            return null;
        }

        return new ApplyFile(path)
        {
            Template = template,
            Content = content,
            Mode = mode,
            Owner = owner,
            Group = group,
            Validate = validate,
            OnChange = onChange,
        };
    }

    private static void CheckTemplate(MappingReader reader, YamlDotNet.RepresentationModel.YamlNode node, string template)
    {
        var path = reader.PathOf("template");
        if (Path.IsPathRooted(template))
        {
            reader.Context.Error(node, path, $"'{template}' must be relative to the config directory (e.g. templates/motd.scriban)");
        }
        else if (!IsInside(reader.Document().ConfigDirectory, template))
        {
            reader.Context.Error(node, path, $"'{template}' leaves the config directory; templates must live under it");
        }
        else if (!File.Exists(Path.Combine(reader.Document().ConfigDirectory, template)))
        {
            reader.Context.Error(node, path, $"template '{template}' not found under {reader.Document().ConfigDirectory}");
        }
    }

    private static bool IsInside(string directory, string relative)
    {
        var root = Path.GetFullPath(directory);
        var full = Path.GetFullPath(Path.Combine(root, relative));
        return full.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static UnixFileMode? Mode(MappingReader reader)
    {
        var node = reader.Value("mode");
        if (node is null || reader.Scalar(node, reader.PathOf("mode")) is not { } text)
        {
            return null;
        }

        var valid = text.Length is 3 or 4 && text.All(c => c is >= '0' and <= '7');
        if (!valid)
        {
            reader.Context.Error(node, reader.PathOf("mode"), $"'{text}' is not an octal file mode (e.g. \"0644\")");
            return null;
        }

        return (UnixFileMode)System.Convert.ToInt32(text, 8);
    }

    private static Rollout? ReadRollout(MappingReader reader)
    {
        var errorsBefore = reader.Context.ErrorCount;
        var batch = Amount(reader, "batch", minimum: 1) ?? Rollout.Default.Batch;
        var maxFailures = Amount(reader, "max_failures", minimum: 0) ?? Rollout.Default.MaxFailures;
        var pause = reader.Duration("pause", allowZero: true) ?? Rollout.Default.Pause;
        reader.RejectUnknownKeys("rollout");
        return reader.Context.ErrorCount == errorsBefore ? new Rollout(batch, maxFailures, pause) : null;
    }

    private static RolloutAmount? Amount(MappingReader reader, string key, int minimum)
    {
        var node = reader.Value(key);
        if (node is null || reader.Scalar(node, reader.PathOf(key)) is not { } text)
        {
            return null;
        }

        if (!RolloutAmount.TryParse(text, out var amount, out var reason))
        {
            reader.Context.Error(node, reader.PathOf(key), reason);
            return null;
        }

        if (amount.Value < minimum)
        {
            reader.Context.Error(node, reader.PathOf(key), $"must be at least {minimum.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }

        return amount;
    }
}
