"""The results part of the action list (counts, rows, pages), built once per query and cached.

Everything below the filter form depends only on the plan, the query string and what the user
may view: two users with the same view scope (organisations.scoping.Access.view_scope_key) get the
same counts and rows. So the results are cached per plan, language, day, view scope, data version
of the plan's owner (plans.selectors.with_data_version: it changes on every write through a
service) and query string. A page that was shown before then costs the access check, the plan and
the filter form; what the user may do (manage the action plans) is still read per user.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from openveiligheid.actions.presentation import render_rows
from openveiligheid.actions.selectors import (
    PER_PAGE,
    decorate_page,
    for_list_page,
    lead_counts,
    list_counts,
)
from openveiligheid.organisations.models import Organisation

CACHE_SECONDS = 10 * 60


def query_string(params, **changes) -> str:
    """`params` (a QueryDict) with `changes` applied, as "?a=1&b=2" ("?" when empty); a change to
    None or "" removes the parameter."""
    query = params.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@dataclass(frozen=True)
class ListResults:
    rows_html: SafeString
    total: int
    status_counts: list[dict]
    unplanned_count: int
    # For a regional programme: the number of actions per lead organisation, else None.
    lead_counts: list[dict] | None
    page_number: int
    num_pages: int
    previous_page_url: str
    next_page_url: str


def scope_key(plan, view_scope_key: str) -> str | None:
    """What the cached parts of one plan's list depend on besides the query: the plan, the
    language, the owner's data version (read with the plan) and the view scope."""
    version = getattr(plan, "data_version", None)
    if version is None:
        return None
    return f"{plan.pk}:{translation.get_language()}:{version}:{view_scope_key}"


def _results_key(scope: str, params) -> str:
    query = sorted((key, sorted(params.getlist(key))) for key in params)
    digest = hashlib.sha256(repr(query).encode(), usedforsecurity=False).hexdigest()[:24]
    return f"ov:action-list:v1:{scope}:{timezone.localdate().isoformat()}:{digest}"


def list_results(params, filterset, cleaned: dict, actions, *, plan, scope: str | None):
    """The results of the list for the query `params`: from the cache when `scope` is given
    (scope_key; None for the list across plans) and the filters are valid."""
    key = _results_key(scope, params) if scope and filterset.form.is_valid() else None
    results = cache.get(key) if key else None
    if results is None:
        results = _build(params, filterset, cleaned, actions, plan=plan)
        if key:
            cache.set(key, results, CACHE_SECONDS)
    return results


def _build(params, filterset, cleaned: dict, actions, *, plan) -> ListResults:
    # Counts ignore the status filter, so that each count doubles as a link to that status.
    counts, unplanned_count, total = list_counts(filterset.filtered, cleaned)
    for item in counts:
        item["url"] = query_string(params, status=item["status"], page=None)
    show_plan = plan is None
    actions = for_list_page(actions, show_plan=show_plan, sort=cleaned.get("sort") or "")
    paginator = Paginator(actions, PER_PAGE)
    if total is not None:
        paginator.count = total  # known from the counts: saves a COUNT query
    page = paginator.get_page(params.get("page"))
    rows = decorate_page(page.object_list)
    return ListResults(
        rows_html=render_rows(rows, show_plan=show_plan),
        total=paginator.count,
        status_counts=counts,
        unplanned_count=unplanned_count,
        lead_counts=_lead_counts(params, filterset, plan),
        page_number=page.number,
        num_pages=paginator.num_pages,
        previous_page_url=query_string(params, page=page.previous_page_number())
        if page.has_previous()
        else "",
        next_page_url=query_string(params, page=page.next_page_number()) if page.has_next() else "",
    )


def _lead_counts(params, filterset, plan) -> list[dict] | None:
    if plan is None or plan.owner.kind != Organisation.Kind.REGION:
        return None
    counts = lead_counts(filterset.filtered(skip=("lead", "scope")))
    for item in counts:
        item["url"] = (
            query_string(params, lead=f"org-{item['organisation_id']}", page=None)
            if item["organisation_id"]
            else ""
        )
    return counts
