"""Preference data: sources, formats, validation with quarantine, hashing and splits.

``load_preferences(source)`` is the entry point; it returns a :class:`LoadResult` whose pairs
are :class:`PreferencePair` records and whose summary accounts for every input record.
"""

from qadapter.data.hashing import dataset_hash
from qadapter.data.pairs import PreferencePair
from qadapter.data.sources import DataError
from qadapter.data.split import Splits, hash_split, load_splits
from qadapter.data.validate import LoadResult, Summary, load_preferences

__all__ = ["DataError", "LoadResult", "PreferencePair", "Splits", "Summary", "dataset_hash",
           "hash_split", "load_preferences", "load_splits"]
