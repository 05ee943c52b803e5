"""Key figures on made-up news: labels from the dependency parse, units kept, noise ranked last and minor."""

from __future__ import annotations

import pytest

from search.extract import extract_texts
from search.extract.labels import parse_label, participle
from search.extract.pipeline import load_parser
from search.models import Figure


def _figures(text: str) -> dict[str, Figure]:
    extraction = next(iter(extract_texts([text])))
    return {f.text: f for f in extraction.figures}


def test_a_count_is_labelled_by_its_noun_and_what_happened_to_it() -> None:
    by_text = _figures("At least 20 people were killed in the bomb attack on Monday.")
    assert by_text["At least 20"].label == "people killed in the bomb attack"
    assert by_text["At least 20"].rank == 1
    assert by_text["Monday"].minor  # a weekday is no key figure


def test_a_change_and_the_level_it_reached() -> None:
    by_text = _figures(
        "Quarterly profits at Acme jumped 76% to $1.13bn in the three months to December."
    )
    assert by_text["76%"].label.lower() == "rise in quarterly profits at acme"
    assert by_text["$1.13bn"].label.lower() == "quarterly profits at acme"
    assert {by_text["76%"].rank, by_text["$1.13bn"].rank} == {1, 2}


def test_wire_units_stay_with_their_numbers() -> None:
    by_text = _figures("Acme's net profit rose 15 pct to 950 mln dlrs from 820 mln dlrs, it said.")
    assert by_text["950 mln dlrs"].kind == "money"
    assert by_text["15 pct"].kind == "percent"  # a change and a level, not one range
    assert by_text["15 pct"].label == "rise in Acme's net profit"
    assert by_text["950 mln dlrs"].label == "Acme's net profit"


def test_an_object_counted_takes_its_verb_as_a_participle_and_who_did_it() -> None:
    by_text = _figures("Norland Air will cancel 77 flights, the airline said.")
    assert by_text["77"].label == "flights cancelled by Norland Air"


def test_an_amount_paid_says_who_paid_and_for_what() -> None:
    by_text = _figures(
        "About 70% of the country's imports come by sea, and the Harlow Group paid $9bn for the port."
    )
    assert by_text["$9bn"].label == "paid by Harlow Group for the port"
    assert by_text["About 70%"].label == "share of the country's imports"


def test_a_base_year_a_month_alone_and_an_ordinal_word_are_minor() -> None:
    by_text = _figures(
        "The Norland index, base 1980, rose 2.5 pct in March, the first rise this year."
    )
    assert by_text["2.5 pct"].rank == 1 and not by_text["2.5 pct"].minor
    assert by_text["1980"].minor and by_text["1980"].label == "base year"
    assert by_text["March"].minor
    assert all(f.minor for f in by_text.values() if f.text != "2.5 pct")


def test_a_wire_dateline_is_no_key_figure() -> None:
    by_text = _figures("LONDON, March 3 - Acme said sales rose 12 pct to 4.2 billion dlrs.")
    assert by_text["March 3"].label == "dateline" and by_text["March 3"].minor
    assert by_text["4.2 billion dlrs"].kind == "money"


@pytest.mark.parametrize(
    ("sentence", "verb", "expected"),
    [
        ("They sold tickets.", "sold", "sold"),
        ("They will sell tickets.", "sell", "sold"),
        ("They will cancel flights.", "cancel", "cancelled"),
        ("They will close plants.", "close", "closed"),
        ("Flights affecting passengers.", "affecting", "affected"),
        ("They will carry goods.", "carry", "carried"),
    ],
)
def test_participles(sentence: str, verb: str, expected: str) -> None:
    from search.extract.pipeline import parse_sentences

    docs = parse_sentences([sentence])
    assert docs is not None
    token = next(t for t in docs[0] if t.text == verb)
    assert participle(token) == expected


