"""The installed version of sklstm."""

__version__ = "0.1.0"
