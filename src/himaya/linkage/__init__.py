"""Record linkage: one child, one record, across inspectors, associations, schools
and the social registry (issue 5). Pure Python (Polars, numpy), no Django.
"""
