"""Bundled data and data generators.

- :func:`load_wages`: the 2018 Japanese wage-structure table (120 cells),
  shipped with the package.
- :func:`make_census_wages`: census-style individual records whose cell means
  follow that table.
"""

from skreg.datasets._wages import (
    AGE_CLASSES,
    ATTRIBUTION,
    COMPANY_SIZE_LEVELS,
    EDUCATION_LEVELS,
    load_wages,
    make_census_wages,
)

__all__ = [
    "AGE_CLASSES",
    "ATTRIBUTION",
    "COMPANY_SIZE_LEVELS",
    "EDUCATION_LEVELS",
    "load_wages",
    "make_census_wages",
]
