"""Quotes: a quotation-mark span is a quote only beside a speech verb, with the speaker it names."""

from __future__ import annotations

from made_up import made_up_entities

from search.extract.pipeline import extract_from_entities
from search.models import Quote


def _quotes(text: str, *spans: tuple[str, str]) -> list[Quote]:
    quotes = extract_from_entities(text, made_up_entities(text, *spans)).quotes
    for quote in quotes:
        assert text[quote.start : quote.end] == quote.text
    return quotes


def _pairs(quotes: list[Quote]) -> set[tuple[str | None, str]]:
    return {(q.speaker, q.text) for q in quotes}


def test_quote_then_name_and_verb() -> None:
    text = 'The summit ended on Friday. "We stand together," Joe Biden said.'
    assert _pairs(_quotes(text, ("PERSON", "Joe Biden"))) == {("Joe Biden", "We stand together")}


def test_quote_then_verb_and_name_not_in_the_actors() -> None:
    text = (
        "Grain shipments resumed in March.\n\n"
        '"The corridor is working, but insurers are nervous," said Koval.'
    )
    assert _pairs(_quotes(text)) == {("Koval", "The corridor is working, but insurers are nervous")}


def test_name_verb_colon_then_quote_resolves_the_canonical_name() -> None:
    text = (
        "Prime Minister Keir Starmer met the delegation in London. "
        'Starmer said: "The door remains open to further talks."'
    )
    quotes = _quotes(text, ("PERSON", "Keir Starmer"), ("GPE", "London"), ("PERSON", "Starmer"))
    assert _pairs(quotes) == {("Keir Starmer", "The door remains open to further talks.")}


def test_name_verb_without_colon_and_curly_marks() -> None:
    text = "Mayor Anna Lind said “the bridge will reopen in May” after the vote."
    quotes = _quotes(text, ("PERSON", "Anna Lind"))
    assert _pairs(quotes) == {("Anna Lind", "the bridge will reopen in May")}


def test_narration_without_a_speech_verb_is_no_quote_and_according_to_is_reported() -> None:
    text = (
        "Exports of wheat from the port fell by 40 percent in February, according to the FAO. "
        'Officials described the situation as a "quasi-state of war" in the region. '
        '"The corridor is working, but insurers are nervous," said Olena Koval, a trader.'
    )
    quotes = _quotes(text, ("ORG", "FAO"), ("PERSON", "Olena Koval"))
    # The direct quote comes first: the card takes the first one.
    assert (quotes[0].speaker, quotes[0].text) == (
        "Olena Koval",
        "The corridor is working, but insurers are nervous",
    )
    assert not any("quasi-state" in q.text for q in quotes)
    assert [q.speaker for q in quotes[1:]] == ["FAO"]


def test_scare_quotes_and_titles_are_not_quotes() -> None:
    text = (
        'The exhibition "Andy Warhol: Photographs and Prints" opened in the "new wing" of the '
        'museum. Critics called it "a triumph of curation over content".'
    )
    assert _quotes(text) == []


def test_pronoun_speaker_is_the_nearest_subject_before() -> None:
    text = (
        "Health Minister Maria Costa visited the hospital on Monday with her deputy. "
        "She met nurses and doctors who had worked through the night. "
        '"These people kept the city alive this winter," she said.'
    )
    quotes = _quotes(text, ("PERSON", "Maria Costa"))
    assert _pairs(quotes) == {("Maria Costa", "These people kept the city alive this winter")}


def test_pronoun_speaker_skips_a_name_inside_the_quote_and_an_object() -> None:
    text = (
        "Coach Tomas Berg is planning for next season. He sees Owen Price as the ideal "
        'replacement. "I have spoken to Owen Price twice this week," he told reporters.'
    )
    ents = made_up_entities(
        text, ("PERSON", "Tomas Berg"), ("PERSON", "Owen Price"), ("PERSON", "Owen Price")
    )
    quotes = extract_from_entities(text, ents).quotes
    assert _pairs(quotes) == {("Tomas Berg", "I have spoken to Owen Price twice this week")}


def test_it_added_is_the_organisation_that_spoke_before() -> None:
    text = (
        'The ministry issued a notice. "Prices will be capped from June," said the Energy '
        'Agency. "Households will see the change on their next bill," it added.'
    )
    quotes = _quotes(text, ("ORG", "Energy Agency"))
    assert _pairs(quotes) == {
        ("Energy Agency", "Prices will be capped from June"),
        ("Energy Agency", "Households will see the change on their next bill"),
    }


def test_a_quote_running_on_after_its_attribution_keeps_the_speaker() -> None:
    text = (
        '"We want to thank every city that applied," said Charles Bolden to the crowd. '
        '"This was a very difficult decision, made with the public in mind."\n\n'
        '"The choices give the most people a chance to see the shuttles."\n\n'
        '"Cool idea, but not for us," a visitor wrote later in the guest book.'
    )
    quotes = _quotes(text, ("PERSON", "Charles Bolden"))
    assert [q.speaker for q in quotes] == ["Charles Bolden"] * 3 + [None]
    assert quotes[0].text == "We want to thank every city that applied"