def test_a_results_table_labels_each_row_and_the_year_before() -> None:
    by_text = _figures(
        "NORLAND MILLS 4TH QTR NET\n\nShr 1.20 dlrs vs 1.05 dlrs\nNet 12.5 mln vs 10.9 mln\n"
        "Revs 150.3 mln vs 132.1 mln\nYear\nNet 43.2 mln vs 38.0 mln\n"
    )
    assert by_text["12.5 mln"].label == "net income" and by_text["12.5 mln"].rank == 1
    assert by_text["10.9 mln"].label == "net income a year earlier"
    assert by_text["1.20 dlrs"].label == "earnings per share"
    assert by_text["150.3 mln"].label == "revenues"
    assert by_text["43.2 mln"].label == "net income (year)"
    this_period = {"12.5 mln", "43.2 mln", "150.3 mln", "1.20 dlrs"}
    assert {f.text for f in by_text.values() if f.rank <= 4} == this_period


def test_a_change_and_its_level_are_two_figures_and_a_dateline_is_no_subject() -> None:
    by_text = _figures(
        "WASHINGTON, April 8 - U.S. crude oil inventories fell 2.3 mln barrels to 329.4 mln "
        "barrels in the week, the institute said."
    )
    assert by_text["2.3 mln barrels"].label == "fall in U.S. crude oil inventories"
    assert by_text["329.4 mln barrels"].label == "U.S. crude oil inventories"


def test_vague_amounts_and_metres_rank_below_real_figures() -> None:
    by_text = _figures(
        "Norland won the 200m in 2000. The firm lost millions of euros, but it raised $3.2bn."
    )
    assert by_text["$3.2bn"].rank == 1
    assert by_text["200m"].kind == "quantity" and by_text["200m"].label == "metres"
    assert by_text["200m"].minor
    assert by_text["millions"].rank > by_text["$3.2bn"].rank


def test_a_figure_restated_in_other_words_is_one_figure() -> None:
    by_text = _figures(
        "The leaders pledged $10 billion for schools. Turnout was 41 pct. The 41% turnout was low."
    )
    assert not by_text["$10 billion"].minor and not by_text["41 pct"].minor
    assert by_text["41%"].minor  # "41 pct" again
    assert by_text["41%"].rank == max(f.rank for f in by_text.values())


def test_the_lede_leads_and_a_headline_restatement_gives_way_to_the_body() -> None:
    text = (
        "Norland seals $1.8bn deal\n\n"
        "Norland Air has ordered 30 Airbus planes in a $1.8bn deal with the maker, the airline "
        "said on Monday.\n\n"
        "Analysts at Grebe Bank said the shares of the company could rise 12% over the year, "
        "which would value the airline at $300m."
    )
    extraction = next(iter(extract_texts([text])))
    shown = sorted((f for f in extraction.figures if not f.minor), key=lambda f: f.rank)
    deal = [f for f in extraction.figures if f.text == "$1.8bn"]
    assert len(deal) == 2 and [f.minor for f in deal] == [True, False]  # the body's one is kept
    assert shown[0].text == "$1.8bn" and shown[0].start > text.index("\n")
    assert shown[0].label == "Norland Air deal with the maker"  # labelled from the body
    assert {f.text for f in shown} == {"$1.8bn", "30", "12%", "$300m"}


def test_a_currency_word_stays_with_its_amount() -> None:
    by_text = _figures("DaimlerChrysler's profit fell to 785m euros in the quarter, it said.")
    assert by_text["785m euros"].kind == "money"


def test_a_label_is_never_only_another_figure_and_a_bracketed_share_reads_its_noun() -> None:
    by_text = _figures("Its profit rose to 2.4bn euros in 2004, up from 4.7 million in 2003.")
    assert by_text["2004"].label == "" and by_text["2003"].label == ""
    assert by_text["2004"].minor and by_text["2003"].minor  # a bare year on the panel says nothing
    assert by_text["2.4bn euros"].rank == 1
    by_text = _figures("More than half (54%) of mobile owners fear losing their phone.")
    assert by_text["54%"].label == "share of mobile owners"


def test_a_time_of_day_in_four_digits_is_no_count() -> None:
    by_text = _figures("The fight broke out at about 0200 local time, and 40 people were hurt.")
    assert by_text["about 0200"].kind == "time" and by_text["about 0200"].minor
    assert by_text["40"].rank == 1


