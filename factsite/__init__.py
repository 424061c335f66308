"""factsite: YAML fact files → checked model → Jinja → Markdown → MkDocs site."""

__version__ = "0.1.0"
