"""From analysis to what a person reads — view models, the Jinja2 environments (vault templates
sandboxed), charts, JSON; it imports analysis, store (its public names only), vault and core.

Public names (what other packages import from here; each is loaded on first use,
so importing the package stays cheap):

- checks: check
- environment: make_environment, render_in
- fragments: Kept, Miss, Rendering, Store
- jsonout: dumps
- redact: initials, pseudonym, redact_contact, redact_view
- remembered: Reporter — what the store's remembered report asks of render and analysis
- report: Known, Narrow, Parts, Text, build_report, compose, limit_of, made_whole, render_report
- rows: ROW_FIELDS, contact_unit — one contact's row and unit
- views: build_list, build_show, list_contacts
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netnotes.core.lazy import lazy_attributes
from netnotes.store import offer_reporter

if TYPE_CHECKING:
    from netnotes.render.checks import check as check
    from netnotes.render.environment import make_environment as make_environment
    from netnotes.render.environment import render_in as render_in
    from netnotes.render.fragments import Kept as Kept
    from netnotes.render.fragments import Miss as Miss
    from netnotes.render.fragments import Rendering as Rendering
    from netnotes.render.fragments import Store as Store
    from netnotes.render.jsonout import dumps as dumps
    from netnotes.render.redact import initials as initials
    from netnotes.render.redact import pseudonym as pseudonym
    from netnotes.render.redact import redact_contact as redact_contact
    from netnotes.render.redact import redact_view as redact_view
    from netnotes.render.remembered import Reporter as Reporter
    from netnotes.render.report import Known as Known
    from netnotes.render.report import Narrow as Narrow
    from netnotes.render.report import Parts as Parts
    from netnotes.render.report import Text as Text
    from netnotes.render.report import build_report as build_report
    from netnotes.render.report import compose as compose
    from netnotes.render.report import limit_of as limit_of
    from netnotes.render.report import made_whole as made_whole
    from netnotes.render.report import render_report as render_report
    from netnotes.render.rows import ROW_FIELDS as ROW_FIELDS
    from netnotes.render.rows import contact_unit as contact_unit
    from netnotes.render.views import build_list as build_list
    from netnotes.render.views import build_show as build_show
    from netnotes.render.views import list_contacts as list_contacts

_PUBLIC = {
    "Kept": "netnotes.render.fragments",
    "Miss": "netnotes.render.fragments",
    "Rendering": "netnotes.render.fragments",
    "Store": "netnotes.render.fragments",
    "Known": "netnotes.render.report",
    "Narrow": "netnotes.render.report",
    "Parts": "netnotes.render.report",
    "ROW_FIELDS": "netnotes.render.rows",
    "Text": "netnotes.render.report",
    "build_list": "netnotes.render.views",
    "build_report": "netnotes.render.report",
    "build_show": "netnotes.render.views",
    "check": "netnotes.render.checks",
    "compose": "netnotes.render.report",
    "contact_unit": "netnotes.render.rows",
    "dumps": "netnotes.render.jsonout",
    "initials": "netnotes.render.redact",
    "limit_of": "netnotes.render.report",
    "list_contacts": "netnotes.render.views",
    "made_whole": "netnotes.render.report",
    "make_environment": "netnotes.render.environment",
    "redact_contact": "netnotes.render.redact",
    "redact_view": "netnotes.render.redact",
    "Reporter": "netnotes.render.remembered",
    "pseudonym": "netnotes.render.redact",
    "render_in": "netnotes.render.environment",
    "render_report": "netnotes.render.report",
}

__all__ = sorted(_PUBLIC)


__getattr__ = lazy_attributes(__name__, _PUBLIC)


def _reporter() -> Reporter:
    from netnotes.render.remembered import Reporter

    return Reporter()


# A caller that asks the store for a report without handing a Reporter in gets this one.
offer_reporter(_reporter)