def test_batched_parses_go_to_their_own_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sections of English and other-language articles, one long article cut into sections
    across parse batches: each gets the figures it gets alone."""
    from search.extract import pipeline

    english = [
        f"Norland Air will cancel {n} flights, the airline said. Sales rose {n + 2}% to ${n}m."
        for n in range(11, 17)
    ]
    spanish = (
        "El presidente del gobierno dijo el martes que la economía del país crecerá un 3% este "
        "año, gracias a las exportaciones y al turismo, y que el paro bajará en todas las regiones."
    )
    long_text = "\n\n".join(english * 30)
    texts = [english[0], spanish, long_text, english[1], spanish, english[2]]
    alone = [next(iter(extract_texts([t]))) for t in texts]
    monkeypatch.setattr(pipeline, "PARSE_BATCH_SECTIONS", 2)
    monkeypatch.setattr(pipeline, "SECTION_CHARS", 2_000)
    monkeypatch.setattr(pipeline, "PIECE_CHARS", 700)
    batched = list(extract_texts(texts))
    for text, one, many in zip(texts, alone, batched, strict=True):
        assert all(text[f.start : f.end] == f.text for f in many.figures)
        if len(text) < 2_000:
            assert [(f.text, f.label, f.rank) for f in many.figures] == [
                (f.text, f.label, f.rank) for f in one.figures
            ]
    assert batched[1].figures == [] and batched[1].language == "es"
    labels = {f.label for f in batched[2].figures if not f.minor}
    assert "rise in Sales" in labels  # the long article's sections got their own parses


def test_a_label_leaves_other_figures_out_and_metres_after_an_approximator() -> None:
    by_text = _figures(
        "General Motors will pay Fiat 1.55bn euros ($2bn) to end the deal. The tower is more "
        "than 50m taller than the old one."
    )
    assert not any(ch.isdigit() for f in by_text.values() for ch in f.label)
    assert by_text["more than 50m"].label == "metres"


def test_an_age_at_death_and_a_span_of_years_are_key_figures() -> None:
    by_text = _figures(
        "Former prime minister Lord Norland has died at the age of 92, his family said. He led "
        "the country from 1976 to 1979."
    )
    assert by_text["the age of 92"].rank == 1 and not by_text["the age of 92"].minor
    assert by_text["1976 to 1979"].kind == "year" and not by_text["1976 to 1979"].minor


def _parse_label(sentence: str, figure: str, kind: str) -> str | None:
    """The parse's label for one figure of a made-up sentence (the rule alone, no ranking)."""
    nlp = load_parser()
    assert nlp is not None
    start = sentence.index(figure)
    return parse_label(nlp(sentence), start, start + len(figure), kind)


