"""The demo's occasion, venue, people and ceremonies: the two Great Hall signings of
8 and 9 November 2017 during Donald Trump's state visit to China."""

from datetime import date
from decimal import Decimal

# A passage of the 8 November Reuters report (SOURCES["reuters-2017-11-08"]).
QUOTE_9_NOVEMBER_DEALS = (
    "Among the companies expected to sign deals on Thursday are Qualcomm, Boeing and Goldman Sachs."
)

OCCASION = {
    "slug": "trump-state-visit-china-2017-11",
    "name": "Donald Trump's state visit to China, November 2017",
    # The Reuters report says only "this week"; the visit ran from 8 to 10 November 2017.
    "start_date": date(2017, 11, 8),
    "end_date": date(2017, 11, 10),
    "host_country": "CN",
    # No headline of the visit's own: the sources state one per ceremony (about $9 billion
    # on Wednesday, $253.4 billion on Thursday, "on top of" it, as the AP puts it), so the
    # occasion's reconciliation adds up its ceremonies' headlines (Occasion.reconciliation).
    "announced_value_amount": None,
    "announced_value_qualifier": "undisclosed",
    "announced_deal_count": None,
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
        "sources": [
            {
                "source": "reuters-2017-11-08",
                # The report's sentences verbatim, except that the apostrophes lost from
                # the seed copy ("Trump s") are put back as the syndicated copy prints them.
                "quote": (
                    "Ross was speaking at a signing ceremony in the Chinese capital for "
                    "commercial deals worth about $9 billion on Trump's visit. … While 19 "
                    "deals were signed on Wednesday, some in the U.S. business community have "
                    "expressed worry that contract wins could come at the expense of resolving "
                    "long-standing complaints over market access restrictions in China. … "
                    "Chinese commerce minister Zhong Shan also attended the event in the Great "
                    "Hall of the People next to Tiananmen Square."
                ),
            },
        ],
    },
    {
        "slug": "us-china-signing-ceremony-2017-11-09",
        "name": "U.S.–China commercial deals signing ceremony",
        "date": date(2017, 11, 9),
        "venue": VENUE["slug"],
        "occasion": OCCASION["slug"],
        "description": (
            "The more important of the visit's signing ceremonies, according to Vice Premier "
            "Wang Yang, attended by Presidents Trump and Xi. Chinese Commerce Minister Zhong "
            "Shan said the deals signed that day totaled $253.4 billion; some were less than "
            "firm contracts."
        ),
        # As the AP reports Zhong Shan's figure for Thursday's deals. China's commerce
        # ministry later gave 34 projects and US$253.5 billion for the two ceremonies
        # together (Chinese reports we read but do not cite): the sources disagree on what
        # the total covers, so the ceremony records the figure as first stated and no count.
        "announced_value_amount": Decimal("253400000000"),
        "announced_value_currency": "USD",
        "announced_value_qualifier": "exact",
        "announced_deal_count": None,
        "dignitaries": [],
        "sources": [
            {
                "source": "reuters-2017-11-08",
                "quote": (
                    "The ceremony was a prelude to a more important signing ceremony set for "
                    "Thursday, he added. " + QUOTE_9_NOVEMBER_DEALS
                ),
            },
            {
                "source": "ap-2017-11-09-deals",
                "quote": (
                    "The agreements, some of which were less than firm contracts, were signed "
                    "at a ceremony attended by Trump and his Chinese counterpart, Xi Jinping, "
                    "and included the purchase of U.S.-made chipsets, jetliners and soybeans. "
                    "… Chinese Commerce Minister Zhong Shan said deals signed Thursday totaled "
                    "$253.4 billion. That was on top of $9 billion in agreements signed "
                    "Wednesday at an event attended by U.S. Commerce Secretary Wilbur Ross."
                ),
            },
        ],
    },
]
