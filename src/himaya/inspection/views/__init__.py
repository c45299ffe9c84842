"""Pages of the labour inspectorate, one module per part (see ``urls.py``)."""
