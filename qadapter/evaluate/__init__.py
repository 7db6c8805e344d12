"""Evaluation of a customized model: preference accuracy, drift from pi1, sample generations.

The full benchmark suite (lm-eval forgetting probes) and LLM judges with win rates build on this.
"""

from .preference import heldout_metrics
from .samples import sample_generations

__all__ = ["heldout_metrics", "sample_generations"]
