using System.Security.Cryptography;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;
using Moderation.Ml.Features;
using Microsoft.ML.Trainers;

namespace Moderation.Ml.Serving;

/// <summary>
/// One fully loaded model version: manifest, featurizer and a pool of prediction engines.
/// Immutable once constructed; <see cref="PredictionEngine{TSrc,TDst}"/> is not thread-safe, so each
/// caller rents its own engine (with its own scratch buffers) from the pool.
/// </summary>
public sealed class LoadedModel
{
    private readonly ObjectPool<Predictor> _pool;
    private readonly ObjectPool<FeatureScratch> _scratch;
    private readonly float[] _weights; // interleaved: feature f, head h at f * heads + h
    private readonly float[] _bias;
    private readonly PlattParameters[] _platt;
    private readonly bool[] _independent;
    private readonly int _headCount;

    private LoadedModel(ModelManifest manifest, string directory, ITransformer transformer, MLContext ml, int maxRetained, bool useEngine, DetectorFeatureSource? detector)
    {
        Manifest = manifest;
        UsesEngine = useEngine;
        Directory = directory;
        Featurizer = new TextFeaturizer(manifest.Featurizer, detector);
        var dimension = Featurizer.Dimension;
        var heads = manifest.Heads.Count;
        var featurizer = Featurizer;
        _pool = new DefaultObjectPool<Predictor>(
            new Policy(() => new Predictor(
                ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(transformer, ignoreMissingColumns: true, MlSchemas.For<ModelInput>(dimension), MlSchemas.Output(heads)),
                featurizer,
                dimension)),
            maxRetained);
        _scratch = new DefaultObjectPool<FeatureScratch>(new DefaultPooledObjectPolicy<FeatureScratch>(), maxRetained);

        // The hot path: the same linear weights the ML.NET engine uses, read out of the loaded chain and
        // laid out so one pass over a post's features scores every head. Checked against the engine at load.
        var linear = ((IEnumerable<ITransformer>)transformer)
            .OfType<ISingleFeaturePredictionTransformer<LinearBinaryModelParameters>>()
            .Select(t => t.Model)
            .ToArray();
        if (linear.Length != manifest.Heads.Count)
        {
            throw new ModelLoadException($"model {manifest.Version}: zip has {linear.Length} linear heads, manifest lists {manifest.Heads.Count}");
        }

        _headCount = linear.Length;
        _weights = new float[dimension * _headCount];
        _bias = new float[_headCount];
        for (var h = 0; h < _headCount; h++)
        {
            _bias[h] = linear[h].Bias;
            var w = linear[h].Weights;
            for (var f = 0; f < dimension; f++)
            {
                _weights[f * _headCount + h] = w[f];
            }
        }

        _platt = manifest.Heads.Select(x => new PlattParameters(x.Slope, x.Offset)).ToArray();
        _independent = manifest.Heads.Select(x => x.Independent).ToArray();
    }

    /// <summary>True when predictions run through pooled ML.NET prediction engines instead of the direct path.</summary>
    public bool UsesEngine { get; }

    public ModelManifest Manifest { get; }
    public string Directory { get; }
    public TextFeaturizer Featurizer { get; }
    public string Version => Manifest.Version;
    public IReadOnlyList<int> Categories => Manifest.Categories;

    /// <summary>
    /// Loads and verifies a model directory completely (checksum, schema, one warm-up prediction)
    /// before anyone can see it. Throws <see cref="ModelLoadException"/> with a clear reason.
    /// </summary>
    /// <param name="detector">For a model trained with detector features: the live detector's rules; null = the shipped pattern lists.</param>
    public static LoadedModel Load(string directory, int maxRetainedEngines = 0, bool useEngine = false, DetectorFeatureSource? detector = null)
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
        if (manifest.Heads.Count == 0)
        {
            throw new ModelLoadException($"{manifestPath}: manifest lists no heads");
        }

        if (manifest.Featurizer.DetectorFeatures && detector is null)
        {
            try
            {
                detector = DetectorFeatureSource.ShippedRules();
            }
            catch (Moderation.Detection.Patterns.RuleLoadException e)
            {
                throw new ModelLoadException($"model {manifest.Version} uses the detector's findings as features, but the shipped pattern lists could not be loaded: {e.Message}", e);
            }
        }

        var model = new LoadedModel(manifest, directory, transformer, ml, retained, useEngine, detector);
        model.VerifyDirectPathMatchesEngine(); // fails here, not on the first real post
        return model;
    }

    /// <summary>
    /// Calibrated probability per category, in <see cref="Categories"/> order; returns P(prohibited at all).
    /// Thread-safe: each call rents its own scratch (or prediction engine) from a pool.
    /// </summary>
    public float Predict(ReadOnlySpan<char> text, Span<float> probabilities)
    {
        Span<float> heads = stackalloc float[_headCount];
        if (UsesEngine)
        {
            PredictHeadsWithEngine(text, heads);
        }
        else
        {
            PredictHeadsDirect(text, heads);
        }

        var any = heads[0];
        for (var i = 0; i < Categories.Count; i++)
        {
            probabilities[i] = _headCount <= 1 ? any : _independent[i + 1] ? heads[i + 1] : any * heads[i + 1];
        }

        return any;
    }

    public float[] Predict(string text)
    {
        var result = new float[Categories.Count];
        Predict(text, result);
        return result;
    }

    /// <summary>P(prohibited in any category): COLD's binary offensive score.</summary>
    public float ProhibitedProbability(string text)
    {
        Span<float> categories = stackalloc float[Categories.Count];
        return Predict(text, categories);
    }

    internal void PredictHeadsWithEngine(ReadOnlySpan<char> text, Span<float> heads)
    {
        var predictor = _pool.Get();
        try
        {
            predictor.Predict(text, heads);
        }
        finally
        {
            _pool.Return(predictor);
        }
    }

    internal void PredictHeadsDirect(ReadOnlySpan<char> text, Span<float> heads)
    {
        var scratch = _scratch.Get();
        try
        {
            var count = Featurizer.Featurize(text, scratch, sorted: false);
            Span<double> scores = stackalloc double[_headCount];
            for (var h = 0; h < _headCount; h++)
            {
                scores[h] = _bias[h];
            }

            var indices = scratch.Indices;
            var values = scratch.Values;
            var weights = _weights;
            var n = _headCount;
            for (var i = 0; i < count; i++)
            {
                var row = indices[i] * n;
                var v = values[i];
                for (var h = 0; h < n; h++)
                {
                    scores[h] += weights[row + h] * v;
                }
            }

            for (var h = 0; h < n; h++)
            {
                heads[h] = (float)_platt[h].Probability(scores[h]);
            }
        }
        finally
        {
            _scratch.Return(scratch);
        }
    }

    private void VerifyDirectPathMatchesEngine()
    {
        Span<float> direct = stackalloc float[_headCount];
        Span<float> engine = stackalloc float[_headCount];
        foreach (var probe in (string[])["warm-up 预热", "你这个人真是太过分了，滚出去", "今天天气很好，我们去公园散步吧。", "RT @someone: this is just a test"])
        {
            PredictHeadsDirect(probe, direct);
            PredictHeadsWithEngine(probe, engine);
            for (var h = 0; h < _headCount; h++)
            {
                if (Math.Abs(direct[h] - engine[h]) > 1e-4)
                {
                    throw new ModelLoadException($"model {Version}: direct scoring ({direct[h]}) disagrees with the ML.NET engine ({engine[h]}) on head {Manifest.Heads[h].Name}; manifest and zip do not belong together");
                }
            }
        }
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
