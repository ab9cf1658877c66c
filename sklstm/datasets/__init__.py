"""Small data sets that ship with sklstm (nothing is downloaded)."""

from sklstm.datasets._airline import load_airline
from sklstm.datasets._memory import make_memory_sequences

__all__ = ["load_airline", "make_memory_sequences"]
