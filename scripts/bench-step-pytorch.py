#!/usr/bin/env python3
"""One training step of SignTranslate's models in plain PyTorch: the reference side of `slt bench step`.

A benchmark script, never a test: nothing here checks a result. It builds, with plain PyTorch modules, the models
that the C# code builds for the Phoenix-2014T recipes (configs/phoenix2014t/{finetune,pretrain}.yaml, vocabulary
2454) with the same parameter counts, and times one training step of a stage on random inputs:

  finetune  the SLT model (ResNet-18 + TemporalConv + sign_emb + 3+3-layer mBART "mytran"): label-smoothed CE,
            backward, SGD (Nesterov) step.
  pretrain  the VLP model (ResNet-18 + TemporalConv + CLS + 3-layer mytran encoder; 12-layer MBart_trimmed text
            encoder; logit scale): CLIP KL loss, backward, SGD step; then the text encoder on the masked text without
            gradient, the 3-layer masked-text decoder, label-smoothed CE, backward, AdamW step. The recipe runs the
            decoder update on every fifth step only; here, as in `slt bench step`, every timed step runs it.

It prints one JSON object on stdout (median milliseconds of forward, backward, optimizer and the whole step over the
timed steps, parameter counts and the peak RSS); progress goes to stderr.

Run it with Debian's PyTorch 1.13 and an optimised BLAS (Debian's default BLAS is the slow reference one):

    sudo apt-get install python3-torch libopenblas0-pthread
    /usr/bin/python3 scripts/bench-step-pytorch.py --stage finetune --frames 80 --batch 2 --text 20 --threads 2

Options: --stage finetune|pretrain, --frames N (raw frames per video), --batch, --text (tokens per sentence),
--steps (timed), --warmup (untimed), --threads, --vocab, --size (frame height = width), --seed.
"""

import argparse
import json
import math
import os
import resource
import statistics
import sys
import time
from dataclasses import dataclass


def build_parser():
    parser = argparse.ArgumentParser(description="Time one training step of the SLT or VLP model in plain PyTorch.")
    parser.add_argument("--stage", choices=["finetune", "pretrain"], required=True)
    parser.add_argument("--frames", type=int, default=80, help="raw frames per video, before collation padding")
    parser.add_argument("--batch", type=int, default=2)
    parser.add_argument("--text", type=int, default=20, help="tokens per target sentence")
    parser.add_argument("--steps", type=int, default=5, help="timed steps; medians are reported")
    parser.add_argument("--warmup", type=int, default=1, help="untimed steps first")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--vocab", type=int, default=2454)
    parser.add_argument("--size", type=int, default=224, help="frame height and width")
    parser.add_argument("--seed", type=int, default=0)
    return parser


# Debian's torch does its matrix products in the system BLAS (OpenBLAS with libopenblas0-pthread), whose thread pool
# torch.set_num_threads does not reach and which sizes itself once, when loaded: the count must be in the environment
# before torch is imported, or the products would use every core whatever --threads says.
os.environ["OPENBLAS_NUM_THREADS"] = str(max(1, build_parser().parse_known_args()[0].threads))

import torch  # noqa: E402  (after the BLAS thread count, see above)
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

PAD_ID = 1
EOS_ID = 2
FIRST_WORD_ID = 4          # ids 0-3 are <s>, <pad>, </s>, <unk>
POSITION_OFFSET = 2        # mBART's learned positions start at row 2
FEATURE_PAD_VALUE = 1.0    # the Phoenix configs pad per-frame features with 1.0 (the reference's PAD_IDX)
LEADING_FRAMES = 8         # the reference collation repeats the first frame 8 times ...
LABEL_SMOOTHING = 0.2
CLIP_TARGET_SHARPNESS = 10.0


def log(message):
    print(message, file=sys.stderr, flush=True)


# ---- frame encoder: torchvision's resnet18 without fc ------------------------------------------------------------

