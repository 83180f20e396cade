"""The shared ground of every stage — problems, dates, names, config and the frozen model — with no
I/O and no clock; it imports nothing of netnotes.

Public names (what other packages import from here; each is loaded on first use,
so importing the package stays cheap):

- config: CONFIG_NAME, Config, DEFAULT_CONFIG_TEXT, FieldMap, parse_config
- dates: Duration, add_duration, humanize_days, month_number, parse_birthday,
  parse_birthday_input, parse_date, parse_duration
- errors: ConfigError, NetnotesError, Problem, Severity, Source, VaultNotFound, sorted_problems
- gcpause: one_shot, paused_gc
- kinds: DEFAULT_WEIGHT, KINDS, KIND_MODIFIERS, KIND_WEIGHTS, KIND_WORDS, RECORD_KINDS,
  VIDEO_WORDS
- model: CareerStep, Contact, HISTORY_LISTED, Grouped, Interaction, Vault
- names: WIKILINK, fold, link_targets, slugify, unlink
- shown: counted, json_safe, json_safe_utf8, visible
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netnotes.core.lazy import lazy_attributes

if TYPE_CHECKING:
    from netnotes.core.config import CONFIG_NAME as CONFIG_NAME
    from netnotes.core.config import DEFAULT_CONFIG_TEXT as DEFAULT_CONFIG_TEXT
    from netnotes.core.config import Config as Config
    from netnotes.core.config import FieldMap as FieldMap
    from netnotes.core.config import parse_config as parse_config
    from netnotes.core.dates import Duration as Duration
    from netnotes.core.dates import add_duration as add_duration
    from netnotes.core.dates import humanize_days as humanize_days
    from netnotes.core.dates import month_number as month_number
    from netnotes.core.dates import parse_birthday as parse_birthday
    from netnotes.core.dates import parse_birthday_input as parse_birthday_input
    from netnotes.core.dates import parse_date as parse_date
    from netnotes.core.dates import parse_duration as parse_duration
    from netnotes.core.errors import ConfigError as ConfigError
    from netnotes.core.errors import NetnotesError as NetnotesError
    from netnotes.core.errors import Problem as Problem
    from netnotes.core.errors import Severity as Severity
    from netnotes.core.errors import Source as Source
    from netnotes.core.errors import VaultNotFound as VaultNotFound
    from netnotes.core.errors import sorted_problems as sorted_problems
    from netnotes.core.gcpause import one_shot as one_shot
    from netnotes.core.gcpause import paused_gc as paused_gc
    from netnotes.core.kinds import DEFAULT_WEIGHT as DEFAULT_WEIGHT
    from netnotes.core.kinds import KIND_MODIFIERS as KIND_MODIFIERS
    from netnotes.core.kinds import KIND_WEIGHTS as KIND_WEIGHTS
    from netnotes.core.kinds import KIND_WORDS as KIND_WORDS
    from netnotes.core.kinds import KINDS as KINDS
    from netnotes.core.kinds import RECORD_KINDS as RECORD_KINDS
    from netnotes.core.kinds import VIDEO_WORDS as VIDEO_WORDS
    from netnotes.core.model import HISTORY_LISTED as HISTORY_LISTED
    from netnotes.core.model import CareerStep as CareerStep
    from netnotes.core.model import Contact as Contact
    from netnotes.core.model import Grouped as Grouped
    from netnotes.core.model import Interaction as Interaction
    from netnotes.core.model import Vault as Vault
    from netnotes.core.names import WIKILINK as WIKILINK
    from netnotes.core.names import fold as fold
    from netnotes.core.names import link_targets as link_targets
    from netnotes.core.names import slugify as slugify
    from netnotes.core.names import unlink as unlink
    from netnotes.core.shown import counted as counted
    from netnotes.core.shown import json_safe as json_safe
    from netnotes.core.shown import json_safe_utf8 as json_safe_utf8
    from netnotes.core.shown import visible as visible

_PUBLIC = {
    "counted": "netnotes.core.shown",
    "json_safe": "netnotes.core.shown",
    "json_safe_utf8": "netnotes.core.shown",
    "visible": "netnotes.core.shown",
    "CONFIG_NAME": "netnotes.core.config",
    "CareerStep": "netnotes.core.model",
    "Config": "netnotes.core.config",
    "ConfigError": "netnotes.core.errors",
    "Contact": "netnotes.core.model",
    "DEFAULT_CONFIG_TEXT": "netnotes.core.config",
    "DEFAULT_WEIGHT": "netnotes.core.kinds",
    "HISTORY_LISTED": "netnotes.core.model",
    "Duration": "netnotes.core.dates",
    "FieldMap": "netnotes.core.config",
    "Grouped": "netnotes.core.model",
    "Interaction": "netnotes.core.model",
    "KINDS": "netnotes.core.kinds",
    "KIND_MODIFIERS": "netnotes.core.kinds",
    "KIND_WORDS": "netnotes.core.kinds",
    "VIDEO_WORDS": "netnotes.core.kinds",
    "KIND_WEIGHTS": "netnotes.core.kinds",
    "NetnotesError": "netnotes.core.errors",
    "Problem": "netnotes.core.errors",
    "RECORD_KINDS": "netnotes.core.kinds",
    "Severity": "netnotes.core.errors",
    "Source": "netnotes.core.errors",
    "Vault": "netnotes.core.model",
    "VaultNotFound": "netnotes.core.errors",
    "WIKILINK": "netnotes.core.names",
    "add_duration": "netnotes.core.dates",
    "fold": "netnotes.core.names",
    "humanize_days": "netnotes.core.dates",
    "link_targets": "netnotes.core.names",
    "month_number": "netnotes.core.dates",
    "one_shot": "netnotes.core.gcpause",
    "parse_birthday": "netnotes.core.dates",
    "parse_birthday_input": "netnotes.core.dates",
    "parse_config": "netnotes.core.config",
    "parse_date": "netnotes.core.dates",
    "parse_duration": "netnotes.core.dates",
    "paused_gc": "netnotes.core.gcpause",
    "slugify": "netnotes.core.names",
    "sorted_problems": "netnotes.core.errors",
    "unlink": "netnotes.core.names",
}

__all__ = sorted(_PUBLIC)


__getattr__ = lazy_attributes(__name__, _PUBLIC)
