"""What a search for deals means, and how each database answers it.

A word is a run of letters and digits, in any script: "JD.com" holds the words "jd"
and "com", "Bell Helicopter's" the words "bell", "helicopter" and "s", "京东集团" is
one word. A search finds the deals in which every word of the text (AND) begins a word
of the deal's title, its summary, or the name, native-script name or an alias of one
of its parties, whatever the case: "Boe" finds Boeing, "京东" finds 京东 and 京东集团,
"bell heli" finds Bell Helicopter. Punctuation and symbols only separate words: a text
holding no word at all ("!!!", "&|") finds nothing, while blank text is no search.

PostgreSQL (production) matches a prefix tsquery against the stored, GIN-indexed
`Deal.search_vector`, which database triggers keep current (migration 0008; see
`DealQuerySet.refresh_search_vector`). SQLite (first runs, tests) has no such column
and matches each word with a word-start regular expression over the same columns, so
both give the same deals. Ranking: ts_rank on PostgreSQL (title A, party names B,
summary C); on SQLite, how many of the words begin a word of the title.
"""

import re

# Letters and digits of any script; "_" is punctuation here, as it is for PostgreSQL's
# [[:alnum:]], which the vector's text goes through (migration 0008).
WORD = re.compile(r"[^\W_]+")

# Weights of the stored vector's parts, as ts_rank reads them.
TITLE_WEIGHT, PARTY_WEIGHT, SUMMARY_WEIGHT = "A", "B", "C"


def search_words(text):
    """The words of a search text, lowercased, in order."""
    return [word.lower() for word in WORD.findall(text)]


def prefix_tsquery(words):
    """A to_tsquery text that matches every word as a prefix: "'boe':* & 'jd':*".

    Words hold only letters and digits, so no tsquery operator (& | ! ( ) : * < > ')
    can reach the query; quoting them is a second guard, not the first.
    """
    quoted = ("'" + word.replace("\\", "\\\\").replace("'", "''") + "':*" for word in words)
    return " & ".join(quoted)


def word_start_pattern(word):
    """A regular expression (Python's, behind SQLite's REGEXP) for `word` beginning a
    word: not preceded by a letter or digit."""
    return r"(?<![^\W_])" + re.escape(word)
