"""The row of a workflow table, shared by every module: a workflow is a dict {name: Transition} (the states a
transition leaves, the state it reaches, who may trigger it) plus one transition function in the module's services."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    by: str = ""  # who may trigger it, in the module's own terms ("applicant", "department", …); "" = the service decides
    note_required: bool = False
    stage: str = ""  # the optional stage the step belongs to ("" = always there)
