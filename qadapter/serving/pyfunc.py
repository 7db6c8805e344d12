"""An adapter as an MLflow ``pyfunc`` model: chat messages in, customized-decoding text out.

:func:`log_adapter_model` copies an adapter, and for a stacked adapter its whole verified lineage,
into a self-contained pyfunc model directory and logs it as artifacts of an existing run (through
an explicit ``MlflowClient``; no fluent active run is started) as MLflow's *models from code*: the
model is the file :mod:`qadapter.serving.pyfunc_model` (three lines naming :class:`QAdapterModel`),
not a pickle, so loading a version deserializes no Python object. Registering the returned URI as a
model version gives a version that ``mlflow models serve -m models:/NAME@ALIAS --env-manager
local`` answers.

Layout of the model directory (``adapter_dir_in`` finds the top adapter)::

    MLmodel, pyfunc_model.py, requirements.txt, ...   (models from code: no python_model.pkl)
    artifacts/adapters/adapter/       the logged adapter (qadapter.json, PEFT files)
    artifacts/adapters/parent-1/      its parent (a stack only), parent-2 its grandparent, ...

Each copied ``qadapter.json`` names its parent by the relative path ``../parent-k``; ``parent``
is not one of the fields a ``parent_hash`` covers, so every level keeps its content hash and the
stack still verifies (``qadapter.meta.verified_lineage``).

:class:`QAdapterModel` loads the base named in ``qadapter.json`` (``qadapter.models.load_base``;
``$QADAPTER_SERVE_BASE`` names another path for it; the adapter's ``base_hash`` is checked) and
decodes eq. 6 with :class:`qadapter.decode.CustomizedDecoder`: greedy when ``temperature`` is
0, else sampled with ``seed``. Request params: alpha0, alpha_tilde (defaults: the adapter's),
temperature, max_new_tokens, seed. Bad input (no ``messages``/``prompt``, an empty conversation,
a message without role/content, an out-of-range param) raises ``MlflowException``
INVALID_PARAMETER_VALUE, which MLflow's scoring server answers with HTTP 400 and the message.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import warnings
from pathlib import Path

import mlflow
import pandas as pd  # (MLflow's own dependency) the predict type hint below
from mlflow.exceptions import MlflowException

from ..config import ConfigError, MethodConfig
from ..meta import (
    ADAPTER_CONFIG,
    ADAPTER_WEIGHTS,
    META_FILE,
    AdapterError,
    read_meta,
    update_meta,
    verified_lineage,
)
from ..registry import ARTIFACT_KEY, TOP, adapter_dir_in
from ..rehearsal import OWN_PAIRS

# README: PEFT's card; OWN_PAIRS: a re-customization level's own pairs (for later rehearsal)
ADAPTER_FILES = (META_FILE, ADAPTER_CONFIG, ADAPTER_WEIGHTS, "README.md", OWN_PAIRS)
ROLES = ("system", "user", "assistant")
DEFAULT_MAX_NEW_TOKENS = 128
# load this base instead of the one named in qadapter.json (same content hash required): for a
# base directory that lives at another path on the serving machine
BASE_ENV = "QADAPTER_SERVE_BASE"
MODEL_CODE = Path(__file__).with_name("pyfunc_model.py")  # the model MLflow saves, as code


def stage_stack(adapter_dir: str | Path, dest: str | Path) -> Path:
    """Copy ``adapter_dir`` and its verified parents into ``dest`` (``adapter``, ``parent-1``,
    ...) with relative ``parent`` links; returns the copied top adapter directory.

    Only the :data:`ADAPTER_FILES` of each level are copied (an output directory's
    ``checkpoints/`` stay behind)."""
    chain = verified_lineage(adapter_dir)[::-1]  # top first
    for path, meta in chain:
        if meta.get("q_model"):
            raise AdapterError(
                f"{path}: trained on a separate Q model ({meta['q_model']}); a pyfunc model "
                "serves adapters on the base network only"
            )
    dest = Path(dest)
    names = [TOP] + [f"parent-{k}" for k in range(1, len(chain))]
    for k, ((path, _), name) in enumerate(zip(chain, names)):
        (dest / name).mkdir(parents=True)
        for file in ADAPTER_FILES:  # not the training checkpoints an output directory may hold
            if (path / file).is_file():
                shutil.copy2(path / file, dest / name / file)
        if k + 1 < len(chain):
            update_meta(dest / name, parent=f"../{names[k + 1]}")
    return dest / TOP


def signature_for(meta: dict):
    """Chat messages (or a plain prompt) in, text out; params with the adapter's defaults."""
    from mlflow.models import ModelSignature
    from mlflow.types import ColSpec, ParamSchema, ParamSpec, Schema
    from mlflow.types.schema import Array, Object, Property

    message = Object([Property("role", "string"), Property("content", "string")])
    inputs = Schema(
        [
            ColSpec(Array(message), "messages", required=False),
            ColSpec("string", "prompt", required=False),
        ]
    )
    outputs = Schema([ColSpec("string")])
    params = ParamSchema(
        [
            ParamSpec("alpha0", "double", float(meta["alpha0"])),
            ParamSpec("alpha_tilde", "double", float(meta["alpha_tilde"])),
            ParamSpec("temperature", "double", 0.0),
            ParamSpec("max_new_tokens", "long", DEFAULT_MAX_NEW_TOKENS),
            ParamSpec("seed", "long", 0),
        ]
    )
    return ModelSignature(inputs=inputs, outputs=outputs, params=params)


