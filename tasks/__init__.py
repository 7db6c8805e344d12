"""Prefect tasks: one per stage, each a thin wrapper over one ``qadapter.stages`` call.

Retries live here (the heavy stages retry with backoff and resume from their checkpoints);
caching is keyed on data content hashes + configuration + code version
(``tasks.common.stage_key``).
"""
