using SignTranslate.Config;
using SignTranslate.Training;

namespace SignTranslate.Tests.Config;

/// <summary>
/// Every section of the experiment configuration checks its value ranges: an out-of-range value is a
/// <see cref="ConfigException"/> that names the full key (and, from a <c>--set</c>, the override), never a NaN or an
/// internal error later.
/// </summary>
public class ConfigValidationTests
{
    private static string ErrorOf(params string[] overrides) =>
        Assert.Throws<ConfigException>(() => ExperimentConfig.Defaults(overrides)).Message;

    [Theory]
    // run
    [InlineData("run.threads", "run.threads=-1")]
    [InlineData("run.device", "run.device=gpu")]
    [InlineData("run.output_dir", "run.output_dir=")]
    // data
    [InlineData("data.kind", "data.kind=7")]
    [InlineData("data.files.train", "data.files.train=")]
    [InlineData("data.files.dev", "data.files.dev= ")]
    [InlineData("data.files.test", "data.files.test=")]
    [InlineData("data.split_list", "data.kind=csl_daily", "data.split_list=")]
    [InlineData("data.frames.max_frames", "data.frames.max_frames=0")]
    [InlineData("data.frames.eval_sampling", "data.frames.eval_sampling=4")]
    [InlineData("data.frames.resize_height", "data.frames.resize_height=0")]
    [InlineData("data.frames.resize_width", "data.frames.resize_width=-3")]
    [InlineData("data.frames.crop_height", "data.frames.crop_height=300")]
    [InlineData("data.frames.crop_width", "data.frames.crop_width=0")]
    [InlineData("data.frames.mean", "data.frames.mean=[0.5, 0.5]")]
    [InlineData("data.frames.mean[1]", "data.frames.mean=[0.5, .nan, 0.5]")]
    [InlineData("data.frames.std", "data.frames.std=[0.2, 0, 0.2]")]
    [InlineData("data.frames.std", "data.frames.std=[0.2, .inf, 0.2]")]
    [InlineData("data.augmentation.rotate_probability", "data.augmentation.rotate_probability=1.5")]
    [InlineData("data.augmentation.rescale_probability", "data.augmentation.rescale_probability=.nan")]
    [InlineData("data.augmentation.translate_probability", "data.augmentation.translate_probability=-0.1")]
    [InlineData("data.augmentation.max_rotation_degrees", "data.augmentation.max_rotation_degrees=-1")]
    [InlineData("data.augmentation.max_rotation_degrees", "data.augmentation.max_rotation_degrees=181")]
    [InlineData("data.augmentation.min_rescale", "data.augmentation.min_rescale=0")]
    [InlineData("data.augmentation.min_rescale", "data.augmentation.min_rescale=.nan")]
    [InlineData("data.augmentation.max_rescale", "data.augmentation.max_rescale=.inf")]
    [InlineData("data.augmentation.max_translation_pixels", "data.augmentation.max_translation_pixels=-1")]
    [InlineData("data.collation.padding", "data.collation.padding=3")]
    [InlineData("data.tokenizer.kind", "data.tokenizer.kind=9")]
    [InlineData("data.tokenizer.model_file", "data.tokenizer.model_file=")]
    [InlineData("data.tokenizer.encoding", "data.tokenizer.encoding=gpt2")]
    [InlineData("data.tokenizer.language", "data.tokenizer.language=xx_YY")]
    [InlineData("data.tokenizer.language", "data.tokenizer.kind=words", "data.tokenizer.language=en XX")]
    [InlineData("data.tokenizer.max_length", "data.tokenizer.max_length=1")]
    [InlineData("data.masked_text.noise_rate", "data.masked_text.noise_rate=2")]
    [InlineData("data.masked_text.noise_type", "data.masked_text.noise_type=5")]
    [InlineData("data.prefetch.workers", "data.prefetch.workers=-1")]
    [InlineData("data.prefetch.batches_ahead", "data.prefetch.batches_ahead=0")]
    // synthetic
    [InlineData("synthetic.frame_width", "synthetic.frame_width=4")]
    [InlineData("synthetic.unseen_sentence_fraction", "synthetic.unseen_sentence_fraction=.nan")]
    // signcl
    [InlineData("signcl.variant", "signcl.variant=5")]
    [InlineData("signcl.max_distance", "signcl.max_distance=-1")]
    [InlineData("signcl.max_distance", "signcl.max_distance=.nan")]
    [InlineData("signcl.positive_samples", "signcl.positive_samples=-1")]
    [InlineData("signcl.negative_samples", "signcl.negative_samples=-1")]
    [InlineData("signcl.info_nce_negative_samples", "signcl.info_nce_negative_samples=-1")]
    [InlineData("signcl.temperature", "signcl.temperature=0")]
    [InlineData("signcl.temperature", "signcl.temperature=-0.1")]
    [InlineData("signcl.temperature", "signcl.temperature=.inf")]
    [InlineData("signcl.margin_rule", "signcl.margin_rule=9")]
    [InlineData("signcl.fixed_margin", "signcl.fixed_margin=-1")]
    [InlineData("signcl.lambda_pretrain", "signcl.lambda_pretrain=-0.01")]
    [InlineData("signcl.lambda_finetune", "signcl.lambda_finetune=.nan")]
    [InlineData("signcl.start_epoch", "signcl.start_epoch=-1")]
    [InlineData("signcl.decay_factor", "signcl.decay_factor=1.5")]
    [InlineData("signcl.decay_factor", "signcl.decay_factor=-0.5")]
    [InlineData("signcl.decay_patience_epochs", "signcl.decay_patience_epochs=0")]
    [InlineData("signcl.decay_min_bleu_gain", "signcl.decay_min_bleu_gain=-1")]
    // model
    [InlineData("model.visual.frame_encoder", "model.visual.frame_encoder=5")]
    [InlineData("model.visual.small_cnn_width", "model.visual.small_cnn_width=0")]
    [InlineData("model.visual.frame_feature_size", "model.visual.frame_feature_size=256")]
    [InlineData("model.visual.frame_feature_size", "model.visual.frame_encoder=small_cnn", "model.visual.frame_feature_size=0")]
    [InlineData("model.visual.temporal_hidden_size", "model.visual.temporal_hidden_size=0")]
    [InlineData("model.visual.feature_pad_value", "model.visual.feature_pad_value=.nan")]
    [InlineData("model.mbart.max_position_embeddings", "model.mbart.max_position_embeddings=0")]
    [InlineData("model.mbart.d_model", "model.mbart.d_model=1020")]
    [InlineData("model.mbart.encoder_layers", "model.mbart.encoder_layers=0")]
    [InlineData("model.mbart.decoder_layers", "model.mbart.decoder_layers=0")]
    [InlineData("model.mbart.encoder_attention_heads", "model.mbart.encoder_attention_heads=0")]
    [InlineData("model.mbart.decoder_attention_heads", "model.mbart.decoder_attention_heads=-8")]
    [InlineData("model.mbart.encoder_ffn_dim", "model.mbart.encoder_ffn_dim=0")]
    [InlineData("model.mbart.decoder_ffn_dim", "model.mbart.decoder_ffn_dim=0")]
    [InlineData("model.mbart.dropout", "model.mbart.dropout=1")]
    [InlineData("model.mbart.attention_dropout", "model.mbart.attention_dropout=-0.1")]
    [InlineData("model.mbart.activation_dropout", "model.mbart.activation_dropout=.nan")]
    [InlineData("model.mbart.activation_function", "model.mbart.activation_function=tanh")]
    [InlineData("model.mbart.pad_token_id", "model.mbart.pad_token_id=-1")]
    [InlineData("model.mbart.bos_token_id", "model.mbart.bos_token_id=-1")]
    [InlineData("model.mbart.eos_token_id", "model.mbart.eos_token_id=-1")]
    [InlineData("model.mbart.forced_eos_token_id", "model.mbart.forced_eos_token_id=-1")]
    [InlineData("model.mbart.decoder_start_token_id", "model.mbart.decoder_start_token_id=-2")]
    [InlineData("model.visual_encoder.dropout", "model.visual_encoder.dropout=1.5")]
    [InlineData("model.text_encoder.encoder_attention_heads", "model.text_encoder.encoder_attention_heads=0")]
    [InlineData("model.text_pooling", "model.text_pooling=7")]
    [InlineData("model.initial_logit_scale", "model.initial_logit_scale=100")]
    [InlineData("model.initial_logit_scale", "model.initial_logit_scale=.nan")]
    [InlineData("model.init.variant", "model.init.variant=3")]
    // training
    [InlineData("training.epochs", "training.epochs=0")]
    [InlineData("training.label_smoothing", "training.label_smoothing=.nan")]
    [InlineData("training.optimizer.optimizer", "training.optimizer.optimizer=4")]
    [InlineData("training.optimizer.lr", "training.optimizer.lr=0")]
    [InlineData("training.optimizer.lr", "training.optimizer.lr=.inf")]
    [InlineData("training.optimizer.min_lr", "training.optimizer.min_lr=-1")]
    [InlineData("training.optimizer.min_lr", "training.optimizer.min_lr=.nan")]
    [InlineData("training.optimizer.weight_decay", "training.optimizer.weight_decay=-1")]
    [InlineData("training.optimizer.momentum", "training.optimizer.momentum=0")]
    [InlineData("training.optimizer.momentum", "training.optimizer.optimizer=adam_w", "training.optimizer.momentum=1")]
    [InlineData("training.optimizer.beta1", "training.optimizer.beta1=1")]
    [InlineData("training.optimizer.beta2", "training.optimizer.beta2=-0.1")]
    [InlineData("training.optimizer.warmup_epochs", "training.optimizer.warmup_epochs=.nan")]
    [InlineData("training.optimizer.schedule", "training.optimizer.schedule=5")]
    [InlineData("training.optimizer.grad_clip", "training.optimizer.grad_clip=-1")]
    [InlineData("training.text_decoder_optimizer.lr", "training.text_decoder_optimizer.lr=0")]
    // eval
    [InlineData("eval.num_beams", "eval.num_beams=0")]
    [InlineData("eval.max_new_tokens", "eval.max_new_tokens=0")]
    [InlineData("eval.length_penalty", "eval.length_penalty=.nan")]
    [InlineData("eval.scoring.tokenize", "eval.scoring.tokenize=9")]
    public void OutOfRangeValueIsAnErrorNamingTheFullKey(string key, params string[] overrides)
    {
        var message = ErrorOf(overrides);
        Assert.Contains($"--set {overrides[^1]}: '{key}' ", message);
    }

