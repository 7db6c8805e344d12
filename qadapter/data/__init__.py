"""Preference data: sources, formats, validation with quarantine, hashing and splits.

``load_preferences(source)`` is the entry point; it returns a :class:`LoadResult` whose pairs
are :class:`PreferencePair` records and whose summary accounts for every input record.
``load_splits(source)`` adds the train/test split and refuses a source with no usable pair.
"""

from qadapter.data.hashing import dataset_hash
from qadapter.data.pairs import PreferencePair
from qadapter.data.records import DataError
from qadapter.data.split import Splits, hash_split, load_splits
from qadapter.data.validate import LoadResult, Summary, load_preferences, require_pairs

__all__ = [
    "DataError",
    "LoadResult",
    "PreferencePair",
    "Splits",
    "Summary",
    "dataset_hash",
    "hash_split",
    "load_preferences",
    "load_splits",
    "require_pairs",
]
