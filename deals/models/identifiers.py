"""Party identifiers: a party tied to public registers by scheme and id (Wikidata QID,
LEI, a national company register's number, a stock ticker).

Each scheme has a pattern the database checks (`party_identifier_pattern`, regex
lookups anchored with \\A and \\Z as CURRENCY_PATTERN is, so that SQLite and PostgreSQL
read them alike) and rules only Python can say (the LEI's check digits, a register's
country), checked by PartyIdentifier.clean(). An identifier is held by one party at
most (`party_identifier_once`): a second party with it is the same organisation.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from simple_history.models import HistoricalRecords

# \A and \Z: see CURRENCY_PATTERN (deals/models/money.py).
QID_PATTERN = r"\AQ[1-9][0-9]*\Z"
LEI_PATTERN = r"\A[0-9A-Z]{18}[0-9]{2}\Z"
# register:number. The register is a lowercase code that starts with the ISO 3166-1
# country of the register ("us-sec-cik", "cn-uscc", "gb-coh"); the number is its
# letters and digits, uppercase, without spaces or punctuation.
REGISTER_PATTERN = r"\A[a-z]{2}(-[a-z0-9]+)+:[0-9A-Z]{1,40}\Z"
# exchange:symbol, both uppercase: a MIC or the exchange's common code ("NYSE:BA",
# "HKEX:1810", "XSHG:600519"); a share class after a dot ("NYSE:BRK.B").
TICKER_PATTERN = r"\A[A-Z0-9]{2,10}:[A-Z0-9]{1,12}(\.[A-Z0-9]{1,4})?\Z"


class Scheme(models.TextChoices):
    QID = "qid", _("Wikidata QID")
    LEI = "lei", _("LEI (ISO 17442)")
    REGISTER = "register", _("company register")
    TICKER = "ticker", _("stock ticker")


PATTERNS = {
    Scheme.QID: QID_PATTERN,
    Scheme.LEI: LEI_PATTERN,
    Scheme.REGISTER: REGISTER_PATTERN,
    Scheme.TICKER: TICKER_PATTERN,
}
# Schemes a party holds one of at most: one legal entity has one LEI, one Wikidata item.
SINGLE_VALUED = (Scheme.QID, Scheme.LEI)

EXAMPLES = {
    Scheme.QID: "Q66",
    Scheme.LEI: "20 capital letters and digits, the last two digits",
    Scheme.REGISTER: "us-sec-cik:0000012927",
    Scheme.TICKER: "NYSE:BA",
}

# Registers whose numbers have a known fixed form: (digits only, length to pad to).
KNOWN_REGISTERS = {
    "us-sec-cik": (True, 10),  # SEC Central Index Key, written with its leading zeros
    "cn-uscc": (False, 18),  # China's unified social credit code
    "gb-coh": (False, 8),  # Companies House, e.g. 00445790
    "hk-cr": (True, 8),  # Hong Kong Companies Registry
}


def lei_check(value):
    """ISO 7064 MOD 97-10 over the LEI read as a number, letters A=10 … Z=35: a valid
    LEI leaves 1."""
    return int("".join(str(int(char, 36)) for char in value)) % 97


def lei_check_digits(first_18):
    """The two check digits that make `first_18` a valid LEI (ISO 17442)."""
    return f"{98 - lei_check(first_18 + '00'):02d}"


_SEPARATORS = re.compile(r"[\s.\-/]+")


def normalise_identifier(scheme, value):
    """The identifier as stored: stripped, uppercased where the scheme is, a register's
    number without separators and with its known padding."""
    value = (value or "").strip()
    if scheme == Scheme.QID:
        return value.upper()
    if scheme == Scheme.LEI:
        return re.sub(r"\s+", "", value).upper()
    if scheme == Scheme.TICKER:
        return re.sub(r"\s+", "", value).upper()
    if scheme == Scheme.REGISTER and ":" in value:
        register, number = value.split(":", 1)
        register = register.strip().lower()
        number = _SEPARATORS.sub("", number).upper()
        digits_only, length = KNOWN_REGISTERS.get(register, (False, 0))
        if digits_only and number.isdigit():
            number = number.zfill(length)
        return f"{register}:{number}"
    return value


def identifier_errors(scheme, value):
    """What is wrong with a normalised identifier of `scheme`, in the reader's words
    ([] when nothing is)."""
    pattern = PATTERNS.get(scheme)
    if pattern is None:
        return []  # the scheme's own choice error says it
    if not re.search(pattern, value):
        return [f"Not a {Scheme(scheme).label}: write it as {EXAMPLES[scheme]}."]
    if scheme == Scheme.LEI and lei_check(value) != 1:
        return [
            "The check digits of this LEI are wrong (ISO 7064 MOD 97-10): "
            "check it was copied correctly."
        ]
    if scheme == Scheme.REGISTER:
        register, number = value.split(":", 1)
        if register[:2].upper() not in countries:
            return [
                f"A register starts with its country's ISO 3166 code; “{register[:2]}” is none."
            ]
        digits_only, length = KNOWN_REGISTERS.get(register, (False, 0))
        if length and (len(number) != length or (digits_only and not number.isdigit())):
            kind = "digits" if digits_only else "letters and digits"
            return [f"A {register} number has {length} {kind}."]
    return []


def parse_identifier(text):
    """ "lei:5493…" → ("lei", normalised value); ValueError when it cannot be read."""
    scheme, sep, value = (text or "").strip().partition(":")
    scheme = scheme.strip().lower()
    if not sep or scheme not in Scheme.values or not value.strip():
        choices = ", ".join(Scheme.values)
        raise ValueError(f"Write an identifier as scheme:id, the scheme one of {choices}.")
    return scheme, normalise_identifier(scheme, value)


class PartyIdentifierQuerySet(models.QuerySet):
    def holding(self, scheme, value):
        return self.filter(scheme=scheme, value=normalise_identifier(scheme, value))


class PartyIdentifier(models.Model):
    """One public identifier of a party, as scheme and id."""

    Scheme = Scheme

    party = models.ForeignKey("deals.Party", on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(max_length=10, choices=Scheme.choices)
    value = models.CharField(
        "id",
        max_length=100,
        help_text="QID Q66; LEI of 20 characters; register:number, e.g. us-sec-cik:0000012927; "
        "exchange:symbol, e.g. NYSE:BA.",
    )

    history = HistoricalRecords()
    objects = PartyIdentifierQuerySet.as_manager()

    class Meta:
        ordering = ["scheme", "value"]
        verbose_name = "identifier"
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "value"],
                name="party_identifier_once",
                violation_error_message="Another party holds this identifier already.",
            ),
            models.UniqueConstraint(
                fields=["party", "scheme"],
                condition=Q(scheme__in=SINGLE_VALUED),
                name="party_one_qid_and_lei",
                violation_error_message="A party has one Wikidata QID and one LEI at most.",
            ),
            models.CheckConstraint(
                condition=Q(scheme=Scheme.QID, value__regex=QID_PATTERN)
                | Q(scheme=Scheme.LEI, value__regex=LEI_PATTERN)
                | Q(scheme=Scheme.REGISTER, value__regex=REGISTER_PATTERN)
                | Q(scheme=Scheme.TICKER, value__regex=TICKER_PATTERN),
                name="party_identifier_pattern",
            ),
        ]

    def __str__(self):
        return f"{self.scheme}:{self.value}"

    def save(self, *args, **kwargs):
        self.value = normalise_identifier(self.scheme, self.value)
        super().save(*args, **kwargs)

    def clean(self):
        self.value = normalise_identifier(self.scheme, self.value)
        errors = identifier_errors(self.scheme, self.value)
        if errors:
            raise ValidationError({"value": errors})
        holder = (
            PartyIdentifier.objects.filter(scheme=self.scheme, value=self.value)
            .exclude(pk=self.pk)
            .select_related("party")
            .first()
        )
        if holder is not None and holder.party_id != self.party_id:
            raise ValidationError(
                {
                    "value": (
                        f"{holder.party.name} (slug {holder.party.slug}) holds this "
                        f"{self.get_scheme_display()} already: it is the same organisation. "
                        "Use that party, or merge the two."
                    )
                }
            )

    @property
    def url(self):
        """The identifier's page at its register, or "" where none is sure."""
        return self.url_of(self.scheme, self.value)

    @staticmethod
    def url_of(scheme, value):
        if scheme == Scheme.QID:
            return f"https://www.wikidata.org/wiki/{value}"
        if scheme == Scheme.LEI:
            return f"https://search.gleif.org/#/record/{value}"
        if scheme == Scheme.REGISTER and value.startswith("us-sec-cik:"):
            cik = value.split(":", 1)[1]
            return f"https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK={cik}"
        return ""
