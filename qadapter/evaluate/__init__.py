"""Evaluation of a customized model: preference accuracy, drift from pi1, sample generations.

The full benchmark suite (lm-eval forgetting probes) and LLM judges with win rates build on this.
"""

from .preference import evaluate_pairs, heldout_metrics, mean_kl
from .samples import base_generate, sample_generations

__all__ = ["base_generate", "evaluate_pairs", "heldout_metrics", "mean_kl", "sample_generations"]