@pytest.mark.parametrize(
    ("sentence", "figure", "kind", "label"),
    [
        # what the verb did to its object, for an amount it takes by a preposition
        (
            "Northwind sold its frozen foods and bakery businesses for £240m to a private "
            "equity group.",
            "£240m",
            "money",
            "frozen foods and bakery businesses sold by Northwind",
        ),
        (
            "Acme Holdings had been overstating its revenues by $3.2bn for years.",
            "$3.2bn",
            "money",
            "revenues overstated by Acme Holdings",
        ),
        (
            "The harbour company was sold for $75m to a Dutch investor.",
            "$75m",
            "money",
            "harbour company sold to a Dutch investor",
        ),
        (
            "The rebels gave control of the port to the army for $9m.",
            "$9m",
            "money",
            "control given by the rebels",
        ),
        # a passive's subject is who it was done to
        (
            "The airline has been fined $2m after a safety inquiry.",
            "$2m",
            "money",
            "airline fined after a safety inquiry",
        ),
        # an approximator the parser takes for a preposition is part of the number
        (
            "Between 2,000 and 3,000 people were evacuated from the valley.",
            "Between 2,000 and 3,000",
            "count",
            "people evacuated from the valley",
        ),
        # a relative clause says what the counted noun is; "which" is the noun it follows
        (
            "Investigators examined the 12 storms which battered Florida.",
            "12",
            "count",
            "storms which battered Florida",
        ),
        (
            "A charity concert which raised more than £2m was held in Leeds last year.",
            "more than £2m",
            "money",
            "raised by charity concert",
        ),
        (
            "The $46m that Northwind is seeking in damages was disputed.",
            "$46m",
            "money",
            "sought by Northwind in damages",
        ),
        # the object of a subject's verb keeps what it is
        (
            "Sixty councillors have signed a letter opposing the closure.",
            "Sixty",
            "count",
            "councillors signed letter opposing closure",
        ),
        # changes: a verb with "up", a change verb's object, a change seen
        (
            "The Zeta confidence index edged up in March to 98.4.",
            "98.4",
            "count",
            "Zeta confidence index in March",
        ),
        ("The mayor wants to increase fares by 5% next year.", "5%", "percent", "rise in fares"),
        (
            "Ticket prices have been cut by an average of £15.",
            "£15",
            "money",
            "Ticket prices cut on average",
        ),
        # a share names whose it is through a verb of having; "has $80bn in deposits"
        (
            "Coastal towns make up 12% of the county's population.",
            "12%",
            "percent",
            "Coastal towns share of the county's population",
        ),
        (
            "The lender, which has about $80bn in customer deposits, said it would cut costs.",
            "about $80bn",
            "money",
            "lender customer deposits",
        ),
        # a figure that is a clause's subject: what it did, three words or more
        (
            "The survey found 40% did not know how they would vote.",
            "40%",
            "percent",
            "did not know how they would vote",
        ),
        # a time is nothing done "by" anyone
        (
            "The guard waited 20 minutes before raising the alarm.",
            "20 minutes",
            "duration",
            "guard waited",
        ),
    ],
)
def test_parse_labels_say_what_was_done_to_what_is_counted(
    sentence: str, figure: str, kind: str, label: str
) -> None:
    assert _parse_label(sentence, figure, kind) == label


def test_a_parse_label_is_never_a_lone_verb_nor_an_idiom_object() -> None:
    # "changed hands": no hands were changed; the word window keeps its label
    assert (
        _parse_label("Shares in Norbank changed hands for 412 pence.", "412 pence", "money") is None
    )
    # "It raised $5m" leaves only "raised": the parse gives no label rather than a lone verb
    assert _parse_label("It raised $5m.", "$5m", "money") is None


def test_participles_of_irregular_pasts_and_doubled_consonants() -> None:
    nlp = load_parser()
    assert nlp is not None
    doc = nlp("They gave it up and were planning to ban it.")
    by_word = {t.text: t for t in doc}
    assert participle(by_word["gave"]) == "given"
    assert participle(by_word["planning"]) == "planned"
    assert participle(by_word["ban"]) == "banned"


def test_a_price_fetched_is_the_things_and_an_unclear_which_gives_no_label() -> None:
    assert _parse_label("The painting is expected to fetch $2m at auction.", "$2m", "money") == (
        "painting"
    )
    # "which" after a name inside another phrase: the trumpet or Ray Norland? No guess.
    sentence = (
        "Among the lots is a trumpet which belonged to Ray Norland, which is expected to fetch "
        "around $500,000."
    )
    assert _parse_label(sentence, "around $500,000", "money") is None


def test_wire_news_a_change_and_a_level_in_one_phrase_are_two_figures_with_their_period() -> None:
    by_text = _figures("West German unemployment rose by 48,000 to 2.31 million in December.")
    assert by_text["48,000"].label.startswith("rise in West German unemployment")
    assert by_text["2.31 million"].label.startswith("West German unemployment")
    sentence = "West German unemployment rose by 48,000 to 2.31 million in December."
    assert _parse_label(sentence, "2.31 million", "count") == (
        "West German unemployment in December"
    )
    points = _figures("The Bundesbank cut its discount rate by half a percentage point to 3.0 pct.")
    assert points["half a percentage point"].label.endswith("cut in discount rate")
    assert points["3.0 pct"].label == "discount rate cut by the Bundesbank"
    # a range stays one figure: no verb of change before "by"
    assert "$3.8m to $4.9m" in _figures("The move would cut its profits by $3.8m to $4.9m.")