def test_marks_of_two_quotations_never_make_one_span() -> None:
    text = (
        'The Straits Times noted the messages had grown into a "support movement". American '
        'professor Marc Lamont Hill commented, "Hoping that the movement becomes a national '
        'conversation on race."'
    )
    quotes = _quotes(text, ("ORG", "The Straits Times"), ("PERSON", "Marc Lamont Hill"))
    assert _pairs(quotes) == {
        ("Marc Lamont Hill", "Hoping that the movement becomes a national conversation on race.")
    }


def test_a_colon_paragraph_introduces_the_quote_below_it() -> None:
    text = (
        "President Barack Obama tweeted using his account:\n\n"
        '"Cool clock, Ahmed. Want to bring it to the White House?"\n\n'
        '"Science is what makes America great."'
    )
    quotes = _quotes(text, ("PERSON", "Barack Obama"))
    assert [q.speaker for q in quotes] == ["Barack Obama", "Barack Obama"]


def test_narration_is_not_credited_to_a_name_in_it() -> None:
    text = (
        "At the ceremony, NASA Administrator Charles Bolden announced the locations that would "
        "be given the three remaining orbiters following the end of the programme."
    )
    assert _quotes(text, ("ORG", "NASA"), ("PERSON", "Charles Bolden")) == []


def test_short_fragments_are_not_quotes_and_the_card_quote_comes_first() -> None:
    text = (
        'Lee said the talks were "very good". Lee said: "Yes." '
        '"Our two countries must work together on every front from trade to security," Lee said. '
        '"Thanks," he added.'
    )
    quotes = _quotes(text, ("PERSON", "Lee"), ("PERSON", "Lee"), ("PERSON", "Lee"))
    assert _pairs(quotes) == {
        ("Lee", "Our two countries must work together on every front from trade to security")
    }


def test_possessive_is_not_the_speaker_but_a_statement_is() -> None:
    text = (
        '"The charges are baseless and will be dropped," Smith\'s lawyer said. '
        'Senator John Cornyn\'s statement added, "Houston should have been selected."'
    )
    quotes = _quotes(text, ("PERSON", "Smith"), ("PERSON", "John Cornyn"))
    assert _pairs(quotes) == {
        (None, "The charges are baseless and will be dropped"),
        ("John Cornyn", "Houston should have been selected."),
    }
    assert quotes[0].speaker == "John Cornyn"  # a named speaker ranks before an unnamed one


def test_reported_speech_is_by_the_subject_not_an_apposition_or_a_far_name() -> None:
    text = (
        "Valeska Paris, an Australian woman and former Scientologist, has claimed that the "
        "church kept her aboard a ship for years. Though YouTube is complying with the "
        "requests, other sites such as Gawker have stated that they will keep hosting the video."
    )
    quotes = _quotes(
        text, ("PERSON", "Valeska Paris"), ("NORP", "Scientologist"), ("ORG", "YouTube")
    )
    assert _pairs(quotes) == {("Valeska Paris", "the church kept her aboard a ship for years")}


def test_reported_speech_ranks_after_a_direct_quote() -> None:
    text = (
        "Foreign Minister Toshimitsu Motegi stressed the alliance, stating that trilateral "
        "cooperation remains more crucial than ever. "
        '"We will meet again in the spring to finish the work," Motegi told reporters.'
    )
    quotes = _quotes(text, ("PERSON", "Toshimitsu Motegi"), ("PERSON", "Motegi"))
    assert [(q.speaker, q.text[:12]) for q in quotes] == [
        ("Toshimitsu Motegi", "We will meet"),
        ("Toshimitsu Motegi", "trilateral c"),
    ]


def test_a_pronoun_after_two_leading_names_has_no_speaker() -> None:
    text = (
        "For Kevin Allton, an instructor in English, Andy Warhol was also a legend. "
        'He said, "Warhol was the center of the Zeitgeist for the 20th century."'
    )
    quotes = _quotes(text, ("PERSON", "Kevin Allton"), ("PERSON", "Andy Warhol"))
    assert _pairs(quotes) == {
        (None, "Warhol was the center of the Zeitgeist for the 20th century.")
    }


def test_an_outlet_relaying_a_quote_is_not_its_speaker() -> None:
    text = (
        '"It is above all a question of sovereignty," Reuters quoted a bank official as saying. '
        '"We will wait and see," the agency said in its report.'
    )
    quotes = _quotes(text, ("ORG", "Reuters"))
    said = {q.text: q.speaker for q in quotes}
    assert said["It is above all a question of sovereignty"] is None
