"""A release as a document: composed once, rendered to Markdown and DOCX from unit templates."""