def test_a_figure_restated_after_or_shares_the_label_and_a_period_needs_a_name() -> None:
    by_text = _figures(
        "XYZ Corp agreed to acquire ABC Inc for 25 dlrs a share, or about 300 mln dlrs."
    )
    assert by_text["about 300 mln dlrs"].label == by_text["25 dlrs"].label != ""
    week = _figures("Crude oil stocks fell 2.3 mln barrels to 329.4 mln barrels in the week.")
    assert week["329.4 mln barrels"].label == "Crude oil stocks"  # "in the week" says nothing


def test_an_earthquake_magnitude_a_wire_date_and_an_age_read_as_what_they_are() -> None:
    quake = _figures(
        "LIMA - An earthquake measuring 6.9 on the Richter scale killed at least 136 "
        "people in northern Peru on Tuesday. More than 2,000 people were injured and 15,000 "
        "left homeless. The 18-year-old was among the victims."
    )
    assert quake["6.9 on the Richter scale"].label == "earthquake magnitude"
    assert quake["at least 136"].label == "people killed in northern Peru on Tuesday"
    assert quake["15,000"].label == "people left homeless"
    assert quake["18-year-old"].label == "age"


@pytest.mark.parametrize(
    ("sentence", "figure", "kind", "label"),
    [
        # an -ing clause's count was affected by what the main clause did
        (
            "The airline said it had to cancel 77 flights, affecting about 5,000 passengers.",
            "about 5,000",
            "count",
            "passengers affected by cancelled flights",
        ),
        # a count joined by "and" to a subject shares its verb
        (
            "Officials said 92 outgoing flights and 86 incoming flights were delayed.",
            "86",
            "count",
            "incoming flights delayed",
        ),
        # the level a transitive change left
        (
            "The move lifted the jobless rate to 8.9 pct from 8.7 pct.",
            "8.7 pct",
            "percent",
            "previous jobless rate",
        ),
        # who did it, with every name joined by "and"
        (
            "The Daily and Sunday Telegraph newspapers are axing 90 journalist jobs.",
            "90",
            "count",
            "journalist jobs axed by the Daily and Sunday Telegraph newspapers",
        ),
    ],
)
def test_parse_labels_of_wire_news(sentence: str, figure: str, kind: str, label: str) -> None:
    assert _parse_label(sentence, figure, kind) == label


def test_a_wire_dateline_with_a_short_month_is_a_date() -> None:
    by_text = _figures("BRASILIA, Feb 20 - Brazil suspended interest payments on its debt.")
    assert by_text["Feb 20"].label == "dateline" and by_text["Feb 20"].minor
    assert "20" not in by_text


@pytest.mark.parametrize(
    ("sentence", "figure", "kind", "label"),
    [
        (
            "West Texas Intermediate closed at 18.45 dlrs, up 1.05 dlrs.",
            "1.05 dlrs",
            "money",
            "rise in West Texas Intermediate",
        ),
        (
            "The offer, valued at about 1.1 billion dlrs, expires soon.",
            "about 1.1 billion dlrs",
            "money",
            "offer valued",
        ),
        (
            "The president's candidates won 22 of the 24 Senate seats.",
            "22",
            "count",
            "Senate seats won by the president's candidates",
        ),
        (
            "The layoffs bring the total number of workers on indefinite layoff to 37,000.",
            "37,000",
            "count",
            "workers on indefinite layoff",
        ),
        (
            "In a filing, the group said it holds 2,345,000 shares, bought for a total of 61.2 mln dlrs.",
            "61.2 mln dlrs",
            "money",
            "shares bought",
        ),
    ],
)
def test_parse_labels_of_wire_news_changes_values_and_parts(
    sentence: str, figure: str, kind: str, label: str
) -> None:
    assert _parse_label(sentence, figure, kind) == label


