using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moderation.Contracts;
using Moderation.Core.Classification;
using Moderation.Detection.Hosting;
using Moderation.Ml.Features;

namespace Moderation.Ml.Serving;

/// <summary>
/// The ML.NET model as an <see cref="IContentClassifier"/>. Holds one <see cref="LoadedModel"/> at a
/// time behind a volatile reference: a new version is loaded and verified completely off to the side,
/// then swapped in with one reference write, so a caller sees either the old model or the new one,
/// never a half-loaded one. Callers already inside the old model finish on it.
/// </summary>
public sealed class ModelClassifier : IContentClassifier, IDisposable
{
    private readonly string _directory;
    private readonly int _maxEngines;
    private readonly bool _useEngine;
    private readonly ILogger _logger;
    private readonly ITimer? _timer;
    private readonly Lock _reloadLock = new();
    private readonly DetectorFeatureSource? _detector;
    private volatile LoadedModel _current;

    /// <param name="detectorRules">The worker's detector, when it runs one: a model trained with detector
    /// features reads them from the same live rules the decision names; without it, from the shipped lists.</param>
    public ModelClassifier(IOptions<ModelOptions> options, TimeProvider time, ILogger<ModelClassifier>? logger = null, DetectorRulesProvider? detectorRules = null)
        : this(options.Value, time, logger, detectorRules is null ? null : new DetectorFeatureSource(() => detectorRules.Current))
    {
    }

    public ModelClassifier(ModelOptions options, TimeProvider time, ILogger? logger = null, DetectorFeatureSource? detector = null)
    {
        _directory = options.ModelDirectory;
        _maxEngines = options.MaxPooledEngines;
        _useEngine = options.UseMlNetEngine;
        _logger = logger ?? NullLogger.Instance;
        _detector = detector;
        _current = LoadedModel.Load(_directory, _maxEngines, _useEngine, _detector); // throws ModelLoadException with the reason
        _logger.LogInformation("Model {Version} loaded from {Directory} (categories {Categories})", _current.Version, _directory, string.Join(",", _current.Categories));
        if (options.ReloadIntervalSeconds > 0)
        {
            var period = TimeSpan.FromSeconds(options.ReloadIntervalSeconds);
            _timer = time.CreateTimer(_ => TryReload(), null, period, period);
        }
    }

    public string Kind => ClassifierKinds.Model;

    public LoadedModel Current => _current;

    public ClassifierResult Classify(string text)
    {
        var model = _current; // one read: version and scores always come from the same model
        Span<float> probabilities = stackalloc float[model.Categories.Count];
        model.Predict(text, probabilities);
        var scores = new CategoryScore[probabilities.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = new CategoryScore(model.Categories[i], null, probabilities[i], ClassifierKinds.Model);
        }

        return new ClassifierResult(ClassifierKinds.Model, model.Version, [], scores);
    }

    /// <summary>Thresholds saved with the current model, keyed by category code.</summary>
    public IReadOnlyDictionary<string, CategoryThresholds> Thresholds => _current.Manifest.Thresholds;

    /// <summary>
    /// Loads the directory's model if its version differs from the current one. A broken or
    /// half-written model is logged and skipped; the current model keeps serving.
    /// </summary>
    public bool TryReload()
    {
        lock (_reloadLock)
        {
            try
            {
                var manifest = ModelManifest.Read(Path.Combine(_directory, ModelManifest.FileName));
                if (manifest.Version == _current.Version)
                {
                    return false;
                }

                var next = LoadedModel.Load(_directory, _maxEngines, _useEngine, _detector);
                var previous = _current.Version;
                _current = next;
                _logger.LogInformation("Model hot-swapped {Previous} -> {Version}", previous, next.Version);
                return true;
            }
            catch (Exception e) when (e is ModelLoadException or IOException or System.Text.Json.JsonException or InvalidDataException or UnauthorizedAccessException)
            {
                _logger.LogWarning(e, "Model reload from {Directory} skipped; still serving {Version}", _directory, _current.Version.ToString(CultureInfo.InvariantCulture));
                return false;
            }
        }
    }

    public void Dispose() => _timer?.Dispose();
}
