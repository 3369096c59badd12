using Microsoft.Extensions.Options;

namespace Moderation.Ml.Serving;

/// <summary>Configuration section "Moderation:Model".</summary>
public sealed class ModelOptions
{
    public const string Section = "Moderation:Model";

    /// <summary>False: no model classifier is registered (keywords only).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Directory holding model.json and its zip. Default: the model shipped next to the app (&lt;app&gt;/classifier).</summary>
    public string ModelDirectory { get; set; } = Path.Combine(AppContext.BaseDirectory, "classifier");

    /// <summary>How often to look for a new model version in <see cref="ModelDirectory"/>. 0 disables hot swap.</summary>
    public int ReloadIntervalSeconds { get; set; } = 30;

    /// <summary>Prediction engines (and scratch buffers) kept in the pools. 0 = twice the processor count.</summary>
    public int MaxPooledEngines { get; set; }

    /// <summary>
    /// Score through pooled ML.NET prediction engines instead of the direct path (the same weights read out
    /// of the model and checked against the engine at load, about twice as fast). For diagnosis.
    /// </summary>
    public bool UseMlNetEngine { get; set; }
}

public sealed class ModelOptionsValidator : IValidateOptions<ModelOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ModelDirectory))
        {
            errors.Add($"{ModelOptions.Section}:ModelDirectory is required when the model is enabled");
        }
        else if (!File.Exists(Path.Combine(options.ModelDirectory, ModelManifest.FileName)))
        {
            errors.Add($"{ModelOptions.Section}:ModelDirectory '{Path.GetFullPath(options.ModelDirectory)}' holds no {ModelManifest.FileName}: train a model (`moderation train`), point the setting at one, or set {ModelOptions.Section}:Enabled=false");
        }

        if (options.ReloadIntervalSeconds < 0)
        {
            errors.Add($"{ModelOptions.Section}:ReloadIntervalSeconds must be >= 0");
        }

        if (options.MaxPooledEngines < 0)
        {
            errors.Add($"{ModelOptions.Section}:MaxPooledEngines must be >= 0");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
