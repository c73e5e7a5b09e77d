"""Renderers: a composed :class:`humaskit.compose.Document` to Markdown and to DOCX."""
