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
"""

from datetime import date
from decimal import Decimal

BILLION = Decimal("1000000000")

# Sources by key. Where a syndicated copy is the one address at which we found a story,
# the publisher stays the agency whose report it is, as for the first one. Where the
# excerpt we read shows no headline, the title is the one its address spells out, and
# a comment says so. published_on is None where we saw no date.
SOURCES = {
    "reuters-2017-11-08": {
        # The seed copy (../shared/seed/) carries neither headline nor address. Both are
        # taken from the same Reuters story (by Matthew Miller, same text) as syndicated
        # by Investing.com; the story's own reuters.com address was not found, so none is
        # made up.
        "url": (
            "https://www.investing.com/news/economy-news/"
            "commerce-secretary-says-trumpxi-talks-will-address-trade-imbalances-840097"
        ),
        "publisher": "Reuters",
        "title": "Commerce Secretary says Trump-Xi talks will address trade imbalances",
        "published_on": date(2017, 11, 8),
        "quote": (
            '"Addressing the imbalance in China trade has been the central focus of '
            "collaborative discussions between President Trump and President Xi and "
            "achieving fair and reciprocal treatment for the companies is a shared "
            'objective," Ross said.'
        ),
    },
    "ap-2017-11-09-deals": {
        "url": (
            "https://www.yorkdispatch.com/story/money/business/2017/11/09/"
            "china-us-sign-big-business-deals-trump-visit/107503490/"
        ),
        "publisher": "Associated Press",
        "title": "China, U.S. sign big business deals during Trump visit",
        "published_on": date(2017, 11, 9),
        "quote": "",
    },
    "food-business-review-2017-11-09-jd": {
        "url": (
            "http://meatandseafood.food-business-review.com/news/"
            "chinas-jdcom-to-import-12bn-of-us-beef-and-pork-products-091117-5967891"
        ),
        "publisher": "Food Business Review",
        "title": "China’s JD.com to import $1.2bn of US beef and pork products",
        "published_on": date(2017, 11, 9),
        "quote": "",
    },
    "foodnavigator-2017-11-09-jd": {
        "url": "https://foodnavigator-usa.com/Article/2017/11/09/Chinese-retailer-to-buy-1.2bn-of-US-meat",
        "publisher": "FoodNavigator-USA",
        "title": "Chinese retailer to buy $1.2bn of US meat",
        "published_on": date(2017, 11, 9),
        "quote": "",
    },
    "xinhua-2018-07-12-montana-beef": {
        "url": "http://www.chinadaily.com.cn/a/201807/12/WS5b46f759a310796df4df60e3.html",
        "publisher": "Xinhua",
        # The headline as the page shows it (China Daily's copy of the Xinhua story).
        "title": "Montana hopes for beef deal with China's JD.com despite Trump's trade",
        "published_on": date(2018, 7, 12),
        "quote": "",
    },
    "china-daily-2017-11-09-bell": {
        "url": "http://covid-19.chinadaily.com.cn/business/2017-11/09/content_34303819.htm",
        "publisher": "China Daily",
        "title": "Bell inks helicopter deal with Chinese company",
        "published_on": date(2017, 11, 9),
        "quote": "",
    },
    "china-daily-2017-11-09-boeing": {
        "url": "https://global.chinadaily.com.cn/bizchina/2017-11/09/content_34320081.htm",
        "publisher": "China Daily",
        "title": "Boeing agrees to deliver 300 airplanes for China",
        "published_on": date(2017, 11, 9),
        "quote": "",
    },
    "reuters-2017-11-09-boeing": {
        # Alwyn Scott's Reuters story as syndicated by Business Standard.
        "url": (
            "http://www.business-standard.com/article/reuters/"
            "boeing-signs-deal-to-sell-300-planes-worth-37-billion-to-china-117110900989_1.html"
        ),
        "publisher": "Reuters",
        "title": "Boeing signs deal to sell 300 planes worth $37 billion to China",
        "published_on": date(2017, 11, 9),
        "quote": "",
    },
    "digitimes-2017-11-13-qualcomm": {
        "url": "http://www.digitimes.com/news/a20171112PD201.html",
        "publisher": "DIGITIMES",
        "title": "Qualcomm signs purchase MoUs with China smartphone vendors",
        "published_on": date(2017, 11, 13),
        "quote": "",
    },
    "reuters-2017-11-09-qualcomm": {
        # The Reuters story as syndicated by Firstpost.
        "url": (
            "http://www.firstpost.com/tech/news-analysis/amid-donald-trumps-visit-qualcomm-"
            "signs-three-mous-with-chinese-handset-makers-worth-12-billion-4200843.html"
        ),
        "publisher": "Reuters",
        "title": (
            "Amid Donald Trump's visit, Qualcomm signs three MOUs with Chinese handset "
            "makers worth $12 billion"
        ),
        "published_on": date(2017, 11, 9),
        "quote": "",
    },
    "reuters-2017-11-09-goldman-cic": {
        "url": (
            "https://uk.reuters.com/article/us-goldman-sachs-cic/cic-goldman-sachs-establish-"
            "china-us-industrial-cooperation-fund-us-state-depart-idUKKBN1D90B5"
        ),
        "publisher": "Reuters",
        # As the address spells it (the excerpt we read shows no headline).
        "title": "CIC, Goldman Sachs establish China-U.S. industrial cooperation fund",
        "published_on": date(2017, 11, 9),
        "quote": "",
    },
    "avcj-goldman-cic": {
        "url": "https://www.avcj.com/avcj/news/3007392/goldman-cic-form-usd5b-sino-us-industrial-fund",
        "publisher": "AVCJ",
        "title": "Goldman, CIC form $5b Sino-US industrial fund",
        "published_on": None,  # not shown in what we read
        "quote": "",
    },
    "forexlive-2021-03-04-cic": {
        "url": (
            "https://www.forexlive.com/news/!/chinas-1-trillion-sovereign-wealth-fund-has-"
            "hooked-up-with-goldman-sachs-to-buy-us-firms-20210304"
        ),
        "publisher": "ForexLive",
        "title": (
            "China's $1 trillion sovereign wealth fund has hooked up with Goldman Sachs to "
            "buy US firms"
        ),
        "published_on": date(2021, 3, 4),
        "quote": "",
    },
    "ap-2017-11-09-west-virginia": {
        # The Associated Press story as carried by WVVA.
        "url": "http://www.wvva.com/story/36804167/west-virginia-signs-investment-pact-with-china-energy",
        "publisher": "Associated Press",
        "title": "West Virginia signs investment pact with China Energy",
        "published_on": date(2017, 11, 9),
        "quote": "",
    },
    "wowk-2019-07-16-west-virginia": {
        "url": "https://www.wowktv.com/news/concerns-raised-about-wv-china-energy-deal/",
        "publisher": "WOWK 13 News",
        # As the address spells it (the excerpt we read shows no headline).
        "title": "Concerns raised about WV China Energy deal",
        "published_on": date(2019, 7, 16),
        "quote": "",
    },
    "reuters-2017-11-09-alaska": {
        "url": "https://cn.reuters.com/article/trump-asia-china-gas-idCNL3N1NF1VZ",
        "publisher": "Reuters",
        "title": "UPDATE 1-Chinese companies agree to develop LNG in Alaska as Trump visits",
        "published_on": date(2017, 11, 9),
        "quote": "",
    },
    "alaska-public-2017-11-10": {
        "url": "https://alaskapublic.org/2017/11/10/in-china-alaska-gets-new-gasline-partners-but-no-guarantees/",
        "publisher": "Alaska Public Media",
        "title": "In China, Alaska gets new gasline partners — but no guarantees",
        "published_on": date(2017, 11, 10),
        "quote": "",
    },
    "alaska-journal-2018-08-01": {
        "url": "http://www.alaskajournal.com/2018-08-01/sinopec-drops-interest-managing-ak-lng-construction",
        "publisher": "Alaska Journal of Commerce",
        "title": "Sinopec drops interest in managing AK LNG construction",
        "published_on": date(2018, 8, 1),
        "quote": "",
    },
    "adn-2018-12-23": {
        "url": (
            "https://www.adn.com/business-economy/energy/2018/12/23/"
            "will-the-chinese-meet-the-new-years-eve-deadline-to-help-alaskas-43-billion-project/"
        ),
        "publisher": "Anchorage Daily News",
        "title": (
            "Will the Chinese meet the New Year’s Eve deadline to help Alaska’s $43 billion "
            "LNG project?"
        ),
        "published_on": date(2018, 12, 23),
        "quote": "",
    },
    "ap-2019-07-27-alaska": {
        # The Associated Press story as carried by the Toronto Star.
        "url": (
            "https://www.thestar.com/news/world/us/2019/07/27/"
            "alaska-plan-to-partner-with-chinese-on-gas-line-scrapped.html"
        ),
        "publisher": "Associated Press",
        # As the address spells it (the excerpt we read shows no headline).
        "title": "Alaska plan to partner with Chinese on gas line scrapped",
        "published_on": date(2019, 7, 27),
        "quote": "",
    },
    "oreanda-2017-11-10-lng": {
        "url": (
            "https://www.oreanda-news.com/en/gosudarstvo/US_President_visit_to_China_has_"
            "produced_three_nonbinding_deals_for_Chinese_/article1211176/"
        ),
        "publisher": "Oreanda-News",
        # The address cuts the headline short; so does this title.
        "title": "US President visit to China has produced three nonbinding deals for Chinese …",
        "published_on": date(2017, 11, 10),
        "quote": "",
    },
    "reuters-2018-02-10-cheniere": {
        # The Reuters story as carried by China Daily.
        "url": "https://global.chinadaily.com.cn/a/201802/10/WS5a7dfd05a3106e7dcc13be53.html",
        "publisher": "Reuters",
        "title": "US company signs LNG deal with China",
        "published_on": date(2018, 2, 10),
        "quote": "",
    },
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
    # The Reuters report says only "this week"; the visit ran from 8 to 10 November 2017.
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


def _party(slug, name, country, kind="company", *, parent=None, native_name="", aliases=()):
    return {
        "slug": slug,
        "name": name,
        "country": country,
        "kind": kind,
        "parent": parent,
        "native_name": native_name,
        "aliases": "\n".join(aliases),
    }


# Parents come before the parties that name them. Names and aliases as the sources
# spell them.
PARTIES = [
    _party("jd-com", "JD.com", "CN", native_name="京东", aliases=["JD", "Jingdong"]),
    # Reignwood Group is 华彬集团, but the Chinese name of this subsidiary is not
    # certain, so none is given.
    _party(
        "reignwood-international",
        "Reignwood International",
        "CN",
        aliases=["Reignwood International Investment Group"],
    ),
    _party("textron", "Textron", "US"),
    _party(
        "bell-helicopter",
        "Bell Helicopter",
        "US",
        parent="textron",
        aliases=["Bell Helicopter Textron"],
    ),
    _party(
        "montana-stockgrowers-association",
        "Montana Stockgrowers Association",
        "US",
        "other",
        aliases=["Montana Stock Growers Association", "MSGA"],
    ),
    _party("smithfield-foods", "Smithfield Foods", "US"),
    _party("qualcomm", "Qualcomm", "US"),
    _party("xiaomi", "Xiaomi", "CN", aliases=["Xiaomi Technology"]),
    _party("oppo", "OPPO", "CN", aliases=["Oppo Mobile Telecommunications"]),
    _party("vivo", "vivo", "CN", aliases=["Vivo Communication Technology"]),
    _party("boeing", "Boeing", "US"),
    _party(
        "china-aviation-supplies",
        "China Aviation Supplies Holding Company",
        "CN",
        "state_owned_enterprise",
        aliases=["CASC", "China Aviation Supplies", "China Aviation Suppliers Holding"],
    ),
    _party("goldman-sachs", "Goldman Sachs", "US", "financial_institution"),
    _party(
        "china-investment-corporation",
        "China Investment Corporation",
        "CN",
        "financial_institution",
        aliases=["CIC", "China Investment Corp"],
    ),
    _party(
        "china-energy-investment",
        "China Energy Investment Corporation",
        "CN",
        "state_owned_enterprise",
        aliases=["China Energy", "China Energy Investment Corp. Ltd."],
    ),
    _party(
        "west-virginia-department-of-commerce",
        "West Virginia Department of Commerce",
        "US",
        "government_body",
    ),
    _party("state-of-alaska", "State of Alaska", "US", "government_body"),
    _party(
        "alaska-gasline-development",
        "Alaska Gasline Development Corporation",
        "US",
        "state_owned_enterprise",
        aliases=["AGDC", "Alaska Gasline Development Corp"],
    ),
    _party(
        "sinopec",
        "China Petrochemical Corporation",
        "CN",
        "state_owned_enterprise",
        aliases=["Sinopec", "Sinopec Group"],
    ),
    _party("bank-of-china", "Bank of China", "CN", "financial_institution"),
    _party("cheniere-energy", "Cheniere Energy", "US"),
    _party(
        "china-national-petroleum",
        "China National Petroleum Corporation",
        "CN",
        "state_owned_enterprise",
        aliases=["CNPC"],
    ),
    _party(
        "petrochina-international",
        "PetroChina International",
        "CN",
        "state_owned_enterprise",
        parent="china-national-petroleum",
        aliases=["PetroChina International Co Ltd"],
    ),
]


def _deal(**facts):
    """A published deal at a ceremony, with nothing known unless `facts` say so."""
    return {
        "summary": "",
        "instrument": "unknown",
        "value_amount": None,
        "value_currency": "USD",
        "value_qualifier": "undisclosed",
        "value_basis": "unspecified",
        "value_stated_by": "unknown",
        "term_months": None,
        "status": "signed",
        "is_published": True,
        "umbrella": None,
        "follows": None,
        "status_updates": [],
        **facts,
    }


# Sectors classify what changes hands (food, helicopters, gas), not who buys it: an
# ecommerce company's food purchase sits with food products, an LNG deal with natural gas.
# The status of each deal is that of its latest status update (load_demo makes it so).
DEALS = [
    # --- 8 November ---------------------------------------------------------------------
    _deal(
        slug="jd-com-us-food-purchases-2017",
        title="JD.com to buy more than US$2 billion of U.S. food products over three years",
        summary=(
            "JD.com pledged to buy more than US$2 billion of food products from the U.S. "
            "over three years."
        ),
        description=(
            "A pledge by Chinese ecommerce company JD.com to buy more than $2 billion of food "
            "products from the U.S. over three years, signed at the 8 November ceremony. Its "
            "beef and pork purchase agreements are recorded as a part of it."
        ),
        # Division 10 rather than 46 (wholesale) or 47 (retail): the deal is about the
        # food itself, and JD.com's own trade is selling it on.
        sector="10",
        # The instrument is "unknown" because the report calls it "a pledge", which says
        # nothing about its legal form or binding force; it states the figure without
        # saying whose it is.
        value_amount=2 * BILLION,
        value_qualifier="more_than",
        value_basis="purchase_commitment",
        term_months=36,
        signed_on=date(2017, 11, 8),
        ceremony="us-china-signing-ceremony-2017-11-08",
        parties=[{"party": "jd-com", "role": "buyer"}],
        sources=[{"source": "reuters-2017-11-08", "quote": QUOTE_8_NOVEMBER_DEALS}],
    ),
    _deal(
        slug="jd-com-us-beef-and-pork-2017",
        title="JD.com to buy more than US$1.2 billion of U.S. beef and pork over three years",
        summary=(
            "JD.com agreed to buy beef from Montana ranchers and pork from Smithfield Foods, "
            "part of its US$2 billion pledge."
        ),
        description=(
            "Agreements for JD.com to buy more than $1.2 billion of U.S. beef, from the "
            "Montana Stockgrowers Association, and pork, from Smithfield Foods, over three "
            "years: part of its overall commitment to buy $2 billion of U.S. goods. By July "
            "2018, with the trade war escalating, the beef deal was still only hoped for; "
            "nothing later is recorded, and nothing at all of the pork."
        ),
        sector="10",
        value_amount=Decimal("1200000000"),
        value_qualifier="more_than",
        value_basis="purchase_commitment",
        value_stated_by="company",  # JD.com's statement, as the sources report it
        term_months=36,
        status="stalled",
        signed_on=date(2017, 11, 8),
        ceremony="us-china-signing-ceremony-2017-11-08",
        umbrella="jd-com-us-food-purchases-2017",
        parties=[
            {"party": "jd-com", "role": "buyer"},
            {"party": "montana-stockgrowers-association", "role": "seller"},
            {"party": "smithfield-foods", "role": "seller"},
        ],
        sources=[
            {
                "source": "food-business-review-2017-11-09-jd",
                "quote": (
                    "Chinese e-commerce company JD.com has agreed to buy more than $1.2bn of "
                    "US beef and pork from The Montana Stock Growers Association (MSGA) and "
                    "Smithfield Foods, respectively, in the coming three years. … The deals "
                    "signed by the online retailer are part of its overall commitment to buy "
                    "$2bn worth US goods over three years across several categories."
                ),
            },
            {
                "source": "foodnavigator-2017-11-09-jd",
                "quote": "A signing ceremony between the three outfits was held on 8 November.",
            },
        ],
        status_updates=[
            {
                "status": "stalled",
                "date": date(2018, 7, 12),
                "note": (
                    "The beef purchases were to start in 2018; eight months after the "
                    "signing, Montana's ranchers were still hoping the deal would be possible "
                    "despite the trade war. The pledge had not been cancelled. The source says "
                    "nothing of the pork."
                ),
                "quote": (
                    "Montana officials are hoping that a blockbuster deal with Chinese retail "
                    "giant JD.com to export local beef will be possible despite the US "
                    "Government's escalating trade war with China. … More significantly, "
                    "JD.com's pledge to buy $200 million worth of Montana beef in the next few "
                    "years has not been canceled yet."
                ),
                "source": "xinhua-2018-07-12-montana-beef",
            },
        ],
    ),
    _deal(
        slug="reignwood-bell-helicopters-2017",
        title="Reignwood International to buy additional Bell helicopters",
        summary="Reignwood International agreed to buy 50 more Bell 505 helicopters.",
        description=(
            "A sales agreement for Reignwood International to buy an additional 50 Bell 505 "
            "light single-engine helicopters from U.S. firm Bell Helicopter, signed at the 8 "
            "November ceremony; Reignwood is to become the exclusive reseller of the aircraft "
            "in China. No value was given."
        ),
        sector="30",
        # China Daily calls it "the new contract"; the Reuters report only "a pact".
        instrument="contract",
        signed_on=date(2017, 11, 8),
        ceremony="us-china-signing-ceremony-2017-11-08",
        parties=[
            {"party": "reignwood-international", "role": "buyer"},
            {"party": "bell-helicopter", "role": "seller"},
        ],
        sources=[
            {"source": "reuters-2017-11-08", "quote": QUOTE_8_NOVEMBER_DEALS},
            {
                "source": "china-daily-2017-11-09-bell",
                "quote": (
                    "Reignwood, a multi-industrial conglomerate, has agreed to purchase an "
                    "additional 50 Bell 505s, a light single-engine helicopter. Reignwood will "
                    "become the exclusive reseller for the aircraft in China and establish a "
                    "Bell 505 delivery and maintenance center. The new contract follows "
                    "previous purchase agreements signed in March, when Reignwood bought 60 "
                    "Bell 505s, making it the largest operator for Bell 505."
                ),
            },
        ],
    ),
    # --- 9 November ---------------------------------------------------------------------
    _deal(
        slug="boeing-casc-300-aircraft-2017",
        title="Boeing to sell 300 aircraft to China Aviation Supplies",
        summary=(
            "China Aviation Supplies Holding Company signed for 300 Boeing single- and "
            "twin-aisle aircraft, valued at more than US$37 billion at list prices."
        ),
        description=(
            "Orders and commitments for 300 Boeing single-aisle and twin-aisle airplanes "
            "(260 of the 737 family, 40 of the 777 and 787 families, according to the "
            "state-run buyer), signed in the presence of Presidents Xi and Trump. The "
            "breakdown between firm orders and non-binding commitments was not disclosed, and "
            "analysts said some of the orders may already have been in Boeing's backlog."
        ),
        sector="30",
        # "Orders and commitments" of undisclosed proportions: the instrument is unknown.
        value_amount=37 * BILLION,
        value_qualifier="more_than",
        value_basis="list_price",
        value_stated_by="company",  # Boeing's figure
        signed_on=date(2017, 11, 9),
        ceremony="us-china-signing-ceremony-2017-11-09",
        parties=[
            {"party": "china-aviation-supplies", "role": "buyer"},
            {"party": "boeing", "role": "seller"},
        ],
        sources=[
            {
                "source": "china-daily-2017-11-09-boeing",
                "quote": (
                    "Boeing and China Aviation Suppliers Holding signed an agreement for 300 "
                    "airplanes in Beijing Thursday. It was part of the US trade mission to "
                    "China, and was signed by Kevin McAllister, Boeing Commercial Airplanes "
                    "president and CEO, in the presence of Chinese President Xi Jinping and US "
                    "President Donald Trump. The agreement includes the purchase of 300 Boeing "
                    "single-aisle and twin-aisle airplanes, which are valued at more than $37 "
                    "billion at list prices."
                ),
            },
            {
                "source": "reuters-2017-11-09-boeing",
                "quote": (
                    "The breakdown between firm orders and non-binding commitments was not "
                    "immediately available. Analysts said, however, that some of the orders "
                    "may be among more than 300 from undisclosed buyers posted this year, and "
                    "it was not clear how much of the deal was new business."
                ),
            },
        ],
    ),
    _deal(
        slug="qualcomm-xiaomi-oppo-vivo-mous-2017",
        title="Qualcomm memoranda with Xiaomi, OPPO and vivo for US$12 billion of components",
        summary=(
            "Xiaomi, OPPO and vivo expressed a non-binding interest in buying at least US$12 "
            "billion of Qualcomm components over three years."
        ),
        description=(
            "Three non-binding memoranda of understanding in which Xiaomi, OPPO and vivo each "
            "expressed an interest in buying Qualcomm components, with an aggregate value of "
            "no less than $12 billion over the next three years."
        ),
        sector="26",
        instrument="memorandum_of_understanding",
        value_amount=12 * BILLION,
        value_qualifier="at_least",
        value_basis="purchase_commitment",
        value_stated_by="company",  # Qualcomm's announcement
        term_months=36,
        signed_on=date(2017, 11, 9),
        ceremony="us-china-signing-ceremony-2017-11-09",
        parties=[
            {"party": "qualcomm", "role": "seller"},
            {"party": "xiaomi", "role": "buyer"},
            {"party": "oppo", "role": "buyer"},
            {"party": "vivo", "role": "buyer"},
        ],
        sources=[
            {
                "source": "digitimes-2017-11-13-qualcomm",
                "quote": (
                    "Qualcomm has announced that it has signed three non-binding memoranda of "
                    "understanding (MoU) wherein Xiaomi Technology, Oppo Mobile "
                    "Telecommunications and Vivo Communication Technology each expresses a "
                    "nonbinding interest in the purchase of components with an aggregate value "
                    "of no less than US$12 billion over the next three years. The MoUs were "
                    "signed in Beijing during US president Donald Trump's recent trip to China."
                ),
            },
            {
                "source": "reuters-2017-11-09-qualcomm",
                "quote": (
                    "Qualcomm signed three non-binding memorandum of understanding (MOUs) to "
                    "sell components over three years to phonemakers Xiaomi, OPPO and Vivo, the "
                    "US Department of State said in a statement on Thursday."
                ),
            },
        ],
    ),
    _deal(
        slug="goldman-sachs-cic-cooperation-fund-2017",
        title="Goldman Sachs and CIC to set up a US$5 billion China-US industrial fund",
        summary=(
            "China Investment Corp and Goldman Sachs agreed a fund targeting US$5 billion "
            "of commitments to invest in U.S. companies with China business."
        ),
        description=(
            "A strategic agreement to establish the China-US Industrial Cooperation "
            "Partnership, a private equity fund targeting $5 billion in commitments to invest "
            "in U.S. manufacturing, industrial, consumer and healthcare companies that have or "
            "can develop business connections with China; Goldman Sachs is its sponsor and "
            "investment manager. By March 2021 it had raised $2.5 billion and completed two "
            "investments in the United States."
        ),
        sector="64",
        # A "target" of $5 billion in commitments: the most it aims to raise.
        value_amount=5 * BILLION,
        value_qualifier="up_to",
        value_basis="investment",
        value_stated_by="government",  # the U.S. Department of State's release
        status="in_progress",
        signed_on=date(2017, 11, 9),
        ceremony="us-china-signing-ceremony-2017-11-09",
        parties=[
            {"party": "china-investment-corporation", "role": "partner"},
            {"party": "goldman-sachs", "role": "partner"},
        ],
        sources=[
            {
                "source": "reuters-2017-11-09-goldman-cic",
                "quote": (
                    "China Investment Corp (CIC) and Goldman Sachs have signed a strategic "
                    "agreement to establish a China and United States industrial cooperation "
                    "fund on the sidelines of a state visit to Beijing by U.S. President Donald "
                    "Trump. CIC and Goldman’s new fund will target $5 billion in commitments to "
                    "invest in U.S. companies in industries such as manufacturing, industrial, "
                    "consumer and healthcare that have or can develop China business "
                    "connections, the U.S. Department of State said in a release on Thursday."
                ),
            },
            {
                "source": "avcj-goldman-cic",
                "quote": (
                    "The China-US Industrial Cooperation Partnership was announced during US "
                    "President Donald Trump’s visit to China. … Goldman will act as the sponsor "
                    "and the investment manager for the vehicle through its merchant banking "
                    "division."
                ),
            },
        ],
        status_updates=[
            {
                "status": "in_progress",
                "date": date(2021, 3, 4),
                "note": "Half of the US$5 billion target raised; two U.S. investments made.",
                "quote": (
                    "$2.5bn has been raised already … China-U.S. Industrial Cooperation Fund, "
                    "launched in November 2017 on the sidelines of former U.S. President "
                    "Donald Trump's visit to Beijing, has completed two investments in the "
                    "United States"
                ),
                "source": "forexlive-2021-03-04-cic",
            },
        ],
    ),
    _deal(
        slug="china-energy-west-virginia-mou-2017",
        title="China Energy to invest US$83.7 billion in West Virginia shale gas and chemicals",
        summary=(
            "A memorandum for China Energy to invest US$83.7 billion in West Virginia shale "
            "gas and chemical projects over 20 years."
        ),
        description=(
            "A memorandum of understanding, signed in Beijing by West Virginia Commerce "
            "Secretary Woody Thrasher and China Energy President Ling Wen, for China Energy "
            "Investment Corp. to invest $83.7 billion in shale gas development and chemical "
            "manufacturing in West Virginia over 20 years: power generation, chemical "
            "manufacturing and underground storage of natural gas liquids. Two years later "
            "there was still no formal agreement."
        ),
        sector="06",
        instrument="memorandum_of_understanding",
        value_amount=Decimal("83700000000"),
        value_qualifier="exact",
        value_basis="investment",
        value_stated_by="government",  # West Virginia's commerce officials
        term_months=240,
        status="stalled",
        signed_on=date(2017, 11, 9),
        ceremony="us-china-signing-ceremony-2017-11-09",
        parties=[
            {"party": "china-energy-investment", "role": "investor"},
            {"party": "west-virginia-department-of-commerce", "role": "partner"},
        ],
        sources=[
            {
                "source": "ap-2017-11-09-west-virginia",
                "quote": (
                    "West Virginia officials say they have an agreement with China Energy "
                    "Investment Corp. Ltd. for the company to invest $83.7 billion in shale gas "
                    "development and chemical manufacturing in West Virginia over 20 years. "
                    "State Commerce Secretary Woody Thrasher and China Energy President Ling Wen "
                    "signed the memorandum in Beijing as part of the US-China trade mission "
                    "during President Trump's visit."
                ),
            },
        ],
        status_updates=[
            {
                "status": "stalled",
                "date": date(2019, 7, 16),
                "note": "No formal agreement two years on; the trade standoff blamed.",
                "quote": (
                    "China Energy promised to invest 83-billion dollars in West Virginia "
                    "projects, but two years later there is still no formal agreement and now "
                    "some leaders are highly skeptical it will – or should – happen. … Right "
                    "now a trade standoff between China and the U.S. is likely slowing down any "
                    "potential deals."
                ),
                "source": "wowk-2019-07-16-west-virginia",
            },
        ],
    ),
    _deal(
        slug="alaska-lng-joint-development-2017",
        title="Sinopec, CIC and Bank of China to develop the US$43 billion Alaska LNG project",
        summary=(
            "A non-binding joint development agreement for three Chinese state firms to join "
            "Alaska's LNG project as buyer, investor and lender."
        ),
        description=(
            "A joint development agreement between the Alaska Gasline Development Corp, the "
            "State of Alaska, Sinopec, China Investment Corp and the Bank of China to advance "
            "Alaska LNG (a gas treatment plant, an 800-mile pipeline and a liquefaction plant "
            "at Nikiski), with Sinopec as potential buyer, the Bank of China as potential "
            "lender and CIC as potential investor; the U.S. government said it would involve "
            "investment of up to $43 billion. Extended by a supplemental agreement in "
            "September 2018, it was not renewed by Governor Dunleavy's administration in 2019."
        ),
        sector="06",
        # A joint development agreement, "non-binding" (Alaska Journal of Commerce).
        instrument="other",
        value_amount=43 * BILLION,
        value_qualifier="up_to",
        value_basis="investment",
        value_stated_by="government",  # the U.S. government's email
        status="cancelled",
        # Signed on Thursday 9 November in Beijing (Reuters, AP); the Alaska Journal of
        # Commerce dates it 8 November, which it was in Alaska.
        signed_on=date(2017, 11, 9),
        ceremony="us-china-signing-ceremony-2017-11-09",
        parties=[
            {"party": "alaska-gasline-development", "role": "partner"},
            {"party": "state-of-alaska", "role": "partner"},
            {"party": "sinopec", "role": "buyer"},
            {"party": "china-investment-corporation", "role": "investor"},
            {"party": "bank-of-china", "role": "lender"},
        ],
        sources=[
            {
                "source": "reuters-2017-11-09-alaska",
                "quote": (
                    "China’s top state oil major Sinopec, one of the country’s top banks and "
                    "its sovereign wealth fund have agreed to help develop Alaska’s liquefied "
                    "natural gas sector as part of U.S. President Donald Trump’s visit, the "
                    "U.S. government said on Thursday. … The agreement will involve investment "
                    "of up to $43 billion, create up to 12,000 U.S. jobs during construction, "
                    "reduce the trade deficit between the United States and Asia by $10 "
                    "billion a year, and give China clean energy, it said."
                ),
            },
            {
                "source": "alaska-public-2017-11-10",
                "quote": (
                    "The deal links Alaska’s gas pipeline project to Sinopec as a potential "
                    "buyer, The Bank of China as a potential lender and the Chinese Investment "
                    "Corp, a sovereign wealth fund, as a potential investor."
                ),
            },
            {
                "source": "alaska-journal-2018-08-01",
                "quote": (
                    "Gov. Bill Walker and Meyer signed a non-binding joint development "
                    "agreement, or JDA, with Sinopec, the Bank of China and China Investment "
                    "Corp. Nov. 8, 2017, in Beijing in front of President Donald Trump and "
                    "China President Xi Jinping."
                ),
            },
        ],
        status_updates=[
            {
                "status": "signed",
                "date": date(2018, 9, 29),
                "note": "A supplemental agreement kept the negotiations going.",
                "quote": (
                    "The parties signed a confidential, supplemental agreement with the state "
                    "on Sept. 29, reaffirming their intent to reach definitive agreements, he "
                    "said."
                ),
                "source": "adn-2018-12-23",
            },
            {
                "status": "cancelled",
                "date": date(2019, 7, 27),
                "note": (
                    "The Alaska Gasline Development Corp did not renew the agreement: the "
                    "Dunleavy administration was not comfortable with the risk to the state. "
                    "Dated by the report, which gives no date for the lapse itself."
                ),
                "quote": (
                    "He said the corporation, which has been working on the state’s behalf to "
                    "advance a project that would bring North Slope gas to market, did not "
                    "renew a nonbinding agreement it had with three Chinese firms to buy up to "
                    "75% of the project’s liquefied natural gas in exchange for an equal share "
                    "of the needed financing. Dubler said the project envisioned by that "
                    "agreement no longer exists because the Dunleavy administration isn’t "
                    "comfortable with the associated risk to the state."
                ),
                "source": "ap-2019-07-27-alaska",
            },
        ],
    ),
    _deal(
        slug="cheniere-cnpc-lng-mou-2017",
        title="Cheniere and CNPC memorandum on long-term LNG supply",
        summary=(
            "Cheniere Energy and China National Petroleum Corp signed a memorandum to "
            "eventually enter LNG export contracts."
        ),
        description=(
            "A preliminary deal, a memorandum of understanding, between Cheniere Energy and "
            "state-owned China National Petroleum Corporation to eventually enter LNG export "
            "contracts. It was followed in February 2018 by two long-term sale and purchase "
            "agreements."
        ),
        sector="06",
        instrument="memorandum_of_understanding",
        signed_on=date(2017, 11, 9),
        ceremony="us-china-signing-ceremony-2017-11-09",
        parties=[
            {"party": "cheniere-energy", "role": "seller"},
            {"party": "china-national-petroleum", "role": "buyer"},
        ],
        sources=[
            {
                "source": "oreanda-2017-11-10-lng",
                "quote": (
                    "Cheniere Energy told Argus today that it signed a preliminary LNG deal "
                    "last night with state-owned China National Petroleum Corporation."
                ),
            },
            {
                "source": "reuters-2018-02-10-cheniere",
                "quote": (
                    "When US President Donald Trump visited Beijing in November, he took two US "
                    "LNG executives with him, including Jack Fusco, president and CEO of "
                    "Cheniere. During that visit, Cheniere signed a memorandum of understanding "
                    "with CNPC to eventually enter LNG export contracts."
                ),
            },
        ],
    ),
    # --- later, at no ceremony ------------------------------------------------------------
    _deal(
        slug="cheniere-petrochina-lng-contracts-2018",
        title="Cheniere to sell 1.2 million tonnes a year of LNG to CNPC through 2043",
        summary=(
            "Two long-term LNG sale and purchase agreements, China's first long-term "
            "contract to import U.S. LNG, following the November 2017 memorandum."
        ),
        description=(
            "Under two agreements, CNPC's subsidiary PetroChina International is to buy about "
            "1.2 million tons of LNG a year from Cheniere, part of it from 2018 and the rest "
            "from 2023, through 2043, at a price indexed to the U.S. natural gas benchmark "
            "plus a fixed component. No value was disclosed."
        ),
        sector="06",
        instrument="contract",
        # Announced "on Friday" (Cheniere's statement) in a report of Saturday 10 February.
        signed_on=date(2018, 2, 9),
        ceremony=None,
        follows="cheniere-cnpc-lng-mou-2017",
        parties=[
            {"party": "cheniere-energy", "role": "seller"},
            {"party": "petrochina-international", "role": "buyer"},
        ],
        sources=[
            {
                "source": "reuters-2018-02-10-cheniere",
                "quote": (
                    "Cheniere Energy Inc said on Friday that it has signed a deal to sell "
                    "liquefied natural gas to China National Petroleum Corp (CNPC), China's "
                    "first long-term contract to import US LNG. … Under the deal, CNPC's "
                    "PetroChina International Co Ltd subsidiary will purchase about 1.2 million "
                    "tons per year of LNG under two agreements with a portion of the supply "
                    "beginning in 2018 and the balance in 2023, Cheniere said in a statement. "
                    "The agreements continue through 2043 for the purchase of LNG indexed to "
                    "the US natural gas benchmark price plus a fixed component."
                ),
            },
        ],
    ),
]
