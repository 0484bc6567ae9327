"""The OpenSearch engine: the index in an OpenSearch 2.x cluster (``opensearch-py``)."""
