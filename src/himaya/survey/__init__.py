"""National statistics from survey microdata: SDG 8.7.1 and the MICS child-labour tables.

Pure Python (no Django) except ``apps.py``, ``messages.py`` and the management
command: ``reader`` reads the file, ``mapping`` renames the survey's variables to
the engine's fields, ``classify`` runs the engine (``himaya_rules``) over every
child, ``estimate`` computes design-based estimates with ``svy``, ``outputs``
writes the CSV, the workbook, the charts and SDMX-CSV; ``pipeline`` chains them.
Decision 0009.
"""
