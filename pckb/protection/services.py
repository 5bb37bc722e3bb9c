"""Writes of the protection register. Targets go through the generic audited services
(``core.services.object_*``); an assessment is only ever added, never changed or removed."""

from __future__ import annotations

from pckb.core import services
from pckb.protection.models import RiskAssessment


def risk_assessment_record(*, actor, assessment: RiskAssessment) -> RiskAssessment:
    """Validate, score and save a new assessment of a target the actor may see, and audit it. The
    target's earlier assessments stay as they were: the latest one gives its current level."""
    return services.object_create(actor=actor, instance=assessment)