    [Fact]
    public void SignClTemperatureZeroNamesTheKeyTheRangeAndTheValue()
    {
        Assert.Equal("--set signcl.temperature=0: 'signcl.temperature' must be > 0, got 0", ErrorOf("signcl.temperature=0"));
    }

    [Fact]
    public void ProblemsInAFileNameTheLineOfTheKey()
    {
        var message = Assert.Throws<ConfigException>(() => ConfigLoader.Parse<ExperimentConfig>("signcl:\n  enabled: true\n  negative_samples: -1\n", "test.yaml")).Message;
        Assert.Equal("test.yaml:3:3: 'signcl.negative_samples' must be >= 0, got -1", message);
    }

    [Fact]
    public void EveryProblemIsReportedOnItsOwnLine()
    {
        var lines = ErrorOf("signcl.temperature=0", "eval.num_beams=0").Split(Environment.NewLine);
        Assert.Equal(2, lines.Length);
        Assert.Contains(lines, line => line.Contains("'signcl.temperature'", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("'eval.num_beams'", StringComparison.Ordinal));
    }

    [Fact]
    public void DefaultsValidate()
    {
        Assert.Empty(new ExperimentConfig().Validate());
        Assert.Empty(ExperimentConfig.Defaults().Validate());
    }

    /// <summary>Every key of the reference whose type is a number or an enum, for the theories below.</summary>
    public static TheoryData<string> KeysOfType(string typePrefix) =>
        new(ConfigReference.Sections(typeof(ExperimentConfig)).SelectMany(s => s.Keys).Where(k => k.Type.StartsWith(typePrefix, StringComparison.Ordinal)).Select(k => k.Path));

    // YAML reads .nan and .inf as numbers; no key of the configuration has a use for them.
    [Theory]
    [MemberData(nameof(KeysOfType), "a number")]
    public void EveryNumberKeyRejectsNaNAndInfinity(string key)
    {
        foreach (var value in new[] { ".nan", ".inf", "-.inf" })
            Assert.Contains($"'{key}' ", ErrorOf($"{key}={value}"));
    }

    // YAML also accepts an enum's number; one that names no member must not get through.
    [Theory]
    [MemberData(nameof(KeysOfType), "one of: ")]
    public void EveryEnumKeyRejectsAnUndefinedNumber(string key)
    {
        // Enums read through EnumMemberValues refuse the number while parsing; the others when validated.
        Assert.Matches($"'{System.Text.RegularExpressions.Regex.Escape(key)}' (must be|expects) one of: ", ErrorOf($"{key}=99"));
    }
}
