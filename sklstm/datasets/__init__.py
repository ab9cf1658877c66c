"""Small data sets that ship with sklstm (nothing is downloaded)."""

from sklstm.datasets._airline import load_airline
from sklstm.datasets._memory import make_memory_sequences
from sklstm.datasets._us_macro import load_us_macro

__all__ = ["load_airline", "load_us_macro", "make_memory_sequences"]
