"""Workflow traces: API-call sessions drawn from a Markov chain, with their ground truth.

A :class:`WorkflowDefinition` says where sessions start, where they go next and where they end;
:class:`SyntheticGenerator` walks it into sessions of timed calls (methods, response times,
status codes, parameters), optionally with labelled cascade failures; the
:class:`TraceDataset` holds them as objects and DataFrames, and :func:`estimate_transitions`
checks a learned chain against the truth::

    from syda.workflows import ECOMMERCE_WORKFLOW, SyntheticGenerator, estimate_transitions

    dataset = SyntheticGenerator(seed=42).generate_dataset(num_users=500)
    estimate_transitions(dataset).distance  # the largest error over every edge
"""

from syda.workflows.builtin import (
    BUILTIN_WORKFLOWS,
    ECOMMERCE_WORKFLOW,
    create_ecommerce_workflow,
    create_microservices_workflow,
    create_simple_workflow,
)
from syda.workflows.dataset import APICall, Session, TraceDataset
from syda.workflows.definition import WorkflowDefinition, WorkflowError
from syda.workflows.generator import SyntheticGenerator
from syda.workflows.truth import TransitionEstimate, estimate_transitions, ground_truth_frame
from syda.workflows.validate import validate_workflow

__all__ = [
    "BUILTIN_WORKFLOWS",
    "ECOMMERCE_WORKFLOW",
    "APICall",
    "Session",
    "SyntheticGenerator",
    "TraceDataset",
    "TransitionEstimate",
    "WorkflowDefinition",
    "WorkflowError",
    "create_ecommerce_workflow",
    "create_microservices_workflow",
    "create_simple_workflow",
    "estimate_transitions",
    "ground_truth_frame",
    "validate_workflow",
]
