"""Every write of programmes, pillars, assignments, roles, risks and budget lines."""

from django.db import transaction

from openveiligheid.core.changelog import save_new
from openveiligheid.core.numbers import decimal_for_column
from openveiligheid.programme.models import (
    Assignment,
    BudgetAmount,
    BudgetLine,
    Participant,
    Pillar,
    Programme,
    ProgrammeRole,
    Risk,
)


def _create(model, actor, **fields):
    return save_new(model(**fields), actor)


@transaction.atomic
def create_programme(
    *,
    plan,
    title: str,
    description: str = "",
    stated_budget_totals=None,
    stated_table_totals=None,
    funding_overview=None,
    actor=None,
) -> Programme:
    return _create(
        Programme,
        actor,
        plan=plan,
        title=title,
        description=description,
        stated_budget_totals=stated_budget_totals or {},
        stated_table_totals=stated_table_totals or {},
        funding_overview=funding_overview or {},
    )


@transaction.atomic
def add_pillar(programme: Programme, *, actor=None, **fields) -> Pillar:
    return _create(Pillar, actor, programme=programme, order=programme.pillars.count(), **fields)


@transaction.atomic
def add_assignment(pillar: Pillar, *, actor=None, **fields) -> Assignment:
    return _create(Assignment, actor, pillar=pillar, order=pillar.assignments.count(), **fields)


@transaction.atomic
def add_role(programme: Programme, *, actor=None, **fields) -> ProgrammeRole:
    return _create(
        ProgrammeRole, actor, programme=programme, order=programme.roles.count(), **fields
    )


@transaction.atomic
def add_participant(programme: Programme, *, actor=None, **fields) -> Participant:
    return _create(
        Participant, actor, programme=programme, order=programme.participants.count(), **fields
    )


@transaction.atomic
def add_risk(programme: Programme, *, actor=None, **fields) -> Risk:
    return _create(Risk, actor, programme=programme, order=programme.risks.count(), **fields)


@transaction.atomic
def add_budget_line(
    programme: Programme, *, item: str, amounts: dict, actor=None, **fields
) -> BudgetLine:
    line = _create(
        BudgetLine,
        actor,
        programme=programme,
        item=item,
        order=programme.budget_lines.count(),
        **fields,
    )
    for year, amount in sorted(amounts.items()):
        if amount is not None:
            BudgetAmount.objects.create(
                line=line,
                year=int(year),
                amount=decimal_for_column(BudgetAmount, "amount", amount, key="amounts"),
            )
    return line