def pip_requirements() -> list[str]:
    """The installed versions this model was logged with (informative: ``--env-manager local``
    serves from the current environment and installs nothing)."""
    from importlib.metadata import PackageNotFoundError, version

    reqs = []
    for name in ("qadapter", "mlflow", "torch", "transformers", "peft", "safetensors"):
        try:
            reqs.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            reqs.append(name)
    return reqs


def log_adapter_model(client, run_id: str, adapter_dir: str | Path, artifact_path="model") -> str:
    """Log ``adapter_dir`` (with its stacked parents) as a pyfunc model on run ``run_id``.

    Saves the model to a temporary directory and uploads it with ``client.log_artifacts`` (no
    fluent run). Returns the model's artifact URI, ``<run artifact_uri>/<artifact_path>``: the
    source to register as a model version.
    """
    meta = read_meta(adapter_dir)
    with tempfile.TemporaryDirectory(prefix="qadapter-pyfunc-") as tmp:
        staged = Path(tmp) / "stage" / ARTIFACT_KEY
        stage_stack(adapter_dir, staged)
        model_dir = Path(tmp) / "model"
        with warnings.catch_warnings():
            # an input example would make MLflow load the base and decode at logging time
            warnings.filterwarnings("ignore", message=".*input example was not provided")
            mlflow.pyfunc.save_model(
                path=str(model_dir),
                python_model=str(MODEL_CODE),  # models from code: nothing is pickled
                artifacts={ARTIFACT_KEY: str(staged)},
                signature=signature_for(meta),
                pip_requirements=pip_requirements(),
                metadata={"qadapter": {"base_model": meta["base_model"], "head": meta["head"]}},
            )
        adapter_dir_in(model_dir)  # the layout the registry relies on
        client.log_artifacts(run_id, str(model_dir), artifact_path)
    root = client.get_run(run_id).info.artifact_uri.rstrip("/")
    return f"{root}/{artifact_path}"


def _bad(message: str) -> MlflowException:
    return MlflowException.invalid_parameter_value(message)


def _is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN from a DataFrame's missing cell
    except (TypeError, ValueError):
        return False


def _messages(value, row: int) -> list[dict]:
    if hasattr(value, "tolist"):
        value = value.tolist()
    if not isinstance(value, (list, tuple)) or not value:
        raise _bad(
            f"row {row}: 'messages' must be a non-empty list of {{role, content}} objects; "
            "send at least one user message"
        )
    out = []
    for i, m in enumerate(value):
        if not isinstance(m, dict) or not isinstance(m.get("content"), str):
            raise _bad(f"row {row}, message {i}: needs a string 'content' and a 'role'")
        if m.get("role") not in ROLES:
            raise _bad(
                f"row {row}, message {i}: role {m.get('role')!r} is not one of {', '.join(ROLES)}"
            )
        out.append({"role": m["role"], "content": m["content"]})
    return out


