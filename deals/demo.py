"""The demo data set: what one Reuters report says of the Great Hall signings of November 2017.

Plain Python so that `manage.py load_demo` can record it and tests can read it; the
project never reads the report itself (../shared/seed/ is not part of a deployment).

Facts come from that report unless a comment says otherwise. Where the report is silent
(an instrument, a counterparty, the value of Thursday's deals) the data says "unknown",
"undisclosed" or nothing at all, rather than filling the gap.

Objects refer to one another by slug (sectors by ISIC code), which is also how the
loader finds them again on the next run.
"""

from datetime import date
from decimal import Decimal

# Quotes are the report's sentences verbatim, except that the apostrophes and quotation
# marks lost from the seed copy ("China s", "Trump s") are put back as the syndicated
# copy below prints them.
REPORT_DATE = date(2017, 11, 8)

SOURCE = {
    # The seed copy carries neither headline nor address. Both are taken from the same
    # Reuters story (by Matthew Miller, same text) as syndicated by Investing.com, the one
    # address at which we found that text; the story's own reuters.com address was not
    # found, so none is made up. The publisher stays Reuters: it is their report.
    "url": (
        "https://www.investing.com/news/economy-news/"
        "commerce-secretary-says-trumpxi-talks-will-address-trade-imbalances-840097"
    ),
    "publisher": "Reuters",
    "title": "Commerce Secretary says Trump-Xi talks will address trade imbalances",
    "published_on": REPORT_DATE,
    "quote": (
        '"Addressing the imbalance in China trade has been the central focus of collaborative '
        "discussions between President Trump and President Xi and achieving fair and "
        'reciprocal treatment for the companies is a shared objective," Ross said.'
    ),
}

QUOTE_8_NOVEMBER_DEALS = (
    "Deals signed on Wednesday included a pledge by Chinese ecommerce company JD.com to buy "
    "more than $2 billion of food products from the U.S. over three years and a pact for "
    "Reignwood International to buy additional helicopters from U.S. firm Bell Helicopter."
)
QUOTE_9_NOVEMBER_DEALS = (
    "Among the companies expected to sign deals on Thursday are Qualcomm, Boeing and Goldman Sachs."
)

OCCASION = {
    "slug": "trump-state-visit-china-2017-11",
    "name": "Donald Trump's state visit to China, November 2017",
    # The report says only "this week"; the visit ran from 8 to 10 November 2017.
    "start_date": date(2017, 11, 8),
    "end_date": date(2017, 11, 10),
    "host_country": "CN",
    "description": (
        "U.S. President Donald Trump's visit to Beijing for meetings with Chinese President "
        "Xi Jinping which, U.S. Commerce Secretary Wilbur Ross said, would focus on "
        "addressing trade imbalances between the two countries. Chinese and U.S. companies "
        "signed commercial deals at ceremonies in the Great Hall of the People."
    ),
}

VENUE = {
    "slug": "great-hall-of-the-people",
    "name": "Great Hall of the People",
    "city": "Beijing",
    "country": "CN",
}

PEOPLE = [
    {"slug": "wilbur-ross", "name": "Wilbur Ross", "native_name": ""},
    {"slug": "wang-yang", "name": "Wang Yang", "native_name": "汪洋"},
    {"slug": "zhong-shan", "name": "Zhong Shan", "native_name": "钟山"},
]

CEREMONIES = [
    {
        "slug": "us-china-signing-ceremony-2017-11-08",
        "name": "U.S.–China commercial deals signing ceremony",
        "date": date(2017, 11, 8),
        "venue": VENUE["slug"],
        "occasion": OCCASION["slug"],
        "description": (
            "Chinese and U.S. companies signed 19 commercial deals, worth about $9 billion, "
            "in the Great Hall of the People next to Tiananmen Square. Vice Premier Wang Yang "
            "said the deals would contribute to the stabilization of the general and overall "
            "economic relations between the two countries, and called the ceremony a prelude "
            "to a more important signing ceremony on Thursday."
        ),
        "announced_value_amount": Decimal("9000000000"),
        "announced_value_currency": "USD",
        "announced_value_qualifier": "about",
        "announced_deal_count": 19,
        "dignitaries": [
            {"person": "wilbur-ross", "title": "U.S. Commerce Secretary", "role": "speaker"},
            {"person": "wang-yang", "title": "Vice Premier of China", "role": "speaker"},
            {"person": "zhong-shan", "title": "Chinese Commerce Minister", "role": "attendee"},
        ],
        "quote": (
            "Ross was speaking at a signing ceremony in the Chinese capital for commercial "
            "deals worth about $9 billion on Trump's visit. … While 19 deals were signed on "
            "Wednesday, some in the U.S. business community have expressed worry that contract "
            "wins could come at the expense of resolving long-standing complaints over market "
            "access restrictions in China. … Chinese commerce minister Zhong Shan also "
            "attended the event in the Great Hall of the People next to Tiananmen Square."
        ),
    },
    {
        "slug": "us-china-signing-ceremony-2017-11-09",
        "name": "U.S.–China commercial deals signing ceremony",
        "date": date(2017, 11, 9),
        # The report, written the day before, does not say where this ceremony would be
        # held; it too took place in the Great Hall, and a ceremony needs a venue.
        "venue": VENUE["slug"],
        "occasion": OCCASION["slug"],
        "description": (
            "The more important of the visit's signing ceremonies, according to Vice Premier "
            "Wang Yang. Reported the day before, with Qualcomm, Boeing and Goldman Sachs among "
            "the companies expected to sign; the report gives no total."
        ),
        # No total or count was announced in the report: none is recorded.
        "announced_value_amount": None,
        "announced_value_currency": "USD",
        "announced_value_qualifier": "undisclosed",
        "announced_deal_count": None,
        "dignitaries": [],
        "quote": (
            "The ceremony was a prelude to a more important signing ceremony set for Thursday, "
            "he added. " + QUOTE_9_NOVEMBER_DEALS
        ),
    },
]