def test_a_year_that_dates_another_figure_is_minor_and_a_date_stops_at_a_name() -> None:
    gold = _figures(
        "South African gold production fell to 607.5 tonnes in 1986 from 671.7 tonnes in 1985. "
        "The mine opened in 1952."
    )
    assert gold["1986"].minor and gold["1985"].minor
    assert not gold["1952"].minor  # no amount in its sentence: the year is the news
    oil = _figures(
        "Crude oil rose more than one dlr a barrel. April West Texas Intermediate closed."
    )
    assert "more than one dlr" in oil
    assert "April West Texas Intermediate" not in oil


def test_numbers_that_are_no_figures_stay_off_the_panel() -> None:
    age = _figures("The prince, 20, apologised after 300 people complained.")
    assert age["20"].kind == "age" and age["20"].minor
    title = _figures("On his track One Against 20 Emcees, the rapper thanked 300 fans.")
    assert "20" not in title  # a number inside a title
    idiom = _figures('"Never in a million years did I think it," she said of the 40 awards.')
    assert idiom["a million years"].minor
    event = _figures("It was a response to the 11 September attacks, which killed 2,973 people.")
    assert event["11 September"].minor and not event["2,973"].minor
    system = _figures("The virus affects handsets running the Symbian Series 60 operating system.")
    assert system.get("60") is None or system["60"].minor


def test_a_second_day_after_a_date_is_part_of_the_date() -> None:
    by_text = _figures(
        "A hearing scheduled for February 16 and 17 will decide whether 300 can sue."
    )
    assert by_text["February 16 and 17"].kind == "date"
    assert "17" not in by_text


@pytest.mark.parametrize(
    ("sentence", "figure", "kind", "label"),
    [
        # "put X at N": the value of X
        (
            "The poll put support for the ruling party at 38 percent.",
            "38 percent",
            "percent",
            "support for the ruling party",
        ),
        # a count's verb of "and" keeps its complement
        (
            "Flooding in Bangladesh has killed at least 412 people and left more than two million "
            "homeless, officials said on Sunday.",
            "more than two million",
            "count",
            "people left homeless by Flooding",
        ),
        # "added" with a counted object reports nothing
        (
            "The jobless rate fell as employers added 243,000 jobs.",
            "243,000",
            "count",
            "jobs added by employers",
        ),
    ],
)
def test_parse_labels_of_values_put_and_counts_added(
    sentence: str, figure: str, kind: str, label: str
) -> None:
    assert _parse_label(sentence, figure, kind) == label


def test_a_count_names_its_owner_after_it() -> None:
    sentence = "British TV pictures are made up of 625 lines."
    assert _parse_label(sentence, "625", "count") == "lines of TV pictures"


def test_amounts_the_model_calls_dates_or_misses_are_still_figures() -> None:
    by_text = _figures(
        "Net profit came in at 1.4bn euros, from a loss of 364m euros. Sales rose 2.8% to "
        "14.96bn euros, and debt fell to 35.8bn euros."
    )
    for amount in ("1.4bn euros", "14.96bn euros", "35.8bn euros"):
        assert by_text[amount].kind == "money", amount
        assert not by_text[amount].minor, amount


def test_a_title_the_model_read_as_an_amount_is_no_figure() -> None:
    by_text = _figures("Million Dollar Baby's Hilary Swank is tipped; 40 films were entered.")
    assert not any("Dollar" in text for text in by_text)
    assert "40" in by_text


def test_a_calendar_word_is_matched_whole_not_as_the_start_of_a_name() -> None:
    from search.extract.figures import _name_numbered

    text = "Users of the Adobe Photoshop 7 program complained."
    start = text.index("7")
    assert _name_numbered(text, start, start + 1, "CARDINAL") == "Adobe Photoshop"  # not "Ad"
    dated = "Rates rose on the March Monday 7 report."
    start = dated.index("7")
    assert _name_numbered(dated, start, start + 1, "CARDINAL") == ""  # a date, not a name
