"""The demo's deals: what was signed at the ceremonies and after, and what became of it
(the status updates)."""

from datetime import date
from decimal import Decimal

BILLION = Decimal("1000000000")

# A passage of the 8 November Reuters report (SOURCES["reuters-2017-11-08"]), cited by
# the two deals it names.
QUOTE_8_NOVEMBER_DEALS = (
    "Deals signed on Wednesday included a pledge by Chinese ecommerce company JD.com to buy "
    "more than $2 billion of food products from the U.S. over three years and a pact for "
    "Reignwood International to buy additional helicopters from U.S. firm Bell Helicopter."
)


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
        # "Value as reported": the sources' words for the value, as the deal form shows
        # them and deals/wording.py reads them (to the value fields below).
        "value_wording": "not disclosed",
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
        value_wording="more than $2 billion over three years",
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
        value_wording="more than $1.2bn over three years",
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
        value_wording="valued at more than $37 billion at list prices",
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
        value_wording="no less than US$12 billion over the next three years",
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
        # The release says the fund "will target $5 billion in commitments": up to.
        value_wording="up to $5 billion",
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
        value_wording="$83.7 billion over 20 years",
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
        value_wording="up to $43 billion",
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
