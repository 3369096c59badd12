using System.Security.Cryptography;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;
using Moderation.Ml.Features;
using Moderation.Ml.Training;

namespace Moderation.Ml.Serving;

/// <summary>
/// One fully loaded model version: manifest, featurizer and a pool of prediction engines.
/// Immutable once constructed; <see cref="PredictionEngine{TSrc,TDst}"/> is not thread-safe, so each
/// caller rents its own engine (with its own scratch buffers) from the pool.
/// </summary>
public sealed class LoadedModel
{
    private readonly ObjectPool<Predictor> _pool;

    private LoadedModel(ModelManifest manifest, string directory, ITransformer transformer, MLContext ml, int maxRetained)
    {
        Manifest = manifest;
        Directory = directory;
        Featurizer = new TextFeaturizer(manifest.Featurizer);
        var dimension = Featurizer.Dimension;
        var heads = manifest.Categories.Count;
        var featurizer = Featurizer;
        _pool = new DefaultObjectPool<Predictor>(
            new Policy(() => new Predictor(
                ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(transformer, ignoreMissingColumns: true, MlSchemas.For<ModelInput>(dimension), MlSchemas.Output(heads)),
                featurizer,
                dimension)),
            maxRetained);
    }

    public ModelManifest Manifest { get; }
    public string Directory { get; }
    public TextFeaturizer Featurizer { get; }
    public string Version => Manifest.Version;
    public IReadOnlyList<int> Categories => Manifest.Categories;

    /// <summary>
    /// Loads and verifies a model directory completely (checksum, schema, one warm-up prediction)
    /// before anyone can see it. Throws <see cref="ModelLoadException"/> with a clear reason.
    /// </summary>
    public static LoadedModel Load(string directory, int maxRetainedEngines = 0)
    {
        var manifestPath = Path.Combine(directory, ModelManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            throw new ModelLoadException($"No model in '{Path.GetFullPath(directory)}': {ModelManifest.FileName} is missing. Run `moderation train`, point Moderation:Model:ModelDirectory at a trained model, or set Moderation:Model:Enabled=false.");
        }

        ModelManifest manifest;
        try
        {
            manifest = ModelManifest.Read(manifestPath);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException or IOException)
        {
            throw new ModelLoadException($"{manifestPath}: unreadable manifest: {e.Message}", e);
        }

        var zipPath = Path.Combine(directory, manifest.ModelFile);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(zipPath);
        }
        catch (IOException e)
        {
            throw new ModelLoadException($"{zipPath}: cannot read model file: {e.Message}", e);
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(sha, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelLoadException($"{zipPath}: checksum {sha[..12]} does not match manifest {manifest.Version} ({manifest.Sha256[..Math.Min(12, manifest.Sha256.Length)]}); the file is incomplete or from another version");
        }

        var ml = new MLContext(seed: 0);
        ITransformer transformer;
        using (var stream = new MemoryStream(bytes, writable: false))
        {
            transformer = ml.Model.Load(stream, out _);
        }

        var retained = maxRetainedEngines > 0 ? maxRetainedEngines : Environment.ProcessorCount * 2;
        var model = new LoadedModel(manifest, directory, transformer, ml, retained);
        var probe = new float[manifest.Categories.Count];
        model.Predict("warm-up 预热", probe); // fails here, not on the first real post
        return model;
    }

    /// <summary>Calibrated probability per category, in <see cref="Categories"/> order. Thread-safe.</summary>
    public void Predict(ReadOnlySpan<char> text, Span<float> probabilities)
    {
        var predictor = _pool.Get();
        try
        {
            predictor.Predict(text, probabilities);
        }
        finally
        {
            _pool.Return(predictor);
        }
    }

    public float[] Predict(string text)
    {
        var result = new float[Categories.Count];
        Predict(text, result);
        return result;
    }

    private sealed class Policy(Func<Predictor> create) : PooledObjectPolicy<Predictor>
    {
        public override Predictor Create() => create();

        public override bool Return(Predictor obj) => true;
    }

    private sealed class Predictor(PredictionEngine<ModelInput, ModelOutput> engine, TextFeaturizer featurizer, int dimension)
    {
        private readonly FeatureScratch _scratch = new();
        private readonly ModelInput _input = new();
        private ModelOutput _output = new();

        public void Predict(ReadOnlySpan<char> text, Span<float> probabilities)
        {
            var count = featurizer.Featurize(text, _scratch);
            _input.Features = new VBuffer<float>(dimension, count, _scratch.Values, _scratch.Indices);
            engine.Predict(_input, ref _output);
            _output.Probabilities.GetValues().CopyTo(probabilities);
        }
    }
}

public sealed class ModelLoadException : Exception
{
    public ModelLoadException()
    {
    }

    public ModelLoadException(string message)
        : base(message)
    {
    }

    public ModelLoadException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
