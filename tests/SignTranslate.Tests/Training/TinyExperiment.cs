using SignTranslate.Config;
using SignTranslate.Training;

namespace SignTranslate.Tests.Training;

/// <summary>A synthetic experiment small enough that a few training steps take well under a second.</summary>
public static class TinyExperiment
{
    public const string Yaml = """
        run:
          seed: 7
        synthetic:
          train_samples: 8
          dev_samples: 4
          test_samples: 4
          frame_width: 16
          frame_height: 16
          distinct_sentences: 6
          min_sign_frames: 3
          max_sign_frames: 4
          max_transition_frames: 2
          max_rest_frames: 1
        data:
          kind: synthetic
          frames: { resize_height: 16, resize_width: 16, crop_height: 16, crop_width: 16 }
          augmentation: { enabled: false }
          collation: { padding: none }
          tokenizer: { kind: words, language: en_XX, max_length: 32 }
          prefetch: { workers: 0 }
        model:
          visual: { frame_encoder: small_cnn, small_cnn_width: 4, frame_feature_size: 16, temporal_hidden_size: 16 }
          mbart: &tiny
            d_model: 16
            max_position_embeddings: 64
            encoder_layers: 1
            decoder_layers: 1
            encoder_attention_heads: 2
            decoder_attention_heads: 2
            encoder_ffn_dim: 32
            decoder_ffn_dim: 32
            dropout: 0.0
            activation_function: relu
            scale_embedding: true
            tie_word_embeddings: false
          visual_encoder: *tiny
          text_encoder: *tiny
        training:
          epochs: 2
          batch_size: 4
          eval_batch_size: 4
          label_smoothing: 0.1
          optimizer: { optimizer: adam_w, lr: 0.003, schedule: step }
          text_decoder_every_steps: 2
          log_every_steps: 1
        eval:
          num_beams: 2
          max_new_tokens: 8
        """;

    /// <summary>Writes the config into <paramref name="folder"/> (with <paramref name="extra"/> YAML appended) and returns its path.</summary>
    public static string Write(string folder, string extra = "")
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "tiny.yaml");
        File.WriteAllText(path, Yaml + "\n" + extra);
        return path;
    }

    public static ExperimentConfig Config(params string[] overrides) =>
        ConfigLoader.Parse<ExperimentConfig>(Yaml, "tiny.yaml", overrides);
}