def conversations(model_input) -> list[list[dict]]:
    """Each request row as a chat: ``messages`` (list of {role, content}) or ``prompt`` (a user
    message). Accepts a DataFrame, a dict of columns, or a list of row dicts."""
    import pandas as pd

    if isinstance(model_input, dict):
        single = "messages" in model_input and _looks_like_one_chat(model_input["messages"])
        model_input = pd.DataFrame([model_input] if single else model_input)
    elif isinstance(model_input, list):
        model_input = pd.DataFrame(model_input)
    if not isinstance(model_input, pd.DataFrame):
        raise _bad(f"expected rows with a 'messages' or 'prompt' column, got {type(model_input)}")
    if not {"messages", "prompt"} & set(model_input.columns):
        raise _bad(
            "each row needs a 'messages' column (list of {role, content}) or a 'prompt' column "
            "(string); the request has neither"
        )
    if len(model_input) == 0:
        raise _bad("no rows: send at least one conversation")
    chats = []
    for row, record in enumerate(model_input.to_dict("records")):
        msgs, prompt = record.get("messages"), record.get("prompt")
        if not _is_missing(msgs):
            chats.append(_messages(msgs, row))
        elif isinstance(prompt, str) and prompt:
            chats.append([{"role": "user", "content": prompt}])
        elif not _is_missing(prompt) and not isinstance(prompt, str):
            raise _bad(
                f"row {row}: 'prompt' must be one string, got {type(prompt).__name__}; "
                "send one row per prompt"
            )
        else:
            raise _bad(f"row {row}: neither 'messages' nor a non-empty string 'prompt'")
    return chats


def _looks_like_one_chat(value) -> bool:
    return isinstance(value, list) and (not value or isinstance(value[0], dict))


class QAdapterModel(mlflow.pyfunc.PythonModel):
    """Base + adapter (stack) decoded with eq. 6; one request at a time (a lock)."""

    def load_context(self, context) -> None:
        from ..decode import CustomizedDecoder
        from ..models import ModelError, load_base

        self.adapter_dir = Path(context.artifacts[ARTIFACT_KEY]) / TOP
        self.meta = read_meta(self.adapter_dir)
        name = os.environ.get(BASE_ENV) or self.meta["base_model"]
        try:
            self.base = load_base(name)
        except ModelError as e:
            raise ModelError(
                f"{e} (the adapter's base; where it lives elsewhere on this machine, set "
                f"{BASE_ENV} to its directory: its content hash is still checked)"
            ) from None
        # checks the adapter's base_hash against the loaded base (and the stack's hashes)
        self.default = CustomizedDecoder.from_adapter(self.adapter_dir, self.base)
        self._rows = None  # a row-group decoder, built on the first alpha0/alpha_tilde override
        self._lock = threading.Lock()

    def decoder(self, alpha0: float, alpha_tilde: float):
        """The decoder for eq. 6 at (alpha0, alpha_tilde) on the top adapter."""
        from ..decode import CustomizedDecoder

        if (alpha0, alpha_tilde) == (self.default.alpha0, self.default.alpha_tilde):
            return self.default
        try:
            method = MethodConfig.from_meta(self.meta, alpha0=alpha0, alpha_tilde=alpha_tilde)
        except ConfigError as e:
            raise _bad(f"params: {e}") from None
        if self._rows is None:  # the default decoder when it runs row groups, else a new one
            self._rows = (
                self.default
                if self.default.rows is not None
                else CustomizedDecoder.from_adapter(self.adapter_dir, self.base, fuse=False)
            )
        rows = self._rows
        return CustomizedDecoder(
            q_net=rows.q_net,
            rows=rows.rows,
            levels=(*rows.levels[:-1], method),
            method=method,
            eos_token_ids=rows.eos.tolist(),
            pad_token_id=rows.pad_token_id,
        )

    # The hint is one MLflow infers no schema from (the logged signature stays the contract) and
    # it silences MLflow's "Add type hints to the predict method" warning on every load. Requests
    # arrive as a DataFrame; :func:`conversations` also takes the lists a direct caller passes.
    def predict(self, context, model_input: pd.DataFrame, params=None):
        from ..decode import SamplingConfig

        p = {"alpha0": self.default.alpha0, "alpha_tilde": self.default.alpha_tilde}
        p |= {"temperature": 0.0, "max_new_tokens": DEFAULT_MAX_NEW_TOKENS, "seed": 0}
        p |= {k: v for k, v in (params or {}).items() if v is not None}
        chats = conversations(model_input)
        temperature = float(p["temperature"])
        if temperature < 0:
            raise _bad(f"params: temperature must be >= 0 (0: greedy), got {temperature}")
        try:
            cfg = SamplingConfig(
                max_new_tokens=int(p["max_new_tokens"]),
                greedy=temperature == 0,
                temperature=temperature if temperature > 0 else 1.0,
                seed=int(p["seed"]),
            )
        except (ConfigError, ValueError) as e:
            raise _bad(f"params: {e}") from None
        with self._lock:
            dec = self.decoder(float(p["alpha0"]), float(p["alpha_tilde"]))
            return dec.generate_text(self.base.tokenizer, chats, cfg)
