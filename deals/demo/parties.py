"""The demo's parties: the companies, state firms and public bodies that signed."""


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


# Public identifiers (deals.models.identifiers), by party slug: only those known for
# certain without looking them up, so none is wrong rather than many given. Boeing is
# Wikidata's item Q66.
IDENTIFIERS = {
    "boeing": [("qid", "Q66")],
}
