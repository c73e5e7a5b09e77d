"""The monthly publication recap: the figures (``figures``), and their terminal, XLSX and
DOCX forms (``terminal``, ``xlsx``, ``docx``). Only ``figures`` counts; the others draw."""
