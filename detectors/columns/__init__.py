"""Column verdicts from three kinds of evidence: the name (`names`), the values (`values`) and the table's
subject (`subject`), combined and explained in `verdict`; prose columns judged in `prose`, field names that
are personal data replaced in `fields`."""

from detectors.columns.names import NAME_RULES, NameRule, normalise_name
from detectors.columns.subject import Subject, TableSubject, table_subject
from detectors.columns.values import is_birth_date, is_date_or_amount, is_job_title, is_person_name
from detectors.columns.fields import safe_field
from detectors.columns.prose import text_column_hits
from detectors.columns.verdict import (
    SPECIAL, classify_column, classify_table, is_temporal_column, name_entity, name_rule,
)

__all__ = [
    "NAME_RULES", "SPECIAL", "NameRule", "Subject", "TableSubject", "classify_column", "classify_table",
    "is_birth_date", "is_date_or_amount", "is_job_title", "is_person_name", "is_temporal_column", "name_entity",
    "name_rule", "normalise_name", "safe_field", "table_subject", "text_column_hits",
]