# Parents come before the parties that name them.
PARTIES = [
    {
        "slug": "jd-com",
        "name": "JD.com",
        "country": "CN",
        "kind": "company",
        "parent": None,
        "native_name": "京东",
        "aliases": "JD\nJingdong",
    },
    {
        "slug": "reignwood-international",
        "name": "Reignwood International",
        "country": "CN",
        "kind": "company",
        "parent": None,
        # Reignwood Group is 华彬集团, but the Chinese name of this subsidiary is not
        # certain, so none is given.
        "native_name": "",
        "aliases": "",
    },
    {
        "slug": "textron",
        "name": "Textron",
        "country": "US",
        "kind": "company",
        "parent": None,
        "native_name": "",
        "aliases": "",
    },
    {
        "slug": "bell-helicopter",
        "name": "Bell Helicopter",
        "country": "US",
        "kind": "company",
        "parent": "textron",
        "native_name": "",
        "aliases": "Bell Helicopter Textron",
    },
    {
        "slug": "qualcomm",
        "name": "Qualcomm",
        "country": "US",
        "kind": "company",
        "parent": None,
        "native_name": "",
        "aliases": "",
    },
    {
        "slug": "boeing",
        "name": "Boeing",
        "country": "US",
        "kind": "company",
        "parent": None,
        "native_name": "",
        "aliases": "",
    },
    {
        "slug": "goldman-sachs",
        "name": "Goldman Sachs",
        "country": "US",
        "kind": "financial_institution",
        "parent": None,
        "native_name": "",
        "aliases": "",
    },
]

# Sectors classify what changes hands (food, helicopters), not who buys it: an
# ecommerce company's food purchase sits with food products.
# Signed deals: the instrument is "unknown" because the report calls them "a pledge"
# and "a pact", which says nothing about their legal form or binding force.
_SIGNED_ON_8_NOVEMBER = {
    "instrument": "unknown",
    "status": "signed",
    "signed_on": date(2017, 11, 8),
    "ceremony": "us-china-signing-ceremony-2017-11-08",
    "is_published": True,
    "quote": QUOTE_8_NOVEMBER_DEALS,
}


def _expected_on_9_november(company, name, sector):
    """A deal the report expects `company` to sign on Thursday: nothing more is known."""
    return {
        "slug": f"{company}-deal-2017-11-09",
        "title": f"{name} deal expected at the 9 November signing ceremony",
        "summary": f"{name} was among the companies expected to sign deals on 9 November.",
        "description": (
            f"Reuters reported on 8 November 2017 that {name} was among the companies "
            "expected to sign deals at the signing ceremony on Thursday 9 November. The "
            "report names no counterparty and gives no value, term or form of agreement."
        ),
        # The company's line of business: the only hint the report gives of the deal.
        "sector": sector,
        "instrument": "unknown",
        "value_amount": None,
        "value_currency": "USD",
        "value_qualifier": "undisclosed",
        "value_basis": "unspecified",
        "value_stated_by": "unknown",
        "term_months": None,
        "status": "announced",
        "signed_on": None,
        "ceremony": "us-china-signing-ceremony-2017-11-09",
        "is_published": True,
        # Its role is not known either, hence "other".
        "parties": [{"party": company, "role": "other"}],
        "quote": QUOTE_9_NOVEMBER_DEALS,
    }


DEALS = [
    {
        **_SIGNED_ON_8_NOVEMBER,
        "slug": "jd-com-us-food-purchases-2017",
        "title": "JD.com to buy more than US$2 billion of U.S. food products over three years",
        "summary": (
            "JD.com pledged to buy more than US$2 billion of food products from the U.S. "
            "over three years."
        ),
        "description": (
            "A pledge by Chinese ecommerce company JD.com to buy more than $2 billion of food "
            "products from the U.S. over three years, signed at the 8 November ceremony. The "
            "report does not name the sellers."
        ),
        # Division 10 rather than 46 (wholesale) or 47 (retail): the deal is about the
        # food itself, and JD.com's own trade is selling it on.
        "sector": "10",
        "value_amount": Decimal("2000000000"),
        "value_currency": "USD",
        "value_qualifier": "more_than",
        "value_basis": "purchase_commitment",
        # The report states the figure without saying whose it is.
        "value_stated_by": "unknown",
        "term_months": 36,
        "parties": [{"party": "jd-com", "role": "buyer"}],
    },
    {
        **_SIGNED_ON_8_NOVEMBER,
        "slug": "reignwood-bell-helicopters-2017",
        "title": "Reignwood International to buy additional Bell helicopters",
        "summary": "Reignwood International agreed to buy additional helicopters from Bell.",
        "description": (
            "A pact for Reignwood International to buy additional helicopters from U.S. firm "
            "Bell Helicopter, signed at the 8 November ceremony. The report gives neither the "
            "number of helicopters nor the value."
        ),
        "sector": "30",
        "value_amount": None,
        "value_currency": "USD",
        "value_qualifier": "undisclosed",
        "value_basis": "unspecified",
        "value_stated_by": "unknown",
        "term_months": None,
        "parties": [
            {"party": "reignwood-international", "role": "buyer"},
            {"party": "bell-helicopter", "role": "seller"},
        ],
    },
    _expected_on_9_november("qualcomm", "Qualcomm", "26"),
    _expected_on_9_november("boeing", "Boeing", "30"),
    _expected_on_9_november("goldman-sachs", "Goldman Sachs", "64"),
]
