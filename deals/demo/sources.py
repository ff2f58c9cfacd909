"""The demo's sources: the press reports every deal, ceremony and status update cites."""

from datetime import date

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