class BasicBlock(nn.Module):
    def __init__(self, inplanes, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride=stride, bias=False),
                                            nn.BatchNorm2d(planes))

    def forward(self, x):
        shortcut = x if self.downsample is None else self.downsample(x)
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        y += shortcut
        return self.relu(y)


class ResNet18(nn.Module):
    """frames [N,3,H,W] -> [N,512]."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        self.layer1 = nn.Sequential(BasicBlock(64, 64, 1), BasicBlock(64, 64, 1))
        self.layer2 = nn.Sequential(BasicBlock(64, 128, 2), BasicBlock(128, 128, 1))
        self.layer3 = nn.Sequential(BasicBlock(128, 256, 2), BasicBlock(256, 256, 1))
        self.layer4 = nn.Sequential(BasicBlock(256, 512, 2), BasicBlock(512, 512, 1))
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        # torchvision's initialisation; BatchNorm already starts at weight 1, bias 0.
        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return torch.flatten(self.avgpool(x), 1)


# ---- visual backbone: the reference FeatureExtracter ------------------------------------------------------------

class VideoFrameEncoder(nn.Module):
    """All frames of the batch through ResNet-18 at once, then split per video and padded: [ΣT,3,H,W] -> [B,T,512]."""

    def __init__(self):
        super().__init__()
        self.resnet = ResNet18()

    def forward(self, frames, lengths):
        per_frame = self.resnet(frames)
        per_video = torch.split(per_frame, lengths.tolist(), dim=0)
        return nn.utils.rnn.pad_sequence(per_video, batch_first=True, padding_value=FEATURE_PAD_VALUE)


class TemporalConv(nn.Module):
    """conv_type 2 (K5 P2 K5 P2), unpadded: [B,T,512] -> [B,T',1024], T' = ((T-4)//2 - 4)//2."""

    def __init__(self, input_size=512, hidden_size=1024):
        super().__init__()
        # mask_padding_in_batch_norm is false in the Phoenix configs, so plain BatchNorm1d is the C# computation.
        self.temporal_conv = nn.Sequential(
            nn.Conv1d(input_size, hidden_size, 5, stride=1, padding=0),
            nn.BatchNorm1d(hidden_size),
            nn.ReLU(inplace=True),
            nn.MaxPool1d(2, ceil_mode=False),
            nn.Conv1d(hidden_size, hidden_size, 5, stride=1, padding=0),
            nn.BatchNorm1d(hidden_size),
            nn.ReLU(inplace=True),
            nn.MaxPool1d(2, ceil_mode=False))

    def forward(self, x):
        return self.temporal_conv(x.permute(0, 2, 1)).permute(0, 2, 1)


class FeatureExtractor(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv_2d = VideoFrameEncoder()
        self.conv_1d = TemporalConv()

    def forward(self, frames, lengths):
        return self.conv_1d(self.conv_2d(frames, lengths))


# ---- mBART, as HF's modeling_mbart.py of the PyTorch 1.13 era ---------------------------------------------------

@dataclass(frozen=True)
class MBartConfig:
    vocab_size: int
    d_model: int = 1024
    encoder_layers: int = 12
    decoder_layers: int = 12
    encoder_attention_heads: int = 16
    decoder_attention_heads: int = 16
    encoder_ffn_dim: int = 4096
    decoder_ffn_dim: int = 4096
    max_position_embeddings: int = 1024
    dropout: float = 0.1
    attention_dropout: float = 0.0
    activation_dropout: float = 0.0
    activation_function: str = "gelu"
    scale_embedding: bool = False


def mytran_config(vocab):
    """mytran/config.json: the SLT mBART (decoder type LD), the VLP visual encoder and the masked-text decoder."""
    return MBartConfig(vocab, encoder_layers=3, decoder_layers=3, encoder_attention_heads=8, decoder_attention_heads=8,
                       activation_function="relu", dropout=0.1, attention_dropout=0.0, scale_embedding=True)


def mbart_trimmed_config(vocab):
    """MBart_trimmed/config.json: the VLP text encoder."""
    return MBartConfig(vocab, dropout=0.3, attention_dropout=0.1, scale_embedding=True)


ACTIVATIONS = {"gelu": F.gelu, "relu": F.relu}


def padding_mask(mask, dtype):
    """[B,S] (1 = real) -> additive [B,1,1,S]: 0 where allowed, the dtype's lowest value where not."""
    blocked = mask[:, None, None, :].eq(0)
    return torch.zeros(blocked.shape, dtype=dtype, device=mask.device).masked_fill(blocked, torch.finfo(dtype).min)


def causal_mask(length, dtype, device):
    """-> additive [1,1,L,L] that hides later positions."""
    future = torch.ones(length, length, dtype=torch.bool, device=device).triu(1)
    return torch.zeros(length, length, dtype=dtype, device=device).masked_fill(future, torch.finfo(dtype).min)[None, None]


class MBartAttention(nn.Module):
    def __init__(self, embed_dim, num_heads, dropout):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.scaling = self.head_dim ** -0.5
        self.dropout = dropout
        self.k_proj = nn.Linear(embed_dim, embed_dim)
        self.v_proj = nn.Linear(embed_dim, embed_dim)
        self.q_proj = nn.Linear(embed_dim, embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)

    def _heads(self, x):
        """[B,L,D] -> [B*H,L,Dh], the layout torch.bmm takes."""
        batch, length, _ = x.shape
        return x.view(batch, length, self.num_heads, self.head_dim).transpose(1, 2).reshape(
            batch * self.num_heads, length, self.head_dim)

    def forward(self, hidden, key_value_states=None, attention_mask=None):
        batch, query_length, embed_dim = hidden.shape
        source = hidden if key_value_states is None else key_value_states
        query = self._heads(self.q_proj(hidden) * self.scaling)
        key = self._heads(self.k_proj(source))
        value = self._heads(self.v_proj(source))
        key_length = key.shape[1]

        weights = torch.bmm(query, key.transpose(1, 2))                       # [B*H,Lq,Lk]
        if attention_mask is not None:
            weights = (weights.view(batch, self.num_heads, query_length, key_length) + attention_mask).view(
                batch * self.num_heads, query_length, key_length)
        weights = F.softmax(weights, dim=-1)
        probabilities = F.dropout(weights, p=self.dropout, training=self.training)
        context = torch.bmm(probabilities, value)                             # [B*H,Lq,Dh]
        context = context.view(batch, self.num_heads, query_length, self.head_dim).transpose(1, 2).reshape(
            batch, query_length, embed_dim)
        return self.out_proj(context)


class MBartEncoderLayer(nn.Module):
    """Pre-LayerNorm: self-attention block, then FFN block."""

    def __init__(self, config):
        super().__init__()
        d = config.d_model
        self.self_attn = MBartAttention(d, config.encoder_attention_heads, config.attention_dropout)
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, config.encoder_ffn_dim)
        self.fc2 = nn.Linear(config.encoder_ffn_dim, d)
        self.final_layer_norm = nn.LayerNorm(d)
        self.activation = ACTIVATIONS[config.activation_function]
        self.dropout = config.dropout
        self.activation_dropout = config.activation_dropout

    def forward(self, hidden, attention_mask):
        residual = hidden
        hidden = self.self_attn(self.self_attn_layer_norm(hidden), attention_mask=attention_mask)
        hidden = residual + F.dropout(hidden, p=self.dropout, training=self.training)

        residual = hidden
        hidden = self.activation(self.fc1(self.final_layer_norm(hidden)))
        hidden = self.fc2(F.dropout(hidden, p=self.activation_dropout, training=self.training))
        return residual + F.dropout(hidden, p=self.dropout, training=self.training)


class MBartDecoderLayer(nn.Module):
    """Pre-LayerNorm: causal self-attention, cross-attention, FFN."""

    def __init__(self, config):
        super().__init__()
        d = config.d_model
        self.self_attn = MBartAttention(d, config.decoder_attention_heads, config.attention_dropout)
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.encoder_attn = MBartAttention(d, config.decoder_attention_heads, config.attention_dropout)
        self.encoder_attn_layer_norm = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, config.decoder_ffn_dim)
        self.fc2 = nn.Linear(config.decoder_ffn_dim, d)
        self.final_layer_norm = nn.LayerNorm(d)
        self.activation = ACTIVATIONS[config.activation_function]
        self.dropout = config.dropout
        self.activation_dropout = config.activation_dropout

    def forward(self, hidden, self_mask, encoder_hidden, cross_mask):
        residual = hidden
        hidden = self.self_attn(self.self_attn_layer_norm(hidden), attention_mask=self_mask)
        hidden = residual + F.dropout(hidden, p=self.dropout, training=self.training)

        residual = hidden
        hidden = self.encoder_attn(self.encoder_attn_layer_norm(hidden), encoder_hidden, cross_mask)
        hidden = residual + F.dropout(hidden, p=self.dropout, training=self.training)

        residual = hidden
        hidden = self.activation(self.fc1(self.final_layer_norm(hidden)))
        hidden = self.fc2(F.dropout(hidden, p=self.activation_dropout, training=self.training))
        return residual + F.dropout(hidden, p=self.dropout, training=self.training)


class MBartEncoder(nn.Module):
    """(ids embedded × sqrt(D) | inputs_embeds as given) + positions -> layernorm_embedding -> dropout -> layers -> layer_norm."""

    def __init__(self, config, embed_tokens=None):
        super().__init__()
        d = config.d_model
        self.embed_tokens = embed_tokens if embed_tokens is not None else nn.Embedding(config.vocab_size, d, PAD_ID)
        self.embed_positions = nn.Embedding(config.max_position_embeddings + POSITION_OFFSET, d)
        self.layers = nn.ModuleList(MBartEncoderLayer(config) for _ in range(config.encoder_layers))
        self.layernorm_embedding = nn.LayerNorm(d)
        self.layer_norm = nn.LayerNorm(d)
        self.embed_scale = math.sqrt(d) if config.scale_embedding else 1.0
        self.dropout = config.dropout

    def forward(self, input_ids=None, attention_mask=None, inputs_embeds=None):
        if inputs_embeds is None:
            inputs_embeds = self.embed_tokens(input_ids) * self.embed_scale
        positions = torch.arange(inputs_embeds.shape[1], device=inputs_embeds.device) + POSITION_OFFSET
        hidden = self.layernorm_embedding(inputs_embeds + self.embed_positions(positions))
        hidden = F.dropout(hidden, p=self.dropout, training=self.training)
        mask = None if attention_mask is None else padding_mask(attention_mask, hidden.dtype)
        for layer in self.layers:
            hidden = layer(hidden, mask)
        return self.layer_norm(hidden)


class MBartDecoder(nn.Module):
    def __init__(self, config, embed_tokens=None):
        super().__init__()
        d = config.d_model
        self.embed_tokens = embed_tokens if embed_tokens is not None else nn.Embedding(config.vocab_size, d, PAD_ID)
        self.embed_positions = nn.Embedding(config.max_position_embeddings + POSITION_OFFSET, d)
        self.layers = nn.ModuleList(MBartDecoderLayer(config) for _ in range(config.decoder_layers))
        self.layernorm_embedding = nn.LayerNorm(d)
        self.layer_norm = nn.LayerNorm(d)
        self.embed_scale = math.sqrt(d) if config.scale_embedding else 1.0
        self.dropout = config.dropout

    def forward(self, input_ids, attention_mask, encoder_hidden, encoder_mask):
        length = input_ids.shape[1]
        embeds = self.embed_tokens(input_ids) * self.embed_scale
        positions = torch.arange(length, device=input_ids.device) + POSITION_OFFSET
        hidden = self.layernorm_embedding(embeds + self.embed_positions(positions))
        hidden = F.dropout(hidden, p=self.dropout, training=self.training)

        self_mask = causal_mask(length, hidden.dtype, hidden.device) if length > 1 else None
        if attention_mask is not None:
            pad = padding_mask(attention_mask, hidden.dtype)
            self_mask = pad if self_mask is None else pad + self_mask
        cross_mask = None if encoder_mask is None else padding_mask(encoder_mask, hidden.dtype)
        for layer in self.layers:
            hidden = layer(hidden, self_mask, encoder_hidden, cross_mask)
        return self.layer_norm(hidden)


def shift_tokens_right(ids, pad_id):
    """mBART's decoder input: each row's last non-pad token (the language code) first, the rest shifted right."""
    last = (ids.ne(pad_id).sum(dim=1) - 1).unsqueeze(-1)
    return torch.cat([ids.gather(1, last), ids[:, :-1]], dim=1)


class MBartModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.shared = nn.Embedding(config.vocab_size, config.d_model, PAD_ID)
        self.encoder = MBartEncoder(config, self.shared)
        self.decoder = MBartDecoder(config, self.shared)


class MBartForConditionalGeneration(nn.Module):
    """The SLT mBART: mytran ties nothing, so lm_head has its own matrix; final_logits_bias is a zero buffer."""

    def __init__(self, config):
        super().__init__()
        self.model = MBartModel(config)
        self.lm_head = nn.Linear(config.d_model, config.vocab_size, bias=False)
        self.register_buffer("final_logits_bias", torch.zeros(1, config.vocab_size))

    def forward(self, inputs_embeds, attention_mask, labels, decoder_attention_mask):
        # As the C# model (and GFSLT, which discards it), no loss inside: the caller computes the smoothed CE.
        encoded = self.model.encoder(attention_mask=attention_mask, inputs_embeds=inputs_embeds)
        decoded = self.model.decoder(shift_tokens_right(labels, PAD_ID), decoder_attention_mask, encoded, attention_mask)
        return self.lm_head(decoded) + self.final_logits_bias


# ---- SLT (finetune) ---------------------------------------------------------------------------------------------

class SignEmbedding(nn.Module):
    """The reference V_encoder (sign_emb): Linear, then BatchNorm1d over channels and ReLU. [B,T',C] -> [B,T',D]."""

    def __init__(self, feature_size, embed_size):
        super().__init__()
        self.src_emb = nn.Linear(feature_size, embed_size)
        self.bn_ac = nn.Sequential(nn.BatchNorm1d(embed_size), nn.ReLU(inplace=True))
        nn.init.xavier_uniform_(self.src_emb.weight, gain=nn.init.calculate_gain("relu"))

    def forward(self, x):
        return self.bn_ac(self.src_emb(x).permute(0, 2, 1)).permute(0, 2, 1)


class SltModel(nn.Module):
    def __init__(self, vocab, scale_sign_embedding=False):
        super().__init__()
        config = mytran_config(vocab)
        self.backbone = FeatureExtractor()
        self.mbart = MBartForConditionalGeneration(config)
        self.sign_emb = SignEmbedding(1024, config.d_model)
        # scale_sign_embedding is false in the Phoenix recipe; the multiplication by 1.0 still happens, as in C#.
        self.embed_scale = math.sqrt(config.d_model) if scale_sign_embedding else 1.0

    def forward(self, frames, lengths, video_mask, labels, label_mask):
        embeds = self.sign_emb(self.backbone(frames, lengths)) * self.embed_scale
        return self.mbart(embeds, video_mask, labels, label_mask)


# ---- VLP (pretrain) ---------------------------------------------------------------------------------------------

class ImageClip(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        config = mytran_config(vocab)
        self.model = FeatureExtractor()
        # Its own token table is never read (inputs_embeds only) but exists, as in C# and the reference.
        self.trans_encoder = MBartEncoder(config)
        self.cls_token = nn.Parameter(torch.randn(1, 1, config.d_model))
        self.lm_head = nn.Linear(config.d_model, config.d_model, bias=False)

    def forward(self, frames, lengths, video_mask):
        features = self.model(frames, lengths)                                # [B,T',D]
        with_cls = torch.cat([self.cls_token.expand(features.shape[0], -1, -1), features], dim=1)
        mask = F.pad(video_mask, (1, 0), value=1)
        hidden = self.trans_encoder(attention_mask=mask, inputs_embeds=with_cls)
        return self.lm_head(hidden[:, 0, :])


class TextClip(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.model_txt = MBartEncoder(mbart_trimmed_config(vocab))

    def forward(self, ids, mask):
        hidden = self.model_txt(ids, mask)
        # text_pooling: argmax_id in configs/phoenix2014t/pretrain.yaml (the reference's reading position).
        return hidden[torch.arange(hidden.shape[0], device=ids.device), ids.argmax(dim=-1)]


class VlpModel(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.model_txt = TextClip(vocab)
        self.model_images = ImageClip(vocab)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def forward(self, frames, lengths, video_mask, ids, mask):
        image = self.model_images(frames, lengths, video_mask)
        text = self.model_txt(ids, mask)
        image = image / image.norm(dim=-1, keepdim=True)
        text = text / text.norm(dim=-1, keepdim=True)
        logits_per_image = self.logit_scale.exp() * image @ text.t()
        # C# takes the transpose instead of a second product; the values are the same.
        return logits_per_image, logits_per_image.t()


class VlpTextDecoder(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        config = mytran_config(vocab)
        self.text_decoder = MBartDecoder(config)
        self.lm_head = nn.Linear(config.d_model, config.vocab_size, bias=False)
        self.register_buffer("final_logits_bias", torch.zeros(1, config.vocab_size))

    def forward(self, ids, mask, masked_hidden, masked_mask):
        hidden = self.text_decoder(shift_tokens_right(ids, PAD_ID), mask, masked_hidden, masked_mask)
        return self.lm_head(hidden) + self.final_logits_bias


# ---- losses and optimizers --------------------------------------------------------------------------------------

def token_cross_entropy(logits, targets):
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1),
                           ignore_index=PAD_ID, label_smoothing=LABEL_SMOOTHING)


def clip_kl_loss(logits_per_image, logits_per_text):
    """The reference KLLoss both ways: batch · mean KL from softmax(10·I) to each row's softmax."""
    # batch · the elementwise mean is the sum over the batch: reduction 'batchmean'.
    def one_way(logits):
        batch = logits.shape[0]
        target = F.softmax(torch.eye(batch, dtype=logits.dtype) * CLIP_TARGET_SHARPNESS, dim=1)
        return F.kl_div(F.log_softmax(logits, dim=1), target, reduction="batchmean")
    return (one_way(logits_per_image) + one_way(logits_per_text)) / 2


def sgd(model, weight_decay):
    """timm's create_optimizer('sgd'): Nesterov momentum 0.9, lr 0.01; with decay, 1-D tensors and biases undecayed."""
    named = [(name, p) for name, p in model.named_parameters() if p.requires_grad]
    if weight_decay <= 0:
        return torch.optim.SGD([p for _, p in named], lr=0.01, momentum=0.9, nesterov=True)
    exempt = [p for name, p in named if p.ndim <= 1 or name.endswith(".bias")]
    decayed = [p for name, p in named if not (p.ndim <= 1 or name.endswith(".bias"))]
    return torch.optim.SGD([{"params": exempt, "weight_decay": 0.0}, {"params": decayed, "weight_decay": weight_decay}],
                           lr=0.01, momentum=0.9, nesterov=True)


def parameter_count(module):
    # parameters() yields a shared tensor once, so tied tables are counted once, as C#'s ParameterCount.Unique.
    return sum(p.numel() for p in module.parameters())


# ---- inputs -----------------------------------------------------------------------------------------------------

def padded_length(frames):
    return 4 * math.ceil(frames / 4) + 16


def conv_length(frames):
    return ((frames - 4) // 2 - 4) // 2


def random_batch(args, generator):
    """Frames collated the reference way (8 copies of the first frame, copies of the last up to the padded length)."""
    total = padded_length(args.frames)
    trailing = total - LEADING_FRAMES - args.frames
    videos = []
    for _ in range(args.batch):
        clip = torch.randn(args.frames, 3, args.size, args.size, generator=generator)
        videos += [clip[:1].expand(LEADING_FRAMES, -1, -1, -1), clip, clip[-1:].expand(trailing, -1, -1, -1)]
    frames = torch.cat(videos, dim=0)
    lengths = torch.full((args.batch,), total, dtype=torch.long)
    video_mask = torch.ones(args.batch, conv_length(total), dtype=torch.long)
    ids = torch.randint(FIRST_WORD_ID, args.vocab, (args.batch, args.text), generator=generator)
    text_mask = torch.ones_like(ids)
    # About 15 % of the ids replaced by random ones: the shapes, not the noise, matter for the timing.
    replaced = torch.rand(ids.shape, generator=generator) < 0.15
    masked_ids = torch.where(replaced, torch.randint(FIRST_WORD_ID, args.vocab, ids.shape, generator=generator), ids)
    return dict(frames=frames, lengths=lengths, video_mask=video_mask, ids=ids, text_mask=text_mask,
                masked_ids=masked_ids, masked_mask=torch.ones_like(masked_ids), padded_frames=total)


# ---- steps ------------------------------------------------------------------------------------------------------

class PhaseClock:
    """Books the wall time since the previous mark to the phase that just ended."""

    def __init__(self):
        self.times = {"forward": 0.0, "backward": 0.0, "optimizer": 0.0}
        self.start = self.last = time.perf_counter()

    def mark(self, phase):
        now = time.perf_counter()
        self.times[phase] += (now - self.last) * 1000
        self.last = now

    @property
    def total(self):
        return (self.last - self.start) * 1000


class FinetuneStage:
    def __init__(self, args):
        self.model = SltModel(args.vocab).train()
        self.optimizer = sgd(self.model, weight_decay=0.001)
        self.parameters = parameter_count(self.model)
        self.detail = {"backbone": parameter_count(self.model.backbone), "sign_emb": parameter_count(self.model.sign_emb),
                       "mbart": parameter_count(self.model.mbart)}

    def step(self, batch, clock):
        logits = self.model(batch["frames"], batch["lengths"], batch["video_mask"], batch["ids"], batch["text_mask"])
        loss = token_cross_entropy(logits, batch["ids"])
        clock.mark("forward")
        loss.backward()                  # grad_clip is 0 (off) in the recipe and by default: no clipping
        clock.mark("backward")
        self.optimizer.step()
        self.optimizer.zero_grad()
        clock.mark("optimizer")


class PretrainStage:
    def __init__(self, args):
        self.model = VlpModel(args.vocab).train()
        self.decoder = VlpTextDecoder(args.vocab).train()
        self.optimizer = sgd(self.model, weight_decay=0.0)
        self.decoder_optimizer = torch.optim.AdamW(self.decoder.parameters(), lr=1e-3, betas=(0.9, 0.98), weight_decay=0.0)
        vlp, decoder = parameter_count(self.model), parameter_count(self.decoder)
        self.parameters = vlp + decoder
        self.detail = {"vlp": vlp, "text_decoder": decoder,
                       "vlp_image": parameter_count(self.model.model_images),
                       "vlp_text": parameter_count(self.model.model_txt)}

    def step(self, batch, clock):
        per_image, per_text = self.model(batch["frames"], batch["lengths"], batch["video_mask"], batch["ids"],
                                         batch["text_mask"])
        clip = clip_kl_loss(per_image, per_text)
        clock.mark("forward")
        clip.backward()
        clock.mark("backward")
        self.optimizer.step()
        self.optimizer.zero_grad()
        clock.mark("optimizer")

        # After the CLIP update, as in the reference loop: the decoder reads the updated text encoder.
        with torch.no_grad():
            masked_hidden = self.model.model_txt.model_txt(batch["masked_ids"], batch["masked_mask"])
        logits = self.decoder(batch["ids"], batch["text_mask"], masked_hidden, batch["masked_mask"])
        mlm = token_cross_entropy(logits, batch["ids"])
        clock.mark("forward")
        mlm.backward()
        clock.mark("backward")
        self.decoder_optimizer.step()
        self.decoder_optimizer.zero_grad()
        clock.mark("optimizer")


def status_mb(field):
    # /proc/self/status: VmHWM is the process's resident high-water mark, VmRSS what is resident now.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def peak_rss_mb():
    # ru_maxrss (KiB on Linux) is the fallback where /proc is missing.
    peak = status_mb("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parse_args():
    parser = build_parser()
    args = parser.parse_args()
    for name, minimum in [("frames", 1), ("batch", 1), ("text", 1), ("steps", 1), ("warmup", 0), ("threads", 1),
                          ("vocab", FIRST_WORD_ID + 1), ("size", 32)]:
        if getattr(args, name) < minimum:
            parser.error(f"--{name} {getattr(args, name)}: expected at least {minimum}")
    return args


def main():
    args = parse_args()
    # Debian's build starts with a single intra-op thread; the comparison needs the count set explicitly.
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    stage = FinetuneStage(args) if args.stage == "finetune" else PretrainStage(args)
    batch = random_batch(args, torch.Generator().manual_seed(args.seed))
    log(f"{args.stage}: {stage.parameters:,} parameters {stage.detail}, batch {args.batch} x {batch['padded_frames']} "
        f"frames of {args.size}x{args.size}, {args.text} tokens, {torch.get_num_threads()} threads, torch {torch.__version__}")

    rss_before_steps = status_mb("VmRSS")
    timed = []
    for index in range(args.warmup + args.steps):
        clock = PhaseClock()
        stage.step(batch, clock)
        warm = index < args.warmup
        number, count = (index + 1, args.warmup) if warm else (index - args.warmup + 1, args.steps)
        log(f"{'warm-up' if warm else 'step'} {number}/{count}: {clock.total / 1000:.2f} s "
            f"(forward {clock.times['forward'] / 1000:.2f}, backward {clock.times['backward'] / 1000:.2f}, "
            f"optimizer {clock.times['optimizer'] / 1000:.2f})")
        if not warm:
            timed.append(clock)

    result = {
        "implementation": "pytorch",
        "torch_version": torch.__version__,
        "stage": args.stage,
        "frames": args.frames,
        "padded_frames": batch["padded_frames"],
        "batch": args.batch,
        "text": args.text,
        "steps": args.steps,
        "threads": torch.get_num_threads(),
        "parameters": stage.parameters,
        "parameters_detail": stage.detail,
        "step_ms": round(statistics.median(c.total for c in timed), 2),
        "forward_ms": round(statistics.median(c.times["forward"] for c in timed), 2),
        "backward_ms": round(statistics.median(c.times["backward"] for c in timed), 2),
        "optimizer_ms": round(statistics.median(c.times["optimizer"] for c in timed), 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rss_before_steps_mb": None if rss_before_steps is None else round(rss_before_steps, 1),
        "steps_ms": [round(c.total, 1) for c in timed],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
