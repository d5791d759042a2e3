"""A status page that lives in git: Markdown incidents to a static status site."""

__version__ = "0.1.0"
