"""The demo data set: the Great Hall signings of November 2017, and what became of them.

Donald Trump's state visit to Beijing (8–10 November 2017) held two signing ceremonies.
The deals signed there are entered as the reports of the time give them, and their
outcomes as later reports give them: dated status updates, an MoU followed by the
contracts it led to, an umbrella pledge holding its component. Plain Python so that
`manage.py load_demo` can record it and tests can read it; the project never reads
the reports themselves.

Every fact comes from a source in SOURCES, which each deal, ceremony and status update
cites with a quote (the source's words, verbatim, with " … " where a passage is left
out). A comment says where a fact comes from elsewhere. Where the sources are silent
(an instrument, a value, what became of a deal) the data says "unknown",
"undisclosed" or nothing at all, rather than filling the gap: Boeing's, Qualcomm's
and Reignwood's deals have no recorded outcome because no later report of them was
found.

Objects refer to one another by slug (sources by key, sectors by ISIC code), which is
also how the loader finds them again on the next run (sources by address).

The record is a package by subject, each module what load_demo reads in turn:
sources.py (the reports), ceremonies.py (the occasion, its venue, the people at the
ceremonies and the ceremonies themselves), parties.py (the companies and public bodies)
and deals.py (the deals, with their status updates). Other modules import the names
from here (`from deals import demo`, then `demo.DEALS`), so that a test replacing
`demo.DEALS` replaces what the loader reads.
"""

from deals.demo.ceremonies import CEREMONIES, OCCASION, PEOPLE, VENUE
from deals.demo.deals import DEALS
from deals.demo.parties import IDENTIFIERS, PARTIES
from deals.demo.sources import SOURCES

__all__ = [
    "CEREMONIES",
    "DEALS",
    "IDENTIFIERS",
    "OCCASION",
    "PARTIES",
    "PEOPLE",
    "SOURCES",
    "VENUE",
]
